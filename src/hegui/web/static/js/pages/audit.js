// 审计: the audit log, newest page first, and the hash chain's verification.
import * as api from "../api.js";
import { h, when } from "../dom.js";
import { t } from "../i18n.js";
import { table } from "./dashboard.js";

export async function audit(main) {
  const page = await api.get("/api/v1/audit", { after: 0, limit: 200 });
  const result = h("p", { id: "verify-result", "aria-live": "polite" });
  const verify = h("button", { class: "primary", onclick: async () => {
      const v = await api.get("/api/v1/audit/verify");
      result.textContent = v.ok ? `✔ ${t("chain_ok")} (${v.entries} ${t("entries")})` : `✘ ${t("chain_bad")}: ${v.problem} #${v.problem_seq}`;
      result.className = v.ok ? "sev-low" : "sev-high";
    } }, t("verify"));
  const rows = page.items.map((e) => [e.seq, when(e.at), e.actor, e.action, `${e.object_type ?? ""} ${e.object_id ?? ""}`]);
  main.replaceChildren(h("h1", {}, t("audit")), h("div", { class: "actions" }, verify, result),
    table(["#", t("at"), t("actor"), t("action"), t("object")], rows),
    h("p", { class: "muted" }, `${t("total")}: ${page.total}`));
}
