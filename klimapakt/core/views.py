"""Public pages of the pact and the health check. Thin: selectors read, templates render."""

import logging
import mimetypes
import posixpath

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from . import privacy, registry, workers
from .models import Page
from .selectors import current_pact_or_404 as _pact_or_404
from .selectors import custom_page_get, documents_public, page_get

logger = logging.getLogger(__name__)
PUBLIC_MEDIA_FOLDERS = ("pact/", "initial-partners/", "logos/")
PAGE_SLUGS = {"kontakt": Page.Slug.CONTACT, "impressum": Page.Slug.IMPRINT, "datenschutz": Page.Slug.PRIVACY}


def home(request):
    pact = _pact_or_404()
    return render(request, "core/home.html", {
        "page": page_get(pact=pact, slug=Page.Slug.HOME),
        "figures": registry.blocks_for(registry.home_figures, request),
        "sections": registry.blocks_for(registry.home_sections, request),
    })


def page(request, slug):
    pact = _pact_or_404()
    if slug not in PAGE_SLUGS:
        raise Http404
    page = page_get(pact=pact, slug=PAGE_SLUGS[slug])
    if page is None:
        raise Http404
    return render(request, "core/page.html", {"page": page})


def custom_page(request, slug):
    """A page the office added (accessibility statement, ...), at its own address."""
    pact = _pact_or_404()
    page = custom_page_get(pact=pact, slug=slug)
    if page is None:
        raise Http404
    return render(request, "core/page.html", {"page": page})


def _file_size(field) -> int | None:
    """The size of a stored file, or None (logged) when it is missing: after restoring the
    database without the media the page still renders."""
    try:
        return field.size
    except Exception:  # noqa: BLE001 - missing on disk (OSError) or in the bucket (the S3 client's error)
        logger.warning("file %s is missing in the storage", field.name, exc_info=True)
        return None


def documents(request):
    pact = _pact_or_404()
    documents = list(documents_public(pact=pact))
    for document in documents:
        document.stored_size = _file_size(document.file)
    return render(request, "core/documents.html", {"documents": documents})


def document_download(request, pk, filename):
    pact = _pact_or_404()
    document = get_object_or_404(documents_public(pact=pact), pk=pk)
    try:
        handle = document.file.open("rb")
    except Exception:  # noqa: BLE001 - missing on disk or in the bucket: the German 404 page, and a log line
        logger.warning("document %s: file %s is missing in the storage", document.pk, document.file.name,
                       exc_info=True)
        raise Http404 from None
    return FileResponse(handle, as_attachment=False, filename=document.filename, content_type="application/pdf")


@require_safe
def public_media(request, path):
    """The public uploads (logos of the pact, the initial partners and the partners), read
    through the default storage: the same on disk and with a private S3 bucket. Every other
    upload is served only by its own permission-checked view."""
    name = posixpath.normpath(path)
    # Also refuses "logos/../documents/...". Apps add folders (core.registry.public_media_folders).
    if not name.startswith(PUBLIC_MEDIA_FOLDERS + tuple(registry.public_media_folders)):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation):
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
@require_GET
def healthz(request):
    """The proxy's cheap check: the database answers. With ?deep=1 also the background work
    (core.workers.queue_health): 503 when no task worker was seen for 2 minutes or the oldest
    waiting task waits longer than 10 minutes; the figures for a city's monitoring either way."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        if request.GET.get("deep", "").strip().lower() in ("1", "true", "yes", "ja"):
            health = workers.queue_health()
            return JsonResponse(health, status=200 if health["status"] == "ok" else 503)
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the expired-form page in the site's layout and language (Django's own
    page is bare English). `reason` is for developers only and is not shown."""
    return render(request, "403_csrf.html", status=403)


@login_required
def my_data(request):
    """The person's data: download as JSON, or delete the account."""
    if request.GET.get("format") == "json":
        data = privacy.person_data_export(user=request.user)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = 'attachment; filename="meine-daten-klimapakt.json"'
        return response
    error = None
    if request.method == "POST":
        if request.POST.get("confirm") != request.user.email:
            error = _("Bitte geben Sie zur Bestätigung Ihre E-Mail-Adresse ein.")
        else:
            try:
                privacy.person_delete(user=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                logout(request)
                messages.success(request, _("Ihr Konto wurde gelöscht."))
                return redirect("core:home")
    return render(request, "core/my_data.html", {"error": error})
