/* The reports kept on this device, in IndexedDB, and their sending: shared by the report page
   (static/js/offline/report.js) and the service worker (templates/sw.js, importScripts), so
   either can send the queue (the page when it is open, the worker on a Background Sync).

   Database "bluehelmet-offline":
     reports  one record per report filed on the device, keyed by its client id (the id the
              server deduplicates by: sent twice, stored once):
                { clientId, mission, user, postUrl, label, queuedAt,
                  fields: [[name, value], ...]     the form's fields as it was filed
                  files:  [{ field, name, type, blob }, ...]   its photos (Blobs)
                  json:   {...}                    instead of fields: a report of the former
                                                   localStorage queue, sent to the batch API
                  state:  "waiting" | "refused" | "sent"
                  errors: { field: [message, ...] }   what the server refused
                  attempts, lastTry, nextTry (ms), id, url, duplicate }
     meta     small records by key: "session" (the user, the CSRF token and batch URL of the
              last page opened online), "mission:<acronym>" (the offline copy's version and
              time, written by the worker), "auth" (a send found the session expired).

   A report is sent as the report form sends it (multipart, its photos with it) to the page's
   own URL asking for JSON, with the CSRF token in a header and redirects not followed: a
   redirect (to the log-in page), a 401 or a 403 means the session is gone, and nothing is
   sent until the user has logged in again (the page shows a link). Sent reports stay a day
   in the list, then are forgotten; refused ones stay until corrected or discarded. */
(function (scope) {
  "use strict";

  const DB_NAME = "bluehelmet-offline";
  const DB_VERSION = 1;
  const RETRY_MIN_MS = 5000;
  const RETRY_MAX_MS = 5 * 60 * 1000;
  const KEEP_SENT_MS = 24 * 3600 * 1000;
  const SEND_TIMEOUT_MS = 60 * 1000;

  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains("reports")) db.createObjectStore("reports", { keyPath: "clientId" });
          if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "key" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return opening;
  }

  /* One transaction on `storeName`; `work(store)` returns an IDBRequest (its result is the
     answer) or nothing. */
  function run(storeName, mode, work) {
    return open().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const request = work(tx.objectStore(storeName));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    }));
  }

  const allReports = () => run("reports", "readonly", (s) => s.getAll());
  const getReport = (clientId) => run("reports", "readonly", (s) => s.get(clientId));
  const putReport = (record) => run("reports", "readwrite", (s) => s.put(record));
  const deleteReport = (clientId) => run("reports", "readwrite", (s) => s.delete(clientId));
  const getMeta = (key) => run("meta", "readonly", (s) => s.get(key)).then((r) => (r ? r.value : undefined));
  const setMeta = (key, value) => run("meta", "readwrite", (s) => s.put({ key, value }));

  /* The user's reports of a mission, oldest first; sent ones older than a day are dropped. */
  function reportsOf(mission, user) {
    return allReports().then((records) => {
      const now = Date.now();
      const stale = records.filter((r) => r.state === "sent" && now - (r.lastTry || 0) > KEEP_SENT_MS);
      return Promise.all(stale.map((r) => deleteReport(r.clientId))).then(() =>
        records
          .filter((r) => r.mission === mission && String(r.user) === String(user) && !stale.includes(r))
          .sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1))
      );
    });
  }

  /* Keep a report (new or corrected) to be sent: waiting, tried at once. */
  function enqueue(record) {
    return putReport(Object.assign(record, { state: "waiting", errors: null, attempts: 0, nextTry: 0 }));
  }

  function timeout(promise, ms) {
    let timer;
    return Promise.race([
      promise,
      new Promise((resolve, reject) => { timer = setTimeout(() => reject(new Error("timeout")), ms); }),
    ]).finally(() => clearTimeout(timer));
  }

  /* Send one record. Resolves to "sent", "refused", "auth" (the session is gone) or "retry"
     (no network, a server error: try again later), having saved the record's new state. */
  function send(record, session) {
    let request;
    if (record.json) {
      // A report of the former localStorage queue: the batch API's shape.
      request = fetch(session.batchUrl, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": session.csrf },
        body: JSON.stringify({ mission: record.mission, reports: [record.json] }),
      });
    } else {
      const body = new FormData();
      record.fields.forEach(([name, value]) => body.append(name, name === "csrfmiddlewaretoken" ? session.csrf : value));
      (record.files || []).forEach((f) => body.append(f.field, f.blob, f.name));
      request = fetch(record.postUrl, {
        method: "POST", credentials: "same-origin", redirect: "manual", body,
        headers: { Accept: "application/json", "X-CSRFToken": session.csrf },
      });
    }
    const tried = Date.now();
    return timeout(request, SEND_TIMEOUT_MS).then((response) => {
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) return "auth";
      if (response.status >= 500 || response.status === 408 || response.status === 429) return "retry";
      return response.json().catch(() => ({})).then((data) => {
        if (record.json && response.ok) {
          const result = (data.results || [])[0] || {};
          if (result.status === "invalid") return { refused: result.errors || {} };
          return { sent: { id: result.id, url: record.detailUrlBase + result.id + "/", duplicate: result.status === "duplicate" } };
        }
        if (response.ok) return { sent: { id: data.id, url: data.url, duplicate: data.created === false } };
        return { refused: data.errors || { __all__: [String(response.status)] } };
      });
    }, () => "retry").then((outcome) => {
      record.lastTry = tried;
      if (outcome === "auth") {
        record.nextTry = 0;  // goes as soon as the user has logged in again
        return putReport(record).then(() => setMeta("auth", { needed: true, at: tried })).then(() => "auth");
      }
      if (outcome === "retry") {
        record.attempts = (record.attempts || 0) + 1;
        record.nextTry = tried + Math.min(RETRY_MIN_MS * 2 ** (record.attempts - 1), RETRY_MAX_MS);
        return putReport(record).then(() => "retry");
      }
      if (outcome.refused) {
        Object.assign(record, { state: "refused", errors: outcome.refused });
        return putReport(record).then(() => "refused");
      }
      // Stored: its photos are on the server now; the record stays a day, to show its link.
      Object.assign(record, outcome.sent, { state: "sent", errors: null, files: [], fields: [], json: null });
      return putReport(record).then(() => setMeta("auth", null)).then(() => "sent");
    });
  }

  /* Send the user's waiting reports of every mission whose time has come (all of them when
     `force`), one after another; stops at the first "auth". Only one sender at a time on the
     device (Web Locks where the browser has them; the client id makes a double send harmless
     anyway). Resolves to { sent, refused, retry, auth } counts. */
  function flush(session, options) {
    const force = options && options.force;
    const work = () => allReports().then((records) => {
      const now = Date.now();
      const due = records
        .filter((r) => r.state === "waiting" && String(r.user) === String(session.user) && (force || !r.nextTry || r.nextTry <= now))
        .sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1));
      const counts = { sent: 0, refused: 0, retry: 0, auth: 0 };
      return due.reduce((chain, record) => chain.then(() => {
        if (counts.auth) return;
        return send(record, session).then((result) => { counts[result] += 1; });
      }), Promise.resolve()).then(() => counts);
    });
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request("bluehelmet-report-queue", work) : work();
  }

  scope.BHOffline = {
    open, allReports, getReport, putReport, deleteReport, getMeta, setMeta, reportsOf, enqueue, send, flush,
    SYNC_TAG: "bluehelmet-send-reports",
  };
})(self);
