"""The public progress page ("Fortschritt des Klimapakts"): the pact's figures for everyone,
with the privacy rule applied; works without JavaScript (the year is a GET form)."""

from __future__ import annotations

from django.shortcuts import render

from klimapakt.core.selectors import current_pact_or_404
from klimapakt.core.utils import parse_int

from . import charts
from .figures import Progress, statement
from .selectors.progress import public_progress


def page_context(progress: Progress, year_param) -> dict:
    """What the public page and the office's dashboard show, for the selected balance year
    (default: the latest with figures)."""
    years = progress.balance_years
    shown = [y.year for y in progress.years if not y.suppressed] or years
    year = parse_int(year_param)
    if year not in years:
        year = shown[-1] if shown else None
    return {"progress": progress, "year": year, "year_figures": progress.year(year) if year else None,
            "sector_cells": progress.sectors_of(year) if year else [], "statement": statement(progress),
            "future_points": [p for p in progress.path.points if p.reported is None],
            **charts.all_charts(progress)}


def progress(request):
    pact = current_pact_or_404()
    data = public_progress(pact)
    return render(request, "insights/progress.html", {"pact": pact, **page_context(data, request.GET.get("jahr"))})
