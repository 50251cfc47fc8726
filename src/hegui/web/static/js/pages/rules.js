// 规则: packs and rules with their health; a rule's page with its YAML, validation, its
// examples, 试一试 (why it fires or not on pasted text), versions and publishing.
// Rule authors (admin, compliance_manager) edit and publish; everyone else reads.
import * as api from "../api.js";
import { h, notice, when } from "../dom.js";
import { categoryIds, categoryName, lang, speaker, t } from "../i18n.js";
import { table } from "./dashboard.js";

const PAGE = 50;
const AUTHORS = ["admin", "compliance_manager"];
const ROLES = ["agent", "bot", "customer"];
const CHANNELS = ["phone", "chat", "video", "email"];

export async function rules(main, ctx) {
  return ctx.id ? rulePage(main, ctx) : rulesList(main, ctx);
}

const pct = (p) => (p === null || p === undefined ? "—" : `${Math.round(p * 100)}%`);
const say = (r) => (lang() === "zh" ? r.zh : r.en);

function healthCell(stats) {
  if (!stats) return h("span", { class: "muted" }, t("rules_no_verdicts"));
  return h("span", { class: stats.noisy ? "sev-high" : "", "data-precision": stats.precision ?? "" },
    `${pct(stats.precision)} (${stats.confirmed}/${stats.confirmed + stats.dismissed})`,
    stats.noisy ? ` · ${t("rules_noisy")}` : "");
}

async function rulesList(main, { params }) {
  const offset = Number(params.offset || 0);
  const [page, packs, health] = await Promise.all([
    api.get("/api/v1/rules", { pack: params.pack, category: params.category, limit: PAGE, offset }),
    api.get("/api/v1/rule-packs"),
    api.get("/api/v1/rule-health"),
  ]);
  const packNames = [...new Set(["general", "privacy", "service", "securities", "banking", "insurance", "lending", "payments", "semantic", "llm", ...packs.items.map((p) => p.name)])];
  const form = h("form", { class: "filters", onsubmit: (e) => {
      e.preventDefault();
      location.hash = `#/rules?${api.query(Object.fromEntries(new FormData(e.target)))}`;
    } },
    h("label", { for: "f-pack" }, t("rules_pack"), h("select", { id: "f-pack", name: "pack" }, h("option", { value: "" }, t("all")),
      packNames.map((p) => h("option", { value: p, selected: params.pack === p }, p)))),
    h("label", { for: "f-category" }, t("category"), h("select", { id: "f-category", name: "category" }, h("option", { value: "" }, t("all")),
      categoryIds().map((c) => h("option", { value: c, selected: params.category === c }, categoryName(c))))),
    h("button", { type: "submit" }, t("apply")));

  const published = h("section", { class: "card" }, h("h2", {}, t("rules_published_packs")),
    table([t("rules_pack"), t("rules_current_version"), t("rules_updated")], packs.items.map((p) => [
      h("a", { href: `#/rules?pack=${encodeURIComponent(p.name)}` }, p.name),
      p.current_version === null ? t("rules_withdrawn") : `v${p.current_version}`, when(p.updated_at)])));
  const noisy = h("section", { class: "card", "aria-label": t("rules_health") }, h("h2", {}, t("rules_health")),
    h("p", { class: "muted" }, `${t("rules_noisy_means")} ${pct(health.min_precision)} / ≥ ${health.min_verdicts}`),
    table([t("rule"), t("rules_precision"), t("confirmed"), t("dismissed"), t("rules_suggested")], health.items.slice(0, 10).map((r) => [
      h("a", { href: `#/rules/${encodeURIComponent(r.rule_id)}` }, r.rule_id),
      h("span", { class: r.noisy ? "sev-high" : "" }, pct(r.precision), r.noisy ? ` · ${t("rules_noisy")}` : ""),
      r.confirmed, r.dismissed, r.suggested_exceptions.map((s) => `${s.phrase} (${s.dismissed_cases})`).join("、")])));

  const rows = page.items.map((r) => [
    h("a", { href: `#/rules/${encodeURIComponent(r.id)}` }, r.id), r.pack, categoryName(r.category),
    h("span", { class: `sev-${r.severity}` }, t(r.severity)), r.source ?? "—",
    `v${r.version}${r.pack_version ? ` · ${t("rules_pack")} v${r.pack_version}` : ""}`,
    r.enabled ? t(r.origin === "shipped" ? "rules_shipped" : "rules_published") : t("rules_off"), healthCell(r.stats)]);
  const move = (to) => `#/rules?${api.query({ ...params, offset: to })}`;
  const pager = h("div", { class: "pager" },
    offset > 0 ? h("a", { href: move(Math.max(0, offset - PAGE)) }, t("prev")) : null,
    h("span", { class: "muted", "data-total": page.total }, `${page.total ? offset + 1 : 0}–${offset + page.items.length} / ${page.total}`),
    offset + PAGE < page.total ? h("a", { href: move(offset + PAGE) }, t("next")) : null);
  const list = table([t("rule"), t("rules_pack"), t("category"), t("severity"), t("rules_source"), t("rules_version"), t("status"), t("rules_health")], rows);
  list.classList.add("rules-list");  // the legal source wraps, the short columns do not
  main.replaceChildren(h("h1", {}, t("rules_nav")), h("div", { class: "grid rules-top" }, published, h("div", { class: "wide" }, noisy)), form,
    list, pager);
}

