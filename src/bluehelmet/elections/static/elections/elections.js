/* Election pages: the station risk map, the security plan map, the results map, the
   last-digit chart and the fingerprint grid. Data and words come from the page. */
(function () {
  "use strict";

  const COLOURS = { high: "#c0392b", medium: "#e67e22", low: "#2e8b57", unknown: "#8a96a3" };
  const words = (document.getElementById("map-words") || { dataset: {} }).dataset;

  function data(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function newMap(id) {
    const element = document.getElementById(id);
    const map = L.map(id, { zoomSnap: 0.25 }).setView([8.5, -11.8], 7);
    L.control.scale({ imperial: false }).addTo(map);
    if (element.dataset.areasUrl) {
      fetch(element.dataset.areasUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((areas) => {
          if (!areas) return;
          const layer = L.geoJSON(areas, {
            style: (f) => (f.properties.kind === "country" ? { color: "#33404d", weight: 2, fill: false } : { color: "#7b8a99", weight: 1, fillColor: "#eef2f5", fillOpacity: 1 }),
            onEachFeature: (f, l) => l.bindTooltip(escapeHtml(f.properties.name), { sticky: true }),
          }).addTo(map);
          layer.bringToBack();
        });
    }
    return map;
  }

  function fit(map, latlngs) {
    if (latlngs.length) map.fitBounds(L.latLngBounds(latlngs), { padding: [20, 20], maxZoom: 10 });
  }

  function level(score) {
    return score >= 0.5 ? "high" : score >= 0.25 ? "medium" : "low";
  }

  const riskData = data("risk-map-data");
  if (riskData && document.getElementById("risk-map")) {
    const map = newMap("risk-map");
    const latlngs = [];
    riskData.features.forEach((f) => {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      latlngs.push([lat, lon]);
      L.circleMarker([lat, lon], { radius: 4 + Math.sqrt(p.registered) / 12, className: "station-marker risk-" + p.level, color: "#33404d", weight: 1, fillColor: COLOURS[p.level], fillOpacity: 0.8 })
        .bindPopup("<strong>" + escapeHtml(p.code) + "</strong> " + escapeHtml(p.centre) + "<br>" + escapeHtml(words[p.level]) + " (" + escapeHtml(words.score) + " " + p.score.toFixed(2) + ")<br>" +
          p.incidents + " " + escapeHtml(words.incidents) + " · " + p.events + " " + escapeHtml(words.events) + "<br>" + escapeHtml(words.access) + ": " + escapeHtml(p.access) +
          "<br>" + p.registered + " " + escapeHtml(words.registered))
        .addTo(map);
    });
    fit(map, latlngs);
  }

  const planData = data("plan-map-data");
  if (planData && document.getElementById("plan-map")) {
    const map = newMap("plan-map");
    const latlngs = [];
    planData.stations.forEach((s) => {
      latlngs.push([s.lat, s.lon]);
      L.circleMarker([s.lat, s.lon], { radius: 5, className: s.unit ? "station-covered" : "station-uncovered", color: s.unit ? "#1d6fb8" : COLOURS.high, weight: s.unit ? 1 : 2, fillColor: COLOURS[level(s.score)], fillOpacity: 0.8 })
        .bindPopup("<strong>" + escapeHtml(s.code) + "</strong> " + escapeHtml(s.centre) + "<br>" + (s.unit ? escapeHtml(words.unit) + " " + escapeHtml(s.unit) : escapeHtml(words.uncovered)))
        .addTo(map);
    });
    planData.units.forEach((u) => {
      L.marker([u.lat, u.lon], { title: u.name }).bindPopup("<strong>" + escapeHtml(u.name) + "</strong><br>" + escapeHtml(u.base) + " · " + u.stations + " " + escapeHtml(words.stations)).addTo(map);
    });
    fit(map, latlngs);
  }

  const results = data("results-data");
  if (results) {
    if (document.getElementById("results-map")) {
      const map = newMap("results-map");
      const latlngs = [];
      results.stations.forEach((s) => {
        latlngs.push([s.lat, s.lon]);
        const flagged = s.flags.length > 0;
        L.circleMarker([s.lat, s.lon], { radius: flagged ? 7 : 4, className: flagged ? "result-flagged" : "result-clean", color: flagged ? COLOURS.high : "#7b8a99", weight: flagged ? 2 : 1, fillColor: flagged ? COLOURS.high : "#c9d3dc", fillOpacity: 0.8 })
          .bindPopup("<strong>" + escapeHtml(s.code) + "</strong> " + escapeHtml(s.centre) + "<br>" + escapeHtml(words.turnout) + ": " + (s.turnout == null ? "?" : (100 * s.turnout).toFixed(1) + " %") +
            (flagged ? "<br>" + escapeHtml(words.flags) + ": " + s.flags.map(escapeHtml).join(", ") : ""))
          .addTo(map);
      });
      fit(map, latlngs);
    }
    const digits = results.tests.find((t) => t.test === "last_digit");
    const canvas = document.getElementById("digits-chart");
    if (digits && canvas && window.Chart) {
      new Chart(canvas, {
        data: {
          labels: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
          datasets: [
            { type: "bar", label: canvas.dataset.observedLabel, data: digits.detail.observed, backgroundColor: "rgba(29, 111, 184, .6)" },
            { type: "line", label: canvas.dataset.expectedLabel, data: digits.detail.expected, borderColor: "#c0392b", pointRadius: 0, borderDash: [5, 4] },
          ],
        },
        options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
      });
    }
    const print = results.tests.find((t) => t.test === "fingerprint");
    const grid = document.getElementById("fingerprint");
    if (print && grid) {
      const h = print.detail.histogram; // h[x][y]: x turnout bin, y winner-share bin
      const max = Math.max(1, ...h.flat());
      const table = document.createElement("table");
      table.className = "fingerprint-grid";
      for (let y = h[0].length - 1; y >= 0; y--) {
        const row = table.insertRow();
        for (let x = 0; x < h.length; x++) {
          const cell = row.insertCell();
          cell.style.background = "rgba(11, 61, 107," + (h[x][y] / max).toFixed(3) + ")";
          cell.title = h[x][y] + " · " + Math.round(print.detail.x_edges[x] * 100) + "-" + Math.round(print.detail.x_edges[x + 1] * 100) + " % / " +
            Math.round(print.detail.y_edges[y] * 100) + "-" + Math.round(print.detail.y_edges[y + 1] * 100) + " %";
        }
      }
      grid.appendChild(table);
    }
  }
})();
