// 案件: the finding, its evidence in the (masked) transcript, the rule and its legal source,
// the history, and the actions the user's role may take in the case's status. Where the call
// was uploaded as audio, its recording plays here and ▶ seeks to each utterance; a compliance
// manager may read the raw text (a reason asked for, the read audited by the API).
import * as api from "../api.js";
import { clock, h, notice, when } from "../dom.js";
import { categoryName, speaker, t } from "../i18n.js";

// The object URL of the recording on screen: one at a time, revoked when the page changes.
let audioUrl = null;
function releaseAudio() {
  if (audioUrl) URL.revokeObjectURL(audioUrl);
  audioUrl = null;
}
window.addEventListener("hashchange", releaseAudio);

const ASSIGNERS = ["reviewer", "compliance_manager", "team_lead"];
const OPEN = ["new", "appealed"];

export async function casePage(main, { id, me }) {
  releaseAudio();
  const c = await api.get(`/api/v1/cases/${encodeURIComponent(id)}`);
  const mayAssign = ASSIGNERS.includes(me.role) && OPEN.includes(c.status);
  const [rule, assignees] = await Promise.all([
    c.rule_id ? api.get(`/api/v1/rules/${encodeURIComponent(c.rule_id)}`).catch(() => null) : null,
    mayAssign ? api.get("/api/v1/cases/assignees").then((r) => r.items).catch((err) => { notice(err.message); return []; }) : null,
  ]);
  const f = c.finding ?? {};
  const head = h("section", { class: "card" },
    h("h1", {}, `#${c.id} ${categoryName(c.category)} `, h("span", { class: `sev-${c.severity}` }, t(c.severity))),
    h("p", {}, `${t("status")}: `, h("strong", { "data-status": c.status }, t(c.status)), " · ",
      `${t("conversation")}: ${c.conversation_id} · ${t("agent")}: ${c.agent_id ?? "—"} · ${t("team")}: ${c.team ?? "—"} · ${c.channel} · ${when(c.occurred_at)}`),
    OPEN.includes(c.status) ? h("p", {}, `${t("due")}: `, clock(c.due_at, { overdue: t("overdue"), left: t("left") }),
      ` · ${t("case_assignee")}: `, h("strong", { "data-assignee": c.assignee ?? "" }, c.assignee ?? t("case_unassigned"))) : null,
    f.message ? h("p", {}, `${t("evidence")}: ${f.message}`) : null,
    rule ? h("p", { class: "muted" }, `${t("rule")}: ${rule.id} v${rule.version}${rule.source ? " · " + rule.source : ""}`) : null);

  const player = c.audio ? recording(c) : null;
  const lines = (c.transcript ?? []).map((line) => h("li", { class: line.evidence ? "evidence" : "", "data-index": line.index },
    seekButton(player, line.start), h("span", { class: "role", "data-role": line.role }, speaker(line.role)), " ", line.evidence ? highlight(line.text, f) : line.text));
  const transcript = h("section", { class: "card", "aria-label": t("transcript") }, h("h2", {}, t("transcript")),
    player ? player.box : null,
    lines.length ? h("ol", { class: "transcript" }, lines) : h("p", { class: "muted" }, f.message ?? t("none")));
  // Raw text: the API lets compliance managers read it, where the platform keeps it.
  const raw = me.role === "compliance_manager" && c.raw_kept ? rawView(c, player) : null;

  const history = h("section", { class: "card" }, h("h2", {}, t("history")),
    h("ul", {}, c.history.map((e) => h("li", {}, `${when(e.at)} ${e.actor} ${e.action}`, e.to_status ? ` → ${t(e.to_status)}` : "",
      e.action === "assign" ? ` → ${e.details?.assignee ?? t("case_unassigned")}` : "", e.comment ? `: ${e.comment}` : ""))),
    h("h2", {}, t("comments")),
    h("ul", {}, c.comments.map((m) => h("li", {}, `${when(m.at)} ${m.author}: ${m.text}`))));

  const back = h("p", {}, h("a", { href: "#/ledger" }, `← ${t("back")}`));
  main.replaceChildren(...[back, head, transcript, raw, actions(c, me, assignees), history].filter(Boolean));
}

