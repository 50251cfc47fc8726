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

// Pages live, alerts, training, users, mine (我的).
Object.assign(WORDS, {
  live: ["实时监控", "Live"], live_connecting: ["连接中…", "Connecting…"], live_connected: ["● 已连接", "● Connected"],
  live_closed: ["○ 已断开", "○ Disconnected"], live_reconnect: ["重新连接", "Reconnect"],
  live_active: ["进行中的会话", "Live conversations"], live_ended: ["最近结束", "Recently ended"],
  live_empty: ["暂无进行中的会话。新的通话开始后会自动出现。", "No live conversation. New calls appear here as they start."],
  live_help: ["显示您可查看的实时会话：各严重度的违规与推送给坐席的话术提醒（耳语），到达即显示。", "The live conversations you may see: findings of every severity and the prompts (whispers) pushed to their agents, as they arrive."],
  live_by: ["接入", "via"], live_findings: ["违规", "Findings"], live_finding: ["违规", "Finding"],
  live_whisper: ["提醒", "Whisper"], live_last_chance: ["最后提醒", "last chance"],
  live_abandoned: ["中断", "cut off"], live_ended_one: ["已结束", "ended"],
  live_dropped: ["跟不上推送，已丢弃事件", "Too slow: events dropped"], live_refused: ["无法订阅", "Feed refused"],
  alerts: ["告警", "Alerts"], alerts_policy: ["通知策略", "Notification policy"], alerts_notify: ["通知方式", "Announced"],
  alerts_due: ["处理时限", "Due in"], alerts_mode_immediate: ["立即通知", "at once"], alerts_mode_daily: ["每日汇总", "daily digest"],
  alerts_mode_weekly: ["每周汇总", "weekly summary"], alerts_mode_none: ["不通知", "not announced"],
  alerts_digest_help: ["每日汇总覆盖一个自然日，每周汇总覆盖周一起的一周（北京时间），期末 {grace} 分钟后发出：按类别与团队计数并列出前 {listed} 个案件；没有案件则不发。策略由 HEGUI_NOTIFY_* 与 HEGUI_DUE_* 设置。",
    "A daily digest covers a calendar day, a weekly summary a week from Monday (Beijing time), sent {grace} minutes after the period: counts per category and team and the first {listed} cases; a period without cases sends nothing. Set by HEGUI_NOTIFY_* and HEGUI_DUE_*."],
  alerts_digests: ["最近的汇总", "Last digests"], alerts_key: ["标识", "Key"], alerts_notifier: ["通知渠道", "Notifier"],
  alerts_notifiers: ["通知渠道", "Notifiers"], alerts_name: ["名称", "Name"], alerts_kind: ["类型", "Kind"],
  alerts_target: ["目标地址", "Target"], alerts_min: ["最低严重度", "Minimum severity"], alerts_secret: ["密钥", "Secret"],
  alerts_options: ["选项 JSON（可选）", "Options JSON (optional)"], alerts_add: ["添加通知渠道", "Add a notifier"],
  alerts_added: ["已添加", "Added"], alerts_active: ["启用", "active"], alerts_inactive: ["已停用", "stopped"],
  alerts_created: ["创建", "Created"], alerts_test: ["测试发送", "Test send"], alerts_stop: ["停用", "Stop"],
  alerts_sent: ["已发送", "sent"], alerts_failed: ["失败", "failed"], alerts_skipped: ["已跳过", "skipped"],
  alerts_bad_options: ["选项不是有效的 JSON 对象 options: not a JSON object", "options: not valid JSON"],
  alerts_help: ["企业微信、钉钉、飞书机器人须为 https；邮件的目标为收件人，选项须含 host 与 sender。密钥加密保存，不再显示。", "WeCom, DingTalk and Feishu robots must be https; e-mail's target is the recipients and its options need host and sender. Secrets are stored encrypted and never shown."],
  alerts_kind_webhook: ["Webhook", "Webhook"], alerts_kind_wecom: ["企业微信", "WeCom"], alerts_kind_dingtalk: ["钉钉", "DingTalk"],
  alerts_kind_feishu: ["飞书", "Feishu"], alerts_kind_email: ["邮件", "E-mail"],
  alerts_log: ["发送记录", "Delivery log"], alerts_event: ["事件", "Event"], alerts_attempt: ["次数", "Attempt"],
  alerts_code: ["返回码", "Code"], alerts_answer: ["应答 / 错误", "Answer / error"],
  training: ["培训", "Training"], training_assignments: ["培训任务", "Assignments"], training_mine: ["我的培训", "My training"],
  training_period: ["周期", "Period"], training_confirmed: ["确认违规", "Confirmed"], training_course: ["课程", "Course"],
  training_assigned: ["待确认", "assigned"], training_acknowledged: ["学习中", "acknowledged"], training_completed: ["已完成", "completed"],
  training_acknowledge: ["确认收到", "Acknowledge"], training_complete: ["完成培训", "Complete"],
  training_help: ["同一类别在一个周期内确认违规达到阈值的坐席会收到该类别的课程。", "An agent whose confirmed findings of one category reach the threshold in a period gets that category's course."],
  training_courses: ["各类别课程", "Course per category"], training_title: ["课程名称", "Title"], training_url: ["课程链接", "Link"],
  training_updated: ["设置", "Set by"], training_default: ["默认课程", "default"], training_save: ["保存", "Save"], training_saved: ["已保存", "Saved"],
  users: ["用户", "Users"], users_list: ["用户列表", "Users"], users_add: ["创建用户", "Create a user"], users_role: ["角色", "Role"],
  users_agent_id: ["坐席工号", "Agent id"], users_active: ["启用", "Active"], users_created: ["已创建", "Created"],
  users_needs_agent: ["坐席须填写坐席工号", "An agent needs an agent id"], users_needs_team: ["团队主管须填写团队", "A team lead needs a team"],
  users_help: ["密码至少 8 位；用户名不能含空格、冒号或斜杠。", "Passwords have at least 8 characters; usernames have no spaces, colons or slashes."],
  role_admin: ["管理员", "admin"], role_compliance_manager: ["合规经理", "compliance manager"], role_reviewer: ["质检员", "reviewer"],
  role_team_lead: ["团队主管", "team lead"], role_agent: ["坐席", "agent"],
  mine: ["我的", "Mine"], mine_appeals: ["我的申诉", "My appeals"], mine_last: ["最新处理", "Latest"],
  mine_scores: ["我的质检评分（近 90 天）", "My scores (last 90 days)"], mine_scorecard: ["评分卡", "Scorecard"],
  mine_conversations: ["会话数", "Conversations"], mine_average: ["平均分", "Average"], mine_min: ["最低", "Lowest"],
  mine_max: ["最高", "Highest"], mine_fatal: ["致命项", "Fatal"], mine_per_day: ["每日", "Per day"],
});

