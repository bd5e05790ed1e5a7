// The risk page: a map of forecast probabilities (cells and admin areas) and, for the
// chosen place, its history against the forecast bands. Words come from the page config.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("risk-config").textContent);
  const labels = config.labels;
  const horizon = Number(new URLSearchParams(window.location.search).get("h") || 1);

  // Probability -> colour, pale yellow to dark red.
  const RAMP = ["#fff7bc", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04"];
  function colour(p) {
    return RAMP[Math.min(RAMP.length - 1, Math.floor(p * RAMP.length))];
  }
  function percent(p) { return Math.round(p * 100) + "%"; }
  const escapeHtml = BHMap.escapeHtml;
  function popup(props) {
    return "<strong>" + escapeHtml(props.name) + "</strong><br>" +
      labels.p1 + ": " + percent(props.p1) + "<br>" +
      labels.p25 + ": " + percent(props.p25) + "<br>" +
      labels.point + ": " + props.point + " (" + labels.range + " " + props.q05 + "–" + props.q95 + ")";
  }

  const { map, element } = BHMap.create("risk-map", { areas: false });
  BHMap.getJson(config.mapUrl)
    .then((data) => {
      const onEach = (feature, layer) => {
        layer.bindPopup(popup(feature.properties));
        layer.on("click", () => loadUnit(feature.properties.unit));
      };
      const cells = L.geoJSON(data.cells, {
        style: (f) => ({ className: "risk-cell", color: "#7a5a2e", weight: 0.4, fillColor: colour(f.properties.p1), fillOpacity: 0.75 }),
        onEachFeature: onEach,
      });
      const areas = L.geoJSON(data.areas, {
        // GeoJSON applies `style` to points too, before they are drawn: the class is set here.
        style: (f) => f.geometry.type === "Point"
          ? { className: "risk-area-point", color: "#0b3d6b", weight: 1.5, fillColor: colour(f.properties.p1), fillOpacity: 0.8 }
          : { className: "risk-area", color: "#0b3d6b", weight: 1.5, fillColor: colour(f.properties.p1), fillOpacity: 0.55 },
        pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 8 + 14 * f.properties.p1 }),
        onEachFeature: onEach,
      });
      cells.addTo(map);
      areas.addTo(map);
      const overlays = {};
      overlays[labels.cells] = cells;
      overlays[labels.areas] = areas;
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
      BHMap.fit(map, [cells, areas], { padding: [10, 10] });
      element.dataset.loaded = String(data.cells.features.length + data.areas.features.length);
    });

  let chart = null;
  function loadUnit(unitId) {
    BHMap.getJson(config.unitUrl.replace(/0\.json$/, unitId + ".json")).then(drawUnit);
  }

  function drawUnit(data) {
    document.getElementById("unit-chart-title").textContent = data.name;
    const months = data.history.months.concat(data.forecast.months);
    const pad = (values, before) => new Array(before).fill(null).concat(values);
    const nHistory = data.history.months.length;
    const lastObserved = data.history.values[nHistory - 1];
    // The forecast lines start at the last observed month so the two parts join.
    const join = (values) => pad([lastObserved].concat(values), nHistory - 1);
    const datasets = [
      { label: labels.history, data: data.history.values, borderColor: "#1f2933", backgroundColor: "#1f2933", pointRadius: 2, tension: 0 },
      { label: labels.band90, data: join(data.forecast.q05), borderWidth: 0, pointRadius: 0, fill: false },
      { label: labels.band90, data: join(data.forecast.q95), borderWidth: 0, pointRadius: 0, backgroundColor: "rgba(236,112,20,.18)", fill: "-1" },
      { label: labels.band50, data: join(data.forecast.q25), borderWidth: 0, pointRadius: 0, fill: false },
      { label: labels.band50, data: join(data.forecast.q75), borderWidth: 0, pointRadius: 0, backgroundColor: "rgba(236,112,20,.38)", fill: "-1" },
      { label: labels.forecast, data: join(data.forecast.point), borderColor: "#cc4c02", backgroundColor: "#cc4c02", borderDash: [5, 3], pointRadius: 2 },
    ];
    const canvas = document.getElementById("unit-chart");
    if (chart) { chart.destroy(); }
    chart = new Chart(canvas, {
      type: "line",
      data: { labels: months, datasets: datasets },
      options: {
        animation: false, maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, title: { display: true, text: labels.fatalities } } },
        plugins: { legend: { labels: { filter: (item, chartData) => chartData.datasets.findIndex((d) => d.label === item.text) === item.datasetIndex } } },
      },
    });
    canvas.dataset.unit = String(data.unit);
    const drivers = data.drivers[String(horizon)] || [];
    const box = document.getElementById("unit-drivers");
    box.innerHTML = "<strong>" + labels.drivers + ":</strong> " + (drivers.length
      ? drivers.map((d) => escapeHtml(d[0]) + " (" + (d[1] > 0 ? "+" : "") + d[1].toFixed(2) + ")").join("; ")
      : labels.noDrivers);
    document.querySelectorAll(".risk-row").forEach((row) => row.classList.toggle("selected", row.dataset.unit === String(data.unit)));
  }

  document.querySelectorAll(".unit-link").forEach((button) => {
    button.addEventListener("click", () => loadUnit(button.dataset.unit));
  });
  const first = document.querySelector("#top-areas .unit-link") || document.querySelector("#top-cells .unit-link");
  if (first) { loadUnit(first.dataset.unit); }
})();
