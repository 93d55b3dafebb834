"""The public partner directory: list, partner page, map, and the embeddable badge.
Only active partners who consented are ever shown (selectors.listed_partners)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from klimapakt.core import derived
from klimapakt.core.models import Page
from klimapakt.core.selectors import current_pact, current_pact_or_404, page_get

from . import documents
from .maps import map_config
from .models import SIZE_CLASSES, WZ2008_SECTIONS
from .office_tasks import PIPELINE
from .selectors import (
    DirectoryFilters,
    active_partner_counts,
    directory,
    directory_years,
    listed_partners,
    map_points,
    partner_public,
)
from .services._base import DIRECTORY

PAGE_SIZE = 20


def join(request):
    """"Klimapartner werden": the steps of the partnership under this pact's rules."""
    pact = current_pact_or_404()
    return render(request, "partners/public/join.html", {
        "page": page_get(pact=pact, slug=Page.Slug.JOIN),
        "monitoring_years": pact.monitoring_years(),
    })


def directory_list(request):
    filters = DirectoryFilters.from_query(request.GET)
    # The number of matching partners, counted once per change of the public data (core.derived)
    page = derived.page([DIRECTORY, PIPELINE], f"partners:directory:{filters}", directory(filters), PAGE_SIZE,
                        request.GET.get("page"))
    return render(request, "partners/public/directory.html", {
        "page_obj": page, "filters": filters, "sectors": WZ2008_SECTIONS,
        "sizes": [(key, label) for key, label, _low, _high in SIZE_CLASSES], "years": directory_years(),
        "sorts": [("name", _label("name")), ("since", _label("since")), ("since_asc", _label("since_asc"))],
        "filtered": any([filters.q, filters.sector, filters.size, filters.since, filters.neutral]),
        "counts": active_partner_counts(),
    })


def _label(sort):
    from django.utils.translation import gettext as _

    return {"name": _("Name (A–Z)"), "since": _("Neueste Partner zuerst"),
            "since_asc": _("Älteste Partner zuerst")}[sort]


def partner_detail(request, pk):
    organisation = partner_public(pk)
    if organisation is None:
        raise Http404
    return render(request, "partners/public/detail.html", {
        "organisation": organisation, "targets": organisation.current_targets,
        "badge_alt": documents.badge_texts(organisation, current_pact())["alt"],
        "figures": _public_figures(organisation),
    })


def _public_figures(organisation) -> list:
    """What other apps publish about the partner (partners.registry.public_figures): HTML
    fragments, e.g. the reports app's accepted figures."""
    from .registry import public_figures

    return [html for entry in public_figures if (html := entry.html(organisation))]


def _map_fragments() -> dict:
    """The markers (JSON) and the list of partners, built once per directory version."""
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils.html import format_html_join, json_script
    from django.utils.translation import get_language

    from .services import directory_version

    key = f"partners:map:{directory_version()}:{get_language()}"
    fragments = cache.get(key)
    if fragments is None:
        points = map_points()
        prefix = reverse("partners:detail", args=[0])[:-2]
        markers = [{"pk": p["pk"], "name": p["name"], "latitude": float(p["latitude"]),
                    "longitude": float(p["longitude"])} for p in points]
        items = format_html_join(
            "", '<li id="partner-{}"><a class="kern-link" href="{}{}/">{}</a> · {}, {} {}</li>',
            ((p["pk"], prefix, p["pk"], p["name"], p["street"], p["postal_code"], p["city"]) for p in points))
        fragments = {"count": len(points), "json": str(json_script(markers, "kp-map-points")), "items": str(items)}
        cache.set(key, fragments, 600)
    return fragments


def partner_map(request):
    return render(request, "partners/public/map.html", {"map": _map_fragments(), "map_config": map_config()})


@cache_control(public=True, max_age=86400)
def badge_public(request, pk, fmt):
    """The badge for embedding on the partner's own website: only for listed partners."""
    organisation = listed_partners().filter(pk=pk).first()
    if organisation is None or fmt not in ("svg", "png"):
        raise Http404
    from django.http import HttpResponse

    pact = current_pact()
    if fmt == "svg":
        response = HttpResponse(documents.badge_svg(organisation, pact), content_type="image/svg+xml")
    else:
        response = HttpResponse(documents.badge_png(organisation, pact), content_type="image/png")
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response

