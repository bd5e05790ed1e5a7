/* Mission page: the deployment/event map with its month slider, and the timeline chart.
   Configuration and all words come from the page (json_script), translated server-side. */
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
  // The mission's own incident reports, as points and as heat: off until chosen.
  if (mapElement.dataset.incidentsUrl) {
    const incidentLayer = L.layerGroup();
    const heatLayer = L.heatLayer ? L.heatLayer([], { radius: 22, blur: 18, maxZoom: 10 }) : null;
    overlays[mapElement.dataset.incidentsLabel] = incidentLayer;
    if (heatLayer) overlays[mapElement.dataset.heatLabel] = heatLayer;
    let loaded = null;
    const loadIncidents = () => {
      loaded = loaded || getJson(mapElement.dataset.incidentsUrl).then((data) => {
        data.features.forEach((f) => {
          const [lon, lat] = f.geometry.coordinates;
          const p = f.properties;
          L.circleMarker([lat, lon], { radius: 6, className: "incident-marker", color: "#33404d", weight: 1, fillColor: "#e67e22", fillOpacity: 0.85 })
            .bindPopup('<a href="' + escapeHtml(p.url) + '"><strong>#' + escapeHtml(p.id) + " " + escapeHtml(p.type) + "</strong></a><br>" +
              escapeHtml(p.status_label) + " · " + escapeHtml(p.occurred_at.slice(0, 10)))
            .addTo(incidentLayer);
        });
        if (heatLayer) heatLayer.setLatLngs(data.heat);
      });
      return loaded;
    };
    map.on("overlayadd", (e) => { if (e.layer === incidentLayer || e.layer === heatLayer) loadIncidents(); });
  }
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);

  function eventRadius(deaths) {
    return 2.5 + 1.6 * Math.log10(1 + (deaths || 0)) * 2;
  }

  function showEventPoints(query) {
    const url = mapConfig.eventPointsUrl + (query ? "?" + query : "");
    return getJson(url).then((data) => {
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
    lines.push(p.troops == null ? escapeHtml(labels.unknownTroops) : formatNumber(p.troops) + " " + escapeHtml(labels.troops));
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
  const slider = document.getElementById("month-slider");

  function showMonth(index) {
    const month = mapConfig.months[index];
    if (!month) return Promise.resolve();
    if (!monthCache.has(month.value)) {
      monthCache.set(month.value, getJson(mapConfig.deploymentsUrl.replace("0000-00", month.value)));
    }
    return monthCache.get(month.value).then((data) => {
      if (Number(slider.value) !== index) return; // the slider moved on while this loaded
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
      summary.textContent = data.summary;
    });
  }

  if (slider) {
    slider.value = mapConfig.initialMonth;
    slider.addEventListener("input", () => showMonth(Number(slider.value)));
    showMonth(Number(slider.value));

    const play = document.getElementById("month-play");
    let timer = null;
    function setPlaying(playing) {
      play.textContent = playing ? "❚❚" : "▶";
      play.setAttribute("aria-label", playing ? labels.pause : labels.play);
      play.title = play.getAttribute("aria-label");
    }
    setPlaying(false);
    play.addEventListener("click", () => {
      if (timer) {
        clearInterval(timer);
        timer = null;
        setPlaying(false);
        return;
      }
      if (Number(slider.value) >= mapConfig.months.length - 1) slider.value = 0;
      setPlaying(true);
      showMonth(Number(slider.value));
      timer = setInterval(() => {
        if (Number(slider.value) >= mapConfig.months.length - 1) {
          clearInterval(timer);
          timer = null;
          setPlaying(false);
          return;
        }
        slider.value = Number(slider.value) + 1;
        showMonth(Number(slider.value));
      }, 900);
    });
  }

  // The map's events follow the table's filters.
  const filterForm = document.getElementById("events-filter");
  const filterQuery = () => new URLSearchParams(new FormData(filterForm)).toString();
  showEventPoints(filterQuery());
  filterForm.addEventListener("htmx:afterRequest", () => showEventPoints(filterQuery()));

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
    new Chart(canvas, {
      type: "line",
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
        scales: {
          x: { ticks: { maxTicksLimit: 16, maxRotation: 0 } },
          personnel: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: chartConfig.personnelAxis } },
          deaths: { type: "linear", position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: chartConfig.deathsAxis } },
        },
      },
    });
  }
})();
