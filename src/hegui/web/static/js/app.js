// The console: a hash router over pages, the navigation a role may use, the language switch.
import * as api from "./api.js";
import { h, notice, scrollers } from "./dom.js";
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

// moved: the hash changed or the page was refreshed after an action. The focus, if it was in
// what the render replaced, goes to the content (not back to the top of the document).
async function route(moved = false) {
  const main = document.getElementById("main");
  const switcher = document.getElementById("lang");
  switcher.textContent = lang() === "zh" ? "English" : "中文";
  switcher.setAttribute("aria-label", `${switcher.textContent} · 切换语言 Switch language`);
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
  // A page the role may not use shows the dashboard, and says so in data-page.
  const shown = PAGES[page] && PAGES[page].roles.includes(me.role) ? page : "dashboard";
  const spec = PAGES[shown];
  renderNav(shown);
  main.replaceChildren(h("p", { class: "muted" }, "…"));
  try {
    await spec.render(main, { id, params, me });
    main.setAttribute("data-page", shown);
    scrollers(main);
    if (moved && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
  } catch (err) { notice(err.message); }
}

document.getElementById("lang").addEventListener("click", () => { toggle(); route(); });
// 跳到正文: focus the page's content; following `#main` would be read as a route.
document.querySelector(".skip").addEventListener("click", (e) => { e.preventDefault(); document.getElementById("main").focus(); });
let resizing = null;
window.addEventListener("resize", () => { clearTimeout(resizing); resizing = setTimeout(() => scrollers(document.getElementById("main")), 200); });
// A table that becomes wider later (a 数据表 opened) is checked when it opens.
document.addEventListener("toggle", (e) => { if (e.target.open) scrollers(e.target); }, true);
document.getElementById("logout").addEventListener("click", () => { api.forget(); me = null; location.hash = "#/login"; });
window.addEventListener("hashchange", () => { notice(""); route(true); });
window.addEventListener("hegui:refresh", () => route(true));
loadCategories().then(route);
