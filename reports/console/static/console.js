// Standby exercise console: polls the server twice a second and draws what changed.
// Text from the room is only ever written with textContent, never as HTML.
// Entries are kept in this browser until the server says "saved", and sent again if the
// server was away (each carries a key, so a retry is never recorded twice).
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("console-data").textContent);
  const POLL_MS = 500;
  const PENDING = "standby-pending";
  const state = {
    lastId: 0,
    records: [],
    injects: {},
    adhoc: [],
    clock: { minute: 0, running: false, started: false, speed: 1 },
    clockAt: performance.now(),
    mapKey: null,
    online: false,
  };
  const injectById = Object.fromEntries(data.injects.map((i) => [i.id, i]));
  const timeFormat = new Intl.DateTimeFormat("en-GB", {
    timeZone: data.timezone, hour: "2-digit", minute: "2-digit", hour12: false,
  });
  const startMs = Date.parse(data.start);

  // --- small helpers ------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clockText(minute) {
    return timeFormat.format(new Date(startMs + minute * 60000));
  }

  function minuteText(minute) {
    return "+" + Math.floor(minute + 1e-9) + " min";
  }

  function nowMinute() {
    const c = state.clock;
    if (!c.running) return c.minute;
    return c.minute + ((performance.now() - state.clockAt) / 60000) * c.speed;
  }

  function randomKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function setMessage(node, text, isError) {
    if (!node) return;
    node.textContent = text;
    node.classList.toggle("error", Boolean(isError));
  }

  // --- sending, with retries until the server answers ---------------------------------

  function pending() {
    try { return JSON.parse(localStorage.getItem(PENDING) || "[]"); } catch (e) { return []; }
  }

  function savePending(list) {
    try { localStorage.setItem(PENDING, JSON.stringify(list)); } catch (e) { /* private mode */ }
  }

  async function send(url, body, message) {
    body.client_key = body.client_key || randomKey();
    savePending(pending().concat([{ url: url, body: body }]));
    setMessage(message, "Saving…", false);
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Standby-CSRF": data.csrf },
          body: JSON.stringify(body),
          credentials: "same-origin",
        });
      } catch (error) {
        setMessage(message, "Not saved yet: the console is not answering. Trying again…", true);
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * (attempt + 1))));
        continue;
      }
      if (response.status >= 500) {
        setMessage(message, "Not saved yet: the log is busy. Trying again…", true);
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * (attempt + 1))));
        continue;
      }
      savePending(pending().filter((p) => p.body.client_key !== body.client_key));
      let answer = {};
      try { answer = await response.json(); } catch (e) { answer = {}; }
      if (!response.ok) {
        if (response.status === 401) { window.location.href = "/login?next=" + encodeURIComponent(location.pathname); }
        setMessage(message, answer.error || "Refused (" + response.status + ")", true);
        return null;
      }
      setMessage(message, "Saved (entry " + answer.record.id + ", " + clockText(answer.record.scenario_minute) + ")", false);
      poll();
      return answer.record;
    }
  }

  function resendPending() {
    for (const item of pending()) {
      savePending(pending().filter((p) => p.body.client_key !== item.body.client_key));
      send(item.url, item.body, null);
    }
  }

  // --- polling ------------------------------------------------------------------------

  let polling = false;
  async function poll() {
    if (polling) return;
    polling = true;
    try {
      let more = true;
      while (more) {
        const response = await fetch("/api/updates?since=" + state.lastId, { credentials: "same-origin", cache: "no-store" });
        if (response.status === 401) { window.location.href = "/login?next=" + encodeURIComponent(location.pathname); return; }
        if (!response.ok) throw new Error("status " + response.status);
        const update = await response.json();
        apply(update);
        more = update.more;
      }
      setOnline(true);
    } catch (error) {
      setOnline(false);
    } finally {
      polling = false;
    }
  }

  function loop() {
    poll().finally(() => setTimeout(loop, POLL_MS));
  }

  function setOnline(online) {
    const node = document.getElementById("connection");
    if (state.online === online && node.dataset.set) return;
    state.online = online;
    node.dataset.set = "1";
    node.textContent = online ? "live" : "reconnecting…";
    node.classList.toggle("offline", !online);
  }

  function apply(update) {
    const fresh = update.records.filter((r) => r.id > state.lastId);
    for (const record of fresh) state.records.push(record);
    if (fresh.length) state.lastId = fresh[fresh.length - 1].id;
    state.injects = update.injects;
    state.adhoc = update.adhoc;
    state.clock = update.clock;
    state.clockAt = performance.now();
    if (data.view === "control") drawControl(fresh.length > 0);
    if (data.view === "room") drawRoom(update.map, fresh.length > 0);
    if (data.view === "log" && fresh.length) drawLog();
    drawClock();
  }

  // --- the clock ----------------------------------------------------------------------

  function drawClock() {
    const minute = nowMinute();
    const c = state.clock;
    const stateText = !c.started ? "not started" : c.running ? (c.speed === 1 ? "running" : "running " + c.speed + "×") : "paused";
    document.getElementById("clock-time").textContent = clockText(minute);
    document.getElementById("clock-minute").textContent = minuteText(minute);
    const stateNode = document.getElementById("clock-state");
    stateNode.textContent = stateText;
    stateNode.className = "clock-state " + (c.running ? "running" : "stopped");
    if (data.view === "room") {
      document.getElementById("room-clock").textContent = clockText(minute);
      document.getElementById("room-minute").textContent = minuteText(minute) + " · " + stateText;
    }
    if (data.view === "control") markDue(minute);
  }

  // --- control view -------------------------------------------------------------------

  function statusText(status) {
    if (!status) return "pending";
    const at = status.minute === null ? "" : " at " + clockText(status.minute);
    return status.status + at;
  }

  function markDue(minute) {
    for (const row of document.querySelectorAll("tr[data-inject]")) {
      const status = (state.injects[row.dataset.inject] || { status: "pending" }).status;
      const due = status === "pending" && Number(row.dataset.minute) <= minute + 1e-9;
      row.classList.toggle("due", due);
    }
  }

  function drawControl(changed) {
    const c = state.clock;
    document.getElementById("clock-start").disabled = c.started;
    document.getElementById("clock-pause").disabled = !c.running;
    document.getElementById("clock-resume").disabled = !c.started || c.running;
    for (const row of document.querySelectorAll("tr[data-inject]")) {
      const status = state.injects[row.dataset.inject];
      const name = status ? status.status : "pending";
      row.dataset.state = name;
      row.querySelector("[data-status]").textContent = statusText(status);
      const allowed = { pending: ["release", "hold", "skip"], held: ["release", "skip"], skipped: ["release"], released: [] }[name];
      for (const button of row.querySelectorAll("button[data-action]")) {
        button.hidden = !allowed.includes(button.dataset.action);
      }
    }
    const adhocRows = document.getElementById("adhoc-rows");
    adhocRows.replaceChildren(...state.adhoc.map((a) => {
      const row = el("tr");
      row.dataset.state = "released";
      row.append(el("td", "when", clockText(a.minute)), el("td", null, a.id), el("td", null, "Exercise control → " + (a.to || "")),
        el("td", null, a.text), el("td", "muted", "ad-hoc inject"), el("td"), el("td", "status", "released at " + clockText(a.minute)), el("td"));
      return row;
    }));
    if (changed) {
      drawPlayers();
      drawRecent(document.getElementById("recent"));
    }
  }

  function drawPlayers() {
    const reached = {};
    for (const r of state.records) {
      if (r.kind === "milestone" && r.task && !(r.task in reached)) reached[r.task] = r.scenario_minute;
    }
    for (const cell of document.querySelectorAll("td.players")) {
      const minute = reached[cell.dataset.task];
      if (minute === undefined) continue;
      cell.replaceChildren(el("strong", null, minuteText(minute)), el("span", "muted", " (" + clockText(minute) + ")"));
    }
  }

  function kindLabel(kind) {
    return kind.replace("inject_", "inject ").replace("_", " ");
  }

  function drawRecent(list) {
    const limit = Number(list.dataset.limit || 12);
    const items = state.records.slice(-limit).reverse().map((r) => {
      const item = el("li", "entry kind-" + r.kind);
      item.append(el("span", "when", clockText(r.scenario_minute)), el("span", "badge", kindLabel(r.kind)));
      if (r.who) item.append(el("span", "who", r.who));
      item.append(el("span", "text", r.text));
      return item;
    });
    list.replaceChildren(...items);
  }

  function setupControl() {
    for (const button of document.querySelectorAll("button[data-clock]")) {
      button.addEventListener("click", () => send("/api/clock", { action: button.dataset.clock }, document.getElementById("clock-message")));
    }
    document.getElementById("jump-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = event.target.elements.to;
      send("/api/clock", { action: "jump", to: input.value }, document.getElementById("clock-message")).then((r) => { if (r) input.value = ""; });
    });
    document.getElementById("speed-form").addEventListener("submit", (event) => {
      event.preventDefault();
      send("/api/clock", { action: "speed", speed: Number(event.target.elements.speed.value) }, document.getElementById("clock-message"));
    });
    for (const button of document.querySelectorAll("tr[data-inject] button[data-action]")) {
      button.addEventListener("click", () => {
        const id = button.closest("tr").dataset.inject;
        send("/api/injects/" + encodeURIComponent(id) + "/" + button.dataset.action, {}, document.getElementById("inject-message"));
      });
    }
    const adhoc = document.getElementById("adhoc-form");
    adhoc.addEventListener("submit", (event) => {
      event.preventDefault();
      const f = adhoc.elements;
      send("/api/adhoc", { to: f.to.value, text: f.text.value, objective: f.objective.value || null }, adhoc.querySelector(".message"))
        .then((r) => { if (r) f.text.value = ""; });
    });
  }

  // --- room view ----------------------------------------------------------------------

  function drawRoom(map, changed) {
    if (map && map.key !== state.mapKey) {
      state.mapKey = map.key;
      document.getElementById("plume-map").src = "/map/" + encodeURIComponent(map.key) + ".png";
      document.getElementById("map-caption").textContent = map.caption;
      document.getElementById("room-wind").textContent = map.caption + ".";
    }
    if (!changed) return;
    const released = state.records.filter((r) => r.kind === "inject_released");
    const seen = new Set();
    const cards = [];
    for (const r of released.slice().reverse()) {
      if (seen.has(r.inject)) continue;
      seen.add(r.inject);
      const inject = injectById[r.inject] || { type: "ad-hoc", from: "Exercise control", to: r.who, method: "" };
      const card = el("li", "inject-card type-" + inject.type);
      const head = el("div", "card-head");
      head.append(el("span", "when", clockText(r.scenario_minute)), el("span", "badge", inject.type), el("span", "route", (inject.from || "") + " → " + (inject.to || r.who || "")));
      card.append(head, el("p", "card-text", r.text));
      cards.push(card);
    }
    document.getElementById("inject-cards").replaceChildren(...cards);
    document.getElementById("no-cards").hidden = cards.length > 0;
  }

  // --- log view -----------------------------------------------------------------------

  function details(r) {
    const parts = [];
    if (r.rationale) parts.push((r.kind === "observation" ? "Evidence: " : "Rationale: ") + r.rationale);
    if (r.jdm_stage) parts.push("JDM: " + (data.jdm_stages[r.jdm_stage] || r.jdm_stage));
    if (r.finding) parts.push(data.findings[r.finding] || r.finding);
    if (r.objective) parts.push("Objective: " + r.objective);
    if (r.task) parts.push("Milestone: " + (data.tasks[r.task] || r.task));
    if (r.inject) parts.push("Inject: " + r.inject);
    if (r.rating) parts.push("Rating: " + r.rating + " (" + (data.ratings[r.rating] || "") + ")");
    return parts;
  }

  function drawLog() {
    const filter = document.getElementById("log-filter").value;
    const shown = state.records.filter((r) => !filter || r.kind === filter || (filter === "inject" && r.kind.startsWith("inject_")));
    const rows = shown.slice().reverse().map((r) => {
      const row = el("tr", "kind-" + r.kind);
      row.dataset.id = r.id;
      const detailCell = el("td", "details");
      for (const line of details(r)) detailCell.append(el("div", null, line));
      row.append(el("td", "when", clockText(r.scenario_minute) + " (" + minuteText(r.scenario_minute) + ")"),
        el("td", null, kindLabel(r.kind)), el("td", null, r.who || ""), el("td", "text", r.text), detailCell);
      return row;
    });
    document.getElementById("log-rows").replaceChildren(...rows);
    document.getElementById("log-count").textContent = state.records.length + " entries";
  }

  function setupLog() {
    for (const tab of document.querySelectorAll("[data-tab]")) {
      tab.addEventListener("click", () => {
        for (const other of document.querySelectorAll("[data-tab]")) {
          other.classList.toggle("current", other === tab);
          other.setAttribute("aria-selected", other === tab ? "true" : "false");
        }
        for (const form of document.querySelectorAll(".entry-form")) form.hidden = form.dataset.kind !== tab.dataset.tab;
      });
    }
    const who = localStorage.getItem("standby-who") || "";
    for (const input of document.querySelectorAll("input.who")) input.value = who;
    for (const form of document.querySelectorAll(".entry-form")) {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const body = { kind: form.dataset.kind };
        for (const field of form.elements) {
          if (field.name) body[field.name] = field.value.trim() === "" ? null : field.value;
        }
        if (body.who) {
          localStorage.setItem("standby-who", body.who);
          for (const input of document.querySelectorAll("input.who")) if (!input.value) input.value = body.who;
        }
        send("/api/entries", body, form.querySelector(".message")).then((record) => {
          if (!record) return;
          for (const field of form.querySelectorAll("textarea, input[name=time]")) field.value = "";
        });
      });
    }
    document.getElementById("log-filter").addEventListener("change", drawLog);
  }

  // --- start --------------------------------------------------------------------------

  for (const node of document.querySelectorAll(".scenario-clock")) node.textContent = clockText(Number(node.dataset.minute));
  if (data.view === "control") setupControl();
  if (data.view === "log") setupLog();
  setInterval(drawClock, 250);
  resendPending();
  loop();
})();
