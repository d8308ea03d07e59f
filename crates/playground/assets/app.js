// The playground page: renders what the bot sent as Discord would, and sends what a person does back as interactions.
"use strict";

const $ = (s) => document.querySelector(s);
const T = {
  en: {
    person: "Person", language: "Language", send: "Send", dms: "Direct messages",
    act: "Act as the other side", view: "View", sign: "Sign", decline: "Decline",
    approve: "Approve", reject: "Reject", withdraw: "Withdraw", mail: "Mail",
    reason: "Reason (for reject)", onlyYou: "Only you can see this", used: "{name} used {cmd}",
    thinking: "comake-bot is thinking…", submit: "Submit", cancel: "Cancel",
    topic: "The real comake-bot; Comake and Discord are simulated in this process.",
    hint: "Type / for commands. Links open the simulated Comake pages.",
    placeholder: "Message #contracts — type / for commands", noMail: "No mail yet.",
    noDm: "No direct messages yet.", warnings: "bodies the bot sent do not match Discord's spec",
    choose: "Make a selection", signees: "Signees", approvers: "Approval line", to: "To",
    waiting: "waiting", viewed: "viewed", signed: "signed", rejected: "declined", approved: "approved", unknown: "?",
  },
  ko: {
    person: "사용자", language: "언어", send: "보내기", dms: "다이렉트 메시지",
    act: "상대방으로 행동하기", view: "열람", sign: "서명", decline: "서명 반려",
    approve: "결재 승인", reject: "결재 반려", withdraw: "결재요청 취소", mail: "메일",
    reason: "사유 (반려할 때)", onlyYou: "나만 볼 수 있어요", used: "{name} 님이 {cmd} 사용",
    thinking: "comake-bot이 생각하는 중…", submit: "제출", cancel: "취소",
    topic: "실제 comake-bot입니다. 코메이크와 디스코드는 이 프로세스 안에서 흉내 냅니다.",
    hint: "/ 를 입력하면 명령어가 나옵니다. 링크는 흉내 낸 코메이크 페이지를 엽니다.",
    placeholder: "#contracts에 메시지 보내기 — / 로 명령어", noMail: "아직 메일이 없습니다.",
    noDm: "아직 다이렉트 메시지가 없습니다.", warnings: "개의 본문이 디스코드 명세와 맞지 않습니다",
    choose: "선택하세요", signees: "서명자", approvers: "결재선", to: "받는 사람",
    waiting: "대기중", viewed: "열람함", signed: "서명함", rejected: "반려함", approved: "승인함", unknown: "?",
  },
};

let boot = null;
let commands = []; // {group, sub, groupDef, def}
let selected = null; // the command whose options are shown
let lastJson = "";
let people = [];

// ?person=ID&locale=en open the page as someone, in a language.
const query = new URLSearchParams(location.search);
const state = {
  person: query.get("person") || localStorage.getItem("person") || "",
  locale: query.get("locale") || localStorage.getItem("locale") || "ko",
};
const t = (k) => (T[state.locale] || T.en)[k] || k;
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const personName = (id) => (people.find((p) => String(p.id) === String(id)) || {}).name || `user ${id}`;

async function api(path, body) {
  const init = body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const r = await fetch(path, init);
  return r.json();
}

