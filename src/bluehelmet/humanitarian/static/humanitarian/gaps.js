// The gap map: admin areas coloured by the gap (need minus coverage) of the chosen sector.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("gap-map-data").textContent);
  const labels = JSON.parse(document.getElementById("gap-map-labels").textContent);
  const RAMP = ["#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15"];
  const gaps = data.features.map((f) => f.properties.gap).filter((g) => g !== null);
  const largest = Math.max(1, ...gaps);

  function colour(gap) {
    if (gap === null) { return "#f7f7f7"; }
    return RAMP[Math.min(RAMP.length - 1, Math.floor((gap / largest) * RAMP.length))];
  }
  const escapeHtml = BHMap.escapeHtml;
  function number(value) { return value === null ? "–" : value.toLocaleString(); }
  function popup(p) {
    let html = "<strong>" + escapeHtml(p.name) + "</strong><br>";
    if (p.gap === null) {
      html += escapeHtml(labels.none);
    } else {
      html += escapeHtml(labels.need) + ": " + number(p.people_in_need) + "<br>" + escapeHtml(labels.gap) + ": " + number(p.gap) +
        "<br>" + escapeHtml(labels.severity) + ": " + number(p.severity);
    }
    if (p.unassessed_sectors) { html += "<br>" + escapeHtml(labels.unassessed) + ": " + p.unassessed_sectors; }
    return html;
  }

  // The gap layer is the mission's admin areas themselves: no separate boundary layer.
  const { map, element } = BHMap.create("gap-map", { areas: false });
  const layer = L.geoJSON(data, {
    style: (f) => ({ className: "gap-area", color: "#555", weight: 1, fillColor: colour(f.properties.gap), fillOpacity: 0.8 }),
    onEachFeature: (f, l) => l.bindPopup(popup(f.properties)),
  }).addTo(map);
  BHMap.fit(map, layer, { padding: [10, 10] });
  element.dataset.loaded = String(data.features.length);
  element.dataset.withGap = String(gaps.length);
})();
