"""The office's dashboard: the progress figures over every organisation, with filters (kind,
sector, size class, cohort), the organisations behind a figure and the data-quality flags."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimapakt.core.backoffice import permission, render_office
from klimapakt.core.selectors import current_pact_or_404
from klimapakt.core.utils import parse_int
from klimapakt.partners.models import SIZE_CLASSES, WZ2008_SECTIONS, Organisation

from .figures import Filters
from .selectors.office import FLAGS_SHOWN, cached_quality_flags, drilldown
from .selectors.progress import office_progress
from .selectors.publication import close_after, publication_overview
from .selectors.rows import NO_SECTOR
from .services import close_balance_year
from .views import page_context


def filters_from(params) -> Filters:
    kind = params.get("art", "")
    sector = params.get("branche", "")
    size = params.get("groesse", "")
    cohort = parse_int(params.get("kohorte"))
    return Filters(kind=kind if kind in Organisation.Kind.values else "",
                   sector=sector if sector in dict(WZ2008_SECTIONS) or sector == NO_SECTOR else "",
                   size=size if size in [k for k, _l, _lo, _hi in SIZE_CLASSES] else "",
                   cohort=cohort if cohort and 1990 <= cohort <= 2100 else None)


def _choices() -> dict:
    return {"kinds": Organisation.Kind.choices, "sectors": [*WZ2008_SECTIONS, (NO_SECTOR, _("ohne Angabe"))],
            "sizes": [(k, label) for k, label, _lo, _hi in SIZE_CLASSES]}


@permission("insights.view_dashboard")
def dashboard(request):
    pact = current_pact_or_404()
    filters = filters_from(request.GET)
    data = office_progress(pact, filters)
    flags = cached_quality_flags(filters)
    closed, still_open = publication_overview(pact)
    return render_office(request, "insights/backoffice/dashboard.html", {
        "pact": pact, "filters": filters, "query": filters.as_query(), "flags": flags,
        "closed_years": closed, "open_years": still_open, "close_after_days": close_after().days,
        "flag_lines": flags.lines[:FLAGS_SHOWN], **_choices(),
        **page_context(data, request.GET.get("jahr"))})


@permission("insights.view_dashboard")
def organisations(request):
    filters = filters_from(request.GET)
    figure = request.GET.get("zahl", "")
    result = drilldown(filters, figure=figure, year=parse_int(request.GET.get("jahr")),
                       key=request.GET.get("schluessel", "")[:20])
    if result is None:
        raise Http404
    return render_office(request, "insights/backoffice/organisations.html", {
        "result": result, "filters": filters, "query": filters.as_query(), "figure": figure})


@require_POST
@permission("insights.close_balance_year")
def close_year(request):
    """The office publishes a balance year before its closing day (docs/insights.md)."""
    pact = current_pact_or_404()
    year = parse_int(request.POST.get("jahr"))
    try:
        if year is None:
            raise ValidationError(_("Bitte wählen Sie ein Bilanzjahr."))
        close_balance_year(pact=pact, year=year, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Das Bilanzjahr %(year)s ist abgeschlossen. Seine Zahlen sind jetzt öffentlich "
                                    "und ändern sich nicht mehr.") % {"year": year})
    return redirect(reverse("insights_office:dashboard") + "#publication")
