"""Public pages of the pact and the health check. Thin: selectors read, templates render."""

from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from klimapakt.events.selectors import upcoming_public_events
from klimapakt.partners.selectors import organisation_counts

from .models import Page
from .selectors import current_pact, documents_public, page_get

PAGE_SLUGS = {"kontakt": Page.Slug.CONTACT, "impressum": Page.Slug.IMPRINT, "datenschutz": Page.Slug.PRIVACY}


def _pact_or_404():
    pact = current_pact()
    if pact is None:
        raise Http404("No pact configured")
    return pact


def home(request):
    pact = _pact_or_404()
    return render(request, "core/home.html", {
        "page": page_get(pact=pact, slug=Page.Slug.HOME),
        # Counted over all organisations: cached for a minute so the home page stays flat as the pact grows.
        "counts": cache.get_or_set("klimapakt:home:partner-counts", organisation_counts, 60),
        "events": list(upcoming_public_events(pact=pact, limit=3)),
    })


def join(request):
    pact = _pact_or_404()
    return render(request, "core/join.html", {
        "page": page_get(pact=pact, slug=Page.Slug.JOIN),
        "monitoring_years": pact.monitoring_years(),
    })


def page(request, slug):
    pact = _pact_or_404()
    if slug not in PAGE_SLUGS:
        raise Http404
    page = page_get(pact=pact, slug=PAGE_SLUGS[slug])
    if page is None:
        raise Http404
    return render(request, "core/page.html", {"page": page})


def documents(request):
    pact = _pact_or_404()
    return render(request, "core/documents.html", {"documents": list(documents_public(pact=pact))})


def document_download(request, pk, filename):
    pact = _pact_or_404()
    document = get_object_or_404(documents_public(pact=pact), pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=False, filename=document.filename, content_type="application/pdf")


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
