// The run page's calibration charts: for each level, the PIT histogram and the reliability
// diagrams of P(at least 1) and P(at least 25), model as fitted against recalibrated.
// Figures are stored with the run (metrics[level].distribution); words come from the page.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("calibration-config").textContent);
  const labels = config.labels;
  const COLOURS = { raw: "#8c2d04", recalibrated: "#0b3d6b", reference: "#999999" };
  const percent = (v) => Math.round(v * 100) + "%";

  function pitChart(canvas, figures) {
    const bins = figures.raw.pit.length;
    const datasets = [{ label: labels.raw, data: figures.raw.pit, backgroundColor: COLOURS.raw }];
    if (figures.recalibrated) {
      datasets.push({ label: labels.recalibrated, data: figures.recalibrated.pit, backgroundColor: COLOURS.recalibrated });
    }
    datasets.push({
      type: "line", label: labels.uniform, data: new Array(bins).fill(1 / bins),
      borderColor: COLOURS.reference, borderDash: [4, 4], pointRadius: 0, fill: false,
    });
    return new Chart(canvas, {
      type: "bar",
      data: { labels: figures.raw.pit.map((_, k) => (k / bins).toFixed(1) + "–" + ((k + 1) / bins).toFixed(1)), datasets },
      options: {
        animation: false, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: labels.pit }, ticks: { callback: percent } },
                  x: { title: { display: true, text: labels.pitAxis } } },
      },
    });
  }

  function reliabilityChart(canvas, figures, event) {
    const points = (key) => figures[key]["reliability_" + event].map((b) => ({ x: b.predicted, y: b.observed, rows: b.rows }));
    const datasets = [{ label: labels.raw, data: points("raw"), borderColor: COLOURS.raw, backgroundColor: COLOURS.raw, showLine: true }];
    if (figures.recalibrated) {
      datasets.push({ label: labels.recalibrated, data: points("recalibrated"), borderColor: COLOURS.recalibrated, backgroundColor: COLOURS.recalibrated, showLine: true });
    }
    datasets.push({ label: labels.diagonal, data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], borderColor: COLOURS.reference, borderDash: [4, 4], pointRadius: 0, showLine: true });
    return new Chart(canvas, {
      type: "scatter",
      data: { datasets },
      options: {
        animation: false, maintainAspectRatio: false,
        scales: { x: { min: 0, max: 1, title: { display: true, text: labels.forecast }, ticks: { callback: percent } },
                  y: { min: 0, max: 1, title: { display: true, text: labels.observed }, ticks: { callback: percent } } },
        plugins: { tooltip: { callbacks: { label: (item) => item.dataset.label + ": " + percent(item.raw.x) + " → " + percent(item.raw.y) + (item.raw.rows ? " (n=" + item.raw.rows + ")" : "") } } },
      },
    });
  }

  document.querySelectorAll(".pit-chart").forEach((canvas) => {
    const figures = config.levels[canvas.dataset.level];
    if (figures) { pitChart(canvas, figures); canvas.dataset.drawn = "true"; }
  });
  document.querySelectorAll(".reliability-chart").forEach((canvas) => {
    const figures = config.levels[canvas.dataset.level];
    if (figures) { reliabilityChart(canvas, figures, canvas.dataset.event); canvas.dataset.drawn = "true"; }
  });
})();