async function rulePage(main, { id, me }) {
  const rule = await api.get(`/api/v1/rules/${encodeURIComponent(id)}`);
  const author = AUTHORS.includes(me.role);
  const published = rule.origin === "published";
  const editable = author && published;
  const packText = published
    ? (await api.get(`/api/v1/rule-packs/${encodeURIComponent(rule.pack)}/versions/${rule.pack_version}`)).text
    : rule.definition;
  const versions = published ? (await api.get(`/api/v1/rule-packs/${encodeURIComponent(rule.pack)}/versions`)).items : [];

  const s = rule.stats;
  const head = h("section", { class: "card" },
    h("h1", {}, `${rule.id} `, h("span", { class: `sev-${rule.severity}` }, t(rule.severity))),
    h("p", {}, `${rule.message}${rule.message_en ? " / " + rule.message_en : ""}`),
    h("p", { class: "muted" }, `${categoryName(rule.category)} · ${rule.kind} · v${rule.version} · ${t("rules_pack")} ${rule.pack}`,
      rule.pack_version ? ` v${rule.pack_version}` : "", ` · ${t(rule.origin === "shipped" ? "rules_shipped" : "rules_published")}`,
      rule.enabled ? "" : ` · ${t("rules_off")}`),
    rule.source ? h("p", {}, `${t("rules_source")}: ${rule.source}`) : null,
    h("p", { "data-health": "" }, `${t("rules_health")}: `, healthCell(s),
      s && s.suggested_exceptions.length ? ` · ${t("rules_suggested")}: ${s.suggested_exceptions.join("、")}` : ""));

  const yaml = h("textarea", { id: "rule-yaml", class: "code", rows: 20, spellcheck: "false", readonly: editable ? null : true }, packText);
  const results = h("div", { class: "rules-results", "aria-live": "polite" });
  const busy = (button, fn) => async () => {
    button.disabled = true;
    try { await fn(); } catch (err) { notice(err.message); } finally { button.disabled = false; }
  };
  const buttons = [];
  const check = h("button", { type: "button" }, t("rules_validate"));
  check.onclick = busy(check, async () => showValidation(results, await api.post("/api/v1/rule-packs/validate", { text: yaml.value })));
  const examples = h("button", { type: "button" }, t("rules_run_examples"));
  examples.onclick = busy(examples, async () => {
    if (editable) {
      const found = await api.post("/api/v1/rule-packs/validate", { text: yaml.value });
      showExamples(results, found.examples, found.valid ? null : found.errors);
    } else {
      showExamples(results, (await api.post(`/api/v1/rules/${encodeURIComponent(rule.id)}/examples`)).examples, null);
    }
  });
  const publish = h("button", { type: "button", class: "primary" }, t("rules_publish"));
  publish.onclick = busy(publish, async () => {
    const version = await api.post("/api/v1/rule-packs", { text: yaml.value });
    notice(`${t("rules_published_as")} ${version.pack} v${version.version}`, true);
    window.dispatchEvent(new Event("hegui:refresh"));
  });
  if (editable) buttons.push(check);
  buttons.push(examples);
  if (editable) buttons.push(publish);
  const editor = h("section", { class: "card" },
    h("h2", {}, t(editable ? "rules_edit" : "rules_definition")),
    h("label", { for: "rule-yaml" }, editable ? t("rules_yaml_label") : t("rules_yaml_readonly"), yaml),
    author && !published ? h("p", { class: "muted" }, t("rules_shipped_readonly")) : null,
    h("div", { class: "actions" }, buttons), results);

  const sample = h("textarea", { id: "try-text", rows: 3, cols: 60 });
  const role = h("select", { id: "try-role" }, ROLES.map((r) => h("option", { value: r, selected: r === defaultRole(rule) }, r)));
  const channel = h("select", { id: "try-channel" }, CHANNELS.map((c) => h("option", { value: c }, c)));
  const outcome = h("div", { class: "try-outcome", "aria-live": "polite" });
  const go = h("button", { type: "button", class: "primary" }, t("rules_try"));
  go.onclick = busy(go, async () => {
    const body = { text: sample.value, role: role.value, channel: channel.value };
    const found = editable
      ? await api.post("/api/v1/rule-packs/try", { pack_text: yaml.value, rule_id: rule.id, sample: body })
      : await api.post(`/api/v1/rules/${encodeURIComponent(rule.id)}/try`, body);
    showTry(outcome, found);
  });
  const tryCard = h("section", { class: "card" }, h("h2", {}, t("rules_try_title")),
    h("p", { class: "muted" }, t(editable ? "rules_try_draft" : "rules_try_published")),
    h("div", { class: "actions" },
      h("label", { for: "try-text" }, t("rules_paste"), sample),
      h("label", { for: "try-role" }, t("rules_role"), role),
      h("label", { for: "try-channel" }, t("channel"), channel), go), outcome);

  const history = h("section", { class: "card" }, h("h2", {}, t("rules_versions")),
    published ? table([t("rules_pack"), t("rules_rule_version"), t("rules_by"), t("at")], versions.slice().reverse().map((v) => [
      `${v.pack} v${v.version}`, v.rules[rule.id] ? `v${v.rules[rule.id].version}` : "—", v.published_by, when(v.published_at)]))
      : h("p", { class: "muted" }, t("rules_shipped_versions")));

  main.replaceChildren(h("p", {}, h("a", { href: "#/rules" }, `← ${t("rules_back")}`)), head, editor, tryCard, history);
}