// Keyboard and screen-reader access, the live page's severities (issue 10, gaps).
Object.assign(WORDS, {
  live_severity: ["显示严重度", "Show severity"], live_severity_all: ["全部严重度", "All severities"],
  live_sev_high: ["高风险", "High"], live_sev_medium: ["中风险", "Medium"], live_sev_low: ["低风险", "Low"],
  live_hidden: ["条已按严重度筛选隐藏", "hidden by the severity filter"],
  chart_table: ["数据表", "Data table"], chart_more: ["等 {n} 项", "and {n} more"],
  chart_summary: ["{title}：{items}", "{title}: {items}"], chart_day: ["日期", "Date"],
  heat_legend: ["颜色越深违规越多；数字为违规数，悬停或聚焦可见扣分。", "Darker means more findings; the number is the findings, hover or focus for the points."],
  heat_no_team: ["无团队", "no team"], skip: ["跳到正文", "Skip to content"],
  lang_switch: ["切换语言", "Switch language"],
});

// 总览 dashboard: heat map and scores (issue 10, gaps).
Object.assign(WORDS, {
  dashboard_heatmap: ["服务质量热力图（团队 × 类别）", "Service quality heat map (team × category)"],
  dashboard_points: ["扣分", "points"],
  dashboard_scores: ["各团队质检评分（平均分最低在前）", "Scores per team (lowest average first)"],
  dashboard_scores_agent: ["各坐席质检评分（平均分最低在前）", "Scores per agent (lowest average first)"],
  dashboard_scores_help: ["评分卡得分；致命项为触发一票否决的会话数。点击名称查看其案件。", "Scorecard scores; fatal counts conversations that hit a fatal item. A name opens its cases."],
  dashboard_scores_key: ["名称", "Name"], dashboard_scores_n: ["会话数", "Conversations"],
  dashboard_scores_avg: ["平均分", "Average"], dashboard_scores_min: ["最低", "Lowest"],
  dashboard_scores_max: ["最高", "Highest"], dashboard_scores_fatal: ["致命项", "Fatal"],
});

// 案件 case: 分派 (issue 10, gaps).
Object.assign(WORDS, {
  case_assignee: ["处理人", "Assignee"], case_unassigned: ["未分派", "unassigned"],
  case_assign: ["分派", "Assign"], case_assign_to: ["分派给（质检员或合规经理）", "Assign to (a reviewer or compliance manager)"],
  case_assign_me: ["分派给我", "Assign to me"], case_unassign: ["取消分派", "Unassign"],
  case_assign_empty: ["请选择处理人 choose an assignee", "Choose an assignee"],
  case_assign_choose: ["— 请选择 —", "— choose —"], case_assign_gone: ["（已不可分派）", "(no longer assignable)"],
});

// 案件 case: recording and raw text (issue 10, gaps).
Object.assign(WORDS, {
  case_recording: ["录音", "Recording"], case_audio_loading: ["录音载入中…", "Loading the recording…"],
  case_play_from: ["从此句播放", "Play from this utterance at"],
  case_raw_view: ["查看原文", "View raw"], case_raw_hide: ["隐藏原文", "Hide raw"],
  case_raw_reason: ["查看原文的原因（必填，记入审计日志）", "Reason for reading the raw text (required, audited)"],
  case_raw_reason_empty: ["请填写原因 enter a reason", "Enter a reason"],
  case_raw_title: ["原文（未脱敏）", "Raw transcript (unmasked)"],
  case_raw_warning: ["以下为未脱敏原文，含个人信息；本次查看及原因已记入审计日志。", "Unmasked raw text holding personal information; this read and its reason are in the audit log."],
  case_raw_show: ["显示原文", "Show raw"],
});

// 质检台账 ledger: search (issue 10, gaps).
Object.assign(WORDS, {
  ledger_search: ["搜索", "Search"],
  ledger_search_hint: ["会话/规则/坐席、说明或证据", "conversation, rule, agent, message or evidence"],
  ledger_score_band: ["会话评分", "Conversation score"], ledger_score_clear: ["清除评分筛选", "Clear the score filter"],
  score_distribution: ["评分分布", "Score distribution"], score_band: ["评分段", "Score band"],
  conversations: ["会话数", "Conversations"],
  speaker_agent: ["坐席", "agent"], speaker_customer: ["客户", "customer"], speaker_bot: ["机器人", "bot"],
  speaker_system: ["系统", "system"],
});

// A transcript line's speaker, in words ("坐席"); an unknown role as sent.
export const speaker = (role) => (WORDS[`speaker_${role}`] ? t(`speaker_${role}`) : role);
