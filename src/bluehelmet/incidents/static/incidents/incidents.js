/* Incident pages: the live map beside the polled feed, the place picker of the report form
   and its casualty rows (its queue of reports kept on the device: static/js/offline/report.js),
   the zone drawing and compliance chart of a ceasefire. Words and URLs come from the page
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
