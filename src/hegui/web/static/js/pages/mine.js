// 我的: an agent's own view — its cases by status (the ledger scopes them to the agent),
// its appeals and their rulings, its training, and its quality scores.
import * as api from "../api.js";
import { h, when } from "../dom.js";
import { categoryName, t } from "../i18n.js";
import { table } from "./dashboard.js";
import { assignmentsCard } from "./training.js";

const STATUSES = ["new", "confirmed", "dismissed", "appealed", "upheld", "overturned"];
const APPEALS = ["appealed", "upheld", "overturned"];
const DAY = 86400000;

export async function mine(main, { me }) {
  const counts = await Promise.all(STATUSES.map((s) => api.get("/api/v1/cases", { status: s, limit: 1 })));
  const appeals = await Promise.all(APPEALS.map((s) => api.get("/api/v1/cases", { status: s, limit: 50 })));
  const since = new Date(Date.now() - 90 * DAY).toISOString().slice(0, 10);
  const scores = await api.get("/api/v1/metrics/scores", { group_by: "day", since: `${since}T00:00:00+08:00`, tz: "+08:00" });
  const total = await api.get("/api/v1/metrics/scores", { group_by: "scorecard", since: `${since}T00:00:00+08:00`, tz: "+08:00" });

  const kpis = h("div", { class: "kpis" }, STATUSES.map((s, i) =>
    h("a", { class: "card kpi", href: `#/ledger?status=${s}`, "data-mine": s },
      h("div", { class: "muted" }, t(s)), h("div", { class: "n" }, counts[i].total))));

  const appealed = appeals.flatMap((p) => p.items).sort((a, b) => b.id - a.id);
  const lastRuling = (c) => [...(c.history ?? [])].reverse().find((e) => ["appealed", "upheld", "overturned"].includes(e.to_status));
  const appealCard = h("section", { class: "card", "aria-labelledby": "mine-appeals" },
    h("h2", { id: "mine-appeals" }, `${t("mine_appeals")} (${appealed.length})`),
    table(["#", t("category"), t("status"), t("occurred"), t("mine_last")], appealed.map((c) => {
      const e = lastRuling(c);
      return [h("a", { href: `#/case/${c.id}` }, `#${c.id}`), categoryName(c.category),
        h("span", { "data-appeal": c.id }, t(c.status)), when(c.occurred_at),
        e ? `${when(e.at)} ${e.actor}${e.comment ? `: ${e.comment}` : ""}` : ""];
    })));

  const fmt = (x) => (Math.round(x * 10) / 10).toFixed(1);
  const scoreCard = h("section", { class: "card", "aria-labelledby": "mine-scores" },
    h("h2", { id: "mine-scores" }, t("mine_scores")),
    table([t("mine_scorecard"), t("mine_conversations"), t("mine_average"), t("mine_min"), t("mine_max"), t("mine_fatal")],
      total.groups.map((g) => [g.key ?? "—", g.conversations, h("strong", { "data-average": g.key ?? "" }, fmt(g.average)), fmt(g.minimum), fmt(g.maximum), g.fatal])),
    h("h3", {}, t("mine_per_day")),
    table([t("at"), t("mine_conversations"), t("mine_average"), t("mine_min"), t("mine_fatal")],
      scores.groups.map((g) => [g.key, g.conversations, fmt(g.average), fmt(g.minimum), g.fatal])));

  main.replaceChildren(h("h1", {}, `${t("mine")} · ${me.agent_id ?? me.username}`),
    h("section", { "aria-label": t("my_cases") }, h("h2", {}, h("a", { href: "#/ledger" }, t("my_cases"))), kpis),
    h("div", { class: "grid two" }, appealCard, scoreCard), await assignmentsCard(me));
}
