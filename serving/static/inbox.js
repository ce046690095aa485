// Atiende triage inbox: plain script, no build step, talks only to this server's /v1 API.
(() => {
  "use strict";

  const TEXT = {
    es: {
      subtitle: "bandeja de triaje", apiKey: "Clave API", loadTitle: "Cargar mensajes",
      pasteLabel: "Pega mensajes, uno por línea (o líneas JSON)",
      pastePlaceholder: "Llevo 3 días sin internet y nadie me responde\nMy card was charged twice",
      brand: "Marca", channel: "Canal", private: "Privado", triage: "Priorizar",
      loadFile: "Cargar un fichero JSONL", clear: "Vaciar bandeja", queue: "Bandeja",
      colUrgency: "Urgencia", colPriority: "Prioridad", colSla: "SLA", colMessage: "Mensaje",
      queueEmpty: "Nada en la bandeja: pega mensajes o carga un fichero.", detail: "Mensaje",
      suggestions: "Respuestas sugeridas", reply: "Tu respuesta", copy: "Copiar", toneTitle: "Tono",
      feedback: "Resultado:", accepted: "Aceptada", edited: "Editada", rejected: "Rechazada",
      keyPrompt: "Este servidor pide una clave API (se guarda solo en esta pestaña).", save: "Guardar",
      cancel: "Cancelar", footer: "API y documentación:",
      triaged: "{n} mensajes priorizados.", skipped: "{n} líneas omitidas ({why}).", nothing: "No hay mensajes que priorizar.",
      working: "Priorizando…", loadingSuggestions: "Buscando respuestas…", noSuggestions: "Ninguna respuesta del banco encaja: escribe la tuya.",
      use: "Usar", copied: "Copiado al portapapeles.", copyFailed: "No se pudo copiar: selecciona el texto y pulsa Ctrl+C.",
      saved: "Guardado (#{id}).", emptyReply: "Escribe una respuesta primero.", keyNeeded: "Hace falta la clave API.",
      overdue: "vencido", due: "vence", priority: "prioridad", score: "puntuación", fallbackNote: "Plantilla: nada del banco se parecía.",
      ctxAngry: "muy enfadado", ctxPii: "datos personales", ctxHours: "fuera de horario", ctxPrivate: "pasar a privado",
      crisisActive: "Posible crisis", crisisPast: "Pico anterior", crisisLine: "{n} mensajes críticos o altos en {w} min (habitual: {b}; umbral {t}), desde las {since}",
      examples: "Ejemplos", na: "no aplica", notJson: "línea {line}: no es JSON", noText: "línea {line}: sin texto",
      tooLong: "línea {line}: demasiado largo", error: "Error: {msg}",
      labels: { critical: "Crítica", high: "Alta", normal: "Normal", low: "Baja" },
      checks: { thanks: "Agradece", non_defensive: "No defensiva", offers_solution: "Ofrece solución", human: "Humana",
                private_channel: "Canal privado", service_hours: "Horario", fits_channel: "Cabe en el canal" },
    },
    en: {
      subtitle: "triage inbox", apiKey: "API key", loadTitle: "Load messages",
      pasteLabel: "Paste messages, one per line (or JSON lines)",
      pastePlaceholder: "My card was charged twice\nLlevo 3 días sin internet y nadie me responde",
      brand: "Brand", channel: "Channel", private: "Private", triage: "Prioritize",
      loadFile: "Load a JSONL file", clear: "Clear inbox", queue: "Inbox",
      colUrgency: "Urgency", colPriority: "Priority", colSla: "SLA", colMessage: "Message",
      queueEmpty: "Nothing in the inbox: paste messages or load a file.", detail: "Message",
      suggestions: "Suggested replies", reply: "Your reply", copy: "Copy", toneTitle: "Tone",
      feedback: "Outcome:", accepted: "Accepted", edited: "Edited", rejected: "Rejected",
      keyPrompt: "This server needs an API key (kept in this tab only).", save: "Save",
      cancel: "Cancel", footer: "API and documentation:",
      triaged: "{n} messages prioritized.", skipped: "{n} lines skipped ({why}).", nothing: "No messages to prioritize.",
      working: "Prioritizing…", loadingSuggestions: "Finding replies…", noSuggestions: "Nothing in the bank fits: write your own.",
      use: "Use", copied: "Copied to the clipboard.", copyFailed: "Could not copy: select the text and press Ctrl+C.",
      saved: "Saved (#{id}).", emptyReply: "Write a reply first.", keyNeeded: "The API key is needed.",
      overdue: "overdue", due: "due", priority: "priority", score: "score", fallbackNote: "Template: nothing in the bank was close.",
      ctxAngry: "very angry", ctxPii: "personal data", ctxHours: "outside hours", ctxPrivate: "take to private",
      crisisActive: "Possible crisis", crisisPast: "Earlier spike", crisisLine: "{n} critical or high messages in {w} min (usual: {b}; threshold {t}), since {since}",
      examples: "Examples", na: "not required", notJson: "line {line}: not JSON", noText: "line {line}: no text",
      tooLong: "line {line}: too long", error: "Error: {msg}",
      labels: { critical: "Critical", high: "High", normal: "Normal", low: "Low" },
      checks: { thanks: "Thanks", non_defensive: "Non-defensive", offers_solution: "Offers a solution", human: "Human",
                private_channel: "Private channel", service_hours: "Service hours", fits_channel: "Fits the channel" },
    },
  };
  const CHANNELS = ["twitter", "facebook", "instagram", "private"];
  const LIMITS = { twitter: 280, facebook: 1000, instagram: 1000, private: 2000 };
  const KEY_STORE = "atiende.apiKey";
  const LANG_STORE = "atiende.lang";

  const $ = (sel) => document.querySelector(sel);
  const state = {
    lang: sessionStorage.getItem(LANG_STORE) || ((navigator.language || "es").toLowerCase().startsWith("es") ? "es" : "en"),
    items: [], selected: null, result: null, suggestion: null, seq: 0, toneSeq: 0,
    maxBatch: 50, maxText: 5000, crisis: null, keyPrompt: null,
  };

  function t(key, vars) {
    let s = TEXT[state.lang][key] ?? TEXT.en[key] ?? key;
    for (const [k, v] of Object.entries(vars || {})) {
      s = s.replaceAll(`{${k}}`, Array.isArray(v) ? v.map(([key, kv]) => t(key, kv)).join("; ") : String(v));
    }
    return s;
  }
  // A status line remembers what it says, so that switching the language translates it too.
  function say(node, ...parts) {
    node.dataset.msg = JSON.stringify(parts);
    node.textContent = parts.map(([key, vars]) => t(key, vars)).join(" ");
  }
  function hush(node) { delete node.dataset.msg; node.textContent = ""; node.classList.remove("error"); }
  function sayError(node, e) { say(node, ["error", { msg: e.message }]); node.classList.add("error"); }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k.startsWith("data-") || k === "title" || k === "role" || k === "tabindex") node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) if (c != null) node.append(c);  // text goes in as text, never as HTML
    return node;
  }

  // -- the API ------------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }
  function askKey() {
    if (state.keyPrompt) return state.keyPrompt;
    const dialog = $("#key-dialog");
    state.keyPrompt = new Promise((resolve) => {
      const input = $("#key-input");
      input.value = "";
      const done = (ok) => {
        $("#key-form").onsubmit = null; $("#key-cancel").onclick = null;
        if (dialog.open) dialog.close();
        state.keyPrompt = null;
        resolve(ok);
      };
      $("#key-form").onsubmit = (ev) => {
        ev.preventDefault();
        const key = input.value.trim();
        if (key) sessionStorage.setItem(KEY_STORE, key);
        done(Boolean(key));
      };
      $("#key-cancel").onclick = () => done(false);
      dialog.showModal();
      input.focus();
    });
    return state.keyPrompt;
  }
  async function api(method, path, body, retried = false) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const key = sessionStorage.getItem(KEY_STORE);
    if (key) headers["X-API-Key"] = key;
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401 && !retried) {
      sessionStorage.removeItem(KEY_STORE);
      if (await askKey()) return api(method, path, body, true);
      throw new ApiError(401, t("keyNeeded"));
    }
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    if (!r.ok) throw new ApiError(r.status, (data && data.error && data.error.message) || `HTTP ${r.status}`);
    return data;
  }
  async function readLimits() {  // the server states its own limits in its OpenAPI schema
    try {
      const schema = await (await fetch("/openapi.json")).json();
      const s = schema.components.schemas;
      state.maxBatch = s.PrioritizeRequest.properties.messages.maxItems || state.maxBatch;
      state.maxText = s.MessageIn.properties.text.maxLength || state.maxText;
    } catch (e) { /* keep the defaults */ }
  }

  // -- loading messages ---------------------------------------------------------------------------------
  function toMessage(raw, line, problems) {
    const obj = typeof raw === "string" ? { text: raw } : raw;
    const text = typeof obj.text === "string" ? obj.text : (typeof obj.message === "string" ? obj.message : "");
    if (!text.trim()) { problems.push(["noText", { line }]); return null; }
    if (text.length > state.maxText) { problems.push(["tooLong", { line }]); return null; }
    let id = obj.id != null ? String(obj.id).slice(0, 200) : `m${++state.seq}`;
    while (state.items.some((it) => it.msg.id === id)) id = `${id}-${++state.seq}`;
    const msg = { id, text };
    if (obj.lang === "es" || obj.lang === "en") msg.lang = obj.lang;
    const channel = obj.channel || $("#channel").value;
    if (CHANNELS.includes(channel)) msg.channel = channel;
    const author = obj.author && typeof obj.author === "object" ? obj.author : {};
    const handle = author.handle || obj.author_handle || obj.handle;
    const followers = author.followers ?? obj.author_followers ?? obj.followers;
    if (handle || Number.isInteger(followers)) {
      msg.author = {};
      if (handle) msg.author.handle = String(handle).slice(0, 100);
      if (Number.isInteger(followers) && followers >= 0) msg.author.followers = followers;
    }
    if (typeof obj.created_at === "string" && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(obj.created_at)) msg.created_at = obj.created_at;
    const brand = obj.brand || $("#brand").value.trim();
    if (brand) msg.brand = String(brand).slice(0, 100);
    return msg;
  }
  function parseLines(text, jsonOnly) {
    const messages = [], problems = [];
    text.split(/\r?\n/).forEach((line, i) => {
      const s = line.trim();
      if (!s) return;
      let raw = s;
      if (s.startsWith("{")) {
        try { raw = JSON.parse(s); } catch (e) { problems.push(["notJson", { line: i + 1 }]); return; }
      } else if (jsonOnly) { problems.push(["notJson", { line: i + 1 }]); return; }
      const m = toMessage(raw, i + 1, problems);
      if (m) messages.push(m);
    });
    return { messages, problems };
  }
  async function triage({ messages, problems }) {
    const status = $("#load-status");
    hush(status);
    const skipped = problems.length ? [["skipped", { n: problems.length, why: problems.slice(0, 3) }]] : [];
    if (!messages.length) { say(status, ["nothing"], ...skipped); return; }
    say(status, ["working"]);
    $("#triage").disabled = true;
    try {
      for (let i = 0; i < messages.length; i += state.maxBatch) {
        const batch = messages.slice(i, i + state.maxBatch);
        const out = await api("POST", "/v1/prioritize", { messages: batch });
        out.results.forEach((r, j) => state.items.push({ msg: batch[j], urgency: r.urgency, priority: r.priority, sla: r.sla, done: null }));
        state.items.sort((a, b) => b.priority - a.priority);
        renderQueue();
      }
      say(status, ["triaged", { n: messages.length }], ...skipped);
      $("#paste").value = "";
    } catch (e) {
      sayError(status, e);
    } finally {
      $("#triage").disabled = false;
      pollCrisis();
    }
  }

  // -- the queue ----------------------------------------------------------------------------------------
  function badge(label) { return el("span", { class: `badge badge-${label}`, "data-label": label }, t("labels")[label] || label); }
  function slaText(dueAt) {
    const ms = new Date(dueAt).getTime() - Date.now();
    const s = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    const body = h >= 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : h ? `${h} h ${String(m).padStart(2, "0")} min`
      : `${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
    return { overdue: ms < 0, text: ms < 0 ? `${t("overdue")} −${body}` : body };
  }
  function tickSla() {
    for (const node of document.querySelectorAll(".sla[data-due]")) {
      const { overdue, text } = slaText(node.dataset.due);
      node.textContent = text;
      node.classList.toggle("overdue", overdue);
    }
  }
  function renderQueue() {
    const body = $("#queue tbody");
    body.replaceChildren();
    for (const it of state.items) {
      const who = [it.msg.author && it.msg.author.handle, it.msg.brand && `→ ${it.msg.brand}`].filter(Boolean).join(" ");
      const row = el("tr", { tabindex: "0", "data-id": it.msg.id, "data-priority": String(it.priority), "data-label": it.urgency.label,
                             class: [it === state.selected ? "selected" : "", it.done ? "done" : ""].join(" ").trim() },
        el("td", null, badge(it.urgency.label)),
        el("td", { class: "num" }, it.priority.toFixed(2)),
        el("td", null, el("span", { class: "sla", "data-due": it.sla.due_at })),
        el("td", { class: "text" }, it.done ? el("span", { class: "done-mark", title: t(it.done) }, "✓ ") : null,
           it.msg.text, who ? el("small", null, ` ${who}`) : null));
      row.addEventListener("click", () => openItem(it));
      row.addEventListener("keydown", (ev) => { if (ev.key === "Enter") openItem(it); });
      body.append(row);
    }
    $("#queue-count").textContent = state.items.length ? `(${state.items.length})` : "";
    $("#queue-empty").hidden = state.items.length > 0;
    tickSla();
  }

  // -- one message: suggestions, the editor, tone, copy, feedback --------------------------------------
  async function openItem(it) {
    state.selected = it; state.result = null; state.suggestion = null;
    renderQueue();
    $("#detail").hidden = false;
    $("#detail-text").textContent = it.msg.text;
    $("#editor").value = "";
    $("#tone").replaceChildren();
    $("#suggestions").replaceChildren();
    hush($("#copy-status")); hush($("#feedback-status"));
    renderMeta();
    const status = $("#suggest-status");
    hush(status);
    say(status, ["loadingSuggestions"]);
    try {
      const out = await api("POST", "/v1/suggest", { ...it.msg, k: 3 });
      if (state.selected !== it) return;
      state.result = out;
      if (!out.suggestions.length) say(status, ["noSuggestions"]);
      else if (out.fallback) say(status, ["fallbackNote"]);
      else hush(status);
      renderMeta(); renderSuggestions();
      if (out.suggestions.length) useSuggestion(out.suggestions[0]);
    } catch (e) {
      sayError(status, e);
    }
    pollCrisis();
  }
  function renderMeta() {
    const it = state.selected, meta = $("#detail-meta");
    if (!it) return;
    const parts = [badge(it.urgency.label), el("span", null, `${t("priority")} ${it.priority.toFixed(2)}`),
                   el("span", null, `SLA ${it.sla.minutes} min, ${t("due")} ${new Date(it.sla.due_at).toLocaleString(state.lang)}`)];
    const probs = el("span", { class: "probs" });
    const order = ["critical", "high", "normal", "low"].filter((l) => l in it.urgency.probabilities);
    for (const [label, p] of order.map((l) => [l, it.urgency.probabilities[l]])) probs.append(el("span", null, `${t("labels")[label] || label} ${Math.round(p * 100)}%`));
    parts.push(probs);
    const ctx = state.result && state.result.context;
    if (ctx) {
      if (ctx.topic) parts.push(el("span", { class: "chip" }, ctx.topic.replace("::", " · ")));
      for (const [flag, key] of [["angry", "ctxAngry"], ["pii", "ctxPii"], ["outside_hours", "ctxHours"], ["private_channel", "ctxPrivate"]]) {
        if (ctx[flag]) parts.push(el("span", { class: "chip warn" }, t(key)));
      }
    }
    meta.replaceChildren(...parts);
  }
  function toneChips(tone) {
    const ul = el("ul", { class: "flags" });
    for (const [name, ok] of Object.entries(tone)) {
      ul.append(el("li", { class: ok ? "pass" : "fail", "data-check": name, "data-passed": String(ok) }, `${ok ? "✓" : "✗"} ${t("checks")[name] || name}`));
    }
    return ul;
  }
  function renderSuggestions() {
    const ol = $("#suggestions");
    ol.replaceChildren();
    for (const s of (state.result ? state.result.suggestions : [])) {
      const use = el("button", { type: "button", class: "use" }, t("use"));
      use.addEventListener("click", () => useSuggestion(s));
      ol.append(el("li", { "data-id": s.id, class: state.suggestion === s ? "chosen" : "" },
        el("p", null, s.text), toneChips(s.tone),
        el("div", { class: "row" }, el("small", { class: "muted" }, `${t("score")} ${s.score.toFixed(2)} · ${s.id}`), use)));
    }
  }
  function useSuggestion(s) {
    state.suggestion = s;
    $("#editor").value = s.text;
    renderSuggestions();
    checkTone();
  }
  let toneTimer = null;
  function scheduleTone() { clearTimeout(toneTimer); toneTimer = setTimeout(checkTone, 250); updateCount(); }
  function updateCount() {
    const it = state.selected, n = $("#editor").value.length;
    const limit = LIMITS[(it && it.msg.channel) || "twitter"];
    const counter = $("#char-count");
    counter.textContent = `${n} / ${limit}`;
    counter.classList.toggle("over", n > limit);
  }
  async function checkTone() {
    updateCount();
    const text = $("#editor").value, it = state.selected;
    const seq = ++state.toneSeq;
    const list = $("#tone");
    if (!it || !text.trim()) { list.replaceChildren(); return; }
    const ctx = (state.result && state.result.context) || {};
    try {
      const out = await api("POST", "/v1/tone/check", {
        text: text.slice(0, state.maxText), lang: ctx.lang || it.msg.lang,
        context: { channel: it.msg.channel || "twitter", needs_private: Boolean(ctx.private_channel), pii: Boolean(ctx.pii), outside_hours: Boolean(ctx.outside_hours) } });
      if (seq !== state.toneSeq) return;  // an older answer arriving late
      list.dataset.passed = String(out.passed);
      list.replaceChildren(...Object.entries(out.checks).map(([name, c]) =>
        el("li", { class: c.applicable ? (c.passed ? "pass" : "fail") : "na", "data-check": name, "data-passed": String(c.passed), "data-applicable": String(c.applicable) },
          el("strong", null, `${c.passed ? "✓" : "✗"} ${t("checks")[name] || name}`), c.applicable ? null : el("small", null, ` (${t("na")})`),
          el("span", null, ` ${c.reason}`))));
    } catch (e) {
      if (seq === state.toneSeq) list.replaceChildren(el("li", { class: "fail" }, t("error", { msg: e.message })));
    }
  }
  async function copyReply() {
    const text = $("#editor").value, status = $("#copy-status");
    let ok = false;
    try { await navigator.clipboard.writeText(text); ok = true; } catch (e) {
      const editor = $("#editor");
      editor.focus(); editor.select();
      try { ok = document.execCommand("copy"); } catch (e2) { ok = false; }
    }
    say(status, [ok ? "copied" : "copyFailed"]);
    status.dataset.ok = String(ok);
  }
  async function sendFeedback(outcome) {
    const it = state.selected, status = $("#feedback-status");
    if (!it) return;
    const text = $("#editor").value.trim();
    if (outcome === "edited" && !text) { say(status, ["emptyReply"]); return; }
    const body = { outcome, message: it.msg };
    if (state.suggestion) body.suggestion_id = state.suggestion.id;
    if (state.result) body.model_version = state.result.model_version;
    if (text && outcome !== "rejected") body.final_text = text.slice(0, state.maxText);
    hush(status);
    try {
      const out = await api("POST", "/v1/feedback", body);
      it.done = outcome;
      say(status, ["saved", { id: out.id }]);
      status.dataset.saved = String(out.id);
      renderQueue();
    } catch (e) {
      sayError(status, e);
    }
  }

  // -- crisis banner ------------------------------------------------------------------------------------
  let crisisBusy = false;
  async function pollCrisis() {
    if (crisisBusy) return;
    crisisBusy = true;
    try { state.crisis = await api("GET", "/v1/crisis"); renderCrisis(); } catch (e) { /* the banner keeps its last state */ }
    finally { crisisBusy = false; }
  }
  function renderCrisis() {
    const banner = $("#crisis-banner"), data = state.crisis;
    const alerts = data ? data.alerts : [];
    banner.hidden = !alerts.length;
    banner.classList.toggle("active", alerts.some((a) => a.active));
    banner.replaceChildren(...alerts.map((a) => {
      const since = new Date(a.first_seen).toLocaleTimeString(state.lang, { hour: "2-digit", minute: "2-digit" });
      const what = [a.topic ? a.topic.replace("::", " · ") : "?", a.brand ? `@${a.brand}` : null].filter(Boolean).join(" — ");
      const examples = el("details", null, el("summary", null, t("examples")),
        el("ul", null, ...a.examples.map((x) => el("li", null, badge(x.label), ` ${x.text}`))));
      return el("div", { class: `alert ${a.active ? "active" : "past"}`, "data-topic": a.topic || "", "data-brand": a.brand || "", "data-count": String(a.counts.window) },
        el("strong", null, `⚠ ${a.active ? t("crisisActive") : t("crisisPast")}: ${what}`),
        el("span", null, " " + t("crisisLine", { n: a.counts.peak, w: data.settings.window_minutes, b: a.counts.baseline.toFixed(1), t: a.counts.threshold, since })),
        examples);
    }));
  }

  // -- language -----------------------------------------------------------------------------------------
  function applyLang() {
    document.documentElement.lang = state.lang;
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-msg]")) say(node, ...JSON.parse(node.dataset.msg));
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
    for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
    renderQueue(); renderMeta(); renderSuggestions(); renderCrisis();
    if (state.selected && $("#editor").value.trim()) checkTone();
  }

  function start() {
    for (const b of document.querySelectorAll("[data-lang]")) {
      b.addEventListener("click", () => { state.lang = b.dataset.lang; sessionStorage.setItem(LANG_STORE, state.lang); applyLang(); });
    }
    $("#triage").addEventListener("click", () => triage(parseLines($("#paste").value, false)));
    $("#file").addEventListener("change", async (ev) => {
      const file = ev.target.files[0];
      if (file) await triage(parseLines(await file.text(), /\.(jsonl|ndjson|json)$/i.test(file.name)));
      ev.target.value = "";
    });
    $("#clear").addEventListener("click", () => { state.items = []; state.selected = null; $("#detail").hidden = true; renderQueue(); });
    $("#editor").addEventListener("input", scheduleTone);
    $("#copy").addEventListener("click", copyReply);
    for (const b of document.querySelectorAll("[data-outcome]")) b.addEventListener("click", () => sendFeedback(b.dataset.outcome));
    $("#key-button").addEventListener("click", () => { askKey().then((ok) => { if (ok) pollCrisis(); }); });
    applyLang();
    readLimits();
    pollCrisis();
    setInterval(tickSla, 1000);
    setInterval(pollCrisis, 20000);
    document.body.dataset.ready = "true";
  }
  start();
})();
