/* Forces pages: the bases map, the strength chart, the plan maps (today's posture beside
   the optimised plan) and the patrol routes. Data and words come from the page. */
(function () {
  "use strict";

  const UN_BLUE = "#1d6fb8";
  const HQ = "#0b3d6b";
  const COVERED = "#2e8b57";
  const UNCOVERED = "#c0392b";
  const NO_RISK = "#8a96a3";

  function data(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  const escapeHtml = BHMap.escapeHtml;

  function number(n) {
    return n == null ? "?" : Number(n).toLocaleString(document.documentElement.lang);
  }

  // Every map opens on the mission (its boundaries drawn under the page's layers).
  function newMap(id, options) {
    return BHMap.create(id, options).map;
  }

  function fit(map, latlngs) {
    BHMap.fit(map, latlngs, { maxZoom: 9 });
  }

  function baseRadius(troops) {
    return 3 + Math.sqrt(troops || 0) / 5;
  }

  /* Units and sites: bases sized by troops, popups list the units. */
  const bases = data("base-map-data");
  if (bases && document.getElementById("base-map")) {
    const map = newMap("base-map");
    const latlngs = [];
    bases.features.forEach((f) => {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      latlngs.push([lat, lon]);
      L.circleMarker([lat, lon], {
        radius: baseRadius(p.troops), className: "base-marker", color: HQ, weight: p.hq ? 3 : 1,
        fillColor: p.hq ? HQ : UN_BLUE, fillOpacity: p.units.length ? 0.55 : 0.1,
      })
        .bindPopup("<strong>" + escapeHtml(p.name) + "</strong> (" + escapeHtml(p.kind) + ")<br>" + number(p.troops) + "<br>" + p.units.map(escapeHtml).join("<br>"))
        .addTo(map);
    });
    fit(map, latlngs);
  }

  /* Authorised (dashed) and deployed strength by month. */
  const strength = data("strength-chart-data");
  if (strength && document.getElementById("strength-chart")) {
    const colours = [UN_BLUE, UN_BLUE, "#8e44ad", "#8e44ad"];
    new Chart(document.getElementById("strength-chart"), {
      type: "line",
      data: {
        labels: strength.months,
        datasets: strength.series.map((s, k) => ({
          label: s.label, data: s.data, borderColor: colours[k], backgroundColor: colours[k],
          borderDash: s.dashed ? [6, 4] : [], pointRadius: 0, borderWidth: 2, spanGaps: false,
        })),
      },
      options: { maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false }, scales: { y: { beginAtZero: true } } },
    });
  }

  /* The plan: the same places on two maps, covered or not, today and in the plan. */
  const plan = data("plan-map-data");
  function drawPosture(id, posture) {
    const map = newMap(id);
    // Places above the bases, so a covered place stays visible at its own base.
    map.createPane("places").style.zIndex = 450;
    const latlngs = [];
    plan.places.forEach((place, i) => {
      const covered = posture && posture.covered[i];
      const risky = (place.risk || 0) > 0;
      const colour = !risky ? NO_RISK : covered ? COVERED : UNCOVERED;
      latlngs.push([place.lat, place.lon]);
      L.circleMarker([place.lat, place.lon], {
        pane: "places", radius: risky ? 3 + 9 * Math.sqrt(place.risk) : 2.5,
        className: !risky ? "place-marker place-no-risk" : covered ? "place-marker place-covered" : "place-marker place-uncovered",
        color: colour, weight: 1, fillColor: colour, fillOpacity: covered ? 0.75 : 0.35,
      })
        .bindTooltip(escapeHtml(place.name) + " · " + Math.round(100 * (place.risk || 0)) + "%")
        .addTo(map);
    });
    if (posture) {
      plan.sites.forEach((site, j) => {
        const here = posture.sites[j];
        if (!here.units.length) return;
        L.circleMarker([site.lat, site.lon], {
          radius: baseRadius(here.troops), className: "base-marker", color: HQ, weight: site.hq ? 3 : 1.5,
          fillColor: UN_BLUE, fillOpacity: 0.6,
        })
          .bindPopup("<strong>" + escapeHtml(site.name) + "</strong><br>" + number(here.troops) + "<br>" + here.units.map(escapeHtml).join("<br>"))
          .addTo(map);
      });
    }
    fit(map, latlngs.concat(plan.sites.map((s) => [s.lat, s.lon])));
    return map;
  }
  if (plan && document.getElementById("posture-map")) {
    const left = drawPosture("posture-map", plan.today);
    const right = drawPosture("plan-map", plan.plan);
    // Pan and zoom the two maps together, so the same ground is compared.
    let syncing = false;
    function follow(source, target) {
      source.on("moveend", () => {
        if (syncing) return;
        syncing = true;
        target.setView(source.getCenter(), source.getZoom(), { animate: false });
        syncing = false;
      });
    }
    follow(left, right);
    follow(right, left);
  }

  /* Patrol coverage: every place sized by risk, green when patrols visited it, red when
     at risk and missed; the conducted patrols' routes and areas over them. */
  const routes = data("patrol-map-data");
  const coverage = data("coverage-map-data");
  if (routes && document.getElementById("patrol-map")) {
    const map = newMap("patrol-map");
    map.createPane("places").style.zIndex = 450;
    const latlngs = [];
    (coverage || []).forEach((place) => {
      const risky = (place.risk || 0) > 0;
      const visited = place.visits > 0;
      const colour = visited ? COVERED : risky ? UNCOVERED : NO_RISK;
      latlngs.push([place.lat, place.lon]);
      L.circleMarker([place.lat, place.lon], {
        pane: "places", radius: risky ? 3 + 9 * Math.sqrt(place.risk) : 3,
        className: "coverage-marker " + (visited ? "coverage-visited" : risky ? "coverage-missed" : "coverage-no-risk"),
        color: colour, weight: 1, fillColor: colour, fillOpacity: visited ? 0.75 : 0.35,
      })
        .bindTooltip(escapeHtml(place.name) + " · " + Math.round(100 * (place.risk || 0)) + "% · " + place.visits + " ×")
        .addTo(map);
    });
    const layer = L.geoJSON(routes, {
      style: { color: UN_BLUE, weight: 2, opacity: 0.7, fillOpacity: 0.08, className: "patrol-route" },
      onEachFeature: (f, l) => l.bindTooltip(escapeHtml(f.properties.unit) + " · " + escapeHtml(f.properties.kind) + " · " + escapeHtml(f.properties.start)),
    }).addTo(map);
    if (!BHMap.fit(map, layer)) fit(map, latlngs);
  }

  /* The planned route or area, shown on the patrol report. */
  const plannedRoute = data("patrol-route-data");
  if (plannedRoute && document.getElementById("route-map") && !document.getElementById("id_route")) {
    const map = newMap("route-map");
    const layer = L.geoJSON(plannedRoute, { style: { color: UN_BLUE, weight: 3, fillOpacity: 0.1, className: "planned-route" } }).addTo(map);
    BHMap.fit(map, layer, { maxZoom: 11 });
  }

  /* Planning a patrol: click points on the map to draw an area (polygon) or a route
     (line); the GeoJSON goes into the hidden route field. */
  const routeInput = document.getElementById("id_route");
  if (routeInput && document.getElementById("route-map")) {
    const map = newMap("route-map", { interactiveAreas: false });
    const places = data("patrol-places-data") || [];
    places.forEach((p) => {
      L.circleMarker([p.lat, p.lon], { radius: 3, color: NO_RISK, weight: 1, fillOpacity: 0.6, className: "patrol-place" })
        .bindTooltip(escapeHtml(p.name)).addTo(map);
    });
    fit(map, places.map((p) => [p.lat, p.lon]));
    const status = document.getElementById("draw-status");
    const kinds = document.querySelectorAll("input[name=draw_kind]");
    let points = [];
    let shape = null;
    const kind = () => document.querySelector("input[name=draw_kind]:checked").value;
    function redraw() {
      if (shape) map.removeLayer(shape);
      shape = null;
      if (points.length) {
        const style = { color: UN_BLUE, weight: 3, fillOpacity: 0.15, className: "drawn-route" };
        shape = (kind() === "Polygon" && points.length > 2 ? L.polygon(points, style) : L.polyline(points, style)).addTo(map);
      }
      const coordinates = points.map((p) => [Number(p.lng.toFixed(5)), Number(p.lat.toFixed(5))]);
      if (!points.length) routeInput.value = "";
      else if (kind() === "Polygon") routeInput.value = JSON.stringify({ type: "Polygon", coordinates: [coordinates.concat([coordinates[0]])] });
      else routeInput.value = JSON.stringify({ type: "LineString", coordinates });
      status.textContent = status.dataset.points.replace("%(n)s", points.length);
    }
    // A drawing sent back with errors is shown again, ready to change.
    if (routeInput.value) {
      try {
        const old = JSON.parse(routeInput.value);
        const ring = old.type === "Polygon" ? old.coordinates[0].slice(0, -1) : old.coordinates;
        points = ring.map(([lon, lat]) => L.latLng(lat, lon));
        kinds.forEach((k) => { k.checked = k.value === old.type; });
        redraw();
        if (shape) BHMap.fit(map, shape, { maxZoom: 11 });
      } catch (e) { routeInput.value = ""; }
    }
    map.on("click", (e) => { points.push(e.latlng); redraw(); });
    kinds.forEach((k) => k.addEventListener("change", redraw));
    document.getElementById("draw-undo").addEventListener("click", () => { points.pop(); redraw(); });
    document.getElementById("draw-clear").addEventListener("click", () => { points = []; redraw(); });
  }
})();
