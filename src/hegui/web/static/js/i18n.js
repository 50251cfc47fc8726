// Chinese first; English on the switch. Category names come from the taxonomy.
const WORDS = {
  dashboard: ["总览", "Dashboard"], ledger: ["质检台账", "Ledger"], audit: ["审计", "Audit"],
  my_cases: ["我的案件", "My cases"], login: ["登录", "Log in"], logout: ["退出", "Log out"],
  username: ["用户名", "Username"], password: ["密码", "Password"],
  period: ["期间", "Period"], since: ["起", "From"], until: ["止", "To"], apply: ["查询", "Apply"],
  team: ["团队", "Team"], agent: ["坐席", "Agent"], channel: ["渠道", "Channel"],
  category: ["类别", "Category"], severity: ["严重度", "Severity"], status: ["状态", "Status"],
  all: ["全部", "All"], total: ["合计", "Total"],
  per_day: ["每日违规", "Violations per day"], top_risks: ["高风险行为 Top 3", "Top 3 high-risk behaviours"],
  category_mix: ["类别分布", "Categories"], severity_mix: ["严重度分布", "Severity"],
  channel_mix: ["渠道分布", "Channels"], team_rank: ["团队排名", "Teams"], agent_rank: ["坐席排名", "Agents"],
  open_high: ["待处理高风险案件", "Open high-severity cases"], due: ["处理时限", "Due"],
  overdue: ["已超时", "overdue"], left: ["剩余", "left"],
  findings: ["违规数", "Findings"], cases: ["案件", "Cases"], conversation: ["会话", "Conversation"],
  occurred: ["发生时间", "When"], rule: ["规则", "Rule"], evidence: ["证据", "Evidence"],
  transcript: ["转写文本（已脱敏）", "Transcript (masked)"], history: ["处理记录", "History"],
  comments: ["评论", "Comments"], comment: ["评论", "Comment"], add_comment: ["发表评论", "Add comment"],
  confirm: ["确认违规", "Confirm"], dismiss: ["驳回（误报）", "Dismiss"], appeal: ["申诉", "Appeal"],
  reason: ["理由", "Reason"], uphold: ["维持", "Uphold"], overturn: ["撤销", "Overturn"],
  prev: ["上一页", "Previous"], next: ["下一页", "Next"], none: ["无", "None"],
  verify: ["校验哈希链", "Verify the hash chain"], chain_ok: ["哈希链完整", "Chain intact"],
  chain_bad: ["哈希链被篡改", "Chain broken"], entries: ["条记录", "entries"],
  actor: ["操作人", "Actor"], action: ["操作", "Action"], object: ["对象", "Object"], at: ["时间", "At"],
  no_charts: ["图表库未安装（运行 bash scripts/setup），以表格显示", "Charts library missing (run bash scripts/setup); shown as tables"],
  done: ["已完成", "Done"], back: ["返回台账", "Back to the ledger"],
  new: ["待复核", "new"], confirmed: ["已确认", "confirmed"], dismissed: ["已驳回", "dismissed"],
  appealed: ["申诉中", "appealed"], upheld: ["申诉驳回", "upheld"], overturned: ["申诉成立", "overturned"],
  high: ["高", "high"], medium: ["中", "medium"], low: ["低", "low"],
};
const LANG = "hegui.lang";
let categories = {};

export const lang = () => localStorage.getItem(LANG) || "zh";
export function toggle() { localStorage.setItem(LANG, lang() === "zh" ? "en" : "zh"); }
export function t(key) {
  const pair = WORDS[key];
  if (!pair) return key;
  return lang() === "zh" ? pair[0] : pair[1];
}
export async function loadCategories() {
  const res = await fetch("taxonomy.json");
  if (res.ok) for (const c of (await res.json()).categories) categories[c.id] = c;
}
export function categoryName(id) {
  const c = categories[id];
  if (!c) return id ?? "";
  return lang() === "zh" ? `${c.zh}` : id;
}
export function categorySeverity(id) { return categories[id]?.severity ?? "medium"; }
export function categoryIds() { return Object.keys(categories); }

// 报告 reports page (js/pages/reports.js).
Object.assign(WORDS, {
  reports: ["报告", "Reports"],
  reports_period: ["报告期", "Period"],
  reports_period_help: ["月 2026-11、周 2026-W45、季度 2026-Q4、年 2026 或日 2026-11-03", "month 2026-11, week 2026-W45, quarter 2026-Q4, year 2026 or day 2026-11-03"],
  reports_team: ["团队", "Team"],
  reports_all_teams: ["全部团队", "all teams"],
  reports_html: ["下载 HTML", "Download HTML"],
  reports_pdf: ["下载 PDF", "Download PDF"],
  reports_regulator: ["监管导出", "Regulator export"],
  reports_working: ["正在生成…", "Building…"],
  reports_done: ["已下载", "Downloaded"],
  reports_about: ["报告含违规类别与环比趋势、主要风险、待培训坐席、规则健康度、评分与依据数据生成的建议；监管导出含规则版本、复核操作时间、处理时限与审计链校验。", "The report holds violations by category and their trend, top risks, agents needing training, rule health, scores and suggestions drawn from the figures; the regulator export holds rule versions, reviewers' actions with times, SLA times and the audit chain's proof."],
});

