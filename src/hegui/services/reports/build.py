"""Building a report from the platform's tables: findings, cases and their history, scores,
training assignments and rule verdicts, for one period and the period before it.

What is counted (`model.py` describes each figure):

- findings: the current findings of each conversation's newest revision (as the dashboard
  counts them, `hegui.services.metrics`), of conversations that took place in the period;
- cases: finding cases of those conversations, withdrawn ones left out; confirmed means
  confirmed and not overturned (`hegui.services.rulestats`);
- SLA: a case's due time is its creation plus the severity's time to handle
  (`HEGUI_DUE_*`); it was on time when its first review came by then;
- training: agents whose confirmed findings of one category in the period reach
  `HEGUI_TRAINING_THRESHOLD`, with the training assigned to them in the period.

Everything is limited to what the reader may see (`hegui.services.access`); a team's
report is what that team's lead sees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from hegui.errors import Forbidden, Invalid
from hegui.packs import taxonomy
from hegui.services.access import Principal, restrict
from hegui.services.alerts.policy import SeverityPolicy
from hegui.services.cases.models import FINDING, OPEN, WITHDRAWN, Case, CaseEvent
from hegui.services.conversations.models import StoredConversation
from hegui.services.metrics.scope import Scope as MetricsScope
from hegui.services.metrics.scope import day_of
from hegui.services.metrics.service import findings_by
from hegui.services.reports.model import (
    CategoryRow,
    Change,
    DayCount,
    Report,
    RiskRow,
    RuleHealth,
    Scope,
    ScoreRow,
    Scores,
    Sla,
    TeamCategory,
    Totals,
    TrainingRow,
)
from hegui.services.reports.period import Period, parse_period
from hegui.services.reports.suggestions import Thresholds, suggest
from hegui.services.rulestats import NoiseThresholds, rule_stats
from hegui.services.rulestats.stats import CONFIRMING, DISMISSING
from hegui.services.scorecards import ScorecardService
from hegui.services.training.models import TrainingAssignment
from hegui.services.users.schemas import Role

TOP_RISKS = 10
LOWEST_AGENTS = 5
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
Progress = Callable[[str], None]


@dataclass(frozen=True)
class ReportSettings:
    policy: SeverityPolicy = field(default_factory=SeverityPolicy)
    training_threshold: int = 3
    noise: NoiseThresholds = field(default_factory=NoiseThresholds)
    suggestions: Thresholds = field(default_factory=Thresholds)


def report_viewer(viewer: Principal, team: str | None) -> Principal:
    """Who the report is read as: `viewer`, or for a team's report what its lead sees.

    Agents get no reports; a team lead only its own team's."""
    if viewer.role == Role.agent:
        raise Forbidden("坐席无权查看报告 agents may not read reports")
    if viewer.role == Role.team_lead:
        if team is not None and team != viewer.team:
            raise Forbidden(
                f"只能查看本组报告 a team lead may only read its own team's report ({viewer.team})"
            )
        return viewer
    if team is None:
        return viewer
    return Principal(viewer.id, viewer.username, Role.team_lead, team=team)


def known_teams(session: Session) -> list[str]:
    query = select(StoredConversation.team).distinct().where(StoredConversation.team.is_not(None))
    return sorted(str(team) for team in session.scalars(query))


def check_team(session: Session, team: str) -> None:
    teams = known_teams(session)
    if team not in teams:
        choices = ", ".join(teams) or "无 none yet"
        raise Invalid(
            "team", f"未知团队 unknown team {team!r}; teams with conversations: {choices}"
        )


