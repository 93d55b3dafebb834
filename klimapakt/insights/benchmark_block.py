"""The peer benchmark as a section of the partner's reports dashboard (registered in
``reports.registry.dashboard_blocks`` by ``insights.apps``): sentences, a table and a small SVG
band chart per intensity, every number in the reader's language. Figures are rounded here,
once, from the exact values of ``insights.benchmark``."""

from __future__ import annotations

from fractions import Fraction
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from klimapakt.core.formatting import number

from .benchmark import Benchmark, Comparison, peer_benchmark
from .quartiles import MIN_GROUP

PLACES = 2  # intensities are shown with two decimals ("3,25 t CO₂e je beschäftigter Person")


def _unit(metric: str) -> str:
    return _("t CO₂e je beschäftigter Person") if metric == "employees" else _("t CO₂e je Million Euro Umsatz")


def _label(metric: str) -> str:
    return _("Emissionen je beschäftigter Person") if metric == "employees" else \
        _("Emissionen je Million Euro Umsatz")


def _quarter(band: int) -> str:
    """The quarter as an ordinal to follow "im": "im zweiten Viertel"."""
    return {1: _("ersten"), 2: _("zweiten"), 3: _("dritten"), 4: _("vierten")}[band]


def _quarter_cell(band: int) -> str:
    return {1: _("1. Viertel (niedrigste Werte)"), 2: _("2. Viertel"), 3: _("3. Viertel"),
            4: _("4. Viertel (höchste Werte)")}[band]


def _fmt(value: Fraction) -> str:
    return number(value, PLACES)


def _statement(c: Comparison, year: int) -> str:
    assert c.stats is not None and c.group is not None and c.own is not None and c.band is not None
    return _("Mit %(value)s %(unit)s liegt Ihre Emissionsintensität im %(quarter)s Viertel der "
             "Vergleichsgruppe: %(group)s (%(count)s Organisationen mit einer angenommenen Bilanz "
             "für %(year)s).") % {
        "value": _fmt(c.own), "unit": _unit(c.metric), "quarter": _quarter(c.band),
        "group": c.group.label, "count": c.stats.size, "year": year}


def _note(c: Comparison, year: int, has_own: bool) -> str:
    """Why a comparison is not shown (or shown without the organisation's own value)."""
    if not has_own:
        return _("Für %(year)s liegt von Ihnen keine angenommene Bilanz vor; Sie sehen nur die "
                 "Vergleichsgruppe.") % {"year": year} if c.stats is not None else ""
    if c.metric == "turnover" and c.own is None:
        return _("Wenn Sie in Ihrer Bilanz den Umsatz angeben, vergleichen wir auch Ihre Emissionen je "
                 "Million Euro Umsatz.")
    if c.stats is None:
        return _("Für einen Vergleich Ihrer %(label)s gibt es für %(year)s noch zu wenige angenommene "
                 "Bilanzen anderer Klimapartner. Damit keine Zahl den Wert einer einzelnen Organisation "
                 "verrät, zeigen wir den Vergleich erst ab %(minimum)s Vergleichswerten.") % {
            "label": _label(c.metric), "year": year, "minimum": MIN_GROUP}
    if c.own is None:
        return _("Für Ihren eigenen Wert fehlt die Zahl Ihrer Beschäftigten (in Ihrer Bilanz %(year)s oder in "
                 "den Angaben zu Ihrer Organisation).") % {"year": year}
    return ""


def band_chart(c: Comparison, *, chart_id: str) -> str:
    """One horizontal scale from 0: the middle half of the group (lower to upper quartile) as a
    box, the median as a line, the organisation's value as a dot. No viewBox: the SVG is as wide
    as its column and positions are percentages, so the 16px labels keep their size on a phone.
    The table beside it holds the same numbers. No inline styles (CSP); every text escaped."""
    assert c.stats is not None and c.own is not None
    stats = c.stats
    top = max(stats.q3, c.own, Fraction(0)) * Fraction(11, 10) or Fraction(1)

    def x(value: Fraction) -> float:  # per cent of the width, 2 % margin either side
        return 2 + float(max(value, Fraction(0)) / top) * 96

    title = _("%(label)s im Vergleich") % {"label": _label(c.metric)}
    description = _("Der Kasten reicht vom unteren bis zum oberen Quartil der Vergleichsgruppe, der Strich "
                    "darin ist der Median, der Punkt Ihr Wert. Die Werte stehen in der Tabelle.")
    own_x = x(c.own)
    anchor = "start" if own_x < 15 else "end" if own_x > 85 else "middle"
    font = 'font-size="16" fill="#1f2a30" font-family="Fira Sans, Arial, sans-serif"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kp-chart kp-benchmark-chart" width="100%" height="76" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        '<line x1="2%" y1="46" x2="98%" y2="46" stroke="#5a6770" stroke-width="1"/>',
        f'<rect x="{x(stats.q1):.2f}%" y="32" width="{max(x(stats.q3) - x(stats.q1), 0.3):.2f}%" height="28" '
        f'fill="#cfe3f1" stroke="#2f7fb5" stroke-width="2"/>',
        f'<line x1="{x(stats.median):.2f}%" y1="28" x2="{x(stats.median):.2f}%" y2="64" stroke="#1f2a30" '
        f'stroke-width="3"/>',
        f'<circle cx="{own_x:.2f}%" cy="46" r="8" fill="#b35c00" stroke="#1f2a30" stroke-width="1.5"/>',
        f'<text x="{own_x:.2f}%" y="18" text-anchor="{anchor}" {font}>'
        f'{escape(_("Ihr Wert"))}: {escape(_fmt(c.own))}</text>',
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def benchmark_context(benchmark: Benchmark | None) -> dict:
    """What the template shows: ``year`` None when the organisation has no accepted balance yet."""
    if benchmark is None:
        return {"year": None}
    rows, notes, statements, charts = [], [], [], []
    for c in benchmark.comparisons:
        if not benchmark.has_own and c.metric == "turnover":
            continue
        note = _note(c, benchmark.year, benchmark.has_own)
        if note:
            notes.append(note)
        if c.stats is None or (c.own is None and c.metric == "turnover"):
            continue
        rows.append({
            "metric": c.metric, "label": _label(c.metric), "unit": _unit(c.metric),
            "own": _fmt(c.own) if c.own is not None else "", "q1": _fmt(c.stats.q1),
            "median": _fmt(c.stats.median), "q3": _fmt(c.stats.q3), "count": c.stats.size,
            "group": c.group.label if c.group else "", "band": _quarter_cell(c.band) if c.band else "",
        })
        if c.own is not None:
            statements.append(_statement(c, benchmark.year))
            charts.append({"label": _label(c.metric),
                           "svg": band_chart(c, chart_id=f"chart-benchmark-{c.metric}")})
    return {"year": benchmark.year, "has_own": benchmark.has_own, "rows": rows, "notes": notes,
            "statements": statements, "charts": charts, "minimum": MIN_GROUP}


def dashboard_block(request, organisation) -> dict:
    """The block's context on ``reports:dashboard`` (two queries)."""
    return benchmark_context(peer_benchmark(organisation))
