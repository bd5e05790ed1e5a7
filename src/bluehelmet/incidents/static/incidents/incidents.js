/* Incident pages: the live map beside the polled feed, the place picker of the report form,
   its casualty rows and its queue of reports kept on the device while offline, the zone
   drawing and compliance chart of a ceasefire. Words and URLs come from the page
   (json_script), translated server-side. */
(function () {
  "use strict";

  const STATUS_COLOURS = {
    reported: "#e67e22",
    under_verification: "#8e44ad",
    verified: "#c0392b",
    unconfirmed: "#7f8c8d",
    false: "#bdc3c7",
  };
  const ZONE_STYLE = { color: "#1d6fb8", weight: 2, dashArray: "6 4", fillColor: "#1d6fb8", fillOpacity: 0.12 };

  function config(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  const escapeHtml = (text) => BHMap.escapeHtml(text);
  const getJson = (url) => BHMap.getJson(url);

  /* A map of the mission (bhmap.js) with its ceasefire zones, when the page has them. */
  function baseMap(elementId, cfg) {
    // The areas let clicks through: a click on the map picks a place or draws a zone.
    const { map, areas, ready } = BHMap.create(elementId, { interactiveAreas: false });
    const zones = L.geoJSON(null, {
      style: ZONE_STYLE,
      onEachFeature: (f, layer) => layer.bindTooltip(escapeHtml(f.properties.name + " (" + f.properties.kind + ")")),
    }).addTo(map);
    if (cfg.zonesUrl) getJson(cfg.zonesUrl).then((data) => zones.addData(data));
    return { map, areas, zones, ready };
  }

  function incidentMarker(p, lat, lon) {
    const marker = L.circleMarker([lat, lon], {
      radius: 6 + Math.min(8, Math.log2(1 + (p.weight || 0))),
      className: "incident-marker incident-" + p.status,
      color: p.inZone ? "#0b3d6b" : "#33404d",
      weight: p.inZone ? 2.5 : 1,
      fillColor: STATUS_COLOURS[p.status] || "#e67e22",
      fillOpacity: 0.8,
    });
    marker.bindPopup('<a href="' + escapeHtml(p.url) + '"><strong>' + escapeHtml(p.title) + "</strong></a><br>" + escapeHtml(p.when || ""));
    return marker;
  }

  /* ---------- live picture: map + polled feed ---------- */
  const liveCfg = config("incident-map-config");
  if (liveCfg && document.getElementById("incident-map")) {
    const { map, zones } = baseMap("incident-map", liveCfg);
    const markers = new Map();
    const markerLayer = L.layerGroup().addTo(map);
    const heat = L.heatLayer ? L.heatLayer([], { radius: 22, blur: 18, maxZoom: 10 }) : null;
    const overlays = { [liveCfg.labels.incidents]: markerLayer, [liveCfg.labels.zones]: zones };
    if (heat) overlays[liveCfg.labels.heat] = heat;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);

    function place(id, p, lat, lon) {
      if (markers.has(id)) markerLayer.removeLayer(markers.get(id));
      const marker = incidentMarker(p, lat, lon).addTo(markerLayer);
      markers.set(id, marker);
      return marker;
    }

    /* The time control (timerange.js) narrows the incidents drawn to its months: the map
       asks the server for them again (the feed beside it keeps the page's filters). */
    const rangeElement = document.getElementById("incident-timerange");
    const range = rangeElement && liveCfg.months.length ? BHTimeRange.create(rangeElement, liveCfg.months) : null;
    if (range) range.set(liveCfg.from, liveCfg.to);
    const mapElement = document.getElementById("incident-map");
    function rangeUrl() {
      if (!range) return liveCfg.incidentsUrl;
      const state = range.get();
      const query = new URLSearchParams({ from: state.fromMonth, to: state.toMonth }).toString();
      return liveCfg.incidentsUrl + (liveCfg.incidentsUrl.includes("?") ? "&" : "?") + query;
    }
    /* A feed row inside the range? (Its month, YYYY-MM, from its <time datetime>.) */
    function inRange(li) {
      if (!range) return true;
      const time = li.querySelector("time");
      const month = time ? time.getAttribute("datetime").slice(0, 7) : "";
      const state = range.get();
      return month >= state.fromMonth && month <= state.toMonth;
    }

    function showIncidents() {
      const url = rangeUrl();
      return getJson(url).then((data) => {
        if (url !== rangeUrl()) return; // the range moved on while this loaded
        markerLayer.clearLayers();
        markers.clear();
        data.features.forEach((f) => {
          const [lon, lat] = f.geometry.coordinates;
          const p = f.properties;
          place(p.id, { status: p.status, inZone: p.in_zone, weight: p.killed + p.injured + p.abducted,
                        title: "#" + p.id + " " + p.type, when: p.occurred_at.slice(0, 16).replace("T", " "),
                        url: p.url }, lat, lon);
        });
        if (heat) heat.setLatLngs(data.heat);
        // Which range the map has finished drawing, and how many incidents (browser tests).
        mapElement.dataset.shownRange = range ? range.get().fromMonth + "/" + range.get().toMonth : "";
        mapElement.dataset.incidentsShown = String(data.features.length);
      });
    }
    let pending = null;
    if (range) range.onChange(() => { clearTimeout(pending); pending = setTimeout(showIncidents, 150); });
    showIncidents();

    // The feed is the live source: every row htmx adds (or replaces) updates the map.
    const feed = document.getElementById("incident-feed");
    function fromRow(li) {
      const d = li.dataset;
      return { id: Number(d.id), lat: Number(d.lat), lon: Number(d.lon),
               p: { status: d.status, inZone: d.inZone === "1", weight: Number(d.weight), title: d.title, url: d.url,
                    when: (li.querySelector("time") || {}).textContent } };
    }
    new MutationObserver((mutations) => {
      mutations.forEach((m) => m.addedNodes.forEach((node) => {
        if (node.nodeType !== 1 || !node.classList.contains("feed-item")) return;
        // A changed incident comes back: keep only the newest row for it.
        feed.querySelectorAll('.feed-item[data-id="' + node.dataset.id + '"]').forEach((old) => { if (old !== node) old.remove(); });
        node.classList.add("feed-new");
        if (!inRange(node)) return; // listed in the feed, but outside the months on the map
        const row = fromRow(node);
        place(row.id, row.p, row.lat, row.lon);
        if (heat) heat.addLatLng([row.lat, row.lon, 1 + Math.log1p(row.p.weight)]);
      }));
    }).observe(feed, { childList: true });

    // Each poll tells the server which rows are shown; it answers (data-gone on the new
    // poller) with those, and those changed since, that no longer match the filters.
    document.body.addEventListener("htmx:configRequest", (e) => {
      if (e.detail.elt.id !== "feed-poller") return;
      const shown = Array.from(feed.querySelectorAll(".feed-item"), (li) => li.dataset.id);
      e.detail.parameters.shown = Array.from(new Set(shown)).slice(0, 200).join(",");
    });
    document.body.addEventListener("htmx:afterSettle", () => {
      const poller = document.getElementById("feed-poller");
      if (!poller || !poller.dataset.gone) return;
      poller.dataset.gone.split(",").forEach((id) => {
        feed.querySelectorAll('.feed-item[data-id="' + id + '"]').forEach((li) => li.remove());
        if (markers.has(Number(id))) {
          markerLayer.removeLayer(markers.get(Number(id)));
          markers.delete(Number(id));
        }
      });
    });
  }

  /* ---------- report form: pick the place on the map ---------- */
  const pickCfg = config("pick-map-config");
  if (pickCfg && document.getElementById("pick-map")) {
    const { map } = baseMap("pick-map", pickCfg);
    const lat = document.getElementById("id_latitude");
    const lon = document.getElementById("id_longitude");
    let marker = null;
    function show() {
      const a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (Number.isFinite(a) && Number.isFinite(b)) {
        if (!marker) marker = L.marker([a, b]).addTo(map);
        marker.setLatLng([a, b]);
      }
    }
    map.on("click", (e) => {
      lat.value = e.latlng.lat.toFixed(5);
      lon.value = e.latlng.lng.toFixed(5);
      show();
    });
    lat.addEventListener("change", show);
    lon.addEventListener("change", show);
    show();

    // A place found by name (static/js/placesearch.js): a town sets the point, which the
    // server places in its admin area, and shows that area; an admin area is the place
    // itself (the point left empty: the report takes the area's centre and precision).
    const search = document.getElementById("report-place-search");
    const area = document.getElementById("id_place");
    const description = document.getElementById("id_location_description");
    if (search) {
      search.addEventListener("placesearch:pick", (e) => {
        const found = e.detail;
        const isTown = found.kind === "locality";
        if (isTown) {
          lat.value = found.lat.toFixed(5);
          lon.value = found.lon.toFixed(5);
          show();
        } else {
          lat.value = "";
          lon.value = "";
          if (marker) { map.removeLayer(marker); marker = null; }
        }
        if (area && found.area_id && area.querySelector('option[value="' + found.area_id + '"]')) {
          area.value = String(found.area_id);
        }
        if (description && !description.value.trim()) description.value = found.name;
        if (found.lat != null) map.setView([found.lat, found.lon], isTown ? 11 : 9);
      });
    }
  }

  /* ---------- an incident's page: its own map, with its point and admin area ---------- */
  const detailCfg = config("incident-detail-map-config");
  if (detailCfg && document.getElementById("incident-detail-map")) {
    const { map } = BHMap.create("incident-detail-map", { interactiveAreas: false });
    const layers = [];
    if (detailCfg.area) {
      const outline = L.geoJSON(detailCfg.area.geometry, {
        style: { color: "#0b3d6b", weight: 2, fillColor: "#1d6fb8", fillOpacity: 0.15, className: "incident-area" },
        interactive: false,
      }).addTo(map);
      layers.push(outline);
    }
    const point = L.circleMarker([detailCfg.lat, detailCfg.lon], {
      radius: 8, color: "#33404d", weight: 1.5, fillColor: "#c0392b", fillOpacity: 0.9, className: "incident-marker",
    }).bindTooltip(escapeHtml(detailCfg.title)).addTo(map);
    layers.push(point);
    BHMap.fit(map, layers, { maxZoom: 10, animate: false });
  }

  /* ---------- report and edit forms: casualty rows by sex and age ---------- */
  const breakdownRows = document.getElementById("breakdown-rows");
  const breakdownTemplate = document.getElementById("breakdown-empty-row");
  const addRow = document.getElementById("add-breakdown-row");
  if (breakdownRows && breakdownTemplate && addRow) {
    const total = document.getElementById("id_casualty-TOTAL_FORMS");
    addRow.hidden = false;
    addRow.addEventListener("click", () => {
      const index = Number(total.value);
      breakdownRows.insertAdjacentHTML("beforeend", breakdownTemplate.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
    });
  }

  /* ---------- report form: keep reports on the device when the network fails ---------- */
  const queueCfg = config("report-queue-config");
  const reportForm = document.getElementById("report-form");
  if (queueCfg && reportForm) reportQueue(queueCfg, reportForm);

  function newUuid() {
    // crypto.randomUUID needs a secure context; a field server may be plain http.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* The form as the batch API takes a report: its fields, its one source as `sources`,
     its casualty rows by sex and age as `casualties` (the grid's totals stay fields). */
  function reportFromForm(form) {
    const report = { sources: [{}], casualties: [] };
    const rows = {};
    Array.from(form.elements).forEach((el) => {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      let m;
      if ((m = el.name.match(/^source-(.+)$/))) {
        if (el.value !== "") report.sources[0][m[1]] = el.value;
      } else if ((m = el.name.match(/^casualty-(\d+)-(.+)$/))) {
        (rows[m[1]] = rows[m[1]] || {})[m[2]] = el.value;
      } else if (el.name.startsWith("casualty-")) {
        // the formset's management fields
      } else if (el.multiple) {
        report[el.name] = Array.from(el.selectedOptions, (o) => o.value);
      } else if (el.value !== "") {
        report[el.name] = el.value;
      }
    });
    Object.values(rows).forEach((row) => {
      if (row.count !== undefined && row.count !== "" && !row.DELETE) {
        delete row.DELETE;
        report.casualties.push(row);
      }
    });
    return report;
  }

  function reportQueue(cfg, form) {
    const L10N = cfg.labels;
    const panel = document.getElementById("report-queue");
    const title = document.getElementById("report-queue-title");
    const note = document.getElementById("report-queue-note");
    const list = document.getElementById("report-queue-items");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const clientId = form.querySelector("input[name=client_id]");
    let delay = 2000, timer = null, sending = false;
    const sent = [];

    function load() {
      try { return JSON.parse(localStorage.getItem(cfg.storageKey)) || []; } catch (e) { return []; }
    }
    function save(queue) { localStorage.setItem(cfg.storageKey, JSON.stringify(queue)); }

    function render(message) {
      const queue = load();
      panel.hidden = !queue.length && !sent.length && !message;
      const waiting = queue.filter((q) => !q.errors).length;
      title.textContent = L10N.queued.replace("%(n)s", String(waiting));
      if (message !== undefined) note.textContent = message;
      list.textContent = "";
      queue.concat(sent).forEach((item) => {
        const li = document.createElement("li");
        li.className = "queued-report queued-" + (item.state || (item.errors ? "refused" : "waiting"));
        li.dataset.clientId = item.report.client_id;
        const what = document.createElement("strong");
        what.textContent = item.label;
        li.appendChild(what);
        li.appendChild(document.createTextNode(" · "));
        if (item.url) {
          const a = document.createElement("a");
          a.href = item.url;
          a.textContent = "#" + item.id + " " + (item.state === "duplicate" ? L10N.alreadyStored : L10N.sent);
          li.appendChild(a);
        } else {
          const state = document.createElement("span");
          state.className = "queue-state";
          state.textContent = item.errors ? L10N.refused : (sending ? L10N.sending : L10N.waiting);
          li.appendChild(state);
        }
        if (item.errors) {
          const errors = document.createElement("ul");
          errors.className = "field-error small";
          Object.entries(item.errors).forEach(([field, messages]) => {
            const e = document.createElement("li");
            e.textContent = field + ": " + (Array.isArray(messages) ? messages.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ") : String(messages));
            errors.appendChild(e);
          });
          li.appendChild(errors);
          const discard = document.createElement("button");
          discard.type = "button";
          discard.className = "small-link";
          discard.textContent = L10N.discard;
          discard.addEventListener("click", () => {
            save(load().filter((q) => q.report.client_id !== item.report.client_id));
            render();
          });
          li.appendChild(discard);
        }
        list.appendChild(li);
      });
    }

    function enqueue(report) {
      const queue = load();
      if (!queue.some((q) => q.report.client_id === report.client_id)) {
        const type = form.querySelector("#id_type");
        const label = (type && type.selectedIndex > 0 ? type.options[type.selectedIndex].text : "?") + " · " + (report.occurred_at || "").replace("T", " ");
        queue.push({ report, label, queuedAt: new Date().toISOString() });
        save(queue);
      }
      // The next report gets a new id; this one keeps its own until the server has it.
      form.reset();
      clientId.value = newUuid();
      render(L10N.keptOffline);
      schedule(0);
    }

    function schedule(ms) {
      clearTimeout(timer);
      timer = setTimeout(flush, ms);
    }

    function retryLater() {
      delay = Math.min(delay * 2, 60000);
      render(L10N.keptOffline + " " + L10N.retryIn.replace("%(s)s", String(Math.round(delay / 1000))));
      schedule(delay);
    }

    function flush() {
      const pending = load().filter((q) => !q.errors);
      if (!pending.length || sending) return;
      if (navigator.onLine === false) return;  // the "online" event brings us back
      sending = true;
      render();
      fetch(cfg.batchUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ mission: cfg.mission, reports: pending.map((q) => q.report) }),
      }).then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then((data) => {
        sending = false;
        delay = 2000;
        const outcome = new Map(data.results.map((r, i) => [pending[i].report.client_id, r]));
        const keep = [];
        load().forEach((q) => {
          const r = outcome.get(q.report.client_id);
          if (!r) keep.push(q);
          else if (r.status === "invalid") keep.push(Object.assign(q, { errors: r.errors }));
          else sent.push(Object.assign(q, { state: r.status, id: r.id, url: form.action.replace(/report\/?$/, "") + r.id + "/" }));
        });
        save(keep);
        render(keep.some((q) => !q.errors) ? undefined : L10N.allSent);
      }).catch(() => {
        sending = false;
        retryLater();
      });
    }

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const report = reportFromForm(form);
      if (navigator.onLine === false) {
        // Offline the server cannot check the report: the browser checks what it can first.
        if (!form.checkValidity()) { form.reportValidity(); return; }
        enqueue(report);
        return;
      }
      fetch(form.action || window.location.href, {
        method: "POST", credentials: "same-origin", body: new FormData(form), headers: { Accept: "application/json" },
      }).then((response) => {
        const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
        if (response.ok && json) return response.json().then((data) => window.location.assign(data.url));
        if (response.status >= 500) { enqueue(report); return; }
        form.submit();  // refused (field errors, an expired session): the server's page says why
      }).catch(() => enqueue(report));  // no answer: the server may or may not have it; the id decides
    });

    window.addEventListener("online", () => { delay = 2000; schedule(0); });
    render();
    schedule(0);
  }

  /* ---------- ceasefire: violations map, zone drawing, compliance chart ---------- */
  const ceasefireCfg = config("ceasefire-map-config");
  if (ceasefireCfg && document.getElementById("ceasefire-map")) {
    const { map } = baseMap("ceasefire-map", ceasefireCfg);
    getJson(ceasefireCfg.violationsUrl).then((data) => {
      data.features.forEach((f) => {
        const [lon, lat] = f.geometry.coordinates;
        const p = f.properties;
        incidentMarker({ status: p.status, inZone: p.in_zone, weight: p.killed + p.injured + p.abducted,
                         title: "#" + p.id + " " + p.type, when: p.occurred_at.slice(0, 10), url: p.url }, lat, lon).addTo(map);
      });
    });
    const drawButton = document.getElementById("draw-zone");
    const geometryInput = document.getElementById("id_geometry");
    if (drawButton && geometryInput) {
      let points = [], outline = null, drawing = false;
      const status = document.getElementById("draw-status");
      drawButton.addEventListener("click", () => {
        drawing = !drawing;
        if (drawing) {
          points = [];
          if (outline) map.removeLayer(outline);
          outline = L.polygon([], ZONE_STYLE).addTo(map);
          drawButton.textContent = drawButton.dataset.finish;
          status.textContent = drawButton.dataset.hint;
        } else {
          drawButton.textContent = drawButton.dataset.start;
          if (points.length >= 3) {
            const ring = points.map((p) => [Number(p.lng.toFixed(5)), Number(p.lat.toFixed(5))]);
            ring.push(ring[0]);
            geometryInput.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
            status.textContent = drawButton.dataset.done.replace("%(n)s", points.length);
          } else {
            status.textContent = drawButton.dataset.tooFew;
          }
        }
      });
      map.on("click", (e) => {
        if (!drawing) return;
        points.push(e.latlng);
        outline.setLatLngs(points);
      });
    }
  }

  const chartCfg = config("compliance-chart-config");
  const canvas = document.getElementById("compliance-chart");
  if (chartCfg && canvas && window.Chart && chartCfg.weeks.length) {
    const palette = ["#c0392b", "#1d6fb8", "#27ae60", "#8e44ad", "#e67e22", "#7f8c8d"];
    const datasets = [];
    Object.entries(chartCfg.parties).forEach(([party, counts], i) => {
      const colour = palette[i % palette.length];
      datasets.push({ label: party + " – " + chartCfg.verifiedLabel, data: counts.verified, backgroundColor: colour, stack: party });
      datasets.push({ label: party + " – " + chartCfg.allegedLabel, data: counts.alleged, backgroundColor: colour + "66", stack: party });
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: chartCfg.weeks, datasets },
      options: {
        maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: chartCfg.axis } } },
      },
    });
  }
})();
