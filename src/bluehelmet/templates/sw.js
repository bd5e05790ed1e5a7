/* Blue Helmet's service worker (served at /sw.js by core/pwa_views.py: its scope is the site).

   It keeps, for each mission whose report form a user has opened online, an offline copy: the
   form's page, the files it loads (scripts, styles, images, found in the page and its styles),
   the mission's reference data (admin areas, gazetteer, place labels, water, ceasefire zones,
   the basemap file whole) and the user's recent reports; the list comes from the mission's
   offline manifest (incidents/offline.json), whose `version` changes with the mission's
   reference data (Mission.lookups_version) and basemap, and the copy is fetched again then.
   Pages and data come from the network first (the copy answers when it fails or is slow);
   versioned files (/static/...?v=hash) from the copy first. The basemap's byte ranges are cut
   from the whole file. The place search, offline, searches the kept gazetteer.

   Reports kept on the device (static/js/offline/store.js) are sent on a Background Sync,
   where the browser has it, with the session of the last page opened online. Logging out
   deletes the offline copies (not the reports waiting to be sent).

   Requests it has no copy for pass through untouched, as do all but GET requests. */
"use strict";
importScripts("{{ store_script }}");

const APP_VERSION = "{{ version }}";
const STATIC_CACHE = "bluehelmet-static";
const MISSION_CACHE = "bluehelmet-mission:";  // + the mission's acronym
const NETWORK_PATIENCE_MS = 6000;  // then a kept copy answers (a network that hangs)

// The paths the worker answers for (the others are left to the browser).
const HANDLED = [
  /^\/static\//,
  /^\/missions\/[^/]+\/incidents\/report\/$/,
  /^\/missions\/[^/]+\/incidents\/offline(\.json|\/mine\.json)$/,
  /^\/missions\/[^/]+\/incidents\/ceasefires\/zones\.geojson$/,
  /^\/missions\/[^/]+\/places\/(search|gazetteer)\.json$/,
  /^\/missions\/[^/]+\/places\/labels\.geojson$/,
  /^\/missions\/[^/]+\/map\/(areas|water)\.geojson$/,
  /^\/missions\/[^/]+\/map\/basemap\.pmtiles$/,
];

// The report form kept last: what a page opened offline without a copy of its own shows.
// Read from IndexedDB when the worker starts (a navigation may come before the read ends).
let startUrl = null;
const startRead = BHOffline.getMeta("start").then((url) => { startUrl = startUrl || url || null; }, () => undefined);
let startKnown = false;
startRead.then(() => { startKnown = true; });

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/* ---------- the offline copy of a mission ---------- */

// Files a page or a style sheet refers to under /static/ (scripts, styles, images).
const PAGE_ASSET = /(?:src|href|data-[\w-]+)="(\/static\/[^"]+)"/g;
const STYLE_ASSET = /url\(\s*['"]?([^'")]+)['"]?\s*\)/g;

function assetsOf(text, base, pattern) {
  const found = new Set();
  for (const match of text.matchAll(pattern)) {
    if (match[1].startsWith("data:")) continue;
    const url = new URL(match[1].replace(/&amp;/g, "&"), base);
    if (url.origin === self.location.origin && url.pathname.startsWith("/static/")) found.add(url.href);
  }
  return found;
}

async function fetchOk(url) {
  const response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
  if (!response.ok) throw new Error(response.status + " " + url);  // a redirect: logged out
  return response;
}

/* Keep the page or data at `url` in `cache`, and the static files it refers to, with theirs. */
async function keep(cache, url, statics, seen) {
  const response = await fetchOk(url);
  const type = response.headers.get("Content-Type") || "";
  if (type.startsWith("text/html") || type.startsWith("text/css")) {
    const text = await response.clone().text();
    const found = assetsOf(text, response.url || url, type.startsWith("text/html") ? PAGE_ASSET : STYLE_ASSET);
    for (const asset of found) {
      if (seen.has(asset)) continue;
      seen.add(asset);
      if (!(await statics.match(asset))) await keep(statics, asset, statics, seen);
      else if (asset.includes(".css")) {
        const css = await (await statics.match(asset)).text();
        for (const inner of assetsOf(css, asset, STYLE_ASSET)) {
          if (!seen.has(inner) && !(await statics.match(inner))) { seen.add(inner); await keep(statics, inner, statics, seen); }
        }
      }
    }
  }
  await cache.put(url, response);
}

