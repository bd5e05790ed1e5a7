/* The one place a Leaflet map is set up (tests/e2e/test_maps.py keeps `L.map(` here).

   A map element carries what the map needs as data attributes, written by the template tag
   {% map_attrs mission %} (core/templatetags/bluehelmet.py), since the content security
   policy refuses inline scripts:
     data-bounds            [[south, west], [north, east]] of the mission's admin areas, or of
                            its sites where no boundaries are loaded: the map opens there,
                            never on a fixed country's centre
     data-basemap-url       the mission's offline basemap, a PMTiles file served by Blue Helmet
                            with byte ranges (core/basemap_views.py), when it has one; with
                            data-basemap-max-zoom (its highest zoom) and data-basemap-script
                            (protomaps-leaflet, loaded only by maps that draw a basemap)
     data-tile-url          the tile server of BLUEHELMET_TILE_URL, when one is configured
     data-tile-attribution  its attribution
     data-areas-url         the mission's admin areas (GeoJSON), drawn under everything else
     data-water-url         seas, lakes and rivers from the shipped data (core/water.py), drawn
                            where no basemap or tile server draws the ground
     data-places-url        the gazetteer's towns (GeoJSON points with a population): labels
     data-place-search-url  the mission's place search: a search box that flies the map there
                            (data-place-search-label, data-place-search-empty: its words)

   BHMap.create(element) returns { map, element, areas, ready }; the page's script adds its
   layers and may narrow the view to them with BHMap.fit. The Leaflet map is also kept on the
   element as `element.bhMap`, for the browser tests. */
