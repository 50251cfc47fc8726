// 总览: violations per day, top risks, mixes, rankings, the team × category heat map, scores,
// open high-severity cases and their SLA clocks. Every chart is one image named by its
// numbers, over a 「数据表」 whose rows link to the cases behind them (the keyboard's and
// screen readers' way in, and everyone's without ECharts); the heat map is a table.
import * as api from "../api.js";
import { clock, h, when } from "../dom.js";
import { categoryName, categorySeverity, lang, t } from "../i18n.js";

const DAY = 86400000;
const iso = (d) => d.toISOString().slice(0, 10);

// Filters kept in the hash (#/dashboard?since=&until=&team=&channel=&industry=&agent=) and
// carried to the ledger, whose cases API names the agent `agent_id`.
const FILTERS = ["team", "channel", "industry", "agent"];

export async function dashboard(main, { params, me }) {
  const until = params.until || iso(new Date(Date.now() + DAY));
  const since = params.since || iso(new Date(Date.now() - 90 * DAY));
  const range = { since: `${since}T00:00:00+08:00`, until: `${until}T00:00:00+08:00`, tz: "+08:00" };
  const chosen = Object.fromEntries(FILTERS.filter((f) => params[f]).map((f) => [f, params[f]]));
  const { agent, ...where } = chosen;
  const caseFilter = { ...where, agent_id: agent };
  // Team leads and agents see one team: their scores per agent; the others per team.
  const scoreBy = ["agent", "team_lead"].includes(me?.role) ? "agent" : "team";
  // The score distribution is asked for at once but drawn when it comes: the page does not wait.
  const bandsAnswer = api.get("/api/v1/metrics/scores", { ...range, ...chosen, group_by: "band" });
  const [summary, open, heat, scores] = await Promise.all([
    api.get("/api/v1/metrics/dashboard", { ...range, ...chosen }),
    api.get("/api/v1/cases", { severity: "high", status: "new", limit: 10, ...caseFilter }),
    api.get("/api/v1/metrics/heatmap", { since: range.since, until: range.until, ...chosen }),
    api.get("/api/v1/metrics/scores", { ...range, ...chosen, group_by: scoreBy }),
  ]);
  const data = summary.groups;
  const total = summary.total;
  // The period first: a day of the chart narrows it.
  const ledgerLink = (filter) => `#/ledger?${api.query({ ...caseFilter, since, until, ...filter })}`;

  const sinceIn = h("input", { type: "date", id: "since", value: since });
  const untilIn = h("input", { type: "date", id: "until", value: until });
  const label = { team: (v) => v, channel: (v) => t(`channel_${v}`) === `channel_${v}` ? v : t(`channel_${v}`),
    industry: (v) => t(`industry_${v}`) === `industry_${v}` ? v : t(`industry_${v}`) };
  // Agents see their own numbers, team leads their team's: no team to choose.
  const shown = ["team", "channel", "industry"].filter((f) => f !== "team" || !["agent", "team_lead"].includes(me?.role));
  const selects = shown.map((f) => {
    const values = [...new Set([...(summary.options[f] ?? []), ...(params[f] ? [params[f]] : [])])];
    return h("label", { for: `d-${f}` }, t(f === "industry" ? "dashboard_industry" : f),
      h("select", { id: `d-${f}`, name: f }, h("option", { value: "" }, t("all")),
        values.map((v) => h("option", { value: v, selected: params[f] === v }, label[f](v)))));
  });
  const filters = h("form", { class: "filters", "aria-label": t("dashboard_filters"), onsubmit: (e) => {
      e.preventDefault();
      const picked = Object.fromEntries(shown.map((f) => [f, main.querySelector(`#d-${f}`).value || undefined]));
      location.hash = `#/dashboard?${api.query({ since: sinceIn.value, until: untilIn.value, ...picked, agent: params.agent })}`;
    } },
    h("label", { for: "since" }, t("since"), sinceIn), h("label", { for: "until" }, t("until"), untilIn),
    ...selects, h("button", { type: "submit" }, t("apply")));

  const high = data.category.filter((g) => categorySeverity(g.key) === "high").slice(0, 3);
  const kpis = h("div", { class: "kpis" },
    h("a", { class: "card kpi", href: ledgerLink({}), "data-kpi": "total" }, h("div", { class: "muted" }, t("findings")), h("div", { class: "n" }, total)),
    ...["high", "medium", "low"].map((s) => {
      const n = data.severity.find((g) => g.key === s)?.count ?? 0;
      return h("a", { class: "card kpi", href: ledgerLink({ severity: s }), "data-kpi": s },
        h("div", { class: `muted sev-${s}` }, `${t("severity")} ${t(s)}`), h("div", { class: "n" }, n));
    }));
  const top = h("ol", {}, high.length ? high.map((g) => h("li", {}, h("a", { href: ledgerLink({ category: g.key }) }, categoryName(g.key)), ` ${g.count}`)) : h("li", { class: "muted" }, t("none")));

  const cards = {
    day: card("day", t("per_day"), "wide"), category: card("category", t("category_mix"), "wide"),
    severity: card("severity", t("severity_mix")), channel: card("channel", t("channel_mix")),
    team: card("team", t("team_rank")), agent: card("agent", t("agent_rank")),
    band: card("band", t("score_distribution")),
  };
  const openTable = table([t("conversation"), t("category"), t("agent"), t("occurred"), t("due")],
    open.items.map((c) => [h("a", { href: `#/case/${c.id}` }, longId(c.conversation_id)), categoryName(c.category), longId(c.agent_id), when(c.occurred_at), clock(c.due_at, { overdue: t("overdue"), left: t("left") })]));

  const heatCard = card("heatmap", t("dashboard_heatmap"), "full");
  heatCard.body.className = "heatmap";
  const scoreKey = scoreBy === "agent" ? "agent_id" : "team";
  const scoreCard = h("section", { class: "card wide", "aria-label": t("dashboard_scores") },
    h("h2", {}, t(scoreBy === "agent" ? "dashboard_scores_agent" : "dashboard_scores")),
    h("p", { class: "muted" }, t("dashboard_scores_help")),
    scoreTable(scores.groups, (k) => (k ? ledgerLink({ [scoreKey]: k }) : null)));

  main.replaceChildren(h("h1", {}, t("dashboard")), filters, kpis, h("div", { class: "grid" },
    h("section", { class: "card", "aria-label": t("top_risks") }, h("h2", {}, t("top_risks")), top),
    cards.day.el, cards.category.el, cards.severity.el, cards.channel.el, cards.team.el, cards.agent.el,
    heatCard.el, cards.band.el, scoreCard,
    h("section", { class: "card full" }, h("h2", {}, `${t("open_high")} (${open.total})`), openTable)));

  draw(cards.day, "line", data.day, (k) => ledgerLink({ since: k, until: iso(new Date(Date.parse(k) + DAY)) }), (k) => k, t("chart_day"));
  draw(cards.category, "bar", data.category.slice(0, 10), (k) => ledgerLink({ category: k }), categoryName, t("category"));
  draw(cards.severity, "pie", data.severity, (k) => ledgerLink({ severity: k }), (k) => t(k), t("severity"));
  draw(cards.channel, "pie", data.channel, (k) => ledgerLink({ channel: k }), (k) => k, t("channel"));
  draw(cards.team, "bar", data.team.slice(0, 10), (k) => ledgerLink({ team: k }), (k) => k || "—", t("team"));
  draw(cards.agent, "bar", data.agent.slice(0, 10), (k) => ledgerLink({ agent_id: k }), (k) => k || "—", t("agent"));
  heatmap(heatCard.body, heat.cells, (team, category) => ledgerLink({ team, category }));
  // Conversations per score band, every band shown; a band opens the cases of its conversations.
  let bands;
  try {
    bands = await bandsAnswer;
  } catch (error) {
    cards.band.body.replaceChildren(h("p", { class: "muted", role: "alert" }, error.message));
    return;
  }
  if (!cards.band.el.isConnected) return;  // the user has moved on
  // The answer names every band with its bounds (empty bands too), so nothing is copied here.
  const found = new Map(bands.groups.map((g) => [g.key, g.conversations]));
  const bounds = new Map(bands.bands.map((b) => [b.key, b]));
  draw(cards.band, "column", bands.bands.map(({ key }) => ({ key, count: found.get(key) ?? 0 })),
    (k) => { const b = bounds.get(k); return ledgerLink({ score_min: b.score_min, score_below: b.score_below ?? undefined }); },
    (k) => k, t("score_band"), t("conversations"));
}

