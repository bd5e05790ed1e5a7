// The inbox count beside the menu entry, fetched once the page has loaded so that no page
// waits for (or runs) the inbox's queries: <a data-inbox-count-url="/inbox/count.json">
// gets a badge with the number of things waiting (hidden when there are none).
(function () {
  "use strict";

  function showCount() {
    const link = document.querySelector("[data-inbox-count-url]");
    if (!link || !window.fetch) return;
    fetch(link.dataset.inboxCountUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || typeof data.total !== "number") return;
        const badge = link.querySelector(".inbox-count");
        badge.textContent = String(data.total);
        badge.hidden = data.total === 0;
        link.dataset.inboxCount = String(data.total);
      })
      .catch(function () { /* offline or logged out: the menu simply shows no count */ });
  }

  document.addEventListener("DOMContentLoaded", showCount);
})();
