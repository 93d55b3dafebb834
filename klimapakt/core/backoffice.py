"""The pact office's back office ("Geschäftsstelle"). Later issues add their sections to
BACKOFFICE_NAVIGATION (url name, label, permission)."""

import copy
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from klimapakt.core.forms import apply_validation_error as _apply_errors
from klimapakt.partners.models import Organisation

from . import services
from .forms import DocumentForm, InitialPartnerForm, PactForm, PageForm
from .models import AuditEntry, Document, InitialPartner, Page
from .selectors import audit_entries_for, audit_entries_recent, current_pact, scheduled_jobs

BACKOFFICE_NAVIGATION = [
    ("backoffice:start", gettext_lazy("Übersicht"), "core.view_backoffice"),
    ("backoffice:organisations", gettext_lazy("Organisationen"), "core.view_organisations"),
    ("backoffice:agreement_versions", gettext_lazy("Vereinbarung"), "partners.manage_agreement_versions"),
    ("event_office:list", gettext_lazy("Veranstaltungen"), "events.organise_events"),
    ("ghg_office:factors", gettext_lazy("Emissionsfaktoren"), "ghg.manage_factors"),
    ("reports_office:inbox", gettext_lazy("Berichte"), "reports.review_reports"),
    ("reports_office:overview", gettext_lazy("Jahresübersicht"), "reports.review_reports"),
    ("reports_office:catalogue", gettext_lazy("Maßnahmenkatalog"), "reports.manage_catalogue"),
    ("backoffice:pages", gettext_lazy("Seiten"), "core.edit_pages"),
    ("backoffice:documents", gettext_lazy("Dokumente"), "core.manage_documents"),
    ("backoffice:pact", gettext_lazy("Pakt-Einstellungen"), "core.manage_pact"),
    ("backoffice:audit", gettext_lazy("Protokoll"), "core.view_audit_log"),
]


def permission(perm):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


def _render(request, template, context):
    from django.urls import reverse

    nav = [{"url": reverse(name), "label": label, "current": request.resolver_match.view_name == name}
           for name, label, perm in BACKOFFICE_NAVIGATION if request.user.has_perm(perm)]
    return render(request, template, {"backoffice_nav": nav, **context})


@permission("core.view_backoffice")
def start(request):
    stats = Organisation.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(stage=Organisation.Stage.ACTIVE)),
        interest=Count("pk", filter=Q(stage=Organisation.Stage.INTEREST)),
    )
    context = {"stats": stats}
    if request.user.has_perm("core.view_audit_log"):
        context["recent"] = list(audit_entries_recent(limit=10))
    if request.user.has_perm("core.manage_pact"):
        context["jobs"] = scheduled_jobs()
    return _render(request, "core/backoffice/start.html", context)


@permission("core.manage_pact")
def pact_settings(request):
    pact = current_pact()
    pact = type(pact).objects.get(pk=pact.pk)
    form = PactForm(request.POST or None, instance=copy.copy(pact))
    if request.method == "POST" and form.is_valid():
        try:
            services.pact_update(pact=pact, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die Einstellungen des Pakts wurden gespeichert."))
            return redirect("backoffice:pact")
    partners = InitialPartner.objects.filter(pact=pact)
    return _render(request, "core/backoffice/pact.html", {"form": form, "partners": partners})


@permission("core.manage_pact")
def initial_partner_edit(request, pk=None):
    pact = current_pact()
    partner = get_object_or_404(InitialPartner, pk=pk, pact_id=pact.pk) if pk else InitialPartner(pact_id=pact.pk)
    form = InitialPartnerForm(request.POST or None, instance=copy.copy(partner))
    if request.method == "POST" and form.is_valid():
        services.initial_partner_save(partner=partner, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Der Initialpartner wurde gespeichert."))
        return redirect("backoffice:pact")
    return _render(request, "core/backoffice/form.html", {
        "form": form, "title": _("Initialpartner bearbeiten") if pk else _("Initialpartner hinzufügen")})


@permission("core.edit_pages")
def pages(request):
    return _render(request, "core/backoffice/pages.html",
                   {"pages": Page.objects.filter(pact_id=current_pact().pk).order_by("slug")})


@permission("core.edit_pages")
def page_edit(request, slug):
    page = get_object_or_404(Page, pact_id=current_pact().pk, slug=slug)
    form = PageForm(request.POST or None, instance=copy.copy(page))
    if request.method == "POST" and form.is_valid():
        services.page_update(page=page, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Die Seite „%(title)s“ wurde gespeichert.") % {"title": page.title_de})
        return redirect("backoffice:pages")
    return _render(request, "core/backoffice/form.html", {
        "form": form, "title": _("Seite bearbeiten: %(title)s") % {"title": page.title_de},
        "hint": _("Texte werden in Markdown geschrieben: Leerzeile für einen neuen Absatz, „## “ für eine "
                  "Zwischenüberschrift, „- “ für Aufzählungen, [Text](https://…) für Links."),
        "audit": audit_entries_for(page, limit=20)})


@permission("core.manage_documents")
def documents(request):
    return _render(request, "core/backoffice/documents.html",
                   {"documents": Document.objects.filter(pact_id=current_pact().pk)})


@permission("core.manage_documents")
def document_edit(request, pk=None):
    pact = current_pact()
    document = get_object_or_404(Document, pk=pk, pact_id=pact.pk) if pk else None
    form = DocumentForm(request.POST or None, request.FILES or None, instance=copy.copy(document))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("file") is False:  # "clear" ticked: a document needs its file
            form.add_error("file", _("Ein Dokument braucht eine PDF-Datei."))
        else:
            try:
                if document is None:
                    services.document_create(pact=type(pact).objects.get(pk=pact.pk), actor=request.user, **data)
                else:
                    services.document_update(document=document, actor=request.user, **data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Das Dokument wurde gespeichert."))
                return redirect("backoffice:documents")
    return _render(request, "core/backoffice/form.html", {
        "form": form, "multipart": True,
        "title": _("Dokument bearbeiten") if document else _("Dokument hochladen"),
        "audit": audit_entries_for(document, limit=20) if document else None})


@require_POST
@permission("core.manage_documents")
def document_delete(request, pk):
    document = get_object_or_404(Document, pk=pk, pact_id=current_pact().pk)
    services.document_delete(document=document, actor=request.user)
    messages.success(request, _("Das Dokument wurde gelöscht."))
    return redirect("backoffice:documents")


@permission("core.view_audit_log")
def audit(request):
    qs = AuditEntry.objects.select_related("actor", "content_type")
    ct, object_id = request.GET.get("ct"), request.GET.get("id")
    target = None
    if ct and object_id:
        try:
            content_type = ContentType.objects.get_for_id(int(ct))
        except (ValueError, ContentType.DoesNotExist):
            raise Http404 from None
        qs = qs.filter(content_type=content_type, object_id=object_id)
        target = {"type": content_type.name, "id": object_id}
    action = request.GET.get("action", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return _render(request, "core/backoffice/audit.html", {"page_obj": page, "target": target, "action": action})
