"""The severity policy: how soon a case must be handled and how it is announced.

high → notified at once, due within 1 h; medium → the daily digest, 24 h; low → the weekly
summary, 7 days (`HEGUI_DUE_*`, `HEGUI_NOTIFY_*`). Digest periods and training periods are
calendar days, weeks (from Monday) and months in China Standard Time (UTC+08:00), where
the institutions and their people are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hegui.formats.times import DEFAULT_ZONE
from hegui.settings import NotifyMode, Settings

SEVERITIES = ("high", "medium", "low")
RANK = {"low": 0, "medium": 1, "high": 2}
# Who answers for an open case after n escalations: its reviewers (or assignee) first.
ESCALATION = ("reviewer", "team_lead", "compliance_manager", "admin")
LOCAL = DEFAULT_ZONE


def at_least(severity: str, minimum: str) -> bool:
    """Whether a `severity` notice reaches a notifier that wants `minimum` and above."""
    return RANK.get(severity, 0) >= RANK.get(minimum, 0)


@dataclass(frozen=True)
class SeverityPolicy:
    due: Mapping[str, timedelta] = field(
        default_factory=lambda: {
            "high": timedelta(hours=1),
            "medium": timedelta(hours=24),
            "low": timedelta(days=7),
        }
    )
    notify: Mapping[str, NotifyMode] = field(
        default_factory=lambda: {"high": "immediate", "medium": "daily", "low": "weekly"}
    )

    @classmethod
    def from_settings(cls, settings: Settings) -> SeverityPolicy:
        due = {"high": settings.due_high, "medium": settings.due_medium, "low": settings.due_low}
        notify: dict[str, NotifyMode] = {
            "high": settings.notify_high,
            "medium": settings.notify_medium,
            "low": settings.notify_low,
        }
        return cls(due, notify)

    def due_at(self, severity: str, since: datetime) -> datetime:
        return since + self.due.get(severity, self.due["low"])

    def immediate(self, severity: str) -> bool:
        return self.notify.get(severity) == "immediate"

    def digested(self, period: str) -> list[str]:
        """The severities announced in the `daily` or `weekly` digest."""
        return [s for s in SEVERITIES if self.notify.get(s) == period]


def escalated_to(level: int) -> str:
    """Who answers for a case at an escalation level (0: its reviewers, then up the chain)."""
    return ESCALATION[min(max(level, 0), len(ESCALATION) - 1)]


def period_bounds(kind: str, moment: datetime) -> tuple[datetime, datetime, str]:
    """The `day`, `week` or `month` (local time) holding `moment`: start, end (UTC), label."""
    local = moment.astimezone(LOCAL).replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "day":
        start, end = local, local + timedelta(days=1)
        label = start.date().isoformat()
    elif kind == "week":
        start = local - timedelta(days=local.weekday())
        end = start + timedelta(days=7)
        year, week, _ = start.isocalendar()
        label = f"{year}-W{week:02d}"
    elif kind == "month":
        start = local.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        label = f"{start.year}-{start.month:02d}"
    else:
        raise ValueError(f"unknown period {kind!r}")
    return start.astimezone(UTC), end.astimezone(UTC), label


def previous_period(kind: str, now: datetime) -> tuple[datetime, datetime, str]:
    """The last whole `day` or `week` before the one holding `now`."""
    start, _, _ = period_bounds(kind, now)
    return period_bounds(kind, start - timedelta(seconds=1))
