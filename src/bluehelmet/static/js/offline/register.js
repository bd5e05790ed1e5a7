/* Register the installable app's service worker (templates/sw.js, served at /sw.js so its
   scope is the whole site) on every page of a logged-in user: a browser then offers to
   install the app, and the report form keeps its offline copy (static/js/offline/report.js).
   Browsers without service workers, or a page not in a secure context, go on without. */
(function () {
  "use strict";
  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !window.isSecureContext || !script) return;
  navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" }).catch(() => undefined);
})();
