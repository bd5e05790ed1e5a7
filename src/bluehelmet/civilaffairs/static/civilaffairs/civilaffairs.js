/* Civil affairs pages: the engagement coverage map, the agreement implementation chart and
   the perception chart. Data and words come from the page (json_script). */
(function () {
  "use strict";

  const ENGAGED = "#2e8b57";
  const MISSED = "#c0392b";
  const LEVEL_COLOURS = ["#c0392b", "#e67e22", "#f1c40f", "#2e8b57"];

  function data(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  const escapeHtml = (text) => BHMap.escapeHtml(text);

  function coverageMap() {
    const el = document.getElementById("coverage-map");
    const d = data("coverage-data");
    if (!el || !d || typeof BHMap === "undefined") return;
    const { map } = BHMap.create(el);
    const label = (p) => "<strong>" + escapeHtml(p.name) + "</strong><br>" +
      escapeHtml(p.engaged ? d.labels.engaged : d.labels.missed) + "<br>" + escapeHtml(d.labels.risk) + ": " +
      escapeHtml(typeof p.risk === "number" && p.risk <= 1 ? Math.round(p.risk * 100) + " %" : p.risk);
    const districts = L.geoJSON({ type: "FeatureCollection", features: d.features }, {
      style: (f) => ({ color: f.properties.engaged ? ENGAGED : MISSED, weight: 2, fillOpacity: 0.35 }),
      onEachFeature: (f, l) => l.bindPopup(label(f.properties)),
    }).addTo(map);
    const places = BHMap.points(d.points, {
      style: (p) => ({ radius: 8, color: p.engaged ? ENGAGED : MISSED }),
      popup: (p) => label(p),
    }).addTo(map);
    BHMap.fit(map, [districts, places], { maxZoom: 9 });
  }

  function implementationChart() {
    const canvas = document.getElementById("implementation-chart");
    const d = data("implementation-data");
    if (!canvas || !d || typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: "line",
      data: {
        labels: d.months,
        datasets: d.series.map((s) => ({
          label: s.label, data: s.shares, fill: true, stepped: true, pointRadius: 0,
          borderColor: LEVEL_COLOURS[s.level], backgroundColor: LEVEL_COLOURS[s.level] + "99",
        })),
      },
      options: {
        animation: false, maintainAspectRatio: false,
        scales: { y: { stacked: true, min: 0, max: 100, ticks: { callback: (v) => v + " %" } } },
        plugins: { tooltip: { mode: "index", intersect: false } },
      },
    });
  }

  function perceptionChart() {
    const canvas = document.getElementById("perception-chart");
    const d = data("perception-data");
    if (!canvas || !d || typeof Chart === "undefined") return;
    const interval = (low, high) => low.map((l, i) => (l == null ? null : [l, high[i]]));
    new Chart(canvas, {
      data: {
        labels: d.labels,
        datasets: [
          { type: "bar", label: d.words.trust + " (95 %)", data: interval(d.trust_low, d.trust_high), backgroundColor: "#1d6fb855" },
          { type: "line", label: d.words.trust, data: d.trust, borderColor: "#1d6fb8", showLine: false, pointRadius: 5 },
          { type: "bar", label: d.words.security + " (95 %)", data: interval(d.security_low, d.security_high), backgroundColor: "#2e8b5755" },
          { type: "line", label: d.words.security, data: d.security, borderColor: "#2e8b57", showLine: false, pointRadius: 5, pointStyle: "rect" },
        ],
      },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    coverageMap();
    implementationChart();
    perceptionChart();
  });
})();