function toast(text) {
  const el = $("#toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 5000);
}

// ----- markdown, as Discord renders it (a subset) -----

function timestamp(secs, style) {
  const d = new Date(Number(secs) * 1000);
  const loc = state.locale === "ko" ? "ko-KR" : "en-US";
  const f = {
    t: { timeStyle: "short" }, T: { timeStyle: "medium" }, d: { dateStyle: "short" },
    D: { dateStyle: "long" }, f: { dateStyle: "long", timeStyle: "short" }, F: { dateStyle: "full", timeStyle: "short" },
  };
  if (style === "R") {
    const diff = (d.getTime() - Date.now()) / 1000;
    const rtf = new Intl.RelativeTimeFormat(loc, { numeric: "auto" });
    const units = [["year", 31536000], ["month", 2592000], ["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
    for (const [u, s] of units) {
      if (Math.abs(diff) >= s || u === "second") return rtf.format(Math.round(diff / s), u);
    }
  }
  return d.toLocaleString(loc, f[style] || f.f);
}

function inline(text, keep) {
  const hold = (html) => `\u0000${keep.push(html) - 1}\u0000`;
  let s = text;
  s = s.replace(/`([^`]+)`/g, (_, c) => hold(`<code>${esc(c)}</code>`));
  s = s.replace(/\\([^A-Za-z0-9\s])/g, (_, c) => hold(esc(c)));
  s = s.replace(/\[([^\]]+)\]\(<?(https?:\/\/[^)\s>]+)>?\)/g, (_, label, url) =>
    hold(`<a href="${esc(url)}" target="_blank" rel="noopener">${inline(label, keep)}</a>`));
  s = s.replace(/<(https?:\/\/[^>\s]+)>/g, (_, url) => hold(`<a href="${esc(url)}" target="_blank" rel="noopener">${esc(url)}</a>`));
  s = s.replace(/https?:\/\/[^\s<]+[^\s<.,:;"')\]]/g, (url) => hold(`<a href="${esc(url)}" target="_blank" rel="noopener">${esc(url)}</a>`));
  s = s.replace(/<t:(-?\d+)(?::([tTdDfFR]))?>/g, (_, n, st) =>
    hold(`<span class="ts" title="${esc(timestamp(n, "F"))}">${esc(timestamp(n, st || "f"))}</span>`));
  s = s.replace(/<@!?(\d+)>/g, (_, id) => hold(`<span class="mention">@${esc(personName(id))}</span>`));
  s = esc(s);
  s = s.replace(/\*\*\*(.+?)\*\*\*/g, "<b><i>$1</i></b>")
    .replace(/\*\*(.+?)\*\*/g, "<b>$1</b>")
    .replace(/__(.+?)__/g, "<u>$1</u>")
    .replace(/\*(.+?)\*/g, "<i>$1</i>")
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, "$1<i>$2</i>")
    .replace(/~~(.+?)~~/g, "<s>$1</s>")
    .replace(/\|\|(.+?)\|\|/g, '<span class="spoiler" onclick="this.classList.add(\'open\')">$1</span>');
  return s;
}

function markdown(text) {
  if (!text) return "";
  const keep = [];
  const blocks = [];
  // Code blocks first: nothing inside them is markdown.
  const src = String(text).replace(/```(?:[a-z0-9]*\n)?([\s\S]*?)```/g, (_, c) => `\u0001${blocks.push(c) - 1}\u0001`);
  const out = [];
  let quote = [];
  const flush = () => { if (quote.length) { out.push(`<blockquote>${quote.join("<br>")}</blockquote>`); quote = []; } };
  for (const line of src.split("\n")) {
    let m;
    if ((m = line.match(/^>>> ?(.*)$/)) || (m = line.match(/^> ?(.*)$/))) { quote.push(inline(m[1], keep)); continue; }
    flush();
    if ((m = line.match(/^(#{1,3}) (.*)$/))) out.push(`<h${m[1].length}>${inline(m[2], keep)}</h${m[1].length}>`);
    else if ((m = line.match(/^-# (.*)$/))) out.push(`<div class="sub">${inline(m[1], keep)}</div>`);
    else if ((m = line.match(/^\s*[-*] (.*)$/))) out.push(`<div>• ${inline(m[1], keep)}</div>`);
    else out.push(`<div>${line ? inline(line, keep) : "<br>"}</div>`);
  }
  flush();
  return out.join("")
    .replace(/\u0001(\d+)\u0001/g, (_, i) => `<pre>${esc(blocks[i])}</pre>`)
    .replace(/\u0000(\d+)\u0000/g, (_, i) => keep[i])
    .replace(/\u0000(\d+)\u0000/g, (_, i) => keep[i]);
}

// ----- messages -----

function renderComponent(c, m) {
  if (c.type === 1 || c.type === 17) {
    const row = document.createElement("div");
    row.className = c.type === 1 ? "row" : "embed";
    for (const child of c.components || []) row.appendChild(renderComponent(child, m));
    return row;
  }
  if (c.type === 10) {
    const d = document.createElement("div");
    d.className = "content";
    d.innerHTML = markdown(c.content);
    return d;
  }
  if (c.type === 2) {
    const label = `${c.emoji && c.emoji.name ? c.emoji.name + " " : ""}${c.label || ""}`;
    if (c.style === 5) {
      const a = document.createElement("a");
      a.className = `btn s5${c.disabled ? " disabled" : ""}`;
      a.dataset.testid = "button";
      a.textContent = label;
      a.insertAdjacentHTML("beforeend", ' <span aria-hidden="true">↗</span>');
      if (!c.disabled) { a.href = c.url; a.target = "_blank"; a.rel = "noopener"; }
      return a;
    }
    const b = document.createElement("button");
    b.className = `btn s${c.style || 2}`;
    b.dataset.testid = "button";
    b.textContent = label;
    b.disabled = !!c.disabled;
    b.onclick = () => press(m, { custom_id: c.custom_id, component_type: 2 });
    return b;
  }
  if (c.type === 3) {
    const s = document.createElement("select");
    s.dataset.testid = "select";
    s.disabled = !!c.disabled;
    s.innerHTML = `<option value="">${esc(c.placeholder || t("choose"))}</option>` +
      (c.options || []).map((o) => `<option value="${esc(o.value)}" title="${esc(o.description || "")}"${o.default ? " selected" : ""}>${esc((o.emoji && o.emoji.name ? o.emoji.name + " " : "") + o.label)}</option>`).join("");
    s.onchange = () => s.value && press(m, { custom_id: c.custom_id, component_type: 3, values: [s.value] });
    return s;
  }
  const d = document.createElement("div");
  d.className = "warning";
  d.textContent = `(component type ${c.type} is not drawn by the playground)`;
  return d;
}

function renderMessage(m) {
  const el = document.createElement("div");
  const private_ = m.only_for !== null && m.only_for !== undefined;
  el.className = `message${private_ ? " ephemeral" : ""}`;
  el.dataset.testid = "message";
  el.dataset.ephemeral = private_ ? "true" : "false";
  el.dataset.id = m.id;
  let html = "";
  if (m.invoked) {
    const used = esc(t("used")).replace("{name}", `<b>${esc(personName(m.by))}</b>`).replace("{cmd}", `<b>${esc(m.invoked)}</b>`);
    html += `<div class="invoked">↱ ${used}</div>`;
  }
  html += `<div class="avatar">C</div><div class="head"><span class="name">comake-bot</span><span class="app">APP</span><span class="time">${esc(new Date(m.at).toLocaleTimeString(state.locale === "ko" ? "ko-KR" : "en-US", { timeStyle: "short" }))}</span></div>`;
  el.innerHTML = html;
  const body = m.body || {};
  if (m.thinking) {
    el.insertAdjacentHTML("beforeend", `<div class="thinking">${esc(t("thinking"))}</div>`);
  }
  if (body.content) {
    const c = document.createElement("div");
    c.className = "content";
    c.innerHTML = markdown(body.content);
    el.appendChild(c);
  }
  for (const e of body.embeds || []) {
    const d = document.createElement("div");
    d.className = "embed";
    if (e.color) d.style.borderLeftColor = `#${Number(e.color).toString(16).padStart(6, "0")}`;
    d.innerHTML = (e.title ? `<div class="title">${e.url ? `<a href="${esc(e.url)}" target="_blank">${inline(e.title, [])}</a>` : markdown(e.title)}</div>` : "") +
      (e.description ? `<div class="content">${markdown(e.description)}</div>` : "") +
      (e.fields || []).map((f) => `<div class="field-name">${markdown(f.name)}</div><div class="content">${markdown(f.value)}</div>`).join("") +
      (e.footer && e.footer.text ? `<div class="hint">${esc(e.footer.text)}</div>` : "");
    el.appendChild(d);
  }
  for (const c of body.components || []) el.appendChild(renderComponent(c, m));
  if (private_) el.insertAdjacentHTML("beforeend", `<div class="only-you">👁 ${esc(t("onlyYou"))}</div>`);
  for (const w of m.warnings || []) el.insertAdjacentHTML("beforeend", `<div class="warning" data-testid="spec-warning">⚠ ${esc(w)}</div>`);
  return el;
}

function fill(container, messages, empty) {
  const nearBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 80;
  container.replaceChildren(...messages.map(renderMessage));
  if (!messages.length) container.innerHTML = `<p class="hint" style="padding:0 12px">${esc(empty)}</p>`;
  if (nearBottom) container.scrollTop = container.scrollHeight;
}

function render(s) {
  fill($("#channel"), s.channel, "");
  fill($("#dms"), s.dms, t("noDm"));
  const w = $("#warnings");
  const down = s.bot && !s.bot.running;
  w.hidden = !s.warnings.length && !down;
  w.innerHTML = (down ? `⚠ comake-bot stopped:<pre>${esc(s.bot.log)}</pre>` : "") +
    (s.warnings.length ? `⚠ ${s.warnings.length} ${esc(t("warnings"))}<br>${s.warnings.map(esc).join("<br>")}` : "");
  $("#mails").innerHTML = s.mails.length ? s.mails.slice().reverse().map((m) =>
    `<div class="mail" data-testid="mail"><div class="subj">${esc(m.subject)}</div><div class="hint">${esc(t("to"))}: ${esc(m.to.join(", "))}</div><pre>${esc(m.body)}</pre></div>`).join("") :
    `<p class="hint">${esc(t("noMail"))}</p>`;
}

async function poll() {
  try {
    const s = await api(`/api/state?person=${state.person}`);
    const json = JSON.stringify(s) + state.locale;
    if (json !== lastJson) { lastJson = json; render(s); }
  } catch (e) { /* the page keeps trying while the playground restarts */ }
  setTimeout(poll, 700);
}

// ----- doing things -----

async function handle(r, message) {
  if (!r.ok) { toast(r.error); return; }
  if (r.result && r.result.modal) openModal(r.result.modal, message);
  lastJson = "";
}

async function press(m, what) {
  handle(await api("/api/component", { person: state.person, locale: state.locale, message: m.id, values: [], ...what }), m.id);
}

function openModal(modal, message) {
  const form = $("#modal");
  const inputs = [];
  const field = (c, label) => {
    const id = `modal-input-${c.custom_id}`;
    const tag = c.style === 2 ? "textarea" : "input";
    inputs.push(c.custom_id);
    return `<label>${esc(label || c.label || c.custom_id)}${c.required === false ? "" : ' <span class="req">*</span>'}
      <${tag} name="${esc(c.custom_id)}" data-testid="${esc(id)}" placeholder="${esc(c.placeholder || "")}"
      ${c.min_length ? `minlength="${c.min_length}"` : ""} ${c.max_length ? `maxlength="${c.max_length}"` : ""}
      ${c.required === false ? "" : "required"}>${tag === "textarea" ? esc(c.value || "") + "</textarea>" : ""}</label>`;
  };
  let html = `<h2>${esc(modal.title || "")}</h2>`;
  for (const row of modal.components || []) {
    if (row.type === 18 && row.component) html += field(row.component, row.label);
    for (const c of row.components || []) if (c.type === 4) html += field(c);
  }
  html += `<div class="foot"><button type="button" class="cancel">${esc(t("cancel"))}</button><button type="submit" class="btn s1" data-testid="modal-submit">${esc(t("submit"))}</button></div>`;
  form.innerHTML = html;
  for (const c of form.querySelectorAll("input")) {
    const def = (modal.components || []).flatMap((r) => r.components || (r.component ? [r.component] : [])).find((x) => x.custom_id === c.name);
    if (def && def.value) c.value = def.value;
  }
  $("#modal-back").hidden = false;
  form.querySelector(".cancel").onclick = () => { $("#modal-back").hidden = true; };
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    $("#modal-back").hidden = true;
    const values = inputs.map((id) => [id, form.querySelector(`[name="${CSS.escape(id)}"]`).value]);
    handle(await api("/api/modal", { person: state.person, locale: state.locale, message: message || null, custom_id: modal.custom_id, inputs: values }));
  };
  const first = form.querySelector("input, textarea");
  if (first) first.focus();
}

