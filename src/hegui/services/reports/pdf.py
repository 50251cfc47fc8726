"""The report as PDF (ReportLab): the same sections and charts as the HTML page, Chinese set
in the Adobe CID font STSong-Light that every PDF reader has (nothing embedded, no font file
shipped), so the text stays selectable and searchable."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape as _escape

from reportlab.graphics.shapes import Drawing, PolyLine, String
from reportlab.graphics.shapes import Rect as PdfRect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hegui.services.reports.charts import Chart, Line, Rect
from hegui.services.reports.html import (
    ASSIGNMENT,
    SEVERITY,
    cards,
    category_name,
    charts,
    num,
    pct,
    signed,
)
from hegui.services.reports.model import Report

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=14)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=11, textColor="#5f6b77")
TITLE = ParagraphStyle("title", parent=BODY, fontSize=17, leading=24)
HEADING = ParagraphStyle(
    "heading",
    parent=BODY,
    fontSize=12.5,
    leading=18,
    spaceBefore=10,
    spaceAfter=4,
    textColor="#2e6da4",
)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=11)
CARD = ParagraphStyle("card", parent=BODY, fontSize=8.5, leading=17)
# STSong-Light has no U+00B7 (middle dot): the separators are set as full-width bars.
SEPARATOR = str.maketrans({"·": "｜"})
WIDTH = A4[0] - 36 * mm


def render_pdf(report: Report) -> bytes:
    out = BytesIO()
    scope = report.scope
    title = f"合规质检报告 Compliance report {scope.period}" + (
        f" · {scope.team}" if scope.team else ""
    )
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="hegui",
    )
    story: list[Any] = [
        Paragraph(escape(title), TITLE),
        Paragraph(
            escape(
                f"报告期 period {scope.first_day} ~ {scope.last_day}（UTC+08:00）· 对比 compared "
                f"with {scope.previous} · 范围 scope {scope.team or '全机构 whole institution'} · "
                f"生成 generated {scope.generated_at:%Y-%m-%d %H:%M} UTC by {scope.generated_by}"
            ),
            SMALL,
        ),
        Spacer(1, 6),
        _cards(report),
        _heading("建议", "Suggestions"),
    ]
    if report.suggestions:
        for n, s in enumerate(report.suggestions, 1):
            figures = ", ".join(f"{k}={v}" for k, v in s.figures.items())
            story.append(Paragraph(escape(f"{n}. {s.zh}"), BODY))
            story.append(Paragraph(escape(s.en), SMALL))
            story.append(Paragraph(escape(f"依据 based on: {figures}"), SMALL))
            story.append(Spacer(1, 3))
    else:
        story.append(
            Paragraph("本期数据未触发任何建议 no suggestion: no threshold was crossed.", BODY)
        )
    by_category, trend = charts(report)
    story += [
        _heading("违规类别", "Violations by category"),
        drawing(by_category),
        _table(
            [
                "类别 category",
                "违规 findings",
                "上期 previous",
                "环比 change",
                "占比 share",
                "确认 confirmed",
                "驳回 dismissed",
            ],
            [
                [
                    f"{c.name} {c.category}",
                    c.findings,
                    c.previous,
                    signed(c.change),
                    pct(c.share),
                    c.confirmed,
                    c.dismissed,
                ]
                for c in report.categories
            ],
            [0.34, 0.11, 0.11, 0.11, 0.11, 0.11, 0.11],
        ),
        _heading("每日趋势", "Daily trend"),
        drawing(trend),
        _heading("主要风险", "Top risks"),
        _table(
            [
                "规则 rule",
                "类别 category",
                "严重度 severity",
                "违规 findings",
                "确认 confirmed",
                "坐席 agents",
            ],
            [
                [
                    x.rule_id,
                    category_name(x.category),
                    SEVERITY.get(x.severity, x.severity),
                    x.findings,
                    x.confirmed,
                    x.agents,
                ]
                for x in report.top_risks
            ],
            [0.3, 0.22, 0.12, 0.12, 0.12, 0.12],
        ),
        _heading("待培训坐席", "Agents needing training"),
        _table(
            ["坐席 agent", "团队 team", "类别 category", "确认违规 confirmed", "培训 training"],
            [
                [
                    x.agent_id,
                    x.team or "-",
                    category_name(x.category),
                    x.confirmed,
                    ASSIGNMENT.get(x.assignment, x.assignment),
                ]
                for x in report.training
            ],
            [0.16, 0.16, 0.3, 0.16, 0.22],
        ),
        _heading("规则健康度", "Rule health"),
        _table(
            [
                "规则 rule",
                "违规 findings",
                "确认 confirmed",
                "驳回 dismissed",
                "精确率 precision",
                "状态 state",
                "建议例外 exceptions",
            ],
            [
                [
                    x.rule_id,
                    x.findings,
                    x.confirmed,
                    x.dismissed,
                    pct(x.precision),
                    "噪声 noisy" if x.noisy else "正常 ok",
                    "、".join(x.suggested_exceptions) or "-",
                ]
                for x in report.rules
            ],
            [0.28, 0.1, 0.1, 0.1, 0.12, 0.12, 0.18],
        ),
        _heading("质检评分", "Scores"),
        Paragraph(
            escape(
                f"评分通话 scored {report.scores.conversations} · 平均分 average "
                f"{num(report.scores.average)}"
                f"（上期 previous {num(report.scores.previous_average)}）"
                f" · 致命项 fatal {report.scores.fatal}"
            ),
            BODY,
        ),
        _table(
            ["团队 team", "通话 conversations", "平均 average", "最低 lowest", "致命 fatal"],
            [
                [x.key or "-", x.conversations, num(x.average), num(x.minimum), x.fatal]
                for x in report.scores.by_team
            ],
            [0.28, 0.18, 0.18, 0.18, 0.18],
        ),
        Spacer(1, 4),
        _table(
            ["最低分坐席 agent", "通话 conversations", "平均 average", "最低 lowest", "致命 fatal"],
            [
                [x.key or "-", x.conversations, num(x.average), num(x.minimum), x.fatal]
                for x in report.scores.lowest_agents
            ],
            [0.28, 0.18, 0.18, 0.18, 0.18],
        ),
        _heading("处理时效", "Handling (SLA)"),
        Paragraph(
            escape(
                f"已复核 reviewed {report.sla.reviewed} · 按时 on time {report.sla.on_time}"
                f"（{pct(report.sla.on_time_rate)}）· 待处理 open {report.sla.open} · "
                f"已逾期 overdue {report.sla.overdue}"
            ),
            BODY,
        ),
    ]
    doc.build(story)
    return out.getvalue()


def drawing(chart: Chart, width: float = WIDTH) -> Drawing:
    """The chart's shapes as a ReportLab drawing scaled to `width` (y flipped upward)."""
    scale = min(1.0, width / chart.width)
    d = Drawing(chart.width * scale, chart.height * scale)
    h = chart.height

    def y(v: float) -> float:
        return (h - v) * scale

    for shape in chart.shapes:
        if isinstance(shape, Rect):
            d.add(
                PdfRect(
                    shape.x * scale,
                    y(shape.y + shape.h),
                    shape.w * scale,
                    shape.h * scale,
                    fillColor=colors.HexColor(shape.fill),
                    strokeColor=None,
                )
            )
        elif isinstance(shape, Line):
            points = [c for x, yy in shape.points for c in (x * scale, y(yy))]
            d.add(
                PolyLine(
                    points,
                    strokeColor=colors.HexColor(shape.stroke),
                    strokeWidth=shape.width * scale,
                )
            )
        else:
            d.add(
                String(
                    shape.x * scale,
                    y(shape.y),
                    shape.text,
                    fontName=FONT,
                    fontSize=shape.size * scale,
                    textAnchor=shape.anchor,
                    fillColor=colors.HexColor(shape.fill),
                )
            )
    return d


def escape(text: str) -> str:
    return _escape(text.translate(SEPARATOR))


def _heading(zh: str, en: str) -> Paragraph:
    return Paragraph(f'{zh} <font size="9" color="#5f6b77">{en}</font>', HEADING)


def _cards(report: Report) -> Table:
    cells = []
    for label, en, value, change, _ in cards(report):
        delta = f"<br/>环比 {signed(change)}" if change is not None else ""
        cells.append(
            Paragraph(
                f'<font size="7.5" color="#5f6b77">{label} {en}</font><br/>'
                f'<font size="14">{escape(value)}</font><font size="7.5">{delta}</font>',
                CARD,
            )
        )
    rows = [cells[:4], cells[4:]]
    table = Table(rows, colWidths=[WIDTH / 4] * 4)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#d5dbe1")),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#d5dbe1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _table(head: list[str], rows: list[list[Any]], widths: list[float]) -> Table:
    body = rows or [["无 none"] + [""] * (len(head) - 1)]
    data = [[Paragraph(escape(h), CELL) for h in head]]
    data += [[Paragraph(escape(str(v)), CELL) for v in row] for row in body]
    table = Table(data, colWidths=[w * WIDTH for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f5f7")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#e3e7eb")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
