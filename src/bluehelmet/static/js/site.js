// Behaviour shared by every page, kept out of the HTML so the content security policy can
// refuse inline scripts and event-handler attributes:
//   <select data-autosubmit>        submits its form when changed (language, filters); so does
//   <input data-autosubmit>         an input (a filter's date), once its new value is complete
//   <button data-print>             prints the page
//   <span data-bar-width="42">      a bar filled to 42 % (inline styles are refused too)
//   <span data-share="0.4200">      sets the CSS variable --share used by funnel bars
(function () {
  "use strict";

  function applyBars(root) {
    root.querySelectorAll("[data-bar-width]").forEach(function (el) {
      const width = Math.max(0, Math.min(100, parseFloat(el.dataset.barWidth) || 0));
      el.style.width = width + "%";
    });
    root.querySelectorAll("[data-share]").forEach(function (el) {
      const share = Math.max(0, Math.min(1, parseFloat(el.dataset.share) || 0));
      el.style.setProperty("--share", String(share));
    });
  }

  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.matches && target.matches("select[data-autosubmit], input[data-autosubmit]") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { applyBars(document); });
  // Content swapped in by htmx (tables refreshed in place) gets the same treatment.
  document.addEventListener("htmx:load", function (event) { applyBars(event.target); });
})();