// Scores per team (or agent), lowest average first as the API orders them: where to look.
function scoreTable(groups, link) {
  const number = (v) => (v === null || v === undefined ? "—" : Number(v).toFixed(1));
  return table([t("dashboard_scores_key"), t("dashboard_scores_n"), t("dashboard_scores_avg"), t("dashboard_scores_min"),
    t("dashboard_scores_max"), t("dashboard_scores_fatal")],
  groups.map((g) => {
    const href = link(g.key);
    const name = g.key || "—";
    return [href ? h("a", { href, "data-score": g.key }, longId(name)) : name, g.conversations, h("strong", {}, number(g.average)),
      number(g.minimum), number(g.maximum), g.fatal ? h("span", { class: "sev-high" }, g.fatal) : g.fatal];
  }));
}

// Team × category: the findings scores count (not dismissed, overturned or withdrawn), the
// points they cost in each cell's name and title; a cell links to the ledger of that team and
// category. A table, shaded by count (the number is in the cell: colour is never alone), so
// the keyboard reaches every cell and a screen reader reads its row and column. A team of
// null (conversations without one) cannot be filtered on: shown, not linked.
function heatmap(el, cells, link) {
  const teams = [...new Set(cells.map((c) => c.team))];
  const categories = [...new Set(cells.map((c) => c.category))];
  el.dataset.cells = JSON.stringify(cells.map((c) => [c.team, c.category, c.findings]));
  if (!cells.length) {
    el.replaceChildren(h("p", { class: "muted" }, t("none")));
    return;
  }
  const at = new Map(cells.map((c) => [`${c.team}\u0000${c.category}`, c]));
  const max = Math.max(1, ...cells.map((c) => c.findings));
  const teamName = (team) => team ?? `— (${t("heat_no_team")})`;
  const cell = (team, category) => {
    const c = at.get(`${team}\u0000${category}`);
    if (!c) return h("td", { class: "heat heat-0" });
    const level = c.findings > 0 ? Math.max(1, Math.ceil((4 * c.findings) / max)) : 0;
    const name = `${teamName(team)} · ${categoryName(category)}: ${t("findings")} ${c.findings} · ${t("dashboard_points")} ${c.points}`;
    return h("td", { class: `heat heat-${level}` }, team === null
      ? h("span", { title: name, "aria-label": name }, String(c.findings))
      : h("a", { href: link(team, category), "data-cell": `${team}|${category}`, title: name, "aria-label": name }, String(c.findings)));
  };
  const legend = h("p", { class: "heat-legend muted" }, h("span", { class: "swatches", "aria-hidden": "true" },
    [1, 2, 3, 4].map((n) => h("span", { class: `heat-${n}` }))), ` ${t("heat_legend")}`);
  el.replaceChildren(legend, h("div", { class: "table-wrap" }, h("table", { class: "heat-table" },
    h("caption", { class: "sr-only" }, t("dashboard_heatmap")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, `${t("category")} \\ ${t("team")}`),
      teams.map((team) => h("th", { scope: "col" }, longId(teamName(team)))))),
    h("tbody", {}, categories.map((category) => h("tr", {}, h("th", { scope: "row" }, categoryName(category)),
      teams.map((team) => cell(team, category))))))));
}

