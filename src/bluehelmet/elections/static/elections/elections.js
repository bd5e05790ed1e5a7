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

  const escapeHtml = BHMap.escapeHtml;

  // Every map opens on the mission, its admin areas drawn under the stations.
  function newMap(id) {
    return BHMap.create(id).map;
  }

  function fit(map, layer) {
    BHMap.fit(map, layer, { maxZoom: 10 });
  }

  function level(score) {
    return score >= 0.5 ? "high" : score >= 0.25 ? "medium" : "low";
  }

  const riskData = data("risk-map-data");
  if (riskData && document.getElementById("risk-map")) {
    const map = newMap("risk-map");
    const stations = BHMap.points(riskData.features, {
      style: (f) => ({ radius: 4 + Math.sqrt(f.properties.registered) / 12, className: "station-marker risk-" + f.properties.level, color: "#33404d", weight: 1, fillColor: COLOURS[f.properties.level], fillOpacity: 0.8 }),
      popup: ({ properties: p }) => "<strong>" + escapeHtml(p.code) + "</strong> " + escapeHtml(p.centre) + "<br>" + escapeHtml(words[p.level]) + " (" + escapeHtml(words.score) + " " + p.score.toFixed(2) + ")<br>" +
          p.incidents + " " + escapeHtml(words.incidents) + " · " + p.events + " " + escapeHtml(words.events) + "<br>" + escapeHtml(words.access) + ": " + escapeHtml(p.access) +
          "<br>" + p.registered + " " + escapeHtml(words.registered),
    }).addTo(map);
    fit(map, stations);
  }

  const planData = data("plan-map-data");
  if (planData && document.getElementById("plan-map")) {
    const map = newMap("plan-map");
    const stations = BHMap.points(planData.stations, {
      style: (s) => ({ radius: 5, className: s.unit ? "station-covered" : "station-uncovered", color: s.unit ? "#1d6fb8" : COLOURS.high, weight: s.unit ? 1 : 2, fillColor: COLOURS[level(s.score)], fillOpacity: 0.8 }),
      popup: (s) => "<strong>" + escapeHtml(s.code) + "</strong> " + escapeHtml(s.centre) + "<br>" + (s.unit ? escapeHtml(words.unit) + " " + escapeHtml(s.unit) : escapeHtml(words.uncovered)),
    }).addTo(map);
    BHMap.points(planData.units, {
      marker: (u, latlng) => L.marker(latlng, { title: u.name }),
      popup: (u) => "<strong>" + escapeHtml(u.name) + "</strong><br>" + escapeHtml(u.base) + " · " + u.stations + " " + escapeHtml(words.stations),
    }).addTo(map);
    fit(map, stations);
  }

  const results = data("results-data");
  if (results) {
    if (document.getElementById("results-map")) {
      const map = newMap("results-map");
      const flagged = (s) => s.flags.length > 0;
      const stations = BHMap.points(results.stations, {
        style: (s) => (flagged(s)
          ? { radius: 7, className: "result-flagged", color: COLOURS.high, weight: 2, fillColor: COLOURS.high, fillOpacity: 0.8 }
          : { radius: 4, className: "result-clean", color: "#7b8a99", weight: 1, fillColor: "#c9d3dc", fillOpacity: 0.8 }),
        popup: (s) => "<strong>" + escapeHtml(s.code) + "</strong> " + escapeHtml(s.centre) + "<br>" + escapeHtml(words.turnout) + ": " + (s.turnout == null ? "?" : (100 * s.turnout).toFixed(1) + " %") +
            (flagged(s) ? "<br>" + escapeHtml(words.flags) + ": " + s.flags.map(escapeHtml).join(", ") : ""),
      }).addTo(map);
      fit(map, stations);
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