// ----- the command box -----

const loc = (def) => (state.locale === "ko" && def.name_localizations && def.name_localizations.ko) || def.name;
const desc = (def) => (state.locale === "ko" && def.description_localizations && def.description_localizations.ko) || def.description;
const display = (c) => `${loc(c.groupDef)} ${loc(c.def)}`;

function findCommand(text) {
  const body = text.replace(/^\//, "");
  let best = null;
  for (const c of commands) {
    for (const name of [`${c.group} ${c.sub}`, display(c)]) {
      if ((body === name || body.startsWith(name + " ")) && (!best || name.length > best.len)) best = { c, len: name.length };
    }
  }
  return best;
}

function showSuggestions() {
  const text = $("#cmd").value;
  const box = $("#suggest");
  if (!text.startsWith("/") || findCommand(text)) { box.hidden = true; return; }
  const q = text.slice(1).toLowerCase();
  const hits = commands.filter((c) => `${c.group} ${c.sub}`.startsWith(q) || display(c).toLowerCase().startsWith(q));
  box.hidden = !hits.length;
  box.innerHTML = hits.map((c, i) => `<div class="sugg" data-testid="suggestion" data-i="${commands.indexOf(c)}">/${esc(display(c))}<span class="d">${esc(desc(c.def))}</span></div>`).join("");
  for (const el of box.querySelectorAll(".sugg")) {
    el.onclick = () => { $("#cmd").value = `/${display(commands[el.dataset.i])} `; box.hidden = true; selectCommand(); $("#cmd").focus(); };
  }
}

function selectCommand() {
  const hit = findCommand($("#cmd").value);
  const c = hit && hit.c;
  if (c === selected) return;
  selected = c;
  const opts = $("#opts");
  opts.innerHTML = "";
  if (!c) return;
  for (const o of c.def.options || []) {
    const wrap = document.createElement("label");
    wrap.className = "opt";
    wrap.innerHTML = `<span>${esc(loc(o))}${o.required ? ' <span class="req">*</span>' : ""}</span>`;
    let input;
    if (o.choices || o.type === 5 || o.type === 6) {
      input = document.createElement("select");
      const choices = o.choices ? o.choices.map((ch) => [ch.value, loc(ch)]) :
        o.type === 5 ? [[true, "true"], [false, "false"]] : people.map((p) => [p.id, `${p.name} (@${p.username})`]);
      input.innerHTML = `<option value=""></option>` + choices.map(([v, n]) => `<option value="${esc(v)}">${esc(n)}</option>`).join("");
    } else {
      input = document.createElement("input");
      if (o.type === 4) input.type = "number";
      if (o.autocomplete) autocomplete(input, wrap, c, o);
    }
    input.title = desc(o);
    input.placeholder = desc(o);
    input.dataset.option = o.name;
    input.dataset.type = o.type;
    input.dataset.testid = `option-${o.name}`;
    wrap.appendChild(input);
    opts.appendChild(wrap);
  }
}

function optionValues(focused) {
  const out = [];
  for (const input of document.querySelectorAll("#opts [data-option]")) {
    const raw = input.dataset.value !== undefined && input.dataset.shown === input.value ? input.dataset.value : input.value;
    if (raw === "" && input.dataset.option !== focused) continue;
    const type = Number(input.dataset.type);
    const value = type === 4 ? Number(raw) : type === 5 ? raw === "true" : String(raw);
    out.push({ name: input.dataset.option, type, value, focused: input.dataset.option === focused });
  }
  return out;
}

function autocomplete(input, wrap, c, o) {
  const list = document.createElement("div");
  list.className = "choices";
  list.dataset.testid = `choices-${o.name}`;
  wrap.appendChild(list);
  let timer = null;
  const ask = async () => {
    // The field is gone once the command was sent.
    if (!input.isConnected) return;
    const r = await api("/api/command", { person: state.person, locale: state.locale, command: `${c.group} ${c.sub}`, autocomplete: true, options: optionValues(o.name) });
    const choices = (r.ok && r.result && r.result.choices) || [];
    // Redraw only what changed, so a choice under the pointer stays put.
    const key = JSON.stringify(choices);
    if (key === list.dataset.key && list.children.length) return;
    list.dataset.key = key;
    list.innerHTML = choices.map((ch, i) => `<div class="sugg" data-testid="choice" data-i="${i}">${esc(ch.name)}</div>`).join("");
    for (const el of list.querySelectorAll(".sugg")) {
      el.onmousedown = (ev) => {
        ev.preventDefault();
        const ch = choices[el.dataset.i];
        input.value = ch.name;
        input.dataset.value = ch.value;
        input.dataset.shown = ch.name;
        list.innerHTML = "";
        list.dataset.key = "";
      };
    }
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(ask, 250); });
  input.addEventListener("focus", ask);
  input.addEventListener("blur", () => setTimeout(() => { list.innerHTML = ""; list.dataset.key = ""; }, 150));
}