function card(name, title, size = "") {
  const body = h("div", { class: "chart", "data-chart": name });
  const heading = h("h2", { id: `chart-${name}` }, title);
  return { body, title, el: h("section", { class: `card ${size}`, "aria-labelledby": `chart-${name}` }, heading, body) };
}

// An id or name up to 128 characters without a break: wrapped within its column.
export const longId = (text) => h("span", { class: "long-id" }, text ?? "");

// Rows in a scroller of their own: a wide table scrolls there, not the page.
export function table(head, rows) {
  return h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, head.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.length ? rows.map((r) => h("tr", {}, r.map((x) => h("td", {}, x)))) : h("tr", {}, h("td", { colspan: head.length, class: "muted" }, t("none"))))));
}

// "每日违规：2026-11-01 11，2026-12-06 28" — a chart's accessible name; the first 12 values.
function summary(title, names, counts) {
  const zh = lang() === "zh";
  const items = names.slice(0, 12).map((n, i) => `${n} ${counts[i]}`).join(zh ? "，" : ", ");
  const more = names.length > 12 ? `${zh ? "" : " "}${t("chart_more").replace("{n}", names.length)}` : "";
  return t("chart_summary").replace("{title}", title).replace("{items}", (items || t("none")) + more);
}

// A chart drawn by ECharts (a click on an element opens its cases) over the same numbers as
// a table whose rows link to those cases, behind 「数据表」 (open when ECharts is missing).
// The chart is one image to assistive technology, named by its numbers.
function draw(c, kind, groups, link, label, keyHead, countHead = t("findings")) {
  const el = c.body;
  const keys = groups.map((g) => g.key);
  const names = keys.map(label);
  const counts = groups.map((g) => g.count);
  el.dataset.values = JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, counts[i]])));
  // A missing key (no team, no agent) cannot be filtered on: shown, not linked.
  const href = (k) => (k === null || k === undefined ? null : link(k));
  const rows = groups.map((g, i) => [href(g.key) ? h("a", { href: href(g.key), "data-key": g.key }, longId(names[i])) : names[i], g.count]);
  el.after(h("details", { class: "chart-data", "data-for": el.dataset.chart, open: !window.echarts },
    h("summary", {}, t("chart_table"), h("span", { class: "sr-only" }, ` · ${c.title}`)),
    table([keyHead, countHead], rows)));
  if (!window.echarts) {
    el.classList.remove("chart");
    el.replaceChildren(h("p", { class: "muted" }, t("no_charts")));
    return;
  }
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", summary(c.title, names, counts));
  const chart = window.echarts.init(el, null, { renderer: "svg" });
  const option = kind === "pie"
    ? { tooltip: {}, series: [{ type: "pie", radius: "65%", data: names.map((n, i) => ({ name: n, value: counts[i], key: keys[i] })) }] }
    : kind === "column"
      ? { tooltip: {}, grid: { left: 40, right: 10, top: 20, bottom: 30 },
          xAxis: { type: "category", data: names }, yAxis: { type: "value", minInterval: 1 },
          series: [{ type: "bar", data: counts.map((v, i) => ({ value: v, key: keys[i] })), label: { show: true, position: "top" } }] }
      : kind === "line"
      ? { tooltip: {}, grid: { left: 40, right: 10, top: 10, bottom: 30 },
          xAxis: { type: "category", data: names }, yAxis: { type: "value", minInterval: 1 },
          series: [{ type: "line", data: counts.map((v, i) => ({ value: v, key: keys[i] })) }] }
      : { tooltip: {}, grid: { left: 8, right: 24, top: 4, bottom: 4, containLabel: true },
          // A long name is cut short on the axis (whole in the tooltip and the 数据表).
          yAxis: { type: "category", data: names, inverse: true,
            axisLabel: { width: Math.max(100, Math.round(el.clientWidth * 0.35)), overflow: "truncate" } },
          xAxis: { type: "value", minInterval: 1 },
          series: [{ type: "bar", data: counts.map((v, i) => ({ value: v, key: keys[i] })), label: { show: true, position: "right" } }] };
  chart.setOption({ animation: false, ...option });
  chart.on("click", (p) => { const to = p.data && href(p.data.key); if (to) location.hash = to; });
}
