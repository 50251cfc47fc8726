"""Scoring one conversation's findings with a scorecard: pure, no I/O.

Each finding counts under the first item that covers it (items in the card's order):
`deduct` points per finding until the item's `weight` is spent. A finding covered by a
fatal item makes the score 0 whatever else holds. Bonus points are added after the
deductions; the score stays within 0–100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hegui.scorecards.schema import FULL_MARKS, Item, ScorecardSpec


@dataclass(frozen=True, slots=True)
class Scoreable:
    """What scoring reads of a finding; `id` is what the breakdown cites (the stored
    finding's id; in `hegui inspect`, its position among the conversation's findings)."""

    id: int
    rule_id: str
    category: str
    severity: str


@dataclass(frozen=True, slots=True)
class Line:
    """One finding's share of the score: the item it counted under (None: no item covers
    it) and the points it cost (0 once its item's weight was spent)."""

    finding_id: int
    category: str
    item: str | None
    points: float


@dataclass(frozen=True, slots=True)
class Deduction:
    item: str
    title: str
    findings: tuple[int, ...]
    points: float
    capped: bool


@dataclass(frozen=True, slots=True)
class Cited:
    """A fatal item that fired, or a bonus item that earned its points."""

    item: str
    title: str
    points: float
    findings: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Score:
    scorecard: str
    version: int
    score: float
    fatal: bool
    deducted: float
    bonus: float
    deductions: tuple[Deduction, ...] = ()
    fatal_items: tuple[Cited, ...] = ()
    bonuses: tuple[Cited, ...] = ()
    unmatched: tuple[int, ...] = ()
    lines: tuple[Line, ...] = field(default=(), repr=False)

    def breakdown(self) -> dict[str, Any]:
        """The score explained, citing finding ids (JSON-ready)."""
        return {
            "scorecard": self.scorecard,
            "version": self.version,
            "score": self.score,
            "fatal": self.fatal,
            "deducted": self.deducted,
            "bonus": self.bonus,
            "deductions": [
                {
                    "item": d.item,
                    "title": d.title,
                    "findings": list(d.findings),
                    "points": d.points,
                    "capped": d.capped,
                }
                for d in self.deductions
            ],
            "fatal_items": [
                {"item": c.item, "title": c.title, "findings": list(c.findings)}
                for c in self.fatal_items
            ],
            "bonuses": [
                {"item": c.item, "title": c.title, "points": c.points} for c in self.bonuses
            ],
            "unmatched": list(self.unmatched),
        }


def score(card: ScorecardSpec, findings: Sequence[Scoreable]) -> Score:
    lines: list[Line] = []
    taken: dict[str, list[Scoreable]] = {item.id: [] for item in card.items}
    for finding in findings:
        item = _item_for(card.items, finding)
        if item is not None:
            taken[item.id].append(finding)
        else:
            lines.append(Line(finding.id, finding.category, None, 0.0))
    deductions = []
    for item in card.items:
        if taken[item.id]:
            deduction, item_lines = _deduct(item, taken[item.id])
            deductions.append(deduction)
            lines.extend(item_lines)
    fatal = tuple(
        Cited(entry.id, entry.title, 0.0, ids)
        for entry in card.fatal
        if (ids := _covered(entry, findings))
    )
    bonuses = tuple(
        Cited(entry.id, entry.title, entry.points)
        for entry in card.bonus
        if bool(_covered(entry, findings)) == (entry.when == "present")
    )
    deducted = _round(sum(d.points for d in deductions))
    bonus = _round(sum(b.points for b in bonuses))
    value = 0.0 if fatal else min(FULL_MARKS, max(0.0, FULL_MARKS - deducted + bonus))
    return Score(
        scorecard=card.scorecard,
        version=card.version,
        score=_round(value),
        fatal=bool(fatal),
        deducted=deducted,
        bonus=bonus,
        deductions=tuple(deductions),
        fatal_items=fatal,
        bonuses=bonuses,
        unmatched=tuple(line.finding_id for line in lines if line.item is None),
        lines=tuple(sorted(lines, key=lambda line: line.finding_id)),
    )


def _item_for(items: Sequence[Item], finding: Scoreable) -> Item | None:
    for item in items:
        if item.covers(finding.rule_id, finding.category, finding.severity):
            return item
    return None


def _deduct(item: Item, findings: Sequence[Scoreable]) -> tuple[Deduction, list[Line]]:
    left, lines = item.weight, []
    for finding in findings:
        points = min(item.per_finding, left)
        left -= points
        lines.append(Line(finding.id, finding.category, item.id, _round(points)))
    spent = item.weight - left
    capped = item.per_finding * len(findings) > item.weight
    ids = tuple(f.id for f in findings)
    return Deduction(item.id, item.title, ids, _round(spent), capped), lines


def _covered(entry: Any, findings: Sequence[Scoreable]) -> tuple[int, ...]:
    return tuple(f.id for f in findings if entry.covers(f.rule_id, f.category, f.severity))


def _round(value: float) -> float:
    return round(value + 0.0, 2)
