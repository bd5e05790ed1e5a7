/* Performance pages: sparklines on the results dashboard, the indicator's own chart.
   Data come from json_script blocks; unknown values (null) are gaps, never zeros. */
(function () {
  "use strict";
  const BLUE = "#1d6fb8";

  function read(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  document.querySelectorAll("canvas.sparkline").forEach((canvas) => {
    const series = read(canvas.dataset.series) || [];
    new Chart(canvas, {
      type: "line",
      data: { labels: series.map((p) => p.period), datasets: [{ data: series.map((p) => p.value), borderColor: BLUE, borderWidth: 1.5, pointRadius: 0, spanGaps: false }] },
      options: { responsive: false, animation: false, plugins: { legend: { display: false }, tooltip: { enabled: false } }, scales: { x: { display: false }, y: { display: false } } },
    });
  });

  const detail = read("indicator-chart-data");
  const target = document.getElementById("indicator-chart");
  if (detail && target) {
    const flat = (value) => detail.periods.map(() => value);
    const datasets = [{ label: detail.label, data: detail.values, borderColor: BLUE, backgroundColor: BLUE, pointRadius: 2, spanGaps: false }];
    if (detail.baseline !== null) datasets.push({ label: detail.baselineLabel, data: flat(detail.baseline), borderColor: "#8a939c", borderDash: [4, 3], pointRadius: 0 });
    if (detail.target !== null) datasets.push({ label: detail.targetLabel, data: flat(detail.target), borderColor: "#2e7d32", borderDash: [6, 3], pointRadius: 0 });
    new Chart(target, {
      type: "line",
      data: { labels: detail.periods.map((p) => p.slice(0, 7)), datasets: datasets },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } }, scales: { y: { beginAtZero: true } } },
    });
  }
})();
