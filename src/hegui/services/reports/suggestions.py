"""Suggestions written from the report's figures: each is a rule over the numbers, and each
cites the figures it rests on (`Suggestion.figures`). The thresholds (`Thresholds`):

- team_concentration — one team accounts for ≥ 60 % of a category's findings in a report
  over several teams, the category having ≥ 5 findings → targeted training for that team;
- category_dominant — one category makes up ≥ 50 % of a team's findings, ≥ 5 of them →
  scripting (话术) training on it for the team (not repeated where team_concentration fired);
- rising_category — a category's findings rose ≥ 50 % on the period before, to ≥ 5 →
  find out why (new product, new staff, a changed rule);
- noisy_rule — a rule's precision over the period's verdicts is below
  `NoiseThresholds.precision` with ≥ `min_verdicts` verdicts → review the rule, with the
  exceptions the dismissed evidence suggests;
- training_follow_up — agents who crossed the training threshold in a category and have
  not completed the course → follow up (one suggestion per category);
- sla — under 90 % of reviews on time (≥ 10 reviewed), or open cases past due → more
  reviewer capacity or reassignment;
- low_score — a team's average score below 80 over ≥ 5 scored conversations → coaching.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from hegui.packs import taxonomy
from hegui.services.reports.model import Report, Suggestion

NO_TEAM = "无团队"


@dataclass(frozen=True)
class Thresholds:
    concentration_share: float = 0.6
    dominant_share: float = 0.5
    min_findings: int = 5
    rising_change: float = 0.5
    sla_on_time: float = 0.9
    sla_min_reviewed: int = 10
    score_floor: float = 80.0
    score_min_conversations: int = 5
    agents_named: int = 3


def suggest(report: Report, limits: Thresholds | None = None) -> list[Suggestion]:
    t = limits or Thresholds()
    names = {cid: c.zh for cid, c in taxonomy().categories.items()}
    names |= {row.category: row.name for row in report.categories}

    def zh(category: str) -> str:
        return names.get(category, category)

    out: list[Suggestion] = []
    flagged: set[tuple[str | None, str]] = set()
    by_category: defaultdict[str, int] = defaultdict(int)
    by_team: defaultdict[str | None, int] = defaultdict(int)
    for cell in report.team_categories:
        by_category[cell.category] += cell.findings
        by_team[cell.team] += cell.findings
    if len(by_team) > 1:
        for cell in report.team_categories:
            total = by_category[cell.category]
            share = cell.findings / total if total else 0.0
            if total >= t.min_findings and share >= t.concentration_share:
                flagged.add((cell.team, cell.category))
                team = cell.team or NO_TEAM
                out.append(
                    Suggestion(
                        rule="team_concentration",
                        zh=f"{team}组的{zh(cell.category)}违规占全部该类违规的{share:.0%}"
                        f"（{cell.findings}/{total}），建议对该组开展专项话术培训。",
                        en=f"Team {cell.team or '(none)'} accounts for {share:.0%} of all "
                        f"{cell.category} findings ({cell.findings} of {total}): give the team "
                        "targeted scripting training.",
                        figures={
                            "team": team,
                            "category": cell.category,
                            "findings": cell.findings,
                            "category_findings": total,
                            "share": round(share, 4),
                        },
                    )
                )
    for cell in report.team_categories:
        total = by_team[cell.team]
        share = cell.findings / total if total else 0.0
        if (cell.team, cell.category) in flagged:
            continue
        if cell.findings >= t.min_findings and share >= t.dominant_share:
            team = cell.team or NO_TEAM
            out.append(
                Suggestion(
                    rule="category_dominant",
                    zh=f"{team}组{zh(cell.category)}占本组违规的{share:.0%}"
                    f"（{cell.findings}/{total}），建议加强话术培训。",
                    en=f"{cell.category} makes up {share:.0%} of team {cell.team or '(none)'}'s "
                    f"findings ({cell.findings} of {total}): strengthen scripting training.",
                    figures={
                        "team": team,
                        "category": cell.category,
                        "findings": cell.findings,
                        "team_findings": total,
                        "share": round(share, 4),
                    },
                )
            )
    for row in report.categories:
        if row.change is None or row.change < t.rising_change:
            continue
        if row.findings >= t.min_findings:
            out.append(
                Suggestion(
                    rule="rising_category",
                    zh=f"{row.name}违规环比上升{row.change:.0%}（{row.previous}→{row.findings}），"
                    "建议排查原因（新产品、新员工或规则变更）。",
                    en=f"{row.category} findings rose {row.change:.0%} on "
                    f"{report.scope.previous} ({row.previous} → {row.findings}): find out "
                    "why (a new product, new staff, a changed rule).",
                    figures={
                        "category": row.category,
                        "findings": row.findings,
                        "previous": row.previous,
                        "change": row.change,
                    },
                )
            )
    for rule in report.rules:
        if rule.noisy and rule.precision is not None:
            verdicts = rule.confirmed + rule.dismissed
            hint = "、".join(rule.suggested_exceptions)
            out.append(
                Suggestion(
                    rule="noisy_rule",
                    zh=f"规则 {rule.rule_id} 精确率仅{rule.precision:.0%}（{verdicts}条复核中驳回"
                    f"{rule.dismissed}条），建议复查规则"
                    + (f"，可考虑增加例外：{hint}。" if hint else "。"),
                    en=f"Rule {rule.rule_id} has precision {rule.precision:.0%} "
                    f"({rule.dismissed} of {verdicts} verdicts dismissed): review it"
                    + (
                        f"; candidate exceptions: {', '.join(rule.suggested_exceptions)}."
                        if hint
                        else "."
                    ),
                    figures={
                        "rule_id": rule.rule_id,
                        "precision": rule.precision,
                        "confirmed": rule.confirmed,
                        "dismissed": rule.dismissed,
                    },
                )
            )
    pending: defaultdict[str, list[str]] = defaultdict(list)
    for need in report.training:
        if need.assignment != "completed":
            pending[need.category].append(need.agent_id)
    for category, agents in sorted(pending.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        shown = "、".join(agents[: t.agents_named]) + ("等" if len(agents) > t.agents_named else "")
        out.append(
            Suggestion(
                rule="training_follow_up",
                zh=f"{len(agents)}名坐席（{shown}）本期{zh(category)}确认违规达到培训阈值且未完成培训，"
                "建议督促完成培训并复听其通话。",
                en=f"{len(agents)} agent(s) ({', '.join(agents[: t.agents_named])}) reached the "
                f"training threshold for {category} and have not completed the course: follow "
                "up and listen to their calls again.",
                figures={"category": category, "agents": len(agents)},
            )
        )
    sla = report.sla
    late = sla.on_time_rate is not None and sla.reviewed >= t.sla_min_reviewed
    if (late and (sla.on_time_rate or 0.0) < t.sla_on_time) or sla.overdue:
        rate = f"{sla.on_time_rate:.0%}" if sla.on_time_rate is not None else "-"
        out.append(
            Suggestion(
                rule="sla",
                zh=f"复核及时率{rate}（{sla.on_time}/{sla.reviewed}），逾期未处理案件{sla.overdue}件，"
                "建议增加复核人力或重新分配案件。",
                en=f"{rate} of reviews on time ({sla.on_time} of {sla.reviewed}), {sla.overdue} "
                "open case(s) past due: add reviewer capacity or reassign cases.",
                figures={
                    "reviewed": sla.reviewed,
                    "on_time": sla.on_time,
                    "on_time_rate": sla.on_time_rate if sla.on_time_rate is not None else "-",
                    "overdue": sla.overdue,
                },
            )
        )
    for group in report.scores.by_team:
        if group.conversations >= t.score_min_conversations and group.average < t.score_floor:
            team = group.key or NO_TEAM
            out.append(
                Suggestion(
                    rule="low_score",
                    zh=f"{team}组平均质检分{group.average:.1f}，低于{t.score_floor:.0f}分"
                    f"（{group.conversations}通），建议组织专项辅导。",
                    en=f"Team {group.key or '(none)'} averages {group.average:.1f} points, below "
                    f"{t.score_floor:.0f} ({group.conversations} conversations): arrange coaching.",
                    figures={
                        "team": team,
                        "average": group.average,
                        "conversations": group.conversations,
                    },
                )
            )
    return out
