"""Charts drawn on the server as inline SVG: readable without JavaScript, printable, and
each paired with a data table (the template) and a CSV of the same rows (the views)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
INK = "#1a1a1a"
GRID = "#c8c8c8"
BAR = "#1f4e8c"


@dataclass(frozen=True)
class Chart:
    """One chart: a key (for its CSV and element ids), a title, and labelled values."""

    key: str
    title: str
    label_heading: str
    value_heading: str
    labels: list[str]
    values: list[float]
    kind: Literal["bar", "line", "hbar"] = "bar"
    description: str = ""
    formatted: list[str] | None = None  # how each value reads in the table, if not a number
    # A second figure per label to compare with (e.g. the city's population share), drawn as
    # a marker on each bar and given its own table column.
    reference_heading: str = ""
    reference: list[float | None] | None = None

    @property
    def table_rows(self) -> list[tuple[str, str, str]]:
        """Label, value and reference (or "") as the data table shows them."""
        references = self.reference or [None] * len(self.values)
        return [
            (label, shown, "" if self.reference is None else "—" if r is None else _number(r))
            for (label, _value, shown), r in zip(self.rows, references, strict=True)
        ]

    @property
    def rows(self) -> list[tuple[str, float, str]]:
        shown = self.formatted or [_number(v) for v in self.values]
        return list(zip(self.labels, self.values, shown, strict=True))

    @property
    def empty(self) -> bool:
        return not any(self.values)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def nice_ceiling(value: float) -> float:
    """A round top for the value axis (1, 2, 5 × a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(chart: Chart, height: int) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-{escape(chart.key)}-title" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="chart-{escape(chart.key)}-title">{escape(chart.title)}</title>'
    )


def _value_axis(top: float, left: int, right: int, y0: int, y1: int) -> list[str]:
    parts = []
    for fraction in (0, 0.5, 1):
        y = y0 - (y0 - y1) * fraction
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{_number(top * fraction)}</text>"
        )
    return parts


def _every(count: int, room: int) -> int:
    """Label every n-th bucket so that labels do not overlap."""
    return max(1, math.ceil(count / max(1, room)))


def vertical(chart: Chart) -> SafeString:
    """Bars (or a line) over time: one per bucket, the value axis on the left."""
    height, left, right, top_pad, bottom = 240, 48, WIDTH - 8, 12, 200
    n = max(1, len(chart.values))
    top = nice_ceiling(max(chart.values, default=0))
    slot = (right - left) / n
    parts = [_open(chart, height), *_value_axis(top, left, right, bottom, top_pad)]

    def y(value: float) -> float:
        return bottom - (bottom - top_pad) * (value / top)

    step = _every(n, (right - left) // 70)
    for i, (label, value, shown) in enumerate(chart.rows):
        x = left + slot * i
        if chart.kind == "bar":
            width = max(1.0, slot * 0.7)
            parts.append(
                f'<rect x="{x + (slot - width) / 2:.1f}" y="{y(value):.1f}" width="{width:.1f}" '
                f'height="{bottom - y(value):.1f}" fill="{BAR}">'
                f"<title>{escape(label)}: {escape(shown)}</title></rect>"
            )
        if i % step == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{bottom + 16}" text-anchor="middle" '
                f'fill="{INK}">{escape(_short(label, 10))}</text>'
            )
    if chart.kind == "line" and chart.values:
        points = " ".join(
            f"{left + slot * i + slot / 2:.1f},{y(v):.1f}" for i, v in enumerate(chart.values)
        )
        parts.append(f'<polyline points="{points}" fill="none" stroke="{BAR}" stroke-width="2.5"/>')
        for i, (label, value, shown) in enumerate(chart.rows):
            parts.append(
                f'<circle cx="{left + slot * i + slot / 2:.1f}" cy="{y(value):.1f}" r="3.5" '
                f'fill="{BAR}"><title>{escape(label)}: {escape(shown)}</title></circle>'
            )
    parts.append(
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{INK}"/></svg>'
    )
    return mark_safe("".join(parts))  # every text above went through escape()


def horizontal(chart: Chart) -> SafeString:
    """One labelled bar per category, values written at the end of each bar."""
    row_height, left, right, top_pad = 28, 170, WIDTH - 48, 8
    height = top_pad * 2 + row_height * max(1, len(chart.values))
    top = nice_ceiling(max([*chart.values, *(r or 0 for r in chart.reference or [])], default=0))
    parts = [_open(chart, height)]
    references = chart.reference or [None] * len(chart.values)
    for i, (label, value, shown) in enumerate(chart.rows):
        y = top_pad + row_height * i
        width = (right - left) * (value / top)
        parts.append(
            f'<text x="{left - 8}" y="{y + 18}" text-anchor="end" fill="{INK}">'
            f"{escape(_short(label, 24))}</text>"
            f'<rect x="{left}" y="{y + 5}" width="{max(width, 0):.1f}" height="{row_height - 10}" '
            f'fill="{BAR}"><title>{escape(label)}: {escape(shown)}</title></rect>'
            f'<text x="{left + width + 6:.1f}" y="{y + 18}" fill="{INK}">{escape(shown)}</text>'
        )
        if references[i] is not None:
            x = left + (right - left) * ((references[i] or 0) / top)
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + row_height - 1}" '
                f'stroke="{INK}" stroke-width="3" stroke-dasharray="4 2">'
                f"<title>{escape(chart.reference_heading)}: {_number(references[i] or 0)}"
                f"</title></line>"
            )
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/></svg>',
            left,
            left,
            top_pad,
            height - top_pad,
            INK,
        )
    )
    return mark_safe("".join(parts))  # every text above went through escape()


def svg(chart: Chart) -> SafeString:
    return horizontal(chart) if chart.kind == "hbar" else vertical(chart)