/* Make the mission's offline copy current: the whole list when its version changed (into a
   new cache, swapped in once complete), else only what changes by itself (`fresh`, the
   user's recent reports). Answers what the page shows ({ version, savedAt }). */
async function prepare(manifestUrl) {
  const manifest = await (await fetchOk(manifestUrl)).json();
  const key = "mission:" + manifest.mission;
  const known = await BHOffline.getMeta(key);
  const name = MISSION_CACHE + manifest.mission;
  const statics = await caches.open(STATIC_CACHE);
  const seen = new Set();
  if (known && known.version === manifest.version && known.app === APP_VERSION && (await caches.has(name))) {
    const cache = await caches.open(name);
    for (const url of manifest.fresh) await keep(cache, url, statics, seen);
    await cache.put(manifestUrl, new Response(JSON.stringify(manifest), { headers: { "Content-Type": "application/json" } }));
    return known;
  }
  const building = name + ":new";
  await caches.delete(building);
  const cache = await caches.open(building);
  for (const url of [...manifest.urls, ...manifest.fresh]) await keep(cache, url, statics, seen);
  await cache.put(manifestUrl, new Response(JSON.stringify(manifest), { headers: { "Content-Type": "application/json" } }));
  await swapCache(building, name);
  const state = { version: manifest.version, app: APP_VERSION, savedAt: Date.now(), reportUrl: manifest.report_url, assets: [...seen] };
  await BHOffline.setMeta(key, state);
  await BHOffline.setMeta("start", manifest.report_url);
  startUrl = manifest.report_url;
  await pruneStatics();
  return state;
}

async function swapCache(from, to) {
  const source = await caches.open(from);
  await caches.delete(to);
  const target = await caches.open(to);
  for (const request of await source.keys()) await target.put(request, await source.match(request));
  await caches.delete(from);
}

/* Drop static files no mission's copy refers to any more (a new version of a script). */
async function pruneStatics() {
  const used = new Set();
  for (const name of await caches.keys()) {
    if (!name.startsWith(MISSION_CACHE) || name.endsWith(":new")) continue;
    const state = await BHOffline.getMeta("mission:" + name.slice(MISSION_CACHE.length));
    ((state && state.assets) || []).forEach((asset) => used.add(asset));
  }
  const statics = await caches.open(STATIC_CACHE);
  for (const request of await statics.keys()) if (!used.has(request.url)) await statics.delete(request);
}

/* Logging out: the copies go (someone else may use the device); the queue stays, its reports
   go once their author has logged in again. */
async function forgetCopies() {
  startUrl = null;
  await BHOffline.setMeta("start", null);
  for (const name of await caches.keys()) {
    if (!name.startsWith("bluehelmet-")) continue;
    await caches.delete(name);
    if (name.startsWith(MISSION_CACHE)) await BHOffline.setMeta("mission:" + name.slice(MISSION_CACHE.length), null);
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (answer) => event.ports[0] && event.ports[0].postMessage(answer);
  if (data.type === "prepare") {
    event.waitUntil(prepare(data.url).then((state) => reply({ ok: true, state }), (error) => reply({ ok: false, error: String(error) })));
  }
});

/* ---------- answering requests ---------- */

async function cachedCopy(request) {
  const url = new URL(request.url);
  for (const name of await caches.keys()) {
    if (!name.startsWith("bluehelmet-") || name.endsWith(":new")) continue;
    const found = await (await caches.open(name)).match(request, { ignoreVary: true });
    if (found) return found;
    if (url.pathname.endsWith(".pmtiles") || url.pathname.endsWith("/report/")) {
      // The basemap's ?v= names one file; the report page opened with a query (?type=...).
      const path = await (await caches.open(name)).match(url.origin + url.pathname, { ignoreSearch: true, ignoreVary: true });
      if (path) return path;
    }
  }
  return undefined;
}

/* The network's answer, or the kept copy when the network fails, errs or is too slow; a
   fresh answer of a kept URL replaces the copy. */
async function networkFirst(event, fallback) {
  const request = event.request;
  const copy = await cachedCopy(request);
  const fromNetwork = fetch(request).then(async (response) => {
    if (copy && response.ok && !response.redirected && response.type === "basic") {
      const url = new URL(request.url);
      for (const name of await caches.keys()) {
        if (!name.startsWith(MISSION_CACHE) || name.endsWith(":new")) continue;
        const cache = await caches.open(name);
        if (await cache.match(request, { ignoreVary: true })) await cache.put(url.href, response.clone());
      }
    }
    return response;
  });
  event.waitUntil(fromNetwork.catch(() => undefined));
  if (!copy) return fromNetwork.catch(() => (fallback ? fallback() : Response.error()));
  let timer;
  const patience = new Promise((resolve) => { timer = setTimeout(() => resolve(copy), NETWORK_PATIENCE_MS); });
  return Promise.race([fromNetwork.then((r) => (r.ok || r.status < 500 ? r : copy), () => copy), patience])
    .finally(() => clearTimeout(timer));
}

