// 用户: every user and role, and a form to create one (admin). The API checks the input;
// its 422 names the field, shown beside the form and announced.
import * as api from "../api.js";
import { h, notice, when } from "../dom.js";
import { t } from "../i18n.js";
import { table } from "./dashboard.js";

const ROLES = ["admin", "compliance_manager", "reviewer", "team_lead", "agent"];

export async function users(main) {
  const page = await api.get("/api/v1/users", { limit: 500 });
  const rows = page.items.map((u) => [u.id, h("span", { "data-user": u.username }, u.username), t(`role_${u.role}`),
    u.team ?? "", u.agent_id ?? "", u.is_active ? "✔" : "—", when(u.created_at)]);

  const errors = h("p", { id: "users-errors", class: "sev-high" });  // #notice announces it
  const input = (name, attrs = {}) => h("input", { id: `u-${name}`, name, size: 14, ...attrs });
  const role = h("select", { id: "u-role", name: "role" }, ROLES.map((r) => h("option", { value: r, selected: r === "agent" }, t(`role_${r}`))));
  const team = input("team");
  const agentId = input("agent_id");
  const hint = h("span", { class: "muted", id: "u-hint" });
  const needs = () => { hint.textContent = role.value === "agent" ? t("users_needs_agent") : role.value === "team_lead" ? t("users_needs_team") : ""; };
  role.addEventListener("change", needs);
  needs();
  const form = h("form", { class: "filters", "aria-labelledby": "users-add", "aria-describedby": "u-hint users-errors", onsubmit: async (e) => {
      e.preventDefault();
      const values = Object.fromEntries(new FormData(e.target));
      const body = { username: values.username.trim(), password: values.password, role: values.role };
      if (values.team.trim()) body.team = values.team.trim();
      if (values.agent_id.trim()) body.agent_id = values.agent_id.trim();
      try {
        const made = await api.post("/api/v1/users", body);
        errors.textContent = "";
        notice(`${t("users_created")}: ${made.username} (${t(`role_${made.role}`)})`, true);
        window.dispatchEvent(new Event("hegui:refresh"));
      } catch (err) {
        errors.textContent = err.message;
        notice(err.message);
      }
    } },
    h("label", { for: "u-username" }, t("username"), input("username", { required: true, autocomplete: "off" })),
    h("label", { for: "u-password" }, t("password"), input("password", { type: "password", required: true, autocomplete: "new-password" })),
    h("label", { for: "u-role" }, t("users_role"), role),
    h("label", { for: "u-team" }, t("team"), team),
    h("label", { for: "u-agent_id" }, t("users_agent_id"), agentId),
    h("button", { type: "submit", class: "primary" }, t("users_add")), hint);

  main.replaceChildren(h("h1", {}, t("users")),
    h("section", { class: "card" }, h("h2", { id: "users-add" }, t("users_add")), form, errors,
      h("p", { class: "muted" }, t("users_help"))),
    h("section", { class: "card" }, h("h2", {}, `${t("users_list")} (${page.total})`),
      table(["#", t("username"), t("users_role"), t("team"), t("users_agent_id"), t("users_active"), t("at")], rows)));
}
