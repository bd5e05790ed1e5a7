/* Search-as-you-type for a place of the mission (the gazetteer's towns and its admin areas).

   An input becomes an ARIA combobox (WAI-ARIA 1.2 pattern, list autocomplete): typing asks the
   mission's place search (core/place_views.py) after a pause, arrows move through the
   answers, Enter or a click picks one, Escape closes the list. Inputs carrying
   data-place-search-url are set up by themselves; others through PlaceSearch.attach(input,
   { url, onPick, emptyText }). Words shown come from the page (data attributes, translated
   server-side):
     data-place-search-url    the mission's search URL (?q= is added)
     data-place-search-empty  what the list says when nothing matches
     data-place-target        optional: the id of an input (hidden) that receives the place id
   A pick fires "placesearch:pick" on the input (bubbling) with the place as `detail`:
   { id, name, kind, kind_label, areas, area_id, pcode, lat, lon, population }. */
(function () {
  "use strict";

  const DELAY_MS = 200;
  const MIN_LENGTH = 2;
  let counter = 0;

  function describe(place) {
    const areas = place.areas.length ? " — " + place.areas.join(", ") : "";
    return place.name + areas + (place.pcode ? " (" + place.pcode + ")" : "");
  }

  function attach(input, options) {
    if (input.placeSearch) return input.placeSearch;
    options = options || {};
    const url = options.url || input.dataset.placeSearchUrl;
    const emptyText = options.emptyText || input.dataset.placeSearchEmpty || "";
    const target = input.dataset.placeTarget ? document.getElementById(input.dataset.placeTarget) : null;
    const id = "place-search-" + ++counter;
    const list = document.createElement("ul");
    list.id = id + "-list";
    list.className = "place-search-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    const status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    if (input.parentElement) input.parentElement.classList.add("place-search");

    let results = [];
    let active = -1;
    let timer = null;
    let asked = 0; // answers to older keystrokes are dropped

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      active = index;
      Array.from(list.children).forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
      if (index >= 0 && list.children[index]) {
        input.setAttribute("aria-activedescendant", list.children[index].id);
        list.children[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render() {
      list.textContent = "";
      results.forEach((place, i) => {
        const li = document.createElement("li");
        li.id = id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "place-search-option";
        li.dataset.placeId = String(place.id);
        const name = document.createElement("strong");
        name.textContent = place.name;
        const where = document.createElement("span");
        where.className = "muted small";
        where.textContent = " " + place.kind_label + (place.areas.length ? " · " + place.areas.join(", ") : "") +
          (place.pcode ? " · " + place.pcode : "");
        li.append(name, where);
        // mousedown, not click: the input must not lose the list to its blur first.
        li.addEventListener("mousedown", (e) => {
          e.preventDefault();
          pick(i);
        });
        list.appendChild(li);
      });
      if (!results.length && emptyText) {
        const li = document.createElement("li");
        li.className = "place-search-empty muted";
        li.textContent = emptyText;
        list.appendChild(li);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = results.length ? String(results.length) : emptyText;
      highlight(-1);
    }

    function search() {
      const query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        results = [];
        close();
        return;
      }
      const ticket = ++asked;
      const separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((r) => (r.ok ? r.json() : { results: [] }))
        .then((data) => {
          if (ticket !== asked) return;
          results = data.results || [];
          render();
        })
        .catch(() => {
          if (ticket === asked) close();
        });
    }

    function pick(index) {
      const place = results[index];
      if (!place) return;
      input.value = describe(place);
      if (target) target.value = String(place.id);
      close();
      if (options.onPick) options.onPick(place);
      input.dispatchEvent(new CustomEvent("placesearch:pick", { bubbles: true, detail: place }));
    }

    input.addEventListener("input", () => {
      if (target) target.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", (e) => {
      const open = !list.hidden && results.length;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (list.hidden) search();
        else if (open) highlight((active + 1) % results.length);
      } else if (e.key === "ArrowUp") {
        if (!open) return;
        e.preventDefault();
        highlight(active <= 0 ? results.length - 1 : active - 1);
      } else if (e.key === "Enter") {
        if (!open) return;
        e.preventDefault(); // choosing a place does not send the form
        pick(active >= 0 ? active : 0);
      } else if (e.key === "Escape") {
        if (list.hidden) return;
        e.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);

    input.placeSearch = { close, search, pick };
    return input.placeSearch;
  }

  function attachAll(root) {
    (root || document).querySelectorAll("input[data-place-search-url]").forEach((input) => attach(input));
  }

  window.PlaceSearch = { attach, attachAll, describe };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => attachAll());
  else attachAll();
})();
