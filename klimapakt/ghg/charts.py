"""Server-rendered SVG charts: the same markup serves the page and the PDF (WeasyPrint), no
JavaScript, no inline style attributes (CSP). Every chart has a title and a description for
screen readers; the pages show the same numbers as a table next to it."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from klimapakt.core.formatting import number

PALETTE = ["#1b6e3a", "#2f7fb5", "#7a9a01", "#b35c00", "#6b4c9a", "#a3195b", "#00758f", "#5a6770"]


def _fmt(value: Decimal, places: int = 3) -> str:
    return number(value, places)


def balance_charts(*, year: int, scope_items: list[tuple[str, Decimal]],
                   carrier_items: list[tuple[str, Decimal]]) -> dict:
    """The two charts of a balance, by scope and by carrier (location-based), with the same
    titles wherever a balance is shown: its page, the calculator, the PDF."""
    return {
        "scope_items": scope_items,
        "carrier_items": carrier_items,
        "scope_chart": bar_chart(
            scope_items, title=_("Emissionen %(year)s nach Scope") % {"year": year},
            description=_("Balkendiagramm; die Werte stehen in der Tabelle „Summen“."), chart_id="chart-scope"),
        "carrier_chart": bar_chart(
            carrier_items, title=_("Emissionen %(year)s nach Energieträger (standortbasiert)") % {"year": year},
            description=_("Balkendiagramm; die Werte stehen in der Tabelle „Nach Energieträger“."),
            chart_id="chart-carrier") if carrier_items else "",
    }


def bar_chart(items: list[tuple[str, Decimal]], *, title: str, description: str, chart_id: str,
              unit: str = "t CO₂e", width: int = 640, places: int = 3) -> str:
    """Horizontal bars, one per (label, value); values are not negative."""
    bar_h, gap, label_w, value_w = 26, 10, 210, 110
    height = max(1, len(items)) * (bar_h + gap) + gap
    top = max((v for _l, v in items), default=Decimal(0)) or Decimal(1)
    plot_w = width - label_w - value_w
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kp-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_h + gap)
        w = float(value / top) * plot_w if top else 0
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h * 0.68:.1f}" text-anchor="end" font-size="14" '
                     f'fill="#1f2a30" font-family="sans-serif">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(w, 1.5):.1f}" height="{bar_h}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.68:.1f}" font-size="13" fill="#1f2a30" '
                     f'font-family="sans-serif">{escape(_fmt(value, places))} {escape(unit)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def column_chart(items: list[tuple[str, Decimal]], *, title: str, description: str, chart_id: str,
                 line: list[tuple[str, Decimal]] | None = None, unit: str = "t CO₂e", width: int = 640,
                 places: int = 3) -> str:
    """Vertical columns per year; ``line`` draws a path (e.g. a target path) over the same x axis.
    A value of None leaves its year without a column (a year with only a path point)."""
    height, bottom, left, top_pad = 280, 40, 60, 20
    values = [v for _l, v in items if v is not None] + [v for _l, v in (line or []) if v is not None]
    width = min(width, 120 + 90 * max(1, len(items)))
    top = max(values, default=Decimal(0)) or Decimal(1)
    n = max(1, len(items))
    slot = (width - left - 10) / n
    plot_h = height - bottom - top_pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kp-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#5a6770"/>',
        f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" font-size="12" fill="#1f2a30" '
        f'font-family="sans-serif">{escape(_fmt(top, places))}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="12" fill="#1f2a30" '
        f'font-family="sans-serif">0</text>',
    ]
    positions = {}
    for i, (label, value) in enumerate(items):
        w = min(slot * 0.6, 56)
        x = left + i * slot + (slot - w) / 2
        positions[label] = x + w / 2
        if value is not None:
            h = float(value / top) * plot_h
            parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{w:.1f}" '
                         f'height="{max(h, 1):.1f}" fill="{PALETTE[0]}"/>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                     f'font-size="{13 if n <= 10 else 10}" fill="#1f2a30" font-family="sans-serif">{escape(label)}</text>')
    if line:
        points = [(positions[label], height - bottom - float(v / top) * plot_h)
                  for label, v in line if label in positions and v is not None]
        if len(points) >= 2:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="#b35c00" stroke-width="3" '
                         f'stroke-dasharray="6 4"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
