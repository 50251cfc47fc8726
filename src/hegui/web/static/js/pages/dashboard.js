// 总览: violations per day, top risks, mixes, rankings, the team × category heat map, scores,
// open high-severity cases and their SLA clocks.
import * as api from "../api.js";
import { clock, h, when } from "../dom.js";
import { categoryName, categorySeverity, t } from "../i18n.js";

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
  const [summary, open, heat, scores] = await Promise.all([
    api.get("/api/v1/metrics/dashboard", { ...range, ...chosen }),
    api.get("/api/v1/cases", { severity: "high", status: "new", limit: 10, ...caseFilter }),
    api.get("/api/v1/metrics/heatmap", { since: range.since, until: range.until, ...chosen }),
    api.get("/api/v1/metrics/scores", { ...range, ...chosen, group_by: scoreBy }),
  ]);
  const data = summary.groups;
  const total = summary.total;
  const ledgerLink = (filter) => `#/ledger?${api.query({ ...caseFilter, ...filter, since, until })}`;

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
    day: card(t("per_day"), "wide"), category: card(t("category_mix"), "wide"), severity: card(t("severity_mix")),
    channel: card(t("channel_mix")), team: card(t("team_rank")), agent: card(t("agent_rank")),
  };
  const openTable = table([t("conversation"), t("category"), t("agent"), t("occurred"), t("due")],
    open.items.map((c) => [h("a", { href: `#/case/${c.id}` }, c.conversation_id), categoryName(c.category), c.agent_id ?? "", when(c.occurred_at), clock(c.due_at, { overdue: t("overdue"), left: t("left") })]));

  const heatCard = card(t("dashboard_heatmap"), "full");
  heatCard.body.classList.add("heatmap");
  const scoreKey = scoreBy === "agent" ? "agent_id" : "team";
  const scoreCard = h("section", { class: "card full", "aria-label": t("dashboard_scores") },
    h("h2", {}, t(scoreBy === "agent" ? "dashboard_scores_agent" : "dashboard_scores")),
    h("p", { class: "muted" }, t("dashboard_scores_help")),
    scoreTable(scores.groups, (k) => (k ? ledgerLink({ [scoreKey]: k }) : null)));

  main.replaceChildren(filters, kpis, h("div", { class: "grid" },
    h("section", { class: "card", "aria-label": t("top_risks") }, h("h2", {}, t("top_risks")), top),
    cards.day.el, cards.category.el, cards.severity.el, cards.channel.el, cards.team.el, cards.agent.el,
    heatCard.el, scoreCard,
    h("section", { class: "card full" }, h("h2", {}, `${t("open_high")} (${open.total})`), openTable)));

  draw(cards.day.body, "line", data.day, (k) => ledgerLink({ since: k, until: iso(new Date(Date.parse(k) + DAY)) }), (k) => k);
  draw(cards.category.body, "bar", data.category.slice(0, 10), (k) => ledgerLink({ category: k }), categoryName);
  draw(cards.severity.body, "pie", data.severity, (k) => ledgerLink({ severity: k }), (k) => t(k));
  draw(cards.channel.body, "pie", data.channel, (k) => ledgerLink({ channel: k }), (k) => k);
  draw(cards.team.body, "bar", data.team.slice(0, 10), (k) => ledgerLink({ team: k }), (k) => k || "—");
  draw(cards.agent.body, "bar", data.agent.slice(0, 10), (k) => ledgerLink({ agent_id: k }), (k) => k || "—");
  heatmap(heatCard.body, heat.cells, (team, category) => ledgerLink({ team, category }));
}

// Scores per team (or agent), lowest average first as the API orders them: where to look.
function scoreTable(groups, link) {
  const number = (v) => (v === null || v === undefined ? "—" : Number(v).toFixed(1));
  return table([t("dashboard_scores_key"), t("dashboard_scores_n"), t("dashboard_scores_avg"), t("dashboard_scores_min"),
    t("dashboard_scores_max"), t("dashboard_scores_fatal")],
  groups.map((g) => {
    const href = link(g.key);
    const name = g.key || "—";
    return [href ? h("a", { href, "data-score": g.key }, name) : name, g.conversations, h("strong", {}, number(g.average)),
      number(g.minimum), number(g.maximum), g.fatal ? h("span", { class: "sev-high" }, g.fatal) : g.fatal];
  }));
}