// 规则 rules page (js/pages/rules.js)
Object.assign(WORDS, {
  rules_nav: ["规则", "Rules"], rules_pack: ["规则包", "Pack"], rules_source: ["法规出处", "Source"],
  rules_version: ["版本", "Version"], rules_health: ["规则健康度", "Rule health"],
  rules_no_verdicts: ["暂无复核", "no verdicts yet"], rules_noisy: ["噪声规则", "noisy"],
  rules_noisy_means: ["精确率低于此值且复核数足够即为噪声规则", "Noisy: precision below, with enough verdicts"],
  rules_precision: ["精确率", "Precision"], rules_suggested: ["建议例外词", "Suggested exceptions"],
  rules_published_packs: ["已发布的规则包", "Published packs"], rules_current_version: ["当前版本", "Current version"],
  rules_updated: ["更新时间", "Updated"], rules_withdrawn: ["已撤回", "withdrawn"],
  rules_shipped: ["内置", "shipped"], rules_published: ["已发布", "published"], rules_off: ["未启用", "off"],
  rules_back: ["返回规则列表", "Back to the rules"], rules_edit: ["编辑规则包", "Edit the pack"],
  rules_definition: ["规则定义（只读）", "Definition (read-only)"],
  rules_yaml_label: ["规则包 YAML（整包发布）", "Pack YAML (published as a whole)"],
  rules_yaml_readonly: ["YAML（只读）", "YAML (read-only)"],
  rules_shipped_readonly: ["内置规则只读；请在自有规则包中新建规则并发布。", "Shipped rules are read-only; write your own pack to publish."],
  rules_validate: ["校验", "Validate"], rules_run_examples: ["运行样例", "Run examples"], rules_publish: ["发布", "Publish"],
  rules_published_as: ["已发布", "Published"], rules_valid: ["校验通过，可以发布", "Valid: it can be published"],
  rules_invalid: ["校验未通过", "Invalid"], rules_warnings: ["警告", "Warnings"], rules_line: ["行", "Line"],
  rules_examples_passed: ["样例通过", "Examples passed"], rules_expected: ["期望", "Expected"],
  rules_example: ["样例", "Example"], rules_fired: ["命中", "Fired"], rules_passed: ["通过", "Passed"],
  rules_match: ["应命中", "match"], rules_no_match: ["不应命中", "no match"], rules_yes: ["是", "yes"], rules_no: ["否", "no"],
  rules_try_title: ["试一试", "Try it"], rules_try: ["试一试", "Try"], rules_paste: ["粘贴文本", "Paste text"],
  rules_role: ["说话人", "Speaker"], rules_try_draft: ["按编辑框中的草稿运行（未发布）", "Runs the draft in the editor (not published)"],
  rules_try_published: ["按当前生效的规则运行", "Runs the rule in force"],
  rules_fires: ["命中", "Fires"], rules_not_fires: ["未命中", "Does not fire"],
  rules_why_fired: ["为何命中", "Why it fired"], rules_why_not: ["为何未命中", "Why it did not fire"],
  rules_trace: ["条件逐项结果", "Condition trace"], rules_out_of_scope: ["不在规则范围", "out of the rule's scope"],
  rules_versions: ["版本记录", "Versions"], rules_rule_version: ["规则版本", "Rule version"], rules_by: ["发布人", "Published by"],
  rules_shipped_versions: ["内置规则随 hegui 版本发布", "Shipped rules change with hegui releases"],
});

// dashboard (issue 10): filters by team, channel and industry.
Object.assign(WORDS, {
  dashboard_filters: ["筛选", "Filters"], dashboard_industry: ["行业", "Industry"],
  industry_securities: ["证券", "Securities"], industry_banking: ["银行", "Banking"],
  industry_insurance: ["保险", "Insurance"], industry_lending: ["信贷", "Lending"],
  industry_general: ["通用", "General"],
  channel_phone: ["电话", "Phone"], channel_chat: ["在线客服", "Chat"], channel_wecom: ["企业微信", "WeCom"],
  channel_video: ["视频", "Video"], channel_app: ["App", "App"], channel_email: ["邮件", "Email"],
  channel_ticket: ["工单", "Ticket"], channel_sms: ["短信", "SMS"],
});
