/* Incident pages: the live map beside the polled feed, the place picker of the report form,
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

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((r) => {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.json();
    });
  }

  function baseMap(elementId, cfg) {
    const map = L.map(elementId, { zoomSnap: 0.25 }).setView([8.5, -11.8], 7);
    if (cfg.tileUrl) L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 18 }).addTo(map);
    const areas = L.geoJSON(null, {
      style: (f) => (f.properties.kind === "country"
        ? { color: "#33404d", weight: 2, fill: false }
        : { color: "#7b8a99", weight: 1, fillColor: "#eef2f5", fillOpacity: 1 }),
      onEachFeature: (f, layer) => layer.bindTooltip(escapeHtml(f.properties.name), { sticky: true }),
      interactive: false,
    }).addTo(map);
    const zones = L.geoJSON(null, {
      style: ZONE_STYLE,
      onEachFeature: (f, layer) => layer.bindTooltip(escapeHtml(f.properties.name + " (" + f.properties.kind + ")")),
    }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    const ready = getJson(cfg.areasUrl).then((data) => {
      data.features.sort((a, b) => (a.properties.kind === "country") - (b.properties.kind === "country"));
      areas.addData(data);
      if (areas.getLayers().length) map.fitBounds(areas.getBounds(), { padding: [10, 10] });
      areas.bringToBack();
    });
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

    getJson(liveCfg.incidentsUrl).then((data) => {
      data.features.forEach((f) => {
        const [lon, lat] = f.geometry.coordinates;
        const p = f.properties;
        place(p.id, { status: p.status, inZone: p.in_zone, weight: p.killed + p.injured + p.abducted,
                      title: "#" + p.id + " " + p.type, when: p.occurred_at.slice(0, 16).replace("T", " "),
                      url: p.url }, lat, lon);
      });
      if (heat) heat.setLatLngs(data.heat);
    });

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
        const row = fromRow(node);
        place(row.id, row.p, row.lat, row.lon);
        if (heat) heat.addLatLng([row.lat, row.lon, 1 + Math.log1p(row.p.weight)]);
      }));
    }).observe(feed, { childList: true });
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