(function () {
  "use strict";

  const COUNTRY_STYLE = { color: "#33404d", weight: 2, fill: false };
  const AREA_STYLE = { color: "#7b8a99", weight: 1, fillColor: "#eef2f5", fillOpacity: 1 };
  // Over a basemap or tiles the districts are outlines only (still hoverable for their names).
  const AREA_OVER_BACKGROUND_STYLE = Object.assign({}, AREA_STYLE, { fillOpacity: 0 });

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((r) => {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.json();
    });
  }

  /* JSON from a <script type="application/json" id=...> block (Django's json_script), or null. */
  function pageData(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  /* The bounds of a layer, a LatLngBounds, a [lat, lon] pair or an array of any of these. */
  function boundsOf(target) {
    const bounds = L.latLngBounds([]);
    (Array.isArray(target) && !(target.length === 2 && typeof target[0] === "number") ? target : [target]).forEach((item) => {
      if (!item) return;
      if (typeof item.getBounds === "function") {
        if (typeof item.getLayers !== "function" || item.getLayers().length) bounds.extend(item.getBounds());
      } else if (typeof item.getLatLng === "function") {
        bounds.extend(item.getLatLng());
      } else {
        bounds.extend(item);
      }
    });
    return bounds;
  }

  /* Narrow the view to what a page draws; nothing happens when it draws nothing, so the map
     stays on the mission. Returns whether it moved. */
  function fit(map, target, options) {
    const bounds = boundsOf(target);
    if (!bounds.isValid()) return false;
    map.fitBounds(bounds, Object.assign({ padding: [20, 20], maxZoom: 11 }, options));
    return true;
  }

  /* The mission's admin areas: districts filled, the national outline over them, names on
     hover. `interactive: false` lets clicks through to the map (to pick a place). Each path
     is classed by its level (map-area map-area-adm1), for styling and tests. */
  function areaLayer(options, overBackground) {
    const areaStyle = overBackground ? AREA_OVER_BACKGROUND_STYLE : AREA_STYLE;
    return L.geoJSON(null, {
      style: (f) =>
        Object.assign({}, f.properties.kind === "country" ? COUNTRY_STYLE : areaStyle, {
          className: "map-area map-area-" + f.properties.kind,
        }),
      onEachFeature: (f, layer) => layer.bindTooltip(escapeHtml(f.properties.name), { sticky: true }),
      interactive: options.interactiveAreas !== false,
    });
  }

  /* Points with popups (or tooltips): `items` are GeoJSON point features or objects with
     lat and lon; `style(item)` gives the circle's options, `popup(item)` / `tooltip(item)` its
     HTML (escape what comes from data). A feature group, so BHMap.fit takes it. */
  function points(items, options) {
    const group = L.featureGroup();
    (items || []).forEach((item) => {
      const latlng = item.geometry ? [item.geometry.coordinates[1], item.geometry.coordinates[0]] : [item.lat, item.lon];
      const marker = options.marker ? options.marker(item, latlng) : L.circleMarker(latlng, options.style(item));
      if (options.popup) marker.bindPopup(options.popup(item));
      if (options.tooltip) marker.bindTooltip(options.tooltip(item));
      marker.addTo(group);
    });
    return group;
  }

  let basemapReader = null;

  /* protomaps-leaflet's script, loaded once per page (a same-origin file, as the content
     security policy wants), the first time a map draws a basemap. */
  function loadBasemapReader(src) {
    if (window.protomapsL) return Promise.resolve();
    if (!basemapReader) {
      basemapReader = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = () => reject(new Error("cannot load " + src));
        document.head.appendChild(script);
      });
    }
    return basemapReader;
  }

  /* What the map draws under the admin areas: the mission's offline basemap (vector tiles
     from its PMTiles file, in the page's language where the file has names in it), else the
     tile server, else nothing (the filled areas are then the background). Returns whether it
     draws one. The basemap layer is kept as map.bhBasemap, for the browser tests. */
  function addBackground(map, data) {
    if (data.basemapUrl) {
      loadBasemapReader(data.basemapScript).then(() => {
        map.bhBasemap = protomapsL
          .leafletLayer({
            url: data.basemapUrl,
            flavor: "light",
            lang: document.documentElement.lang || "en",
            maxDataZoom: Number(data.basemapMaxZoom) || undefined,
          })
          .addTo(map);
      });
      return true;
    }
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution || "", maxZoom: 18 }).addTo(map);
      return true;
    }
    return false;
  }

  const WATER_STYLE = {
    ocean: { stroke: false, fillColor: "#cfe3f3", fillOpacity: 1 },
    lake: { color: "#8fbde0", weight: 1, fillColor: "#cfe3f3", fillOpacity: 1 },
    river: { color: "#8fbde0", weight: 1.5, fill: false },
  };

  /* The shipped seas, lakes and rivers, for a map with no basemap or tiles: the sea under the
     admin areas, lakes and rivers over them, everything under the page's own layers and
     letting clicks through. Waits for the areas so the order holds whichever loads first. */
  function addWater(map, element, url, areas, areasReady) {
    const style = (f) => Object.assign({ className: "map-water map-water-" + f.properties.kind }, WATER_STYLE[f.properties.kind]);
    const isSea = (f) => f.properties.kind === "ocean";
    const sea = L.geoJSON(null, { style, interactive: false, filter: isSea });
    const inland = L.geoJSON(null, { style, interactive: false, filter: (f) => !isSea(f) });
    return Promise.all([getJson(url), areasReady.catch(() => null)]).then(([collection]) => {
      sea.addData(collection).addTo(map);
      inland.addData(collection).addTo(map);
      inland.bringToBack();
      areas.bringToBack();
      sea.bringToBack();
      element.dataset.waterLoaded = String(collection.features.length);
    });
  }

  /* Place labels of the gazetteer's towns, in a pane of their own that lets clicks through.
     The largest towns are labelled first and a label that would overlap one already drawn is
     left out, so a country map shows its cities and zooming in brings the smaller towns. */
  const LABEL_MAX = 80; // labels at once, whatever the zoom
  function placeLabels(map, element, url) {
    const pane = map.createPane("bh-place-labels");
    pane.style.zIndex = 450; // over the areas and the page's layers, under markers and popups
    pane.style.pointerEvents = "none";
    const layer = L.layerGroup().addTo(map);
    let places = [];
    function draw() {
      layer.clearLayers();
      const size = map.getSize();
      const taken = [];
      let drawn = 0;
      for (const place of places) {
        if (drawn >= LABEL_MAX) break;
        const point = map.latLngToContainerPoint(place.latlng);
        if (point.x < 0 || point.y < 0 || point.x > size.x || point.y > size.y) continue;
        const box = { x0: point.x - 4, y0: point.y - 9, x1: point.x + 10 + place.name.length * 7, y1: point.y + 9 };
        if (taken.some((b) => box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1)) continue;
        taken.push(box);
        drawn += 1;
        L.marker(place.latlng, {
          pane: "bh-place-labels",
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className: "map-place-label", html: "<span>" + escapeHtml(place.name) + "</span>", iconSize: null, iconAnchor: [3, 8] }),
        }).addTo(layer);
      }
      element.dataset.placeLabels = String(drawn);
    }
    map.on("zoomend moveend resize", draw);
    return getJson(url).then((collection) => {
      places = collection.features
        .map((f) => ({ name: f.properties.name, population: f.properties.population || 0,
                       latlng: L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]) }))
        .sort((a, b) => b.population - a.population);
      draw();
    });
  }

  /* A search box on the map (static/js/placesearch.js) that flies to the place picked. */
  const SEARCH_ZOOM = { country: 7, adm1: 9, adm2: 10, adm3: 11, locality: 12 };
  function placeSearchControl(map, element) {
    const data = element.dataset;
    const control = L.control({ position: "topleft" });
    control.onAdd = () => {
      const box = L.DomUtil.create("div", "leaflet-bar map-place-search");
      const input = L.DomUtil.create("input", "", box);
      input.type = "search";
      input.placeholder = data.placeSearchLabel || "";
      input.setAttribute("aria-label", data.placeSearchLabel || "");
      input.dataset.placeSearchUrl = data.placeSearchUrl;
      input.dataset.placeSearchEmpty = data.placeSearchEmpty || "";
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      input.addEventListener("placesearch:pick", (e) => {
        const place = e.detail;
        if (place.lat == null || place.lon == null) return;
        map.flyTo([place.lat, place.lon], SEARCH_ZOOM[place.kind] || 10, { duration: 0.6 });
        element.dataset.placeFound = place.name;
      });
      if (window.PlaceSearch) window.PlaceSearch.attach(input); // else placesearch.js finds it when it loads
      return box;
    };
    control.addTo(map);
    return control;
  }

  function create(elementOrId, options) {
    options = options || {};
    const element = typeof elementOrId === "string" ? document.getElementById(elementOrId) : elementOrId;
    const data = element.dataset;
    const map = L.map(element, { zoomSnap: 0.25 });
    const bounds = data.bounds ? JSON.parse(data.bounds) : null;
    if (bounds) map.fitBounds(bounds, { padding: [10, 10] });
    else map.fitWorld();
    const overBackground = addBackground(map, data);
    L.control.scale({ imperial: false }).addTo(map);
    const areas = areaLayer(options, overBackground).addTo(map);
    let ready = Promise.resolve();
    if (data.areasUrl && options.areas !== false) {
      ready = getJson(data.areasUrl).then((collection) => {
        // Districts first, the national outline on top of them; all under the page's layers.
        collection.features.sort((a, b) => (a.properties.kind === "country") - (b.properties.kind === "country"));
        areas.addData(collection);
        areas.bringToBack();
        element.dataset.areasLoaded = String(collection.features.length);
      });
    }
    if (data.waterUrl && !overBackground) addWater(map, element, data.waterUrl, areas, ready);
    // A basemap or tile layer brings its own labels: the gazetteer's would double them.
    if (data.placesUrl && options.labels !== false && !overBackground) placeLabels(map, element, data.placesUrl);
    if (data.placeSearchUrl && options.placeSearch !== false) placeSearchControl(map, element);
    element.bhMap = map;
    return { map, element, areas, ready };
  }

  window.BHMap = { create, fit, points, boundsOf, escapeHtml, getJson, pageData };
})();
