/* Mission page: the deployment/event map and the timeline chart, driven together by one time
   control (timerange.js): the range's months filter the events and incidents drawn, its last
   month picks the deployment map, the chart shades the range, and a month clicked on the
   chart moves the range there. Configuration and all words come from the page (json_script),
   translated server-side. */
(function () {
  "use strict";

  const mapConfig = JSON.parse(document.getElementById("map-config").textContent);
  const chartConfig = JSON.parse(document.getElementById("chart-config").textContent);
  const labels = mapConfig.labels;
  const UN_BLUE = "#1d6fb8";
  const EVENT_RED = "#c0392b";

  const escapeHtml = BHMap.escapeHtml;
  const getJson = BHMap.getJson;

  function formatNumber(n) {
    return n == null ? "?" : Number(n).toLocaleString(document.documentElement.lang);
  }

  /* ---------- map ---------- */
  // The map opens on the mission's boundaries, or its sites where none are loaded.
  const { map, element: mapElement } = BHMap.create("mission-map");
  // UN sites in a pane above the events, so they stay visible and clickable among them.
  map.createPane("deployments").style.zIndex = 450;
  const eventLayer = L.layerGroup().addTo(map);
  const deploymentLayer = L.layerGroup().addTo(map);
  const overlays = { [labels.deployments]: deploymentLayer, [labels.events]: eventLayer };

  /* The one time control (timerange.js) drives every layer and the chart. Without months
     (no data at all) there is no control and the layers show everything. */
  const rangeElement = document.getElementById("mission-timerange");
  const range = rangeElement && mapConfig.months.length ? BHTimeRange.create(rangeElement, mapConfig.months) : null;
  if (range) range.set(mapConfig.from, mapConfig.to);
  const rangeQuery = () => {
    if (!range) return "";
    const state = range.get();
    return new URLSearchParams({ from: state.fromMonth, to: state.toMonth }).toString();
  };
  const withRange = (url, query) => {
    const parts = [query, rangeQuery()].filter(Boolean).join("&");
    return url + (parts ? (url.includes("?") ? "&" : "?") + parts : "");
  };

  // The mission's own incident reports in the range, as points and as heat: off until chosen.
  let showIncidents = () => Promise.resolve();
  if (mapElement.dataset.incidentsUrl) {
    const incidentLayer = L.layerGroup();
    const heatLayer = L.heatLayer ? L.heatLayer([], { radius: 22, blur: 18, maxZoom: 10 }) : null;
    overlays[mapElement.dataset.incidentsLabel] = incidentLayer;
    if (heatLayer) overlays[mapElement.dataset.heatLabel] = heatLayer;
    let shownUrl = null;
    showIncidents = () => {
      if (!map.hasLayer(incidentLayer) && !(heatLayer && map.hasLayer(heatLayer))) return Promise.resolve();
      const url = withRange(mapElement.dataset.incidentsUrl);
      if (url === shownUrl) return Promise.resolve();
      return getJson(url).then((data) => {
        if (url !== withRange(mapElement.dataset.incidentsUrl)) return; // the range moved on
        shownUrl = url;
        incidentLayer.clearLayers();
        data.features.forEach((f) => {
          const [lon, lat] = f.geometry.coordinates;
          const p = f.properties;
          L.circleMarker([lat, lon], { radius: 6, className: "incident-marker", color: "#33404d", weight: 1, fillColor: "#e67e22", fillOpacity: 0.85 })
            .bindPopup('<a href="' + escapeHtml(p.url) + '"><strong>#' + escapeHtml(p.id) + " " + escapeHtml(p.type) + "</strong></a><br>" +
              escapeHtml(p.status_label) + " · " + escapeHtml(p.occurred_at.slice(0, 10)))
            .addTo(incidentLayer);
        });
        if (heatLayer) heatLayer.setLatLngs(data.heat);
        mapElement.dataset.incidentsShown = String(data.features.length);
      });
    };
    map.on("overlayadd", (e) => { if (e.layer === incidentLayer || e.layer === heatLayer) showIncidents(); });
  }
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);

  function eventRadius(deaths) {
    return 2.5 + 1.6 * Math.log10(1 + (deaths || 0)) * 2;
  }

  function showEventPoints(query) {
    const url = withRange(mapConfig.eventPointsUrl, query);
    return getJson(url).then((data) => {
      if (url !== withRange(mapConfig.eventPointsUrl, filterQuery())) return; // moved on meanwhile
      eventLayer.clearLayers();
      data.features.forEach((f) => {
        const [lon, lat] = f.geometry.coordinates;
        const p = f.properties;
        L.circleMarker([lat, lon], {
          radius: eventRadius(p.deaths),
          className: "event-marker",
          color: EVENT_RED,
          weight: 0.8,
          fillColor: EVENT_RED,
          fillOpacity: 0.35,
        })
          .bindPopup(
            "<strong>" + escapeHtml(p.place) + "</strong><br>" +
            formatNumber(p.events) + " " + escapeHtml(labels.eventsAt) + "<br>" +
            formatNumber(p.deaths) + " " + escapeHtml(labels.deaths) + " (" + formatNumber(p.civilian_deaths) + " " + escapeHtml(labels.civilianDeaths) + ")<br>" +
            escapeHtml(labels.lastEvent) + ": " + escapeHtml(p.last)
          )
          .addTo(eventLayer);
      });
      mapElement.dataset.eventsShown = String(data.features.length);
      const note = document.getElementById("event-points-note");
      note.textContent = data.truncated
        ? labels.shownLocations.replace("%(shown)s", formatNumber(data.features.length)).replace("%(total)s", formatNumber(data.locations))
        : "";
    });
  }

  function deploymentRadius(troops) {
    return 3 + Math.sqrt(troops) / 2.5;
  }

  function deploymentPopup(p) {
    const lines = ["<strong>" + escapeHtml(p.site) + "</strong>"];
    if (p.troops == null) lines.push(escapeHtml(labels.unknownTroops));
    else if (p.troops === 0) lines.push(escapeHtml(labels.noTroops));
    else lines.push(formatNumber(p.troops) + " " + escapeHtml(labels.troops));
    if (p.headquarters) lines.push(escapeHtml(labels.headquarters));
    if (p.police) lines.push(escapeHtml(labels.police));
    if (p.observers) lines.push(escapeHtml(labels.observers));
    if (p.contributors.length) {
      lines.push(p.contributors.map((c) => escapeHtml(c.country) + (c.troops == null ? "" : " " + formatNumber(c.troops))).join(", "));
    }
    return lines.join("<br>");
  }

  const monthCache = new Map();
  const summary = document.getElementById("deployment-summary");
  const strengthSummary = document.getElementById("strength-summary");

  /* Geo-PKO maps are irregular: the range's last month shows the latest map on or before it. */
  function mapMonthFor(month) {
    let found = null;
    mapConfig.deploymentMonths.forEach((value) => { if (value <= month) found = value; });
    return found;
  }

  function showDeployments() {
    if (!range) return Promise.resolve();
    const state = range.get();
    const month = mapMonthFor(state.toMonth);
    if (!month) {
      deploymentLayer.clearLayers();
      delete mapElement.dataset.deploymentMonth;
      if (summary) summary.textContent = labels.noMap.replace("%(month)s", mapConfig.months[state.to].label);
      if (strengthSummary) strengthSummary.textContent = "";
      return Promise.resolve();
    }
    if (!monthCache.has(month)) monthCache.set(month, getJson(mapConfig.deploymentsUrl.replace("0000-00", month)));
    return monthCache.get(month).then((data) => {
      if (mapMonthFor(range.get().toMonth) !== month) return; // the range moved on while this loaded
      deploymentLayer.clearLayers();
      // Largest first so small sites stay clickable on top.
      const features = data.features.slice().sort((a, b) => (b.properties.troops || 0) - (a.properties.troops || 0));
      features.forEach((f) => {
        const [lon, lat] = f.geometry.coordinates;
        const p = f.properties;
        const unknown = p.troops == null;
        const marker = L.circleMarker([lat, lon], unknown
          ? { pane: "deployments", radius: 6, className: "deployment-marker deployment-unknown", color: UN_BLUE, weight: 2, dashArray: "3 2", fill: true, fillOpacity: 0 }
          : { pane: "deployments", radius: deploymentRadius(p.troops), className: "deployment-marker", color: "#0b3d6b", weight: 1, fillColor: UN_BLUE, fillOpacity: 0.55 });
        marker.bindPopup(deploymentPopup(p));
        if (unknown) marker.bindTooltip(escapeHtml(labels.unknownTroops));
        marker.addTo(deploymentLayer);
      });
      mapElement.dataset.deploymentMonth = month;
      summary.textContent = data.summary;
      strengthSummary.textContent = data.strength_summary;
    });
  }

  // The map's events follow the table's filters and the time control.
  const filterForm = document.getElementById("events-filter");
  const filterQuery = () => new URLSearchParams(new FormData(filterForm)).toString();
  filterForm.addEventListener("htmx:afterRequest", () => showEventPoints(filterQuery()));

  /* Every layer for the range; data-shown-range says which range the map has finished
     drawing (the browser tests wait for it). A burst of changes (a drag, play) loads once. */
  let pending = null;
  function showRange() {
    const key = rangeQuery();
    return Promise.all([showDeployments(), showEventPoints(filterQuery()), showIncidents()]).then(() => {
      if (key === rangeQuery()) mapElement.dataset.shownRange = key;
    });
  }
  if (range) {
    range.onChange(() => {
      clearTimeout(pending);
      pending = setTimeout(showRange, 150);
    });
  }
  showRange();

  /* ---------- timeline chart ---------- */
  const canvas = document.getElementById("timeline-chart");
  if (canvas && chartConfig.months.length) {
    const styles = {
      troops: { borderColor: UN_BLUE, backgroundColor: "rgba(29,111,184,0.18)", fill: "origin", yAxisID: "personnel" },
      police: { borderColor: "#2a9d8f", yAxisID: "personnel" },
      observers: { borderColor: "#7fb3d5", yAxisID: "personnel" },
      civilians_killed: { borderColor: EVENT_RED, backgroundColor: EVENT_RED, yAxisID: "deaths", borderWidth: 2 },
      battle_deaths: { borderColor: "#e67e22", backgroundColor: "#e67e22", yAxisID: "deaths" },
      ged_civilian_deaths: { borderColor: "#7d1d12", borderDash: [4, 3], yAxisID: "deaths" },
      ged_state_based_deaths: { borderColor: "#8e44ad", borderDash: [4, 3], yAxisID: "deaths" },
    };
    /* The chosen range shaded on the chart, its last month (the deployment map's) marked. */
    const rangeHighlight = {
      id: "rangeHighlight",
      beforeDatasetsDraw(chart) {
        if (!range) return;
        const state = range.get();
        const x = chart.scales.x;
        const half = chart.data.labels.length > 1 ? (x.getPixelForValue(1) - x.getPixelForValue(0)) / 2 : 4;
        const left = x.getPixelForValue(state.from) - half;
        const right = x.getPixelForValue(state.to) + half;
        const { top, bottom } = chart.chartArea;
        const ctx = chart.ctx;
        ctx.save();
        ctx.fillStyle = "rgba(29, 111, 184, 0.12)";
        ctx.fillRect(left, top, right - left, bottom - top);
        ctx.strokeStyle = "#0b3d6b";
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(x.getPixelForValue(state.to), top);
        ctx.lineTo(x.getPixelForValue(state.to), bottom);
        ctx.stroke();
        ctx.restore();
        chart.canvas.dataset.highlight = state.fromMonth + "/" + state.toMonth;
      },
    };
    const chart = new Chart(canvas, {
      type: "line",
      plugins: [rangeHighlight],
      data: {
        labels: chartConfig.months,
        datasets: chartConfig.series.map((s) =>
          Object.assign({ label: s.label, data: s.data, pointRadius: 0, borderWidth: 1.5, spanGaps: false, tension: 0.15 }, styles[s.key])
        ),
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom" } },
        // A month chosen on the chart moves the range (and so the map) to end there.
        onClick: (event, elements, chart) => {
          if (!range) return;
          const index = chart.scales.x.getValueForPixel(event.x);
          if (index != null && index >= 0) range.moveTo(index);
        },
        onHover: (event, elements, chart) => { chart.canvas.style.cursor = range ? "pointer" : "default"; },
        scales: {
          x: { ticks: { maxTicksLimit: 16, maxRotation: 0 } },
          personnel: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: chartConfig.personnelAxis } },
          deaths: { type: "linear", position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: chartConfig.deathsAxis } },
        },
      },
    });
    if (range) range.onChange(() => chart.draw());
  }
})();