// Team × category: the findings scores count (not dismissed, overturned or withdrawn), the
// points they cost in the tooltip; a cell opens the ledger of that team and category. A team
// of null (conversations without one) cannot be filtered on: shown, not linked.
function heatmap(el, cells, link) {
  const teams = [...new Set(cells.map((c) => c.team))];
  const categories = [...new Set(cells.map((c) => c.category))];
  el.dataset.cells = JSON.stringify(cells.map((c) => [c.team, c.category, c.findings]));
  const href = (c) => (c.team === null ? null : link(c.team, c.category));
  if (!cells.length) {
    el.classList.remove("chart");
    el.replaceChildren(h("p", { class: "muted" }, t("none")));
    return;
  }
  if (!window.echarts) {
    el.classList.remove("chart");
    const at = new Map(cells.map((c) => [`${c.team}\u0000${c.category}`, c]));
    el.replaceChildren(h("p", { class: "muted" }, t("no_charts")),
      h("div", { class: "scroll" }, table([t("category"), ...teams.map((x) => x ?? "—")], categories.map((cat) => [categoryName(cat),
        ...teams.map((team) => {
          const c = at.get(`${team}\u0000${cat}`);
          if (!c) return "";
          const to = href(c);
          const label = `${c.findings} (${t("dashboard_points")} ${c.points})`;
          return to ? h("a", { href: to, "data-cell": `${team}|${cat}` }, label) : label;
        })]))));
    return;
  }
  el.style.height = `${Math.max(220, 40 + 24 * categories.length)}px`;
  const max = Math.max(...cells.map((c) => c.findings));
  const chart = window.echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    // Team names come from the data: escaped, since ECharts' tooltip is HTML.
    tooltip: { formatter: (p) => window.echarts.format.encodeHTML(`${p.data.team ?? "—"} · ${categoryName(p.data.category)}`)
      + `<br>${t("findings")} ${p.data.value[2]} · ${t("dashboard_points")} ${p.data.points}` },
    grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
    xAxis: { type: "category", data: teams.map((x) => x ?? "—"), splitArea: { show: true } },
    yAxis: { type: "category", data: categories.map(categoryName), inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120,
      inRange: { color: ["#fff5eb", "#fd8d3c", "#a63603"] } },
    series: [{ type: "heatmap", label: { show: true },
      data: cells.map((c) => ({ value: [teams.indexOf(c.team), categories.indexOf(c.category), c.findings],
        team: c.team, category: c.category, points: c.points })) }],
  });
  chart.on("click", (p) => { const to = p.data && href(p.data); if (to) location.hash = to; });
}

function card(title, size = "") {
  const body = h("div", { class: "chart" });
  return { body, el: h("section", { class: `card ${size}`, "aria-label": title }, h("h2", {}, title), body) };
}

export function table(head, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, head.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.length ? rows.map((r) => h("tr", {}, r.map((x) => h("td", {}, x)))) : h("tr", {}, h("td", { colspan: head.length, class: "muted" }, t("none")))));
}

// A chart when ECharts is there; the same numbers as a table of links when it is not.
function draw(el, kind, groups, link, label) {
  const keys = groups.map((g) => g.key);
  const names = keys.map(label);
  const counts = groups.map((g) => g.count);
  el.dataset.values = JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, counts[i]])));
  if (!window.echarts) {
    el.classList.remove("chart");
    el.replaceChildren(h("p", { class: "muted" }, t("no_charts")),
      table(["", t("findings")], groups.map((g, i) => [h("a", { href: link(g.key) }, names[i]), g.count])));
    return;
  }
  const chart = window.echarts.init(el, null, { renderer: "svg" });
  const option = kind === "pie"
    ? { tooltip: {}, series: [{ type: "pie", radius: "65%", data: names.map((n, i) => ({ name: n, value: counts[i], key: keys[i] })) }] }
    : kind === "line"
      ? { tooltip: {}, grid: { left: 40, right: 10, top: 10, bottom: 30 },
          xAxis: { type: "category", data: names }, yAxis: { type: "value", minInterval: 1 },
          series: [{ type: "line", data: counts.map((v, i) => ({ value: v, key: keys[i] })) }] }
      : { tooltip: {}, grid: { left: 8, right: 24, top: 4, bottom: 4, containLabel: true },
          yAxis: { type: "category", data: names, inverse: true }, xAxis: { type: "value", minInterval: 1 },
          series: [{ type: "bar", data: counts.map((v, i) => ({ value: v, key: keys[i] })), label: { show: true, position: "right" } }] };
  chart.setOption({ animation: false, ...option });
  chart.on("click", (p) => { location.hash = link(p.data.key); });
}
