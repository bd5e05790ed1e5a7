/* A box that narrows a select's options as one types (core/widgets.py).

   Every input carrying data-filter-select="<id of a select>" hides the options of that select
   whose text does not contain what was typed (case and accents ignored). Chosen options stay
   visible, so a multiple choice never loses sight of what it holds. A status line (the
   input's next sibling, role=status) says how many options are shown, with the page's
   translated pattern in data-filter-count ("{shown} of {total} shown"). The box stays
   hidden without script; the select works as usual then. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function attach(input) {
    const select = document.getElementById(input.dataset.filterSelect);
    if (!select || input.selectFilter) return;
    input.selectFilter = true;
    const status = input.nextElementSibling;
    const options = Array.from(select.options).filter((option) => option.value !== "");
    const names = options.map((option) => fold(option.text));
    input.hidden = false;
    input.addEventListener("input", function () {
      const wanted = fold(input.value.trim());
      let shown = 0;
      options.forEach(function (option, i) {
        const visible = option.selected || names[i].includes(wanted);
        option.hidden = !visible;
        if (visible) shown += 1;
      });
      if (status && status.getAttribute("role") === "status") {
        status.textContent = wanted
          ? (input.dataset.filterCount || "")
              .replace("{shown}", String(shown))
              .replace("{total}", String(options.length))
          : "";
      }
    });
  }

  function attachAll(root) {
    root.querySelectorAll("input[data-filter-select]").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () {
    attachAll(document);
  });
  // Forms swapped in by htmx get their boxes too.
  document.addEventListener("htmx:afterSettle", function (event) {
    attachAll(event.target);
  });
})();
