"""Reports: a period's violations, trend, risks, training needs, rule health, scores and
suggestions for an institution or a team, as a typed model rendered to HTML or PDF; and
the audit export for regulators (`regulator.py`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from hegui.errors import Invalid
from hegui.services.reports.build import (
    ReportSettings,
    build_report,
    check_team,
    known_teams,
    report_viewer,
)
from hegui.services.reports.model import Report, Suggestion
from hegui.services.reports.period import LOCAL, Period, choose, parse_period
from hegui.services.reports.suggestions import Thresholds

Format = Literal["html", "pdf", "json"]
FORMATS: tuple[str, ...] = ("html", "pdf", "json")
MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
}


def render(report: Report, fmt: str) -> bytes:
    """The report as `html`, `pdf` or `json` bytes."""
    if fmt == "html":
        from hegui.services.reports.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        from hegui.services.reports.pdf import render_pdf  # ReportLab: loaded when asked

        return render_pdf(report)
    if fmt == "json":
        return report.model_dump_json(indent=2).encode("utf-8")
    raise Invalid("format", f"未知格式 unknown format {fmt!r}: use html, pdf or json")


def filename(report: Report, fmt: str) -> str:
    team = f"-{report.scope.team}" if report.scope.team else ""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in report.scope.period + team)
    return f"hegui-report-{safe}.{fmt}"


def today(now: datetime) -> date:
    return now.astimezone(LOCAL).date()


__all__ = [
    "FORMATS",
    "MEDIA",
    "Format",
    "Period",
    "Report",
    "ReportSettings",
    "Suggestion",
    "Thresholds",
    "build_report",
    "check_team",
    "choose",
    "filename",
    "known_teams",
    "parse_period",
    "render",
    "report_viewer",
    "today",
]