async function cacheFirst(request) {
  return (await cachedCopy(request)) || fetch(request);
}

/* The basemap: the whole file is kept; a byte range is cut from it (PMTiles readers ask for
   ranges). Without a kept file the request goes to the server as it is. */
async function basemapRange(request) {
  const copy = await cachedCopy(request);
  if (!copy) return fetch(request);
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get("Range") || "");
  if (!range) return copy;
  const blob = await copy.blob();
  const start = Number(range[1]);
  const end = range[2] ? Math.min(Number(range[2]), blob.size - 1) : blob.size - 1;
  if (start >= blob.size) return new Response(null, { status: 416, headers: { "Content-Range": "bytes */" + blob.size } });
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": copy.headers.get("Content-Type") || "application/octet-stream",
      "Content-Range": `bytes ${start}-${end}/${blob.size}`,
      "Content-Length": String(end - start + 1),
    },
  });
}

/* The place search without a network: the kept gazetteer, matched as the server matches
   (core.missions.search_mission_places: accents and case aside; the place's own name starting
   so first, then another of its names, then containing it; the more populous first). */
function fold(text) {
  return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/['’`ʼ]/g, "").replace(/[^\p{L}\p{N}_]+/gu, " ").trim().replace(/\s+/g, " ");
}

async function searchOffline(url) {
  const query = url.searchParams.get("q") || "";
  const gazetteerUrl = url.origin + url.pathname.replace(/search\.json$/, "gazetteer.json");
  const copy = await cachedCopy(new Request(gazetteerUrl));
  const places = copy ? (await copy.json()).places : [];
  const folded = fold(query);
  let results = [];
  if (folded.length >= 2) {
    results = places
      .filter((p) => (p.search || "").includes(folded))
      .map((p) => ({ p, rank: p.search.startsWith("|" + folded) ? 0 : p.search.includes("|" + folded) ? 1 : 2 }))
      .sort((a, b) => a.rank - b.rank || (b.p.population || 0) - (a.p.population || 0) || a.p.name.localeCompare(b.p.name))
      .slice(0, 10)
      .map(({ p }) => { const { search, ...rest } = p; void search; return rest; });
  }
  return new Response(JSON.stringify({ query, results, offline: true }), { headers: { "Content-Type": "application/json" } });
}

/* A page of the site opened without a network and without a copy: the report form kept
   last, rather than the browser's error page. */
async function startPage(request) {
  try {
    return await fetch(request);
  } catch (error) {
    await startRead;
    const copy = startUrl && (await cachedCopy(new Request(new URL(startUrl, self.location.origin).href)));
    if (copy) return Response.redirect(new URL(startUrl, self.location.origin).href, 302);
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/accounts/logout/") {
    event.waitUntil(forgetCopies());
    return;
  }
  if (request.method !== "GET") return;
  if (!HANDLED.some((pattern) => pattern.test(url.pathname))) {
    if (request.mode === "navigate" && (startUrl || !startKnown)) event.respondWith(startPage(request));
    return;
  }
  if (url.pathname.startsWith("/static/")) event.respondWith(cacheFirst(request));
  else if (url.pathname.endsWith(".pmtiles")) event.respondWith(basemapRange(request));
  else if (url.pathname.endsWith("/places/search.json")) event.respondWith(networkFirst(event, () => searchOffline(url)));
  else event.respondWith(networkFirst(event));
});

/* ---------- sending the queue on a Background Sync ---------- */

self.addEventListener("sync", (event) => {
  if (event.tag !== BHOffline.SYNC_TAG) return;
  event.waitUntil((async () => {
    const session = await BHOffline.getMeta("session");
    if (!session) return;
    const counts = await BHOffline.flush(session, { force: true });
    const windows = await self.clients.matchAll({ type: "window" });
    windows.forEach((client) => client.postMessage({ type: "queue-changed" }));
    // Failed for the network: the browser tries the sync again later. Not for a lost session.
    if (counts.retry && !counts.auth) throw new Error("reports still waiting");
  })());
});
