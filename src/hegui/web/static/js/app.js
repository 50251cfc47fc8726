// The console: a hash router over pages, the navigation a role may use, the language switch.
import * as api from "./api.js";
import { h, notice } from "./dom.js";
import { loadCategories, t, toggle, lang } from "./i18n.js";
import { dashboard } from "./pages/dashboard.js";
import { ledger } from "./pages/ledger.js";
import { casePage } from "./pages/case.js";
import { audit } from "./pages/audit.js";
import { reports } from "./pages/reports.js";
import { rules } from "./pages/rules.js";
import { live } from "./pages/live.js";
import { alerts } from "./pages/alerts.js";
import { training } from "./pages/training.js";
import { users } from "./pages/users.js";
import { mine } from "./pages/mine.js";

const ALL = ["admin", "compliance_manager", "reviewer", "team_lead", "agent"];
// Pages, who sees them in the navigation (the API refuses the rest anyway).
const PAGES = {
  dashboard: { render: dashboard, roles: ALL, nav: "dashboard" },
  ledger: { render: ledger, roles: ALL, nav: "ledger" },
  case: { render: casePage, roles: ALL },
  audit: { render: audit, roles: ["admin", "compliance_manager"], nav: "audit" },
  reports: { render: reports, roles: ["admin", "compliance_manager", "team_lead"], nav: "reports" },
  rules: { render: rules, roles: ["admin", "compliance_manager", "reviewer", "team_lead"], nav: "rules_nav" },
  live: { render: live, roles: ["admin", "compliance_manager", "team_lead"], nav: "live" },
  alerts: { render: alerts, roles: ["admin", "compliance_manager"], nav: "alerts" },
  training: { render: training, roles: ALL, nav: "training" },
  users: { render: users, roles: ["admin"], nav: "users" },
  mine: { render: mine, roles: ["agent"], nav: "mine" },
};
let me = null;

function parse() {
  const [path, q = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const [page, id] = path.split("/");
  return { page: page || "dashboard", id, params: Object.fromEntries(new URLSearchParams(q)) };
}

function renderNav(current) {
  const nav = document.getElementById("nav");
  nav.replaceChildren();
  if (!me) return;
  for (const [name, page] of Object.entries(PAGES)) {
    if (!page.nav || !page.roles.includes(me.role)) continue;
    const label = name === "ledger" && me.role === "agent" ? t("my_cases") : t(page.nav);
    nav.append(h("a", { href: `#/${name}`, "aria-current": name === current ? "page" : null }, label));
  }
  document.getElementById("who").textContent = `${me.username} · ${me.role}${me.team ? " · " + me.team : ""}`;
  document.getElementById("logout").hidden = false;
  document.getElementById("logout").textContent = t("logout");
}

function loginPage(main) {
  const user = h("input", { id: "username", name: "username", autocomplete: "username", required: true });
  const pass = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const form = h("form", { onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api.login(user.value, pass.value);
        notice("");
        location.hash = "#/dashboard";
      } catch (err) { notice(err.message); }
    } },
    h("label", { for: "username" }, t("username"), user),
    h("label", { for: "password" }, t("password"), pass),
    h("button", { type: "submit", class: "primary" }, t("login")));
  main.replaceChildren(h("div", { class: "card login" }, h("h1", {}, "合规质检 hegui"), form));
  user.focus();
}

async function route() {
  const main = document.getElementById("main");
  document.getElementById("lang").textContent = lang() === "zh" ? "English" : "中文";
  document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
  const { page, id, params } = parse();
  if (page === "login" || !api.token()) {
    me = null; renderNav(null); document.getElementById("logout").hidden = true;
    document.getElementById("who").textContent = "";
    return loginPage(main);
  }
  try {
    if (!me) me = await api.get("/api/v1/users/me");
  } catch (err) { notice(err.message); return; }
  const spec = PAGES[page] && PAGES[page].roles.includes(me.role) ? PAGES[page] : PAGES.dashboard;
  renderNav(page);
  main.replaceChildren(h("p", { class: "muted" }, "…"));
  try {
    await spec.render(main, { id, params, me });
    main.setAttribute("data-page", page);
  } catch (err) { notice(err.message); }
}

document.getElementById("lang").addEventListener("click", () => { toggle(); route(); });
document.getElementById("logout").addEventListener("click", () => { api.forget(); me = null; location.hash = "#/login"; });
window.addEventListener("hashchange", () => { notice(""); route(); });
window.addEventListener("hegui:refresh", () => route());
loadCategories().then(route);
