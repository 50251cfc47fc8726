"""Report periods: a calendar month, ISO week, quarter, year or day in China Standard Time
(UTC+08:00, where the institutions are), or any range of days; and the period before it.

`2026-11` (month), `2026-W45` (ISO week), `2026-Q4` (quarter), `2026` (year), `2026-11-03`
(day); a range of days is `since`..`until`, both dates included. The previous period of a
calendar one is the calendar one before it (October for November); of a range, the range of
the same length just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from hegui.errors import Invalid
from hegui.formats.times import DEFAULT_ZONE

LOCAL = DEFAULT_ZONE
FORMS = "2026-11, 2026-W45, 2026-Q4, 2026, 2026-11-03"
# Long enough for a yearly report, short enough that a typo (20266) is caught.
MAX_DAYS = 366
_PATTERNS = {
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "week": re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE),
    "year": re.compile(r"^(\d{4})$"),
    "day": re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
}


@dataclass(frozen=True)
class Period:
    """Local dates [first, end): `kind` month | week | quarter | year | day | range."""

    kind: str
    first: date
    end: date  # exclusive
    label: str

    @property
    def since(self) -> datetime:
        return _utc(self.first)

    @property
    def until(self) -> datetime:
        return _utc(self.end)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.end - self.first).days)]

    def previous(self) -> Period:
        if self.kind == "month":
            return month(_shift_month(self.first, -1))
        if self.kind == "quarter":
            return quarter(_shift_month(self.first, -3))
        if self.kind == "year":
            return year(self.first.year - 1)
        length = self.end - self.first
        first = self.first - length
        if self.kind in ("week", "day"):
            return _calendar(self.kind, first)
        return days_between(first, self.first - timedelta(days=1))


def parse_period(text: str, field: str = "period") -> Period:
    """A period from its label; `Invalid(field)` naming the forms accepted."""
    value = text.strip()
    for kind, pattern in _PATTERNS.items():
        found = pattern.match(value)
        if found is None:
            continue
        numbers = [int(part) for part in found.groups()]
        try:
            if kind == "month":
                return month(date(numbers[0], numbers[1], 1))
            if kind == "week":
                return _calendar("week", date.fromisocalendar(numbers[0], numbers[1], 1))
            if kind == "quarter":
                return quarter(date(numbers[0], 3 * numbers[1] - 2, 1))
            if kind == "year":
                return year(numbers[0])
            return _calendar("day", date(numbers[0], numbers[1], numbers[2]))
        except ValueError:
            break
    raise Invalid(field, f"无法识别的报告期 unrecognised period {text!r}: use one of {FORMS}")


def parse_day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(
            field, f"日期格式应为 YYYY-MM-DD date must be YYYY-MM-DD, got {text!r}"
        ) from None


def days_between(first: date, last: date, field: str = "until") -> Period:
    """The days `first` through `last`, both included."""
    if last < first:
        raise Invalid(
            field, f"结束日期早于开始日期 {last.isoformat()} is before {first.isoformat()}"
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise Invalid(field, f"报告期最长 {MAX_DAYS} 天 a report covers at most {MAX_DAYS} days")
    label = f"{first.isoformat()}~{last.isoformat()}"
    return Period("range", first, last + timedelta(days=1), label)


def choose(period: str | None, since: str | None, until: str | None, today: date) -> Period:
    """The period a caller asked for: a label, or since/until dates, not both; neither is
    last month (the monthly report)."""
    if period is not None and (since is not None or until is not None):
        raise Invalid("period", "报告期与起止日期只能选一种 give a period or since/until, not both")
    if period is not None:
        return parse_period(period)
    if since is None and until is None:
        return month(today.replace(day=1)).previous()
    first = parse_day(since, "since") if since is not None else None
    last = parse_day(until, "until") if until is not None else today
    if first is None:
        first = last.replace(day=1)
    return days_between(first, last)


def month(first: date) -> Period:
    first = first.replace(day=1)
    return Period("month", first, _shift_month(first, 1), f"{first.year}-{first.month:02d}")


def quarter(first: date) -> Period:
    first = date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    number = (first.month - 1) // 3 + 1
    return Period("quarter", first, _shift_month(first, 3), f"{first.year}-Q{number}")


def year(number: int) -> Period:
    return Period("year", date(number, 1, 1), date(number + 1, 1, 1), str(number))


def local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL).date()


def _calendar(kind: str, first: date) -> Period:
    if kind == "week":
        iso = first.isocalendar()
        return Period("week", first, first + timedelta(days=7), f"{iso[0]}-W{iso[1]:02d}")
    return Period("day", first, first + timedelta(days=1), first.isoformat())


def _shift_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL).astimezone(UTC)
