// 培训: assignments pushed to agents with repeated confirmed violations (an agent: its own,
// to acknowledge and complete; a team lead: its team's; the others: all) and, for the
// admin and compliance manager, the course of each category.
import * as api from "../api.js";
import { h, notice, when } from "../dom.js";
import { categoryName, t } from "../i18n.js";
import { table } from "./dashboard.js";

const STATUSES = ["assigned", "acknowledged", "completed"];
const MANAGERS = ["admin", "compliance_manager"];
const refresh = () => window.dispatchEvent(new Event("hegui:refresh"));

// The assignments table, with the agent's own actions; shared with 我的.
export async function assignmentsCard(me, params = {}) {
  const page = await api.get("/api/v1/training/assignments", { status: params.status, limit: 200 });
  const act = (a, step) => async () => {
    try {
      await api.post(`/api/v1/training/assignments/${a.id}/${step}`);
      notice(t("done"), true);
      refresh();
    } catch (err) { notice(err.message); }
  };
  const rows = page.items.map((a) => [
    `#${a.id}`, a.agent_id, a.team ?? "", categoryName(a.category), a.period,
    h("span", {}, `${a.confirmed} `, ...a.case_ids.slice(0, 5).map((id) => h("a", { href: `#/case/${id}`, class: "chip" }, `#${id}`))),
    a.course_url ? h("a", { href: a.course_url, target: "_blank", rel: "noopener" }, a.course_title) : a.course_title,
    h("span", { "data-assignment": a.id, "data-status": a.status }, t(`training_${a.status}`)),
    when(a.completed_at ?? a.acknowledged_at ?? a.created_at),
    me.role === "agent" && a.status === "assigned"
      ? h("button", { type: "button", class: "primary", onclick: act(a, "acknowledge") }, t("training_acknowledge"))
      : me.role === "agent" && a.status === "acknowledged"
        ? h("button", { type: "button", class: "primary", onclick: act(a, "complete") }, t("training_complete"))
        : "",
  ]);
  return h("section", { class: "card", "aria-labelledby": "training-assignments" },
    h("h2", { id: "training-assignments" }, `${me.role === "agent" ? t("training_mine") : t("training_assignments")} (${page.total})`),
    table(["#", t("agent"), t("team"), t("category"), t("training_period"), t("training_confirmed"), t("training_course"), t("status"), t("at"), t("action")], rows),
    h("p", { class: "muted" }, t("training_help")));
}

export async function training(main, { params, me }) {
  const filter = h("form", { class: "filters", onsubmit: (e) => {
      e.preventDefault();
      location.hash = `#/training?${api.query(Object.fromEntries(new FormData(e.target)))}`;
    } },
    h("label", { for: "t-status" }, t("status"), h("select", { id: "t-status", name: "status" },
      h("option", { value: "" }, t("all")), STATUSES.map((s) => h("option", { value: s, selected: params.status === s }, t(`training_${s}`))))),
    h("button", { type: "submit" }, t("apply")));
  const parts = [h("h1", {}, t("training")), filter, await assignmentsCard(me, params)];
  if (MANAGERS.includes(me.role)) parts.push(await coursesCard());
  main.replaceChildren(...parts);
}

async function coursesCard() {
  const courses = await api.get("/api/v1/training/courses");
  const rows = courses.map((c, i) => {
    const title = h("input", { id: `c-title-${i}`, value: c.title, size: 40, required: true, "aria-label": `${t("training_title")} ${categoryName(c.category)}` });
    const url = h("input", { id: `c-url-${i}`, value: c.url ?? "", size: 28, type: "url", placeholder: "https://…", "aria-label": `${t("training_url")} ${categoryName(c.category)}` });
    const save = h("button", { type: "button", "data-course": c.category, onclick: async () => {
        try {
          await api.call("PUT", `/api/v1/training/courses/${encodeURIComponent(c.category)}`, { title: title.value, url: url.value.trim() || null });
          notice(`${t("training_saved")}: ${categoryName(c.category)}`, true);
        } catch (err) { notice(err.message); }
      } }, t("training_save"));
    return [h("span", { title: c.category }, categoryName(c.category)), title, url,
      c.configured ? `${c.updated_by ?? ""} ${when(c.updated_at)}` : h("span", { class: "muted" }, t("training_default")), save];
  });
  return h("section", { class: "card", "aria-labelledby": "training-courses" },
    h("h2", { id: "training-courses" }, t("training_courses")),
    table([t("category"), t("training_title"), t("training_url"), t("training_updated"), t("action")], rows));
}
