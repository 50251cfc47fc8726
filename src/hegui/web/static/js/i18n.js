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
