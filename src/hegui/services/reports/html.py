"""The report as a self-contained HTML page (inline CSS, inline SVG charts, no external
resource) from the Jinja2 template shipped with the package."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from hegui.packs import taxonomy
from hegui.services.reports.charts import BLUE, RED, Chart, bar_chart, line_chart, svg
from hegui.services.reports.model import Report

SEVERITY = {"high": "高 high", "medium": "中 medium", "low": "低 low"}
ASSIGNMENT = {
    None: "未指派 not assigned",
    "assigned": "已指派 assigned",
    "acknowledged": "已确认 acknowledged",
    "completed": "已完成 completed",
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("hegui.services.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def signed(change: float | None) -> str:
    return "-" if change is None else f"{change:+.0%}"


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def category_name(category: str) -> str:
    known = taxonomy().categories.get(category)
    return known.zh if known is not None else category


def charts(report: Report) -> tuple[Chart, Chart]:
    bars = [(f"{c.name}", c.findings) for c in report.categories]
    by_category = bar_chart("各类别违规数 findings per category", bars)
    days = [d.day for d in report.daily]
    trend = line_chart(
        "每日违规与通话 findings and conversations per day",
        days,
        [
            ("违规 findings", RED, [d.findings for d in report.daily]),
            ("通话 conversations", BLUE, [d.conversations for d in report.daily]),
        ],
    )
    return by_category, trend


def cards(report: Report) -> list[tuple[str, str, str, float | None, bool]]:
    """(label, English, value, change, whether down is good)."""
    t = report.totals
    return [
        ("通话", "conversations", f"{t.conversations.current:g}", t.conversations.change, False),
        ("违规", "findings", f"{t.findings.current:g}", t.findings.change, True),
        (
            "每百通违规",
            "per 100 calls",
            f"{t.findings_per_100.current:g}",
            t.findings_per_100.change,
            True,
        ),
        ("确认违规", "confirmed", f"{t.confirmed.current:g}", t.confirmed.change, True),
        ("高风险", "high severity", str(t.high_severity), None, True),
        ("待处理", "open cases", str(t.open), None, True),
        ("平均分", "average score", num(report.scores.average), None, False),
        ("按时复核", "reviewed on time", pct(report.sla.on_time_rate), None, False),
    ]


def trend_class(change: float, good_down: bool) -> str:
    if change == 0:
        return "flat"
    return "down" if (change < 0) == good_down else "up"


def render_html(report: Report) -> str:
    by_category, trend = charts(report)
    template = _environment().get_template("report.html.j2")
    return template.render(
        r=report,
        cards=cards(report),
        # svg() escapes every text it writes: safe to insert as markup.
        category_svg=Markup(svg(by_category)),
        trend_svg=Markup(svg(trend)),
        signed=signed,
        pct=pct,
        num=num,
        name=category_name,
        severity=lambda s: SEVERITY.get(s, s),
        assignment=lambda s: ASSIGNMENT.get(s, s),
        trend_class=trend_class,
    )