def build_report(
    session: Session,
    viewer: Principal,
    period: Period,
    *,
    team: str | None,
    scorecards: ScorecardService,
    now: datetime,
    settings: ReportSettings | None = None,
    progress: Progress | None = None,
) -> Report:
    """The report for `period` (and `team`, else everything `viewer` sees)."""
    config = settings or ReportSettings()
    step = progress or (lambda _: None)
    if team is not None:
        check_team(session, team)
    reader = report_viewer(viewer, team)
    scope_team = team if team is not None else reader.team if not reader.sees_all else None
    previous = period.previous()
    query = _Queries(session, reader)

    step("统计违规 counting findings")
    categories_now = _counts(findings_by(session, reader, "category", _range(period)))
    categories_before = _counts(findings_by(session, reader, "category", _range(previous)))
    verdicts = query.verdicts_by("category", period)
    conversations = query.conversations(period), query.conversations(previous)
    total_now, total_before = sum(categories_now.values()), sum(categories_before.values())
    names = {cid: c.zh for cid, c in taxonomy().categories.items()}
    categories = [
        CategoryRow(
            category=category,
            name=names.get(category, category),
            findings=count,
            previous=categories_before.get(category, 0),
            change=Change.of(count, categories_before.get(category, 0)).change,
            share=round(count / total_now, 4) if total_now else 0.0,
            confirmed=verdicts[category][0],
            dismissed=verdicts[category][1],
        )
        for category, count in sorted(categories_now.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    daily = query.daily(period)

    step("统计复核 counting reviews")
    confirmed_now = sum(v[0] for v in verdicts.values())
    confirmed_before = sum(v[0] for v in query.verdicts_by("category", previous).values())
    statuses = query.statuses(period)
    totals = Totals(
        conversations=Change.of(*conversations),
        findings=Change.of(total_now, total_before),
        findings_per_100=Change.of(
            _per_100(total_now, conversations[0]), _per_100(total_before, conversations[1])
        ),
        confirmed=Change.of(confirmed_now, confirmed_before),
        dismissed=sum(statuses[s] for s in DISMISSING),
        open=sum(statuses[s] for s in OPEN),
        high_severity=query.high_severity(period),
    )
    rules = query.rule_health(period, config.noise)
    if reader.sees_all:  # suggested exceptions read every team's evidence
        for row in rules:
            if row.noisy:
                stats = rule_stats(session, row.rule_id, thresholds=config.noise)
                if row.rule_id in stats:
                    row.suggested_exceptions = stats[row.rule_id]["suggested_exceptions"]

    step("评分与培训 scores and training")
    scores = _scores(session, reader, scorecards, period, previous)
    training = query.training(period, config.training_threshold)
    sla = query.sla(period, config.policy, now)
    cells = [
        TeamCategory(team=c.team, category=c.category, findings=c.findings)
        for c in query.team_categories(period)
    ]
    scope = Scope(
        period=period.label,
        kind=period.kind,
        first_day=period.first.isoformat(),
        last_day=(period.end - timedelta(days=1)).isoformat(),
        previous=previous.label,
        team=scope_team,
        generated_at=now,
        generated_by=viewer.actor,
    )
    report = Report(
        scope=scope,
        totals=totals,
        categories=categories,
        daily=daily,
        top_risks=query.top_risks(period),
        training=training,
        rules=rules,
        scores=scores,
        sla=sla,
        team_categories=cells,
        suggestions=[],
    )
    step("生成建议 drawing suggestions")
    report.suggestions = suggest(report, config.suggestions)
    return report


def _range(period: Period) -> MetricsScope:
    return MetricsScope(since=period.since, until=period.until, utc_offset=timedelta(hours=8))


def _counts(groups: list[Any]) -> dict[str, int]:
    return {str(g.key): int(g.count) for g in groups if g.key is not None}


def _per_100(findings: int, conversations: int) -> float:
    return round(100 * findings / conversations, 2) if conversations else 0.0


def _scores(
    session: Session,
    reader: Principal,
    scorecards: ScorecardService,
    period: Period,
    previous: Period,
) -> Scores:
    def overall(p: Period) -> tuple[int, float | None, int]:
        groups = scorecards.scores_by(
            session, reader, "scorecard", MetricsScope(since=p.since, until=p.until)
        )
        n = sum(g.conversations for g in groups)
        if not n:
            return 0, None, 0
        average = sum(g.average * g.conversations for g in groups) / n
        return n, round(average, 2), sum(g.fatal for g in groups)

    n, average, fatal = overall(period)
    _, before, _ = overall(previous)

    def rows(group_by: Any) -> list[ScoreRow]:
        groups = scorecards.scores_by(
            session, reader, group_by, MetricsScope(since=period.since, until=period.until)
        )
        return [
            ScoreRow(
                key=g.key,
                conversations=g.conversations,
                average=g.average,
                minimum=g.minimum,
                fatal=g.fatal,
            )
            for g in groups
        ]

    return Scores(
        conversations=n,
        average=average,
        previous_average=before,
        fatal=fatal,
        by_team=rows("team"),
        lowest_agents=[r for r in rows("agent") if r.key is not None][:LOWEST_AGENTS],
    )


class _Queries:
    """The report's own queries over cases and conversations, limited to `viewer`."""

    def __init__(self, session: Session, viewer: Principal) -> None:
        self.session = session
        self.viewer = viewer

    def _cases(self, period: Period, *columns: Any) -> Any:
        query = select(*columns).where(
            Case.kind == FINDING,
            Case.status != WITHDRAWN,
            Case.occurred_at >= period.since,
            Case.occurred_at < period.until,
        )
        return restrict(query, self.viewer, Case)

    def conversations(self, period: Period) -> int:
        c = StoredConversation
        query: Any = select(func.count()).where(
            c.occurred_at >= period.since, c.occurred_at < period.until
        )
        return int(self.session.scalar(restrict(query.select_from(c), self.viewer, c)) or 0)

    def daily(self, period: Period) -> list[DayCount]:
        c = StoredConversation
        day = day_of(self.session, timedelta(hours=8), c.occurred_at).label("day")
        query = (
            select(day, func.count())
            .select_from(c)
            .where(c.occurred_at >= period.since, c.occurred_at < period.until)
            .group_by(day)
        )
        talks = {str(k): int(n) for k, n in self.session.execute(restrict(query, self.viewer, c))}
        found = _counts(findings_by(self.session, self.viewer, "day", _range(period)))
        return [
            DayCount(
                day=d.isoformat(),
                findings=found.get(d.isoformat(), 0),
                conversations=talks.get(d.isoformat(), 0),
            )
            for d in period.days
        ]

    def statuses(self, period: Period) -> defaultdict[str, int]:
        query = self._cases(period, Case.status, func.count()).group_by(Case.status)
        out: defaultdict[str, int] = defaultdict(int)
        for status, n in self.session.execute(query):
            out[str(status)] = int(n)
        return out

    def verdicts_by(self, column: str, period: Period) -> defaultdict[str, list[int]]:
        """{key: [confirmed, dismissed]}."""
        key = getattr(Case, column)
        query = self._cases(period, key, Case.status, func.count()).group_by(key, Case.status)
        out: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        for value, status, n in self.session.execute(query):
            if value is None:
                continue
            if status in CONFIRMING:
                out[str(value)][0] += int(n)
            elif status in DISMISSING:
                out[str(value)][1] += int(n)
        return out

    def high_severity(self, period: Period) -> int:
        query = self._cases(period, func.count()).where(Case.severity == "high")
        return int(self.session.scalar(query) or 0)

    def top_risks(self, period: Period) -> list[RiskRow]:
        confirmed = func.sum(case((Case.status.in_(CONFIRMING), 1), else_=0))
        query = self._cases(
            period,
            Case.rule_id,
            Case.category,
            Case.severity,
            func.count(),
            confirmed,
            func.count(distinct(Case.agent_id)),
        ).group_by(Case.rule_id, Case.category, Case.severity)
        rows = [
            RiskRow(
                rule_id=str(rule),
                category=str(category or ""),
                severity=str(severity),
                findings=int(n),
                confirmed=int(yes or 0),
                agents=int(agents),
            )
            for rule, category, severity, n, yes, agents in self.session.execute(query)
            if rule is not None
        ]
        rows.sort(
            key=lambda r: (SEVERITY_RANK.get(r.severity, 3), -r.confirmed, -r.findings, r.rule_id)
        )
        return rows[:TOP_RISKS]

    def rule_health(self, period: Period, noise: NoiseThresholds) -> list[RuleHealth]:
        counts = self._cases(period, Case.rule_id, func.count()).group_by(Case.rule_id)
        found = {str(r): int(n) for r, n in self.session.execute(counts) if r is not None}
        verdicts = self.verdicts_by("rule_id", period)
        out: list[RuleHealth] = []
        for rule, n in found.items():
            yes, no = verdicts.get(rule, [0, 0])
            judged = yes + no
            precision = round(yes / judged, 4) if judged else None
            noisy = (
                precision is not None
                and judged >= noise.min_verdicts
                and precision < noise.precision
            )
            out.append(
                RuleHealth(
                    rule_id=rule,
                    findings=n,
                    confirmed=yes,
                    dismissed=no,
                    precision=precision,
                    noisy=noisy,
                    suggested_exceptions=[],
                )
            )
        out.sort(
            key=lambda r: (
                not r.noisy,
                r.precision if r.precision is not None else 2.0,
                -r.findings,
                r.rule_id,
            )
        )
        return out

    def training(self, period: Period, threshold: int) -> list[TrainingRow]:
        query = (
            self._cases(period, Case.agent_id, Case.team, Case.category, func.count())
            .where(
                Case.status.in_(CONFIRMING), Case.agent_id.is_not(None), Case.category.is_not(None)
            )
            .group_by(Case.agent_id, Case.team, Case.category)
            .having(func.count() >= threshold)
        )
        wanted = [(str(a), t, str(c), int(n)) for a, t, c, n in self.session.execute(query)]
        t = TrainingAssignment
        agents = sorted({a for a, _, _, _ in wanted})
        assigned: Any = restrict(
            select(t.agent_id, t.category, t.status, t.period).where(  # type: ignore[arg-type]
                t.agent_id.in_(agents)
            ),
            self.viewer,
            t,
        )
        order = {"assigned": 0, "acknowledged": 1, "completed": 2}
        status: dict[tuple[str, str], str] = {}
        for agent, category, state, label in self.session.execute(assigned):
            if not _within(str(label), period):
                continue
            key = (str(agent), str(category))
            # Several assignments (weekly training): the least advanced one is what is left.
            if key not in status or order.get(state, 0) < order.get(status[key], 0):
                status[key] = str(state)
        rows = [
            TrainingRow(
                agent_id=a, team=team, category=c, confirmed=n, assignment=status.get((a, c))
            )
            for a, team, c, n in wanted
        ]
        rows.sort(key=lambda r: (-r.confirmed, r.agent_id, r.category))
        return rows

    def sla(self, period: Period, policy: SeverityPolicy, now: datetime) -> Sla:
        first_review = (
            select(CaseEvent.case_id, func.min(CaseEvent.at).label("at"))
            .where(CaseEvent.action == "review")
            .group_by(CaseEvent.case_id)
            .subquery()
        )
        query = self._cases(
            period, Case.severity, Case.created_at, Case.status, Case.due_at, first_review.c.at
        ).outerjoin(first_review, first_review.c.case_id == Case.id)
        reviewed = on_time = open_ = overdue = 0
        for severity, created, status, due_at, reviewed_at in self.session.execute(query):
            if reviewed_at is not None:
                reviewed += 1
                due = policy.due_at(str(severity), created)
                on_time += _aware(reviewed_at) <= due
            if status in OPEN:
                open_ += 1
                overdue += due_at is not None and due_at < now
        rate = round(on_time / reviewed, 4) if reviewed else None
        return Sla(
            reviewed=reviewed, on_time=on_time, on_time_rate=rate, open=open_, overdue=overdue
        )

    def team_categories(self, period: Period) -> list[TeamCategory]:
        query = self._cases(period, Case.team, Case.category, func.count()).group_by(
            Case.team, Case.category
        )
        return sorted(
            (
                TeamCategory(team=team, category=str(category), findings=int(n))
                for team, category, n in self.session.execute(query)
                if category is not None
            ),
            key=lambda c: (c.team is None, c.team or "", -c.findings, c.category),
        )


def _within(label: str, period: Period) -> bool:
    """Whether a training period (`2026-11`, `2026-W45`) starts within the report's."""
    try:
        start = parse_period(label).first
    except Invalid:
        return False
    return period.first <= start < period.end


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
