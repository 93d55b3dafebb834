"""The pact office's back office ("Geschäftsstelle"): its shell (navigation from
``core.registry.backoffice_navigation``, start page from ``core.registry.backoffice_start``) and
core's own pages. Every app's back-office view renders with ``render_office`` behind
``permission``."""

import copy
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from . import inbox, mail, registry, services, workers
from .forms import BrandingForm, CustomPageForm, DocumentForm, InitialPartnerForm, PactForm, PageForm
from .forms import apply_validation_error as _apply_errors
from .models import AuditEntry, Document, InitialPartner, OutboxMail, Page
from .pages import MAX_CUSTOM_PAGES
from .selectors import (
    audit_entries_for,
    audit_entries_recent,
    current_pact,
    custom_pages,
    fixed_pages,
    outbox_problems,
    scheduled_jobs,
    task_problems,
    worker_heartbeats,
)


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


def office_navigation(request) -> list[dict]:
    """The back office's menu for this person: the registered items they may open, each with its
    badge (the start page: the number of open to-dos)."""
    current = request.resolver_match.view_name if request.resolver_match else ""
    return [{"url": reverse(item.url_name), "label": item.label, "current": current == item.url_name,
             "badge": item.badge(request) if item.badge else 0}
            for item in registry.backoffice_navigation
            if item.permission is None or request.user.has_perm(item.permission)]


def render_office(request, template: str, context: dict, **kwargs):
    """Render a back-office page: the template extends core/backoffice/base.html, which shows
    the back office's menu."""
    return render(request, template, {"backoffice_nav": office_navigation(request), **context}, **kwargs)



@permission("core.view_backoffice")
def start(request):
    """The office's work list (every open to-do, oldest first, per kind), then its figures."""
    work_list = inbox.work_list(request)
    context = {"work_list": work_list, "open_tasks": sum(group["count"] for group in work_list),
               "blocks": registry.blocks_for(registry.backoffice_start, request)}
    if request.user.has_perm("core.view_audit_log"):
        context["recent"] = list(audit_entries_recent(limit=10))
    if request.user.has_perm("core.manage_pact"):
        context["jobs"] = scheduled_jobs()
    return render_office(request, "core/backoffice/start.html", context)


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
    return render_office(request, "core/backoffice/pact.html", {"form": form, "partners": partners})


