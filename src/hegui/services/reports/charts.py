"""Charts drawn by hand as a few shapes, rendered to inline SVG (HTML) and to ReportLab
drawings (PDF) from the same geometry: a horizontal bar chart (findings per category) and a
line chart (findings and conversations per day). Coordinates are SVG's: y grows downward.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

RED, BLUE, GREY, INK, GRID = "#c0392b", "#2e6da4", "#9aa5b1", "#222222", "#e3e7eb"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.0


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 11.0
    anchor: str = "start"  # start | middle | end
    fill: str = INK


@dataclass
class Chart:
    width: float
    height: float
    title: str
    shapes: list[Rect | Line | Text] = field(default_factory=list)


def bar_chart(
    title: str, bars: Sequence[tuple[str, int]], *, width: float = 640, row: float = 22
) -> Chart:
    """One bar per (label, value), largest first as given; the value at each bar's end."""
    label_w, pad, top = 210.0, 8.0, 8.0
    chart = Chart(width, top + row * max(len(bars), 1) + pad, title)
    peak = max((value for _, value in bars), default=0) or 1
    span = width - label_w - 60
    for i, (label, value) in enumerate(bars):
        y = top + i * row
        chart.shapes.append(Text(label_w - 6, y + row * 0.65, _clip(label, 18), 11, "end"))
        length = max(span * value / peak, 1.0 if value else 0.0)
        chart.shapes.append(Rect(label_w, y + 3, length, row - 6, RED))
        chart.shapes.append(Text(label_w + length + 4, y + row * 0.65, str(value), 11))
    if not bars:
        chart.shapes.append(Text(width / 2, top + row * 0.65, "无数据 no data", 11, "middle", GREY))
    return chart


def line_chart(
    title: str,
    days: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    *,
    width: float = 640,
    height: float = 220,
) -> Chart:
    """Lines over days: `series` is (name, colour, one value per day); a legend on top."""
    left, right, top, bottom = 40.0, 12.0, 26.0, 26.0
    chart = Chart(width, height, title)
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice(max((max(values, default=0) for _, _, values in series), default=0))
    for k in range(5):
        value = peak * k / 4
        y = top + plot_h - plot_h * k / 4
        chart.shapes.append(Line(((left, y), (left + plot_w, y)), GRID))
        chart.shapes.append(Text(left - 4, y + 4, _number(value), 10, "end", GREY))
    n = len(days)
    step = plot_w / max(n - 1, 1)
    every = max(1, math.ceil(n / 8))
    for i, day in enumerate(days):
        last = i == n - 1 and (n - 1) % every >= every / 2  # not crowding the one before
        if i % every == 0 or last:
            x = left + i * step
            chart.shapes.append(Text(x, height - 8, day[5:], 10, "middle", GREY))
    legend_x = left
    for name, colour, values in series:
        points = tuple(
            (left + i * step, top + plot_h - plot_h * v / peak) for i, v in enumerate(values)
        )
        if len(points) == 1:
            x, y = points[0]
            points = ((x - 2, y), (x + 2, y))
        if points:
            chart.shapes.append(Line(points, colour, 2.0))
        chart.shapes.append(Rect(legend_x, 8, 12, 4, colour))
        chart.shapes.append(Text(legend_x + 16, 14, name, 10))
        legend_x += 22 + 7 * len(name.encode("utf-8")) * 0.75
    return chart


def svg(chart: Chart) -> str:
    """The chart as an inline `<svg>` element, every text escaped."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{chart.width:.0f}" '
        f'height="{chart.height:.0f}" viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" '
        f'aria-label="{escape(chart.title)}"><title>{escape(chart.title)}</title>'
    ]
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            parts.append(
                f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.w:.1f}" '
                f'height="{shape.h:.1f}" fill="{shape.fill}"/>'
            )
        elif isinstance(shape, Line):
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in shape.points)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{shape.stroke}" '
                f'stroke-width="{shape.width}"/>'
            )
        else:
            parts.append(
                f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size}" '
                f'text-anchor="{shape.anchor}" fill="{shape.fill}">{escape(shape.text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _nice(peak: float) -> float:
    """A round axis maximum at or above `peak` (4 grid steps of 1, 2, 2.5 or 5 × 10ⁿ)."""
    if peak <= 0:
        return 4.0
    raw = peak / 4
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            step = factor * power
            break
    return max(step * 4, 4.0)


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
