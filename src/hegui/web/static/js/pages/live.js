// 实时监控: the supervisors' feed (WS /api/v1/live/feed?whispers=true&min_severity=low) —
// the live conversations the user may see, their findings of every severity (each marked
// in words, not colour alone; a filter shows one severity) and the whispers pushed to their
// agents, appended as they arrive. The token travels as a WebSocket subprotocol
// (`bearer.<token>`), never in the URL.
import * as api from "../api.js";
import { h, notice, when } from "../dom.js";
import { categoryName, t } from "../i18n.js";

let socket = null;  // one feed at a time; closed when the user leaves the page
const SEVERITIES = ["high", "medium", "low"];
// The severity shown ("" all): kept while the tab lives, not in the hash (a new hash would
// reconnect and lose what arrived).
let shown = "";

window.addEventListener("hashchange", () => {
  if (!location.hash.startsWith("#/live")) close();
});

function close() {
  if (socket) { socket.onclose = null; socket.close(1000); socket = null; }
}

export async function live(main) {
  close();
  const state = h("span", { id: "live-state", "data-state": "connecting", "aria-live": "polite" }, t("live_connecting"));
  const active = h("div", { id: "live-active", class: "live-grid", "aria-live": "polite" });
  const ended = h("ul", { id: "live-ended", class: "live-ended" });
  const count = h("span", { id: "live-count", "data-count": 0 }, "0");
  const cards = new Map();  // conversation id → its card's parts
  const empty = h("p", { class: "muted", id: "live-empty" }, t("live_empty"));
  const hiddenNote = h("span", { id: "live-hidden", class: "muted", "aria-live": "polite" });
  const severity = h("select", { id: "live-severity", "aria-controls": "live-active", onchange: () => {
      shown = severity.value;
      active.dataset.severity = shown;
      refreshHidden();
    } },
    h("option", { value: "" }, t("live_severity_all")),
    SEVERITIES.map((s) => h("option", { value: s, selected: shown === s }, t(`live_sev_${s}`))));
  active.dataset.severity = shown;
  main.replaceChildren(
    h("div", { class: "actions live-head" }, h("h1", {}, t("live")), state,
      h("span", { class: "muted" }, `${t("live_active")}: `, count),
      h("button", { type: "button", onclick: () => live(main) }, t("live_reconnect"))),
    h("p", { class: "muted" }, t("live_help")),
    h("div", { class: "filters live-filter" },
      h("label", { for: "live-severity" }, t("live_severity"), severity), hiddenNote),
    h("section", { "aria-label": t("live_active") }, empty, active),
    h("section", { class: "card", "aria-label": t("live_ended") }, h("h2", {}, t("live_ended")), ended));

  // How many findings the filter hides (the CSS hides them: main's #live-active[data-severity]).
  const refreshHidden = () => {
    const n = shown ? active.querySelectorAll(`.live-finding:not([data-severity="${shown}"])`).length : 0;
    hiddenNote.textContent = n ? `${n} ${t("live_hidden")}` : "";
    hiddenNote.dataset.hidden = n;
  };

  const refreshCount = () => {
    count.textContent = String(cards.size);
    count.dataset.count = cards.size;
    empty.hidden = cards.size > 0;
  };
  const cardFor = (cid, event) => {
    if (cards.has(cid)) return cards.get(cid);
    // Its own scroller: focusable, so the keyboard scrolls it too.
    const list = h("ol", { class: "live-events", "aria-label": `${t("conversation")} ${cid}`, tabindex: "0" });
    const found = h("span", { class: "n", "data-findings": 0 }, "0");
    // Findings per severity, in words: 高风险 1 · 中风险 2 · 低风险 0.
    const per = Object.fromEntries(SEVERITIES.map((s) => [s, h("span", { "data-count": 0 }, "0")]));
    const agent = event?.agent ?? {};
    const el = h("article", { class: "card live-card", "data-conversation": cid, "aria-label": `${t("conversation")} ${cid}` },
      h("h2", {}, cid),
      h("p", { class: "muted" }, `${t("agent")}: ${agent.id ?? "—"} · ${t("team")}: ${agent.team ?? "—"}`,
        event ? ` · ${event.channel ?? ""} · ${event.industry ?? ""} · ${t("live_by")} ${event.user ?? ""}` : ""),
      h("p", {}, `${t("live_findings")}: `, found, " (",
        SEVERITIES.map((s, i) => h("span", { class: `sev-${s}`, "data-severity-count": s }, i ? " · " : "", `${t(`live_sev_${s}`)} `, per[s])),
        ")"), list);
    const parts = { el, list, found, per };
    cards.set(cid, parts);
    active.prepend(el);
    refreshCount();
    return parts;
  };
  const append = (parts, item) => { parts.list.append(item); parts.list.scrollTop = parts.list.scrollHeight; };

  const on = {
    start: (e) => cardFor(e.conversation_id, e),
    finding: (e) => {
      const parts = cardFor(e.conversation_id);
      const f = e.finding;
      const bump = (el) => { el.textContent = String(Number(el.textContent) + 1); el.dataset.count = el.textContent; };
      bump(parts.found);
      parts.found.dataset.findings = parts.found.textContent;
      if (parts.per[f.severity]) bump(parts.per[f.severity]);
      const level = SEVERITIES.includes(f.severity) ? f.severity : "low";
      append(parts, h("li", { class: `live-finding sev-row-${level}`, "data-rule": f.rule_id, "data-severity": f.severity },
        h("span", { class: `sev-badge sev-badge-${level}` }, t(`live_sev_${level}`)), " ",
        h("strong", {}, categoryName(f.category)), ` ${f.message ?? ""}`,
        f.evidence ? h("q", {}, f.evidence) : null, " ", h("span", { class: "muted" }, when(new Date().toISOString()))));
      refreshHidden();
    },
    whisper: (e) => {
      const parts = cardFor(e.conversation_id);
      append(parts, h("li", { class: "live-whisper", "data-category": e.category },
        h("span", { class: "badge" }, t("live_whisper")), " ", e.text,
        e.reason === "last_chance" ? h("span", { class: "overdue" }, ` (${t("live_last_chance")})`) : null));
    },
    end: (e) => {
      const parts = cards.get(e.conversation_id);
      if (parts) { parts.el.remove(); cards.delete(e.conversation_id); refreshCount(); refreshHidden(); }
      ended.prepend(h("li", { "data-conversation": e.conversation_id },
        `${when(new Date().toISOString())} ${e.conversation_id} · ${e.outcome === "abandoned" ? t("live_abandoned") : t("live_ended_one")} · ${t("live_findings")} ${e.findings}`));
      while (ended.children.length > 50) ended.lastChild.remove();
    },
    dropped: (e) => notice(`${t("live_dropped")}: ${e.count}`),
    error: (e) => notice(e.detail),
  };

  const url = new URL("/api/v1/live/feed?whispers=true&min_severity=low", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url, ["hegui", `bearer.${api.token()}`]);
  socket = ws;
  const setState = (name) => { state.dataset.state = name; state.textContent = t(`live_${name}`); };
  ws.onopen = () => setState("connected");
  ws.onmessage = (m) => {
    const event = JSON.parse(m.data);
    (on[event.type] ?? (() => {}))(event);
  };
  ws.onclose = (e) => {
    setState("closed");
    if (e.code === 1008) notice(`${t("live_refused")}: ${e.reason}`);
    if (socket === ws) socket = null;
  };
  refreshCount();
}
