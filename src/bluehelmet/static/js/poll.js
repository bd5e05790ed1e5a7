/* The one polling helper: the rules for every request a page makes by itself.

   A page polls with htmx, `hx-get="..." hx-trigger="every 2s"` (the live incident feed, job
   progress panels, the election dashboard); no script runs a timer of its own to ask the
   server. htmx sends HX-Request and HX-Trigger (the polling element's id) with each poll,
   which core/idle.py reads so that a poll never keeps a session alive. This file adds:
     - no poll while the tab is hidden: the next tick after it is shown polls again;
     - after a failed poll (an error status, no network), a back-off: the element waits
       twice as long after each failure in a row, up to a minute, then polls at its own
       pace again after the first success;
     - a poll stops when its element leaves the page (htmx checks this before each tick;
       a panel swapped for one without `every`, a finished job, polls no more).
   tests/e2e/test_maps.py checks the first two in Chromium. */
(function () {
  "use strict";

  const LONGEST_WAIT_MS = 60000;
  const EVERY = /(?:^|,)\s*every\s+(\d+(?:\.\d+)?)(ms|s|m)?/;
  // Polling element -> { failures, until }: when it may poll again after failures.
  const backoff = new WeakMap();

  /* The element's polling interval in milliseconds, or null when it does not poll. */
  function pollInterval(element) {
    const trigger = element && element.getAttribute ? element.getAttribute("hx-trigger") : null;
    const match = trigger && EVERY.exec(trigger);
    if (!match) return null;
    const unit = match[2] === "ms" ? 1 : match[2] === "m" ? 60000 : 1000;
    return Number(match[1]) * unit;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    const element = event.detail.elt;
    if (pollInterval(element) === null) return;
    const state = backoff.get(element);
    if (document.hidden || (state && Date.now() < state.until)) event.preventDefault();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const element = event.detail.elt;
    const interval = pollInterval(element);
    if (interval === null) return;
    if (event.detail.successful) {
      backoff.delete(element);
      delete element.dataset.pollFailures;
      return;
    }
    const failures = (backoff.has(element) ? backoff.get(element).failures : 0) + 1;
    const wait = Math.min(LONGEST_WAIT_MS, interval * Math.pow(2, failures));
    backoff.set(element, { failures: failures, until: Date.now() + wait });
    element.dataset.pollFailures = String(failures);
  });
})();