// The evidence span marked in the line; the stored text is masked, so the span is used only
// where the evidence text still sits there.
function highlight(text, finding) {
  const [s, e] = finding.span ?? [null, null];
  if (s !== null && e !== null && e <= text.length && (!finding.evidence || text.slice(s, e) && finding.evidence.includes(text.slice(s, e)))) {
    return [text.slice(0, s), h("mark", {}, text.slice(s, e)), text.slice(e)];
  }
  return text;
}

// "1:02.5": seconds from the start of the call, as the player shows them.
function at(seconds) {
  const m = Math.floor(seconds / 60);
  return `${m}:${(seconds - m * 60).toFixed(1).padStart(4, "0")}`;
}

// The recording, fetched with the bearer token into an object URL: the token never lands in
// a URL (logs, history), and the whole file (bounded by the upload limit) seeks at once.
function recording(c) {
  const audio = h("audio", { controls: true, preload: "auto", id: "case-audio", "aria-label": t("case_recording") });
  const state = h("span", { class: "muted", "data-audio": "loading", role: "status" }, t("case_audio_loading"));
  const path = `/api/v1/conversations/${encodeURIComponent(c.conversation_id)}/audio?revision=${c.revision}`;
  api.blob(path).then((file) => {
    if (!audio.isConnected) return;  // the page changed meanwhile
    releaseAudio();
    audioUrl = URL.createObjectURL(file);
    audio.src = audioUrl;
    state.textContent = "";
    state.dataset.audio = "ready";
  }).catch((err) => {
    state.textContent = err.message;
    state.dataset.audio = "error";
  });
  return {
    box: h("div", { class: "player" }, h("span", { class: "muted" }, t("case_recording")), audio, state),
    seek(start) {
      audio.currentTime = start;
      audio.play().catch(() => {});  // a browser may refuse to play; the position is set
    },
  };
}

function seekButton(player, start) {
  if (!player || start === null || start === undefined) return null;
  const label = `${t("case_play_from")} ${at(start)}`;
  return h("button", { type: "button", class: "seek", "aria-label": label, title: label, "data-start": start,
    onclick: () => player.seek(start) }, `▶ ${at(start)}`);
}

// 查看原文: a reason first (required; the API audits the read with it), then the raw lines of
// the masked transcript's utterances, marked as raw, until 隐藏原文.
function rawView(c, player) {
  const box = h("section", { class: "card raw", "aria-label": t("case_raw_title") });
  const shown = new Set((c.transcript ?? []).map((line) => line.index));
  const evidence = new Set((c.transcript ?? []).filter((line) => line.evidence).map((line) => line.index));
  const closed = () => {
    box.replaceChildren(h("button", { type: "button", onclick: asking }, t("case_raw_view")));
  };
  const asking = () => {
    const reason = h("input", { id: "raw-reason", name: "reason", required: true, maxlength: 500, size: 40, autocomplete: "off" });
    const read = async (e) => {
      e.preventDefault();
      const why = reason.value.trim();
      if (!why) { notice(t("case_raw_reason_empty")); reason.focus(); return; }
      try {
        const conversation = await api.get(`/api/v1/conversations/${encodeURIComponent(c.conversation_id)}/raw`, { reason: why, revision: c.revision });
        notice("");
        showing(conversation);
      } catch (err) { notice(err.message); }
    };
    box.replaceChildren(h("form", { class: "actions", "aria-label": t("case_raw_view"), onsubmit: read },
      h("label", { for: "raw-reason" }, t("case_raw_reason"), reason),
      h("button", { type: "submit", class: "primary" }, t("case_raw_show")),
      h("button", { type: "button", onclick: closed }, t("case_raw_hide"))));
    reason.focus();
  };
  const showing = (conversation) => {
    const utterances = conversation.utterances ?? [];
    const lines = utterances.map((u, index) => ({ ...u, index })).filter((u) => !shown.size || shown.has(u.index));
    box.replaceChildren(
      h("h2", {}, t("case_raw_title")),
      h("p", { class: "raw-warning", role: "note" }, t("case_raw_warning")),
      h("ol", { class: "transcript", "data-raw": "" }, lines.map((u) => h("li", { class: evidence.has(u.index) ? "evidence" : "", "data-index": u.index },
        seekButton(player, u.start), h("span", { class: "role", "data-role": u.role }, speaker(u.role)), " ", u.text))),
      h("button", { type: "button", onclick: closed }, t("case_raw_hide")));
  };
  closed();
  return box;
}

