/* The incident analysis page (incidents/analysis.html): four charts (type, perpetrator, admin
   area, month), a map of the areas coloured by their counts, the comparison with the year
   before, and saved views. Every filter updates the others: a click on a bar, a table row or
   an area toggles that filter, the time control sets the months, and the figures come back
   from analysis.json (each breakdown under every filter but its own, incidents.analysis).
   The page's address follows the filters, so a reload or a shared link opens the same view.
   Words and URLs come from the page (json_script), translated server-side. */
(function () {
  "use strict";

  const cfg = BHMap.pageData("analysis-config");
  const root = document.getElementById("analysis");
  if (!cfg || !root) return;

  const FILTERS = ["type", "perpetrator", "place", "status", "from", "to"];
  const TOP = 15; // bars per chart; the table lists them all
  const BLUE = "#1d6fb8";
  const PALE = "#a9c6e4";
  const CHOSEN = "#0b3d6b";
  const labels = cfg.labels;
  const months = cfg.months;
  const filters = Object.assign({}, cfg.analysis.filters);
  let data = cfg.analysis;
  let request = 0;

  const escapeHtml = BHMap.escapeHtml;

  function query(params) {
    const search = new URLSearchParams();
    FILTERS.forEach((name) => {
      if (params[name]) search.set(name, params[name]);
    });
    return search.toString();
  }

  /* Chart.js draws on a transparent canvas: a PNG of it needs a white page under the bars. */
  const whiteBackground = {
    id: "whiteBackground",
    beforeDraw(chart) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.globalCompositeOperation = "destination-over";
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };

  /* ---------- the four charts ---------- */
  const charts = {};
  const shownRows = {};

  function barColours(name, rows) {
    const chosen = filters[name];
    return rows.map((row) => (!chosen ? BLUE : String(row.key) === chosen ? CHOSEN : PALE));
  }

  function makeChart(name, horizontal) {
    const canvas = document.getElementById("chart-" + name);
    if (!canvas || typeof Chart === "undefined") return;
    charts[name] = new Chart(canvas, {
      type: "bar",
      data: { labels: [], datasets: [{ label: labels.incidents, data: [], backgroundColor: [] }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { precision: 0 } } },
        onClick: (event, elements) => {
          if (!elements.length) return;
          const row = shownRows[name][elements[0].index];
          if (name === "month") chooseMonth(row.key);
          else if (row.key !== null) toggle(name, String(row.key));
        },
      },
      plugins: [whiteBackground],
    });
  }

  function drawBreakdown(name, rows) {
    const chart = charts[name];
    const shown = rows.slice(0, TOP);
    shownRows[name] = shown;
    const note = document.getElementById("note-" + name);
    if (note) note.textContent = rows.length > TOP ? labels.top.replace("%(shown)s", TOP).replace("%(total)s", rows.length) : "";
    if (!chart) return;
    chart.data.labels = shown.map((row) => row.label);
    chart.data.datasets[0].data = shown.map((row) => row.count);
    chart.data.datasets[0].backgroundColor = barColours(name, shown);
    chart.update();
    chart.canvas.dataset.bars = String(shown.length);
    chart.canvas.dataset.total = String(shown.reduce((sum, row) => sum + row.count, 0));
  }

  function drawMonths(rows) {
    const chart = charts.month;
    const known = new Map(rows.map((row) => [row.key, row]));
    const all = months.map((month) => known.get(month.value) || { key: month.value, count: 0 });
    shownRows.month = all;
    if (!chart) return;
    chart.data.labels = months.map((month) => month.label);
    chart.data.datasets[0].data = all.map((row) => row.count);
    chart.data.datasets[0].backgroundColor = all.map((row) => (row.key >= filters.from && row.key <= filters.to ? BLUE : PALE));
    chart.update();
  }

  /* ---------- tables (the same as the server draws them) ---------- */
  function cell(text, number) {
    return "<td" + (number ? ' class="number"' : "") + ">" + escapeHtml(text) + "</td>";
  }

  function measures(row) {
    return cell(row.count, true) + cell(row.killed, true) + cell(row.injured, true) + cell(row.abducted, true);
  }

  function drawTable(name, rows) {
    const body = document.querySelector("#table-" + name + " tbody");
    if (!body) return;
    if (!rows.length) {
      body.innerHTML = '<tr><td colspan="5" class="muted">' + escapeHtml(labels.noData) + "</td></tr>";
      return;
    }
    body.innerHTML = rows
      .map((row) => {
        const selected = row.key !== null && String(row.key) === filters[name];
        let label = escapeHtml(row.label);
        if (name !== "month" && row.key !== null) {
          const next = Object.assign({}, filters, { [name]: selected ? "" : String(row.key) });
          label = '<a href="?' + escapeHtml(query(next)) + '" data-select="' + name + '" data-key="' + escapeHtml(row.key) + '">' + label + "</a>";
        }
        return "<tr" + (selected ? ' class="selected"' : "") + "><td>" + label + "</td>" + measures(row) + "</tr>";
      })
      .join("");
  }

  function monthsInRange(rows) {
    const known = new Map(rows.map((row) => [row.key, row]));
    return months
      .filter((month) => month.value >= filters.from && month.value <= filters.to)
      .map((month) => Object.assign({ killed: 0, injured: 0, abducted: 0, count: 0 }, known.get(month.value), { key: month.value, label: month.label }));
  }

  /* The filter bar's selects offer what the figures hold (each with its count). */
  function fillSelect(name, rows) {
    const select = document.getElementById("analysis-" + name);
    if (!select) return;
    const options = ['<option value="">' + escapeHtml(labels.any) + "</option>"];
    rows.forEach((row) => {
      if (row.key === null) return;
      const value = String(row.key);
      options.push('<option value="' + escapeHtml(value) + '"' + (value === filters[name] ? " selected" : "") + ">" + escapeHtml(row.label + " (" + row.count + ")") + "</option>");
    });
    select.innerHTML = options.join("");
  }

  function drawComparison(comparison) {
    document.getElementById("period-current").textContent = comparison.current.from + " – " + comparison.current.to;
    document.getElementById("period-previous").textContent = comparison.previous.from + " – " + comparison.previous.to;
    document.querySelectorAll("#analysis-summary tr[data-measure]").forEach((row) => {
      const measure = row.dataset.measure;
      const change = comparison.change[measure];
      const sign = (value) => (value > 0 ? "+" : "") + value;
      row.querySelector(".current").textContent = comparison.current[measure];
      row.querySelector(".previous").textContent = comparison.previous[measure];
      row.querySelector(".change").textContent = sign(change.difference) + (change.percent === null ? "" : " (" + sign(change.percent) + " %)");
    });
  }

  /* ---------- the map: admin areas coloured by their counts; a click filters by the area ---------- */
  const mapElement = document.getElementById("analysis-map");
  const bhmap = mapElement ? BHMap.create(mapElement) : null;
  let areasDrawn = false;

  function areaColour(count, max) {
    if (!count) return "#f4f6f8";
    const share = Math.sqrt(count / max); // a few large counts should not wash out the rest
    const light = Math.round(90 - 55 * share);
    return "hsl(210, 70%, " + light + "%)";
  }

  function drawAreas() {
    if (!bhmap || !areasDrawn) return;
    const counts = new Map(data.by_area.filter((row) => row.key !== null).map((row) => [String(row.key), row]));
    const max = Math.max(1, ...data.by_area.map((row) => (row.key === null ? 0 : row.count)));
    let coloured = 0;
    bhmap.areas.eachLayer((layer) => {
      const feature = layer.feature;
      if (feature.properties.kind === "country") return;
      if (feature.properties.kind !== data.area_level) {
        layer.setStyle({ fillOpacity: 0, weight: 0.5 });
        return;
      }
      const id = String(feature.id);
      const row = counts.get(id);
      const chosen = filters.place === id;
      layer.setStyle({
        fillColor: areaColour(row ? row.count : 0, max),
        fillOpacity: 0.85,
        weight: chosen ? 3 : 1,
        color: chosen ? CHOSEN : "#7b8a99",
      });
      if (chosen) layer.bringToFront();
      layer.setTooltipContent(escapeHtml(feature.properties.name + ": " + (row ? row.count : 0) + " " + labels.incidents.toLowerCase()));
      if (row) coloured += 1;
    });
    mapElement.dataset.colouredAreas = String(coloured);
  }

  if (bhmap) {
    bhmap.ready.then(() => {
      bhmap.areas.eachLayer((layer) => {
        if (layer.feature.properties.kind !== "country") {
          layer.on("click", () => {
            if (layer.feature.properties.kind === data.area_level && layer.feature.id !== undefined) toggle("place", String(layer.feature.id));
          });
        }
      });
      areasDrawn = true;
      drawAreas();
    });
  }

  /* ---------- the time control ---------- */
  const rangeFieldset = document.getElementById("analysis-timerange");
  const timeRange = rangeFieldset && months.length ? BHTimeRange.create(rangeFieldset, months) : null;
  let rangeTimer = null;
  if (timeRange) {
    timeRange.set(cfg.from, cfg.to);
    timeRange.onChange((state) => {
      if (state.fromMonth === filters.from && state.toMonth === filters.to) return;
      filters.from = state.fromMonth;
      filters.to = state.toMonth;
      // Dragging a handle moves through months quickly: ask once it rests.
      clearTimeout(rangeTimer);
      rangeTimer = setTimeout(refresh, 250);
    });
  }

  function chooseMonth(month) {
    filters.from = month;
    filters.to = month;
    if (timeRange) timeRange.set(timeRange.indexOf(month), timeRange.indexOf(month));
    refresh();
  }

  /* ---------- filters ---------- */
  function toggle(name, key) {
    filters[name] = filters[name] === key ? "" : key;
    refresh();
  }

  function syncControls() {
    document.querySelectorAll("#analysis-filters [name]").forEach((input) => {
      if (FILTERS.includes(input.name) && input.tagName !== "SELECT") input.value = filters[input.name] || "";
    });
    const status = document.querySelector("#analysis-filters [name=status]");
    if (status) status.value = filters.status || "";
    // The save form carries the filters as hidden inputs.
    const save = document.getElementById("analysis-save");
    save.querySelectorAll("[data-saved-filter]").forEach((input) => input.remove());
    FILTERS.forEach((name) => {
      if (!filters[name]) return;
      const input = document.createElement("input");
      Object.assign(input, { type: "hidden", name: name, value: filters[name] });
      input.dataset.savedFilter = "";
      save.prepend(input);
    });
    const search = query(filters);
    document.getElementById("export-aggregates").href = cfg.csvUrl + "?" + search;
    history.replaceState(null, "", cfg.pageUrl + "?" + search);
  }

  function draw() {
    drawBreakdown("type", data.by_type);
    drawBreakdown("perpetrator", data.by_perpetrator);
    drawBreakdown("place", data.by_area);
    drawMonths(data.by_month);
    drawTable("type", data.by_type);
    drawTable("perpetrator", data.by_perpetrator);
    drawTable("place", data.by_area);
    drawTable("month", monthsInRange(data.by_month));
    fillSelect("type", data.by_type);
    fillSelect("perpetrator", data.by_perpetrator);
    fillSelect("place", data.by_area);
    drawComparison(data.comparison);
    drawAreas();
    root.dataset.total = String(data.comparison.current.count);
    root.dataset.filters = query(filters);
  }

  function refresh() {
    const mine = ++request;
    root.dataset.state = "loading";
    syncControls();
    BHMap.getJson(cfg.dataUrl + "?" + query(filters))
      .then((answer) => {
        if (mine !== request) return; // a later change is on its way
        data = answer;
        document.getElementById("export-rows").href = answer.rows_url;
        draw();
        root.dataset.state = "ready";
      })
      .catch(() => {
        if (mine !== request) return;
        root.dataset.state = "failed";
        document.getElementById("save-errors").textContent = labels.failed;
      });
  }

  // The filter bar works without the page reloading; without this script it is a plain GET form.
  const form = document.getElementById("analysis-filters");
  form.addEventListener("change", (event) => {
    const name = event.target.name;
    if (!FILTERS.includes(name)) return;
    filters[name] = event.target.value;
    if ((name === "from" || name === "to") && timeRange) {
      const from = timeRange.indexOf(filters.from);
      const to = timeRange.indexOf(filters.to);
      if (from >= 0 && to >= 0) timeRange.set(from, to);
    }
    refresh();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh();
  });
  // A table row's link toggles its filter in place.
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-select]");
    if (!link) return;
    event.preventDefault();
    toggle(link.dataset.select, link.dataset.key);
  });

  /* ---------- PNG of each chart ---------- */
  document.querySelectorAll("[data-png]").forEach((button) => {
    button.addEventListener("click", () => {
      const chart = charts[button.dataset.png];
      if (!chart) return;
      const link = document.createElement("a");
      link.href = chart.toBase64Image("image/png", 1);
      link.download = "incident-analysis-" + button.dataset.png + "-" + query(filters).replace(/[^A-Za-z0-9=-]+/g, "_") + ".png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  });

  /* ---------- saving a view: field errors shown beside the form ---------- */
  const saveForm = document.getElementById("analysis-save");
  saveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const errors = document.getElementById("save-errors");
    errors.textContent = "";
    saveForm.querySelectorAll(".field-error[data-field]").forEach((node) => node.remove());
    fetch(saveForm.action, { method: "POST", body: new FormData(saveForm), credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => response.json().then((body) => ({ ok: response.ok, body: body })))
      .then(({ ok, body }) => {
        if (ok) {
          window.location.assign(body.url);
          return;
        }
        const unplaced = [];
        Object.entries(body.errors || {}).forEach(([name, messages]) => {
          const box = document.getElementById("field-" + name);
          if (box && saveForm.contains(box)) {
            const span = document.createElement("span");
            span.className = "field-error";
            span.dataset.field = name;
            span.textContent = messages.join(" ");
            box.appendChild(span);
          } else {
            unplaced.push(name + ": " + messages.join(" "));
          }
        });
        errors.textContent = unplaced.join("; ");
      })
      .catch(() => {
        errors.textContent = labels.failed;
      });
  });

  makeChart("type", true);
  makeChart("perpetrator", true);
  makeChart("place", true);
  makeChart("month", false);
  draw();
  syncControls();
})();