async function sendCommand() {
  const text = $("#cmd").value.trim();
  if (!text) return;
  const hit = findCommand(text);
  if (!hit) { toast(state.locale === "ko" ? "알 수 없는 명령어입니다. / 를 입력해 보세요." : "Unknown command: type / to see them."); return; }
  const c = hit.c;
  const options = optionValues(null);
  // `name:value` typed after the command fills the options left empty.
  const rest = text.replace(/^\//, "").slice(hit.len).trim();
  const defs = c.def.options || [];
  const re = /(\S+?):/g;
  const marks = [];
  let m;
  while ((m = re.exec(rest))) {
    const def = defs.find((d) => d.name === m[1] || loc(d) === m[1]);
    if (def && (m.index === 0 || rest[m.index - 1] === " ")) marks.push({ def, at: m.index, from: m.index + m[0].length });
  }
  marks.forEach((mk, i) => {
    const raw = rest.slice(mk.from, i + 1 < marks.length ? marks[i + 1].at : rest.length).trim();
    if (options.some((o) => o.name === mk.def.name)) return;
    const choice = (mk.def.choices || []).find((ch) => ch.value === raw || loc(ch) === raw || ch.name === raw);
    const v = choice ? choice.value : raw;
    options.push({ name: mk.def.name, type: mk.def.type, value: mk.def.type === 4 ? Number(v) : mk.def.type === 5 ? v === "true" : v });
  });
  const typed = `/${display(c)}` + options.map((o) => ` ${o.name}:${o.type === 6 ? "@" + personName(o.value) : o.value}`).join("");
  $("#cmd").value = "";
  selectCommand();
  handle(await api("/api/command", { person: state.person, locale: state.locale, command: `${c.group} ${c.sub}`, typed, options }));
}

// ----- acting as the other side -----

let contracts = [];
async function loadContracts() {
  try {
    const fresh = await api("/api/contracts");
    const sel = $("#contract");
    // Redraw only what changed: an open select would close.
    if (JSON.stringify(fresh) === JSON.stringify(contracts) && sel.options.length) return;
    contracts = fresh;
    const keep = sel.value;
    sel.innerHTML = contracts.map((c) => `<option value="${esc(c.id)}">${esc(c.name)} — ${esc(c.status)}</option>`).join("");
    if (contracts.some((c) => c.id === keep)) sel.value = keep;
    showContract();
  } catch (e) { /* retried on the next round */ }
}

function showContract() {
  const c = contracts.find((x) => x.id === $("#contract").value);
  const who = (list) => list.map((p) => `${p.name} (${t(p.status)})`);
  $("#contract-info").textContent = c ? `${t("signees")}: ${who(c.signees).join(", ") || "—"}` + (c.approvers.length ? `\n${t("approvers")}: ${who(c.approvers).join(" → ")}` : "") : "";
}

async function act(action) {
  const r = await api("/api/act", { contract: $("#contract").value, action, reason: $("#reason").value || null });
  $("#act-result").textContent = r.ok ? `✓ ${r.result}` : `✗ ${r.error}`;
  loadContracts();
}

// ----- start -----

function applyLocale() {
  document.documentElement.lang = state.locale;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  $("#reason").placeholder = t("reason");
  $("#cmd").placeholder = t("placeholder");
  selected = null;
  selectCommand();
  lastJson = "";
}

async function start() {
  boot = await api("/api/boot");
  people = boot.people;
  commands = boot.commands.flatMap((g) => (g.options || []).filter((s) => s.type === 1).map((s) => ({ group: g.name, sub: s.name, groupDef: g, def: s })));
  if (!people.some((p) => p.id === state.person)) state.person = people[0].id;
  $("#person").innerHTML = people.map((p) => `<option value="${p.id}">${esc(p.name)} (@${esc(p.username)})${p.admin ? " · admin" : ""}${p.linked ? "" : " · not linked"}</option>`).join("");
  $("#person").value = String(state.person);
  $("#locale").value = state.locale;
  $("#person").onchange = () => { state.person = $("#person").value; localStorage.setItem("person", state.person); lastJson = ""; };
  $("#locale").onchange = () => { state.locale = $("#locale").value; localStorage.setItem("locale", state.locale); applyLocale(); };
  $("#cmd").addEventListener("input", () => { showSuggestions(); selectCommand(); });
  $("#cmd").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); sendCommand(); } });
  $("#send").onclick = sendCommand;
  $("#contract").onchange = showContract;
  for (const b of document.querySelectorAll("[data-act]")) b.onclick = () => act(b.dataset.act);
  applyLocale();
  poll();
  loadContracts();
  setInterval(loadContracts, 4000);
}

start();
