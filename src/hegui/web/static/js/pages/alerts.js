// 告警: how each severity is announced (the policy, the digests), the notifiers (add, test
// send, stop) and the delivery log, digests included. Admin and compliance manager.
import * as api from "../api.js";
import { h, notice, when } from "../dom.js";
import { t } from "../i18n.js";
import { table } from "./dashboard.js";

const KINDS = ["webhook", "wecom", "dingtalk", "feishu", "email"];
const SEVERITIES = ["high", "medium", "low"];
const EVENTS = ["case.created", "case.escalated", "digest", "training.assigned", "notifier.test"];

export async function alerts(main, { params }) {
  const filter = { event: params.event, status: params.status };
  const [policy, notifiers, log, digests] = await Promise.all([
    api.get("/api/v1/notifications/policy"),
    api.get("/api/v1/notifiers"),
    api.get("/api/v1/notifications", { ...filter, limit: 50 }),
    api.get("/api/v1/notifications", { event: "digest", limit: 10 }),
  ]);
  const refresh = () => window.dispatchEvent(new Event("hegui:refresh"));

  const policyCard = h("section", { class: "card", "aria-labelledby": "alerts-policy" },
    h("h2", { id: "alerts-policy" }, t("alerts_policy")),
    table([t("severity"), t("alerts_notify"), t("alerts_due")], policy.severities.map((r) => [
      h("span", { class: `sev-${r.severity}` }, t(r.severity)),
      h("span", { "data-notify": r.severity }, t(`alerts_mode_${r.notify}`)),
      `${r.due_hours} h`])),
    h("p", { class: "muted" }, t("alerts_digest_help").replace("{grace}", policy.grace_minutes).replace("{listed}", policy.listed)));

  const digestCard = h("section", { class: "card", "aria-labelledby": "alerts-digests" },
    h("h2", { id: "alerts-digests" }, t("alerts_digests")),
    table([t("at"), t("alerts_key"), t("alerts_notifier"), t("status")], digests.items.map((d) => [
      when(d.at), d.idempotency_key, `#${d.notifier_id} ${d.kind}`, t(`alerts_${d.status}`)])));

  const rows = notifiers.items.map((n) => [
    `#${n.id}`, n.name, n.kind, n.target_hint, h("span", { class: `sev-${n.min_severity}` }, `≥ ${t(n.min_severity)}`),
    n.has_secret ? "✔" : "—", n.active ? t("alerts_active") : t("alerts_inactive"), `${n.created_by} ${when(n.created_at)}`,
    n.active ? h("span", { class: "row-actions" },
      h("button", { type: "button", "data-test": n.id, "aria-label": `${t("alerts_test")} #${n.id}`, onclick: async (e) => {
          e.target.disabled = true;
          try {
            const r = await api.post(`/api/v1/notifiers/${n.id}/test`);
            const ok = r.status === "sent";
            notice(`#${n.id} ${t("alerts_test")}: ${t(`alerts_${r.status}`)}${r.code ? ` (${r.code})` : ""}${r.error ? ` — ${r.error}` : ""}`, ok);
            document.getElementById("notice").dataset.result = r.status;
            setTimeout(refresh, 0);
          } catch (err) { notice(err.message); } finally { e.target.disabled = false; }
        } }, t("alerts_test")),
      h("button", { type: "button", "aria-label": `${t("alerts_stop")} #${n.id}`, onclick: async () => {
          if (!confirm(`${t("alerts_stop")} #${n.id} ${n.name}?`)) return;
          try { await api.call("DELETE", `/api/v1/notifiers/${n.id}`); notice(t("done"), true); refresh(); } catch (err) { notice(err.message); }
        } }, t("alerts_stop"))) : "",
  ]);

  const field = (id, label, input) => h("label", { for: id }, label, input);
  const kind = h("select", { id: "n-kind", name: "kind" }, KINDS.map((k) => h("option", { value: k }, t(`alerts_kind_${k}`))));
  const name = h("input", { id: "n-name", name: "name", size: 12 });
  const target = h("input", { id: "n-target", name: "target", required: true, size: 40, placeholder: "https://…" });
  const minSev = h("select", { id: "n-sev", name: "min_severity" }, SEVERITIES.map((s) => h("option", { value: s }, t(s))));
  const secret = h("input", { id: "n-secret", name: "secret", type: "password", autocomplete: "new-password", size: 16 });
  const options = h("input", { id: "n-options", name: "options", size: 28, placeholder: '{"host": "smtp.bank.cn", "sender": "qa@bank.cn"}' });
  kind.addEventListener("change", () => { target.placeholder = kind.value === "email" ? "张三 <z@bank.cn>; qa@bank.cn" : "https://…"; });
  const form = h("form", { class: "filters", "aria-labelledby": "alerts-add", onsubmit: async (e) => {
      e.preventDefault();
      let opts;
      try { opts = options.value.trim() ? JSON.parse(options.value) : undefined; } catch { return notice(t("alerts_bad_options")); }
      const body = { kind: kind.value, target: target.value.trim(), min_severity: minSev.value,
        name: name.value.trim() || undefined, secret: secret.value || undefined, options: opts };
      try {
        const made = await api.post("/api/v1/notifiers", body);
        notice(`${t("alerts_added")} #${made.id}`, true);
        refresh();
      } catch (err) { notice(err.message); }
    } },
    field("n-kind", t("alerts_kind"), kind), field("n-name", t("alerts_name"), name),
    field("n-target", t("alerts_target"), target), field("n-sev", t("alerts_min"), minSev),
    field("n-secret", t("alerts_secret"), secret), field("n-options", t("alerts_options"), options),
    h("button", { type: "submit", class: "primary" }, t("alerts_add")));

  const notifierCard = h("section", { class: "card", "aria-labelledby": "alerts-notifiers" },
    h("h2", { id: "alerts-notifiers" }, `${t("alerts_notifiers")} (${notifiers.total})`),
    table(["#", t("alerts_name"), t("alerts_kind"), t("alerts_target"), t("alerts_min"), t("alerts_secret"), t("status"), t("alerts_created"), t("action")], rows),
    h("h3", { id: "alerts-add" }, t("alerts_add")), form,
    h("p", { class: "muted" }, t("alerts_help")));

  const select = (id, values, current, label) => h("label", { for: id }, label,
    h("select", { id, name: id.slice(2) }, h("option", { value: "" }, t("all")),
      values.map((v) => h("option", { value: v, selected: current === v }, v))));
  const logFilter = h("form", { class: "filters", onsubmit: (e) => {
      e.preventDefault();
      location.hash = `#/alerts?${api.query(Object.fromEntries(new FormData(e.target)))}`;
    } },
    select("f-event", EVENTS, params.event, t("alerts_event")), select("f-status", ["sent", "failed"], params.status, t("status")),
    h("button", { type: "submit" }, t("apply")));
  const logCard = h("section", { class: "card", "aria-labelledby": "alerts-log" },
    h("h2", { id: "alerts-log" }, `${t("alerts_log")} (${log.total})`), logFilter,
    table([t("at"), t("alerts_event"), t("alerts_notifier"), t("alerts_attempt"), t("status"), t("alerts_code"), t("alerts_answer")],
      log.items.map((d) => [when(d.at), d.event, `#${d.notifier_id} ${d.kind}`, d.attempt,
        h("span", { class: d.status === "sent" ? "sev-low" : "sev-high", "data-delivery": d.status }, t(`alerts_${d.status}`)),
        d.code ?? "", d.error ?? d.response.slice(0, 80)])));

  main.replaceChildren(h("h1", {}, t("alerts")), notifierCard, h("div", { class: "grid two" }, policyCard, digestCard), logCard);
}
