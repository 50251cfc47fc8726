// 质检台账: every case the user may see, filtered, newest first, a page at a time.
import * as api from "../api.js";
import { clock, h, when } from "../dom.js";
import { categoryIds, categoryName, t } from "../i18n.js";
import { longId, table } from "./dashboard.js";

const PAGE = 50;
const STATUSES = ["new", "confirmed", "dismissed", "appealed", "upheld", "overturned"];

export async function ledger(main, { params, me }) {
  const offset = Number(params.offset || 0);
  const range = {
    since: params.since ? `${params.since}T00:00:00+08:00` : undefined,
    until: params.until ? `${params.until}T00:00:00+08:00` : undefined,
  };
  const filter = { status: params.status, category: params.category, severity: params.severity,
    team: params.team, agent_id: params.agent_id, channel: params.channel, industry: params.industry, q: params.q,
    score_min: params.score_min, score_below: params.score_below };
  // Kept through the form like the period: set by the dashboard's score distribution.
  const kept = { since: params.since, until: params.until, score_min: params.score_min, score_below: params.score_below };
  const page = await api.get("/api/v1/cases", { ...filter, ...range, limit: PAGE, offset });

  const select = (name, values, label) => h("label", { for: `f-${name}` }, t(name === "agent_id" ? "agent" : name),
    h("select", { id: `f-${name}`, name }, h("option", { value: "" }, t("all")),
      values.map((v) => h("option", { value: v, selected: params[name] === v }, label(v)))));
  const word = { agent_id: "agent", industry: "dashboard_industry" };
  const text = (name) => h("label", { for: `f-${name}` }, t(word[name] ?? name),
    h("input", { id: `f-${name}`, name, value: params[name] ?? "", size: 10 }));
  const form = h("form", { class: "filters", onsubmit: (e) => {
      e.preventDefault();
      const values = Object.fromEntries(new FormData(e.target));
      values.q = values.q?.trim();
      location.hash = `#/ledger?${api.query({ ...values, ...kept })}`;
    } },
    h("label", { for: "f-q" }, t("ledger_search"),
      h("input", { id: "f-q", name: "q", type: "search", value: params.q ?? "", size: 18, maxlength: 100, placeholder: t("ledger_search_hint") })),
    select("status", STATUSES, t), select("severity", ["high", "medium", "low"], t),
    select("category", categoryIds(), categoryName), text("channel"),
    me.role === "agent" ? null : text("team"), me.role === "agent" ? null : text("agent_id"),
    text("industry"),
    h("button", { type: "submit" }, t("apply")));

  const rows = page.items.map((c) => [
    h("a", { href: `#/case/${c.id}` }, `#${c.id}`), longId(c.conversation_id), categoryName(c.category),
    h("span", { class: `sev-${c.severity}` }, t(c.severity)), t(c.status), longId(c.agent_id), longId(c.team),
    c.channel, when(c.occurred_at),
    ["new", "appealed"].includes(c.status) ? clock(c.due_at, { overdue: t("overdue"), left: t("left") }) : "",
  ]);
  const move = (to) => `#/ledger?${api.query({ ...params, offset: to })}`;
  const pager = h("div", { class: "pager" },
    offset > 0 ? h("a", { href: move(Math.max(0, offset - PAGE)) }, t("prev")) : null,
    h("span", { class: "muted", "data-total": page.total }, `${offset + 1}–${offset + page.items.length} / ${page.total}`),
    offset + PAGE < page.total ? h("a", { href: move(offset + PAGE) }, t("next")) : null);
  const list = table(["#", t("conversation"), t("category"), t("severity"), t("status"), t("agent"), t("team"), t("channel"), t("occurred"), t("due")], rows);
  list.classList.add("ledger-list");
  main.replaceChildren(h("h1", {}, t(me.role === "agent" ? "my_cases" : "ledger")), form, scoreChip(params), list, pager);
}

// "评分 60–<70 ✕": the score band the dashboard opened, and a link without it.
function scoreChip(params) {
  if (params.score_min === undefined && params.score_below === undefined) return null;
  const band = `${params.score_min ?? 0}–${params.score_below !== undefined ? `<${params.score_below}` : "100"}`;
  const { score_min, score_below, offset, ...rest } = params;
  return h("p", { class: "chip", "data-score-band": band }, `${t("ledger_score_band")} ${band} `,
    h("a", { href: `#/ledger?${api.query(rest)}`, "aria-label": t("ledger_score_clear") }, "✕"));
}
