// 案件: the finding, its evidence in the (masked) transcript, the rule and its legal source,
// the history, and the actions the user's role may take in the case's status.
import * as api from "../api.js";
import { clock, h, notice, when } from "../dom.js";
import { categoryName, t } from "../i18n.js";

export async function casePage(main, { id, me }) {
  const c = await api.get(`/api/v1/cases/${encodeURIComponent(id)}`);
  const rule = c.rule_id ? await api.get(`/api/v1/rules/${encodeURIComponent(c.rule_id)}`).catch(() => null) : null;
  const f = c.finding ?? {};
  const head = h("section", { class: "card" },
    h("h1", {}, `#${c.id} ${categoryName(c.category)} `, h("span", { class: `sev-${c.severity}` }, t(c.severity))),
    h("p", {}, `${t("status")}: `, h("strong", { "data-status": c.status }, t(c.status)), " · ",
      `${t("conversation")}: ${c.conversation_id} · ${t("agent")}: ${c.agent_id ?? "—"} · ${t("team")}: ${c.team ?? "—"} · ${c.channel} · ${when(c.occurred_at)}`),
    ["new", "appealed"].includes(c.status) ? h("p", {}, `${t("due")}: `, clock(c.due_at, { overdue: t("overdue"), left: t("left") }),
      ` · ${t("case_assignee")}: `, h("strong", { "data-assignee": c.assignee ?? "" }, c.assignee ?? t("case_unassigned"))) : null,
    f.message ? h("p", {}, `${t("evidence")}: ${f.message}`) : null,
    rule ? h("p", { class: "muted" }, `${t("rule")}: ${rule.id} v${rule.version}${rule.source ? " · " + rule.source : ""}`) : null);

  const lines = (c.transcript ?? []).map((line) => h("li", { class: line.evidence ? "evidence" : "", "data-index": line.index },
    h("span", { class: "role" }, line.role), " ", line.evidence ? highlight(line.text, f) : line.text));
  const transcript = h("section", { class: "card" }, h("h2", {}, t("transcript")),
    lines.length ? h("ol", { class: "transcript" }, lines) : h("p", { class: "muted" }, f.message ?? t("none")));

  const history = h("section", { class: "card" }, h("h2", {}, t("history")),
    h("ul", {}, c.history.map((e) => h("li", {}, `${when(e.at)} ${e.actor} ${e.action}`, e.to_status ? ` → ${t(e.to_status)}` : "",
      e.action === "assign" ? ` → ${e.details?.assignee ?? t("case_unassigned")}` : "", e.comment ? `: ${e.comment}` : ""))),
    h("h2", {}, t("comments")),
    h("ul", {}, c.comments.map((m) => h("li", {}, `${when(m.at)} ${m.author}: ${m.text}`))));

  main.replaceChildren(h("p", {}, h("a", { href: "#/ledger" }, `← ${t("back")}`)), head, transcript, actions(c, me), history);
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

function actions(c, me) {
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
  // 分派: who handles an open case (a reviewer or compliance manager; the API says who not).
  if (["reviewer", "compliance_manager", "team_lead"].includes(me.role) && ["new", "appealed"].includes(c.status)) {
    const who = h("input", { id: "case-assignee", value: c.assignee ?? "", size: 16, autocomplete: "off" });
    const assign = (name) => act("assign", () => ({ assignee: name }));
    const byName = (e) => {
      e.preventDefault();
      const name = who.value.trim();
      if (!name) { notice(t("case_assign_empty")); who.focus(); return; }
      assign(name)();
    };
    box.append(h("form", { class: "actions", "aria-label": t("case_assign"), onsubmit: byName },
      h("label", { for: "case-assignee" }, t("case_assign_to"), who),
      h("button", { type: "submit", class: "primary" }, t("case_assign")),
      me.role !== "team_lead" && c.assignee !== me.username ? h("button", { type: "button", onclick: assign(me.username) }, t("case_assign_me")) : null,
      c.assignee ? h("button", { type: "button", onclick: assign(null) }, t("case_unassign")) : null));
  }
  return box;
}