@permission("core.manage_pact")
def branding(request):
    """Logo, signature and accent colour of the pact (core.branding)."""
    pact = type(current_pact()).objects.get(pk=current_pact().pk)
    form = BrandingForm(request.POST or None, request.FILES or None,
                        initial={"accent_colour": pact.accent.key, "signature_name": pact.signature_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.pact_branding_update(pact=pact, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Logo, Unterschrift und Farbe wurden gespeichert."))
            return redirect("backoffice:branding")
    from .branding import data_uri

    return render_office(request, "core/backoffice/branding.html", {
        "form": form, "current": pact, "signature_preview": data_uri(pact.signature),
        "audit": audit_entries_for(pact, limit=10)})


@permission("core.manage_pact")
def initial_partner_edit(request, pk=None):
    pact = current_pact()
    partner = get_object_or_404(InitialPartner, pk=pk, pact_id=pact.pk) if pk else InitialPartner(pact_id=pact.pk)
    form = InitialPartnerForm(request.POST or None, instance=copy.copy(partner))
    if request.method == "POST" and form.is_valid():
        services.initial_partner_save(partner=partner, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Der Initialpartner wurde gespeichert."))
        return redirect("backoffice:pact")
    return render_office(request, "core/backoffice/form.html", {
        "form": form, "title": _("Initialpartner bearbeiten") if pk else _("Initialpartner hinzufügen")})


@permission("core.edit_pages")
def pages(request):
    pact = current_pact()
    return render_office(request, "core/backoffice/pages.html", {
        "fixed": fixed_pages(pact=pact), "custom": custom_pages(pact=pact)[:MAX_CUSTOM_PAGES]})


MARKDOWN_HINT = _lazy("Texte werden in Markdown geschrieben: Leerzeile für einen neuen Absatz, „## “ für eine "
                      "Zwischenüberschrift, „- “ für Aufzählungen, [Text](https://…) für Links.")


@permission("core.edit_pages")
def page_create(request):
    pact = current_pact()
    from .markdown_preview import is_preview_request, mark_for_preview, previews  # it imports this module

    form = CustomPageForm(request.POST or None, instance=Page(pact_id=pact.pk))
    mark_for_preview(form, "body_de", "body_en")
    if request.method == "POST" and not is_preview_request(request) and form.is_valid():
        try:
            page = services.page_create(pact=type(pact).objects.get(pk=pact.pk), actor=request.user,
                                        **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die Seite „%(title)s“ wurde angelegt.") % {"title": page.title_de})
            return redirect("backoffice:pages")
    return render_office(request, "core/backoffice/form.html", {
        "form": form, "title": _("Seite anlegen"), "hint": MARKDOWN_HINT, "markdown_preview": True,
        "markdown_previews": previews(form) if is_preview_request(request) else []})


@permission("core.edit_pages")
def page_edit(request, slug):
    page = get_object_or_404(Page, pact_id=current_pact().pk, slug=slug)
    form_class = PageForm if page.is_fixed else CustomPageForm
    from .markdown_preview import is_preview_request, mark_for_preview, previews  # it imports this module

    form = form_class(request.POST or None, instance=copy.copy(page))
    mark_for_preview(form, "body_de", "body_en")
    if request.method == "POST" and not is_preview_request(request) and form.is_valid():
        try:
            services.page_update(page=page, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die Seite „%(title)s“ wurde gespeichert.") % {"title": page.title_de})
            return redirect("backoffice:pages")
    return render_office(request, "core/backoffice/form.html", {
        "form": form, "title": _("Seite bearbeiten: %(title)s") % {"title": page.title_de},
        "hint": MARKDOWN_HINT, "audit": audit_entries_for(page, limit=20), "markdown_preview": True,
        "markdown_previews": previews(form) if is_preview_request(request) else []})


@require_POST
@permission("core.edit_pages")
def page_delete(request, slug):
    page = get_object_or_404(Page, pact_id=current_pact().pk, slug=slug)
    try:
        services.page_delete(page=page, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Seite „%(title)s“ wurde gelöscht.") % {"title": page.title_de})
    return redirect("backoffice:pages")


@permission("core.manage_documents")
def documents(request):
    return render_office(request, "core/backoffice/documents.html",
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
    return render_office(request, "core/backoffice/form.html", {
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
    return render_office(request, "core/backoffice/audit.html", {"page_obj": page, "target": target, "action": action})


TASK_STATUS = {"FAILED": _lazy("Fehlgeschlagen"), "RUNNING": _lazy("Läuft"), "READY": _lazy("Wartet")}


@permission("core.manage_tasks")
def tasks(request):
    """Background work the office should know of: mails that failed or wait for a retry,
    tasks that failed, hang or wait too long, and the workers' heartbeats; "retry" on each."""
    now = timezone.now()
    mails = Paginator(outbox_problems(now=now), 50).get_page(request.GET.get("mails"))
    context = {"mails": mails, "in_database": workers.tasks_in_database(),
               "sending_lease": mail.SENDING_LEASE}
    if context["in_database"]:
        alive = workers.live_worker_ids(now)
        page = Paginator(task_problems(now=now), 50).get_page(request.GET.get("aufgaben"))
        for result in page:
            result.label = TASK_STATUS.get(result.status, result.status)
            result.worker_alive = bool(result.worker_ids) and result.worker_ids[-1] in alive
            result.retryable = result.status == "FAILED" or (result.status == "RUNNING" and not result.worker_alive)
            result.error = (result.traceback.strip().splitlines() or [""])[-1][:300]
        heartbeats = worker_heartbeats()
        for beat in heartbeats:
            beat.alive = beat.worker_id in alive
        context.update({"task_page": page, "heartbeats": heartbeats, "any_alive": bool(alive),
                        "worker_timeout": workers.WORKER_TIMEOUT})
    return render_office(request, "core/backoffice/tasks.html", context)


@require_POST
@permission("core.manage_tasks")
def mail_retry(request, pk):
    outbox_mail = get_object_or_404(OutboxMail, pk=pk)
    try:
        mail.mail_retry(mail=outbox_mail, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die E-Mail wird erneut versendet."))
    return redirect("backoffice:tasks")


@require_POST
@permission("core.manage_tasks")
def task_retry(request, pk):
    try:
        workers.task_retry(task_id=pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Aufgabe wurde erneut in die Warteschlange gestellt."))
    return redirect("backoffice:tasks")