function actions(c, me, assignees) {
  const box = h("section", { class: "card", "aria-label": "actions" });
  const comment = h("textarea", { id: "action-comment", rows: 2, cols: 50 });
  const act = (path, body) => async () => {
    try {
      await api.post(`/api/v1/cases/${c.id}/${path}`, body());
      window.dispatchEvent(new Event("hegui:refresh"));  // the page again, with the new status
      notice(t("done"), true);
    } catch (err) { notice(err.message); }
  };
  const buttons = [];
  const reviewer = ["reviewer", "compliance_manager"].includes(me.role);
  if (reviewer && c.status === "new") {
    buttons.push(h("button", { class: "primary", onclick: act("review", () => ({ verdict: "confirmed", comment: comment.value || null })) }, t("confirm")));
    buttons.push(h("button", { onclick: act("review", () => ({ verdict: "dismissed", comment: comment.value || null })) }, t("dismiss")));
  }
  if (me.role === "agent" && c.status === "confirmed" && c.appeal_until && new Date(c.appeal_until) > new Date()) {
    buttons.push(h("button", { class: "primary", onclick: act("appeal", () => ({ reason: comment.value })) }, t("appeal")));
  }
  if (me.role === "compliance_manager" && c.status === "appealed") {
    buttons.push(h("button", { onclick: act("ruling", () => ({ verdict: "upheld", comment: comment.value })) }, t("uphold")));
    buttons.push(h("button", { class: "primary", onclick: act("ruling", () => ({ verdict: "overturned", comment: comment.value })) }, t("overturn")));
  }
  buttons.push(h("button", { onclick: act("comments", () => ({ text: comment.value })) }, t("add_comment")));
  box.append(h("div", { class: "actions" }, h("label", { for: "action-comment" }, `${t("comment")} / ${t("reason")}`, comment), ...buttons));
  // 分派: who handles an open case, chosen from the API's assignees (reviewers and compliance
  // managers); the API checks the choice again.
  if (assignees) {
    const listed = assignees.some((u) => u.username === c.assignee);
    const who = h("select", { id: "case-assignee", name: "assignee" },
      h("option", { value: "" }, t("case_assign_choose")),
      assignees.map((u) => h("option", { value: u.username, selected: u.username === c.assignee, "data-role": u.role }, `${u.username}（${t(`role_${u.role}`)}）`)),
      c.assignee && !listed ? h("option", { value: c.assignee, selected: true }, `${c.assignee} ${t("case_assign_gone")}`) : null);
    const assign = (name) => act("assign", () => ({ assignee: name }));
    const chosen = (e) => {
      e.preventDefault();
      if (!who.value) { notice(t("case_assign_empty")); who.focus(); return; }
      assign(who.value)();
    };
    box.append(h("form", { class: "actions", "aria-label": t("case_assign"), onsubmit: chosen },
      h("label", { for: "case-assignee" }, t("case_assign_to"), who),
      h("button", { type: "submit", class: "primary" }, t("case_assign")),
      me.role !== "team_lead" && c.assignee !== me.username ? h("button", { type: "button", onclick: assign(me.username) }, t("case_assign_me")) : null,
      c.assignee ? h("button", { type: "button", onclick: assign(null) }, t("case_unassign")) : null));
  }
  return box;
}
