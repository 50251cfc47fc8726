// 报告: a period's compliance report (HTML or PDF) for the institution or one team, and the
// audit export for regulators; downloaded with the user's bearer token.
import * as api from "../api.js";
import { h, notice } from "../dom.js";
import { t } from "../i18n.js";

function lastMonth() {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
}

async function download(path, params, status) {
  status.textContent = t("reports_working");
  const res = await fetch(`${path}?${api.query(params)}`, { headers: { Authorization: `Bearer ${api.token()}` } });
  if (!res.ok) {
    const data = await res.json().catch(() => ({}));
    const detail = Array.isArray(data.detail) ? data.detail.map((e) => e.msg).join("; ") : data.detail;
    status.textContent = "";
    throw new Error(detail ?? res.statusText);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "report";
  const url = URL.createObjectURL(await res.blob());
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  status.textContent = `${t("reports_done")}: ${name}`;
}

export async function reports(main, { params, me }) {
  const lead = me.role === "team_lead";
  const period = h("input", { id: "report-period", name: "period", value: params.period ?? lastMonth(),
    placeholder: "2026-11", required: true, "aria-describedby": "report-period-help" });
  const team = h("input", { id: "report-team", name: "team", value: lead ? me.team ?? "" : params.team ?? "",
    placeholder: t("reports_all_teams"), disabled: lead });
  const status = h("p", { id: "report-status", class: "muted", "aria-live": "polite" });
  const run = (path, extra) => async () => {
    notice("");
    try {
      await download(path, { period: period.value.trim(), team: lead ? "" : team.value.trim(), ...extra }, status);
    } catch (err) { notice(err.message); }
  };
  const buttons = [
    h("button", { type: "button", class: "primary", id: "report-html", onclick: run("/api/v1/reports", { format: "html" }) }, t("reports_html")),
    h("button", { type: "button", id: "report-pdf", onclick: run("/api/v1/reports", { format: "pdf" }) }, t("reports_pdf")),
  ];
  if (me.role === "admin" || me.role === "compliance_manager") {
    buttons.push(h("button", { type: "button", id: "report-regulator", onclick: run("/api/v1/reports/regulator", {}) }, t("reports_regulator")));
  }
  main.replaceChildren(
    h("h1", {}, t("reports")),
    h("form", { class: "card report-form", onsubmit: (e) => e.preventDefault() },
      h("label", { for: "report-period" }, t("reports_period"), period),
      h("small", { id: "report-period-help", class: "muted" }, t("reports_period_help")),
      h("label", { for: "report-team" }, t("reports_team"), team),
      h("div", { class: "actions" }, ...buttons)),
    status,
    h("p", { class: "muted" }, t("reports_about")));
}
