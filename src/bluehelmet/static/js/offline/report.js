/* The report form as an offline app: every report filed is first kept on the device
   (IndexedDB, static/js/offline/store.js) with its client id and photos, then sent; when the
   network fails it waits, shown in the queue ("3 waiting, last try 10:42, next in 30 s"), and
   goes when the network returns (the `online` event, the next opening of the page, or the
   service worker's Background Sync). What the server refused stays in the queue with its
   field errors, to be corrected in the form (it keeps its id) or discarded, never dropped. A
   session that has ended stops the sending and shows a log-in link; after the log-in the page
   opens again and the queue goes.

   On every opening online the page asks the service worker (templates/sw.js) to keep its
   offline copy current (the page, its files, the mission's reference data) and shows the
   copy's version. Words and URLs come from the page (json_script "report-queue-config",
   translated server-side). */
(function () {
  "use strict";

  const cfgNode = document.getElementById("report-queue-config");
  const form = document.getElementById("report-form");
  if (!cfgNode || !form || !window.BHOffline) return;
  const cfg = JSON.parse(cfgNode.textContent);
  const L10N = cfg.labels;
  const store = window.BHOffline;
  const byId = (id) => document.getElementById(id);
  const panel = byId("report-queue");
  const clientIdInput = form.querySelector("input[name=client_id]");
  const csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  const reportUrl = window.location.pathname;
  const detailUrlBase = reportUrl.replace(/report\/$/, "");
  let flushing = false;
  let flushTimer = null;
  let authNeeded = false;
  let note = "";

  const session = () => ({ user: cfg.user, csrf: csrfInput.value, batchUrl: cfg.batchUrl });
  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (m, key) => String(values[key]));
  const clock = (ms) => new Date(ms).toLocaleTimeString(document.documentElement.lang || [], { hour: "2-digit", minute: "2-digit" });

  function newUuid() {
    // crypto.randomUUID needs a secure context; a field server may be plain http.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* The form's time "now" moved on by the time since the server wrote the page (the page may
     be a copy kept days ago); in the server's time zone, as the server wrote it. */
  function timeNow(rendered) {
    const base = Date.parse(rendered + ":00Z");
    if (!Number.isFinite(base)) return rendered;
    return new Date(base + Math.max(0, Date.now() - cfg.renderedAt)).toISOString().slice(0, 16);
  }

  function setTimeNow() {
    const when = form.querySelector("#id_occurred_at");
    if (when && when.defaultValue) when.value = timeNow(when.defaultValue);
  }

  /* A new report: an empty form, a new client id, the time now (the page may be a copy kept
     days ago, its id and time those of then). */
  function freshForm() {
    form.reset();
    clientIdInput.value = newUuid();
    setTimeNow();
    showErrors(null);
    byId("report-correcting").hidden = true;
  }

  /* ---------- the form <-> a record of the queue ---------- */

  function recordFromForm() {
    const fields = [];
    const files = [];
    for (const [name, value] of new FormData(form).entries()) {
      if (typeof value === "string") fields.push([name, value]);
      else if (value.size) files.push({ field: name, name: value.name, type: value.type, blob: value });
    }
    const type = form.querySelector("#id_type");
    const when = form.querySelector("#id_occurred_at");
    const label = (type && type.selectedIndex > 0 ? type.options[type.selectedIndex].text : "?") + " · " + (when ? when.value.replace("T", " ") : "");
    return { clientId: clientIdInput.value, mission: cfg.mission, user: cfg.user, postUrl: reportUrl, detailUrlBase,
             label, queuedAt: new Date().toISOString(), fields, files, json: null };
  }

  /* A report of the former queue (the batch API's JSON) as the form's fields. */
  function fieldsFromJson(report) {
    const fields = [];
    Object.entries(report).forEach(([name, value]) => {
      if (name === "sources") Object.entries((value || [])[0] || {}).forEach(([k, v]) => fields.push(["source-" + k, String(v)]));
      else if (name === "casualties") {
        (value || []).forEach((row, i) => Object.entries(row).forEach(([k, v]) => fields.push([`casualty-${i}-${k}`, String(v)])));
        fields.push(["casualty-TOTAL_FORMS", String((value || []).length)]);
      } else if (Array.isArray(value)) value.forEach((v) => fields.push([name, String(v)]));
      else fields.push([name, String(value)]);
    });
    return fields;
  }

  /* Put a refused report back into the form, its errors beside its fields. */
  function loadIntoForm(record) {
    form.reset();
    const fields = record.json ? fieldsFromJson(record.json) : record.fields;
    const values = new Map();
    fields.forEach(([name, value]) => values.set(name, (values.get(name) || []).concat([value])));
    // As many casualty rows as the report had.
    const total = form.querySelector("#id_casualty-TOTAL_FORMS");
    const addRow = byId("add-breakdown-row");
    const wanted = Number((values.get("casualty-TOTAL_FORMS") || ["0"])[0]);
    while (total && addRow && Number(total.value) < wanted) addRow.click();
    Array.from(form.elements).forEach((el) => {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "casualty-TOTAL_FORMS") return;
      const given = values.get(el.name) || [];
      if (el.type === "checkbox" || el.type === "radio") el.checked = given.includes(el.value);
      else if (el.multiple && el.options) Array.from(el.options).forEach((o) => { o.selected = given.includes(o.value); });
      else if (el.type === "file") {
        try {
          const transfer = new DataTransfer();
          (record.files || []).filter((f) => f.field === el.name).forEach((f) => transfer.items.add(new File([f.blob], f.name, { type: f.type })));
          el.files = transfer.files;
        } catch (e) { /* a browser that cannot set files: the photos are chosen again */ }
      } else if (given.length) el.value = given[0];
    });
    clientIdInput.value = record.clientId;
    showErrors(record.errors);
    const correcting = byId("report-correcting");
    correcting.textContent = L10N.correcting;
    correcting.hidden = false;
    form.scrollIntoView({ block: "start" });
  }

  /* The server's field errors ({field: [message]}, sources and casualties nested by row)
     beside the fields (their boxes are #field-<name>), the others above the form. */
  function showErrors(errors) {
    form.querySelectorAll(".from-queue").forEach((node) => node.remove());
    form.querySelectorAll(".has-error.queue-error").forEach((node) => node.classList.remove("has-error", "queue-error"));
    const general = byId("report-form-errors");
    general.textContent = "";
    general.hidden = true;
    const text = (messages) => (Array.isArray(messages) ? messages : [messages]).map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
    function place(name, messages) {
      const box = byId("field-" + name);
      if (box) {
        const span = document.createElement("span");
        span.className = "field-error from-queue";
        span.textContent = text(messages);
        box.appendChild(span);
        if (!box.classList.contains("has-error")) box.classList.add("has-error", "queue-error");
      } else {
        const li = document.createElement("li");
        li.textContent = (name === "__all__" ? "" : name + ": ") + text(messages);
        general.appendChild(li);
        general.hidden = false;
      }
    }
    Object.entries(errors || {}).forEach(([name, messages]) => {
      if ((name === "sources" || name === "casualties") && Array.isArray(messages)) {
        const prefix = name === "sources" ? "source" : "casualty";
        messages.forEach((row, i) => {
          if (typeof row === "string") place(name, row);
          else Object.entries(row || {}).forEach(([field, m]) => place(prefix === "source" ? "source-" + field : `casualty-${i}-${field}`, m));
        });
      } else place(name, messages);
    });
  }

  /* ---------- the queue panel ---------- */

  let shown = [];  // the records last drawn, for the countdown between two drawings

  function render() {
    return store.reportsOf(cfg.mission, cfg.user).then((records) => {
      shown = records;
      const waiting = records.filter((r) => r.state === "waiting");
      panel.hidden = !records.length && !note && !authNeeded;
      byId("report-queue-title").textContent = fmt(L10N.queued, { n: waiting.length });
      renderSummary();
      byId("report-queue-note").textContent = note;
      const login = byId("report-queue-login");
      login.hidden = !authNeeded;
      if (authNeeded && !login.firstChild) {
        login.appendChild(document.createTextNode(L10N.logIn + " "));
        const a = document.createElement("a");
        a.href = cfg.loginUrl;
        a.id = "report-queue-login-link";
        a.textContent = L10N.logInLink;
        login.appendChild(a);
      }
      const list = byId("report-queue-items");
      list.textContent = "";
      records.forEach((record) => list.appendChild(queueItem(record)));
    });
  }

  /* "3 waiting, last try 10:42, next in 30 s" */
  function renderSummary() {
    const now = Date.now();
    const waiting = shown.filter((r) => r.state === "waiting");
    const summary = [];
    if (waiting.length) {
      summary.push(fmt(L10N.summary, { n: waiting.length }));
      const last = Math.max(0, ...waiting.map((r) => r.lastTry || 0));
      if (last) summary.push(fmt(L10N.lastTry, { time: clock(last) }));
      const next = Math.min(...waiting.map((r) => (r.nextTry > now ? r.nextTry : Infinity)));
      if (Number.isFinite(next) && !authNeeded && navigator.onLine !== false) {
        summary.push(fmt(L10N.nextIn, { s: Math.ceil((next - now) / 1000) }));
      }
    }
    byId("report-queue-summary").textContent = summary.join(", ");
  }

  function queueItem(record) {
    const li = document.createElement("li");
    li.className = "queued-report queued-" + record.state;
    li.dataset.clientId = record.clientId;
    const what = document.createElement("strong");
    what.textContent = record.label;
    li.appendChild(what);
    if (record.files && record.files.length) li.appendChild(document.createTextNode(" · " + fmt(L10N.photos, { n: record.files.length })));
    li.appendChild(document.createTextNode(" · "));
    if (record.state === "sent") {
      const a = document.createElement("a");
      a.href = record.url;
      a.textContent = "#" + record.id + " " + (record.duplicate ? L10N.alreadyStored : L10N.sent);
      li.appendChild(a);
      return li;
    }
    const state = document.createElement("span");
    state.className = "queue-state";
    state.textContent = record.state === "refused" ? L10N.refused : (flushing ? L10N.sending : L10N.waiting);
    li.appendChild(state);
    if (record.state === "refused") {
      const errors = document.createElement("ul");
      errors.className = "field-error small";
      Object.entries(record.errors || {}).forEach(([field, messages]) => {
        const e = document.createElement("li");
        e.textContent = field + ": " + (Array.isArray(messages) ? messages.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ") : String(messages));
        errors.appendChild(e);
      });
      li.appendChild(errors);
      li.appendChild(button(L10N.correct, "queue-correct", () => loadIntoForm(record)));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(button(L10N.discard, "queue-discard", () => store.deleteReport(record.clientId).then(render)));
    }
    return li;
  }

  function button(text, className, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "small-link " + className;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  /* ---------- sending ---------- */

  /* A 403 may be a CSRF token gone stale (a page kept offline from an earlier session), not
     a lost session: ask the server for the page again; its token, if it answers with the
     page and not the log-in page, is the session's. */
  function refreshToken() {
    return fetch(reportUrl, { credentials: "same-origin", redirect: "manual", headers: { Accept: "text/html" }, cache: "no-store" })
      .then((response) => (response.ok && response.type === "basic" ? response.text() : null))
      .then((html) => {
        if (!html) return false;
        const token = new DOMParser().parseFromString(html, "text/html").querySelector("input[name=csrfmiddlewaretoken]");
        if (!token || token.value === csrfInput.value) return false;
        csrfInput.value = token.value;
        return store.setMeta("session", session()).then(() => true);
      }, () => false);
  }

  /* Send what is due (all, when `force`); `follow`: the client id just filed, whose page
     opens once stored and which comes back into the form if refused. */
  function flush(options) {
    options = options || {};
    if (flushing || navigator.onLine === false) return Promise.resolve();
    flushing = true;
    clearTimeout(flushTimer);
    return render()
      .then(() => store.flush(session(), options))
      .then((counts) => (counts.auth ? refreshToken().then((fresh) => (fresh ? store.flush(session(), options) : counts)) : counts))
      .then((counts) => {
        flushing = false;
        authNeeded = Boolean(counts.auth);
        if (counts.sent && !counts.retry) note = L10N.allSent;
        if (counts.retry) note = L10N.keptOffline;
        return options.follow ? store.getReport(options.follow) : null;
      })
      .then((followed) => {
        if (followed && followed.state === "sent") { window.location.assign(followed.url); return; }
        if (followed && followed.state === "refused") loadIntoForm(followed);
        return render().then(scheduleNext);
      })
      .catch(() => { flushing = false; });
  }

  /* The next try, at the time the earliest waiting report is due. */
  function scheduleNext() {
    clearTimeout(flushTimer);
    if (authNeeded) return;
    store.reportsOf(cfg.mission, cfg.user).then((records) => {
      const next = Math.min(...records.filter((r) => r.state === "waiting").map((r) => r.nextTry || 0));
      if (Number.isFinite(next)) flushTimer = setTimeout(flush, Math.max(0, next - Date.now()));
    });
  }

  function requestBackgroundSync() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.ready.then((registration) => registration.sync && registration.sync.register(store.SYNC_TAG)).catch(() => undefined);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const offline = navigator.onLine === false;
    // Offline the server cannot check the report: the browser checks what it can first.
    if (offline && !form.checkValidity()) { form.reportValidity(); return; }
    const record = recordFromForm();
    store.enqueue(record).then(() => {
      freshForm();
      if (offline) { note = L10N.keptOffline; requestBackgroundSync(); return render(); }
      // Sent at once; should that fail, the browser's Background Sync may send it too.
      return flush({ force: true, follow: record.clientId }).then(() => store.getReport(record.clientId)).then((kept) => {
        if (kept && kept.state === "waiting") requestBackgroundSync();
      });
    });
  });

  /* ---------- the offline copy, the recent reports ---------- */

  function showOfflineState(state) {
    const status = byId("offline-status");
    if (!state || !state.version) return;
    status.textContent = fmt(L10N.offlineReady, { version: state.version, time: clock(state.savedAt) });
    status.dataset.offlineVersion = state.version;
  }

  function prepareOfflineCopy() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) { showRecent(); return; }
    store.getMeta("mission:" + cfg.mission).then(showOfflineState, () => undefined);
    if (navigator.onLine === false) return;
    navigator.serviceWorker.register(cfg.serviceWorkerUrl, { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => resolve(e.data);
        registration.active.postMessage({ type: "prepare", url: cfg.offlineUrl }, [channel.port2]);
      }))
      .then((answer) => {
        if (answer && answer.ok) showOfflineState(answer.state);
        else byId("offline-status").textContent = L10N.offlineFailed;
        return showRecent();
      })
      .catch(() => { byId("offline-status").textContent = L10N.offlineFailed; showRecent(); });
  }

  function showRecent() {
    return fetch(cfg.mineUrl, { credentials: "same-origin", redirect: "manual", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data) return;
        const section = byId("recent-reports");
        section.hidden = false;
        byId("recent-reports-title").textContent = L10N.recentTitle;
        byId("recent-reports-note").textContent = data.reports.length ? fmt(L10N.recentSaved, { time: clock(Date.parse(data.at)) }) : L10N.recentNone;
        const list = byId("recent-reports-items");
        list.textContent = "";
        data.reports.forEach((r) => {
          const li = document.createElement("li");
          const a = document.createElement("a");
          a.href = r.url;
          a.textContent = "#" + r.id + " " + r.type;
          li.appendChild(a);
          li.appendChild(document.createTextNode(" · " + r.occurred_at + " · " + (r.place ? r.place + " · " : "") + r.status));
          list.appendChild(li);
        });
      }, () => undefined);
  }

  /* The queue of earlier versions (localStorage), moved into IndexedDB once. */
  function migrateLegacyQueue() {
    let legacy = [];
    try { legacy = JSON.parse(localStorage.getItem(cfg.legacyStorageKey)) || []; } catch (e) { legacy = []; }
    if (!legacy.length) { localStorage.removeItem(cfg.legacyStorageKey); return Promise.resolve(); }
    return Promise.all(legacy.map((item) => store.getReport(item.report.client_id).then((known) => known || store.putReport({
      clientId: item.report.client_id, mission: cfg.mission, user: cfg.user, postUrl: reportUrl, detailUrlBase,
      label: item.label, queuedAt: item.queuedAt || new Date().toISOString(), fields: [], files: [], json: item.report,
      state: item.errors ? "refused" : "waiting", errors: item.errors || null, attempts: 0, nextTry: 0,
    })))).then(() => localStorage.removeItem(cfg.legacyStorageKey));
  }

  // A page shown with the server's errors (sent without this script) keeps its report's id.
  if (!form.querySelector(".field-error")) {
    clientIdInput.value = newUuid();
    setTimeNow();
  }
  if (navigator.onLine !== false) store.setMeta("session", session()).catch(() => undefined);
  window.addEventListener("online", () => { authNeeded = false; flush({ force: true }); });
  window.addEventListener("offline", () => render());
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") flush(); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (e) => { if (e.data && e.data.type === "queue-changed") render(); });
  }
  // The countdown ("next in 30 s") moves while reports wait.
  setInterval(renderSummary, 1000);
  migrateLegacyQueue().then(render).then(() => flush({ force: true }));
  prepareOfflineCopy();
  if (navigator.onLine === false) showRecent();
})();
