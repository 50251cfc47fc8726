"""Per-rule precision from the verdicts on its cases, noisy rules, suggested exceptions.

Confirmed counts cases confirmed on review and not overturned (`confirmed`, `appealed`,
`upheld`); dismissed counts cases dismissed on review or overturned on appeal. Precision is
confirmed / (confirmed + dismissed); a rule is noisy when it is below `precision` with at
least `min_verdicts` verdicts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.services.cases.models import (
    APPEALED,
    CONFIRMED,
    DISMISSED,
    FINDING,
    OVERTURNED,
    UPHELD,
    Case,
)
from hegui.services.findings.models import StoredFinding
from hegui.services.rulestats.phrases import MIN_CASES, Evidence, suggest, supported

CONFIRMING = (CONFIRMED, APPEALED, UPHELD)
DISMISSING = (DISMISSED, OVERTURNED)


@dataclass(frozen=True)
class NoiseThresholds:
    precision: float = 0.5
    min_verdicts: int = 10


class RuleStats(TypedDict):
    confirmed: int
    dismissed: int
    upheld: int
    overturned: int
    precision: float | None
    noisy: bool
    suggested_exceptions: list[str]


def rule_stats(
    session: Session,
    rule_id: str | None = None,
    *,
    thresholds: NoiseThresholds | None = None,
) -> dict[str, RuleStats]:
    """{rule_id: stats} for every rule with at least one verdict (or just `rule_id`)."""
    limits = thresholds or NoiseThresholds()
    counts = _counts(session, rule_id)
    worth = [rule for rule, c in counts.items() if sum(c[s] for s in DISMISSING) >= MIN_CASES]
    evidence = _evidence(session, worth)
    out: dict[str, RuleStats] = {}
    for rule, by_status in sorted(counts.items()):
        confirmed = sum(by_status[s] for s in CONFIRMING)
        dismissed = sum(by_status[s] for s in DISMISSING)
        verdicts = confirmed + dismissed
        precision = confirmed / verdicts if verdicts else None
        seen = evidence.get(rule, {})
        out[rule] = RuleStats(
            confirmed=confirmed,
            dismissed=dismissed,
            upheld=by_status[UPHELD],
            overturned=by_status[OVERTURNED],
            precision=precision,
            noisy=precision is not None
            and verdicts >= limits.min_verdicts
            and precision < limits.precision,
            suggested_exceptions=suggest(seen.get(False, []), seen.get(True, [])),
        )
    return out


def _counts(session: Session, rule_id: str | None) -> dict[str, defaultdict[str, int]]:
    query = (
        select(Case.rule_id, Case.status, func.count())
        .where(Case.kind == FINDING, Case.status.in_(CONFIRMING + DISMISSING))
        .group_by(Case.rule_id, Case.status)
    )
    if rule_id is not None:
        query = query.where(Case.rule_id == rule_id)
    counts: dict[str, defaultdict[str, int]] = {}
    for rule, status, n in session.execute(query):
        if rule is not None:
            counts.setdefault(rule, defaultdict(int))[status] = int(n)
    return counts


def _evidence(session: Session, rules: list[str]) -> dict[str, dict[bool, list[Evidence]]]:
    """Evidence of the reviewed cases of `rules`: True → confirmed, False → dismissed."""
    if not rules:
        return {}
    query = (
        select(
            Case.rule_id,
            Case.status,
            StoredFinding.evidence,
            StoredFinding.span_start,
            StoredFinding.span_end,
        )
        .join(StoredFinding, StoredFinding.id == Case.finding_id)
        .where(Case.rule_id.in_(rules), Case.status.in_(CONFIRMING + DISMISSING))
    )
    out: dict[str, dict[bool, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for rule, status, text, start, end in session.execute(query):
        if rule is not None and text is not None and start is not None and end is not None:
            out[rule][status in CONFIRMING].append((text, start, end))
    return out


class RuleHealth(TypedDict):
    rule_id: str
    findings: int  # current findings (not superseded) the rule has made
    confirmed: int
    dismissed: int
    precision: float | None
    noisy: bool
    suggested_exceptions: list[tuple[str, int]]  # (phrase, dismissed cases around it)


def rule_health(session: Session, *, thresholds: NoiseThresholds | None = None) -> list[RuleHealth]:
    """Every rule with a verdict: noisy ones first, then by precision (lowest first), each
    with its findings and the exceptions its dismissed cases suggest (with their support)."""
    limits = thresholds or NoiseThresholds()
    counts = _counts(session, None)
    evidence = _evidence(
        session, [r for r, c in counts.items() if sum(c[s] for s in DISMISSING) >= MIN_CASES]
    )
    made = dict(
        session.execute(
            select(StoredFinding.rule_id, func.count())
            .where(StoredFinding.superseded_at.is_(None), StoredFinding.rule_id.in_(counts))
            .group_by(StoredFinding.rule_id)
        ).all()
    )
    out: list[RuleHealth] = []
    for rule, by_status in counts.items():
        confirmed = sum(by_status[s] for s in CONFIRMING)
        dismissed = sum(by_status[s] for s in DISMISSING)
        verdicts = confirmed + dismissed
        precision = confirmed / verdicts if verdicts else None
        seen = evidence.get(rule, {})
        out.append(
            RuleHealth(
                rule_id=rule,
                findings=int(made.get(rule, 0)),
                confirmed=confirmed,
                dismissed=dismissed,
                precision=precision,
                noisy=precision is not None
                and verdicts >= limits.min_verdicts
                and precision < limits.precision,
                suggested_exceptions=supported(seen.get(False, []), seen.get(True, [])),
            )
        )
    worst = 2.0  # sorts rules without a precision last

    def order(h: RuleHealth) -> tuple[bool, float, int, str]:
        precision = worst if h["precision"] is None else h["precision"]
        return (not h["noisy"], precision, -h["dismissed"], h["rule_id"])

    out.sort(key=order)
    return out