function defaultRole(rule) {
  try { return /roles:\s*\n?\s*-?\s*\[?\s*(\w+)/.exec(rule.definition)?.[1] ?? "agent"; } catch { return "agent"; }
}

function problemList(items, cls) {
  return h("ul", { class: cls }, items.map((p) => h("li", {},
    p.line ? h("strong", {}, `${t("rules_line")} ${p.line} `) : null, h("code", {}, p.field), ` ${p.message}`)));
}

function showValidation(box, found) {
  fill(box,
    h("p", { class: found.valid ? "ok" : "sev-high", "data-valid": String(found.valid) },
      found.valid ? t("rules_valid") : `${t("rules_invalid")} (${found.errors.length})`),
    found.errors.length ? problemList(found.errors, "problems") : null,
    found.warnings.length ? h("details", {}, h("summary", {}, `${t("rules_warnings")} (${found.warnings.length})`), problemList(found.warnings, "warnings")) : null,
    found.valid ? h("p", { class: "muted" }, `${t("rules_examples_passed")}: ${found.examples.filter((e) => e.passed).length}/${found.examples.length}`) : null);
}

function showExamples(box, examples, errors) {
  const mark = (e) => (e.passed === null ? "—" : e.passed ? "✓" : "✗");
  fill(box,
    errors ? problemList(errors, "problems") : null,
    h("div", { "data-examples": examples.length, "data-failed": examples.filter((e) => e.passed === false).length },
      table([t("rule"), t("rules_expected"), t("rules_example"), t("rules_fired"), t("rules_passed"), t("rules_line")], examples.map((e) => [
        e.rule_id, t(`rules_${e.expected}`), e.text, e.fired === null ? "—" : e.fired ? t("rules_yes") : t("rules_no"),
        h("span", { class: e.passed === false ? "sev-high" : "" }, mark(e)), e.line ?? ""]))));
}

function showTry(box, found) {
  const findings = found.findings.map((f) => h("li", {},
    f.utterance_index !== null ? `#${f.utterance_index + 1} ` : "",
    f.evidence && f.span ? [f.evidence.slice(0, f.span[0]), h("mark", {}, f.evidence.slice(f.span[0], f.span[1])), f.evidence.slice(f.span[1])] : f.evidence ?? "",
    h("div", { class: "muted" }, f.message)));
  fill(box,
    h("p", { class: found.fired ? "sev-high" : "ok", "data-fired": String(found.fired) },
      found.fired ? t("rules_fires") : t("rules_not_fires")),
    findings.length ? h("ul", { class: "findings" }, findings) : null,
    h("h3", {}, found.fired ? t("rules_why_fired") : t("rules_why_not")),
    h("ul", { class: "reasons" }, found.reasons.map((r) => h("li", { "data-code": r.code }, h("code", {}, r.code), ` ${say(r)}`))),
    h("details", {}, h("summary", {}, t("rules_trace")),
      h("ol", { class: "trace" }, found.utterances.map((u) => h("li", {},
        h("span", { class: "role", "data-role": u.role }, speaker(u.role)), ` ${u.text}`, u.in_scope ? "" : h("span", { class: "muted" }, ` (${t("rules_out_of_scope")})`),
        u.conditions.map((c) => h("div", {}, h("strong", {}, `${c.name}: `), node(c.trace))))))));
}

function node(n) {
  const hits = n.hits.map((x) => `「${x.text}」${x.dropped ? ` ✗ ${x.dropped}` : " ✓"}`).join(" ");
  const score = n.score !== null ? ` ${n.score.toFixed(2)} / ${n.threshold}` : "";
  return h("ul", {}, h("li", { class: n.holds ? "holds" : "fails" }, `${n.holds ? "✓" : "✗"} ${n.label}${score} ${hits}`,
    n.children.map((child) => node(child))));
}

// replaceChildren would show a null as the text "null": leave the absent parts out.
function fill(box, ...parts) { box.replaceChildren(...parts.filter((p) => p !== null && p !== undefined)); }
