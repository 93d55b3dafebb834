"""The advisor's workplace and the pact office's view of support requests: the inbox, one
request with its conversation, notes, history and the actions the transition table allows,
the firm's data under its grant, the firms an institution works with, the per-institution
overview with its XLSX export, and the event answers the office turns into drafts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimapakt.core.audit import log_action
from klimapakt.core.backoffice import permission, render_office
from klimapakt.core.forms import apply_validation_error
from klimapakt.core.responses import private_file, xlsx_download
from klimapakt.core.selectors import current_pact
from klimapakt.core.spreadsheet import new_workbook
from klimapakt.core.utils import parse_int

from . import granted
from .forms_backoffice import (
    AcceptForm,
    AssignForm,
    CompleteForm,
    DeclineForm,
    EventDraftForm,
    ForwardForm,
    MessageForm,
    NoteForm,
)
from .models import Attachment, SupportRequest, Topic
from .selectors import workplace as selectors
from .services import conversation
from .services import requests as services
from .transitions import REQUEST_STATUS

LIST = "support.view_requests"          # advisors and the office: the workplace's pages
VIEW = "support.view_request"           # one request (also a former holder: header and own notes)
HANDLE = "support.handle_request"       # the holding institution and the office
OFFICE = "support.assign_requests"      # the office's pages
ACTIONS = ("accept", "start", "complete", "decline", "forward", "assign")
S = SupportRequest.Status


def _request_for(request, request_pk, perm: str = VIEW) -> SupportRequest:
    # The measure and the report a request refers to (most refer to neither) are read when there
    # is one: joining them too made PostgreSQL plan 8 tables for every view (6 ms against 1 ms).
    support_request = get_object_or_404(
        SupportRequest.objects.select_related("organisation", "institution", "offer", "advisor", "created_by"),
        pk=request_pk)
    if not request.user.has_perm(perm, support_request):
        raise PermissionDenied
    return support_request


# --------------------------------------------------------------------------- inbox

@permission(LIST)
def inbox(request):
    user = request.user
    filters = selectors.InboxFilters.from_query(request.GET)
    today = timezone.localdate()
    page = selectors.inbox_page(user, filters, request.GET.get("page"), today=today)
    url = reverse("support_office:request", args=[0]).replace("/0/", "/%d/")   # reversed once per page
    for row in page:
        row.url = url % row.pk
    office = user.is_pact_office or user.is_superuser
    statuses = [(k, label) for k, label in S.choices if k != S.DRAFT]
    return render_office(request, "support/backoffice/inbox.html", {
        "page_obj": page, "filters": filters, "office": office, "statuses": statuses, "topics": Topic.choices,
        "institutions": selectors.institutions(current_pact()) if office else [],
        "institution_name": user.advisor_for.name if user.advisor_for_id else "",
        "former": selectors.FORMER, "unassigned": selectors.UNASSIGNED})


# --------------------------------------------------------------------------- one request

def _action_forms(request, support_request: SupportRequest, bound: dict | None = None) -> dict:
    """The forms of the actions this person may take now (REQUEST_STATUS.available), unbound
    unless `bound` carries the one that failed."""
    bound = bound or {}
    user = request.user
    available = REQUEST_STATUS.available(support_request.status, user, support_request) & set(ACTIONS)
    pact = current_pact()
    forms = {}
    if "accept" in available and support_request.institution_id:
        advisors = selectors.advisors_of(support_request.institution_id)
        if advisors:
            forms["accept"] = bound.get("accept") or AcceptForm(
                advisors=advisors, initial_advisor=user if user.advisor_for_id else None)
    if "start" in available:
        forms["start"] = True
    if "complete" in available:
        forms["complete"] = bound.get("complete") or CompleteForm()
    if "decline" in available:
        forms["decline"] = bound.get("decline") or DeclineForm()
    if "forward" in available and support_request.institution_id:
        forms["forward"] = bound.get("forward") or ForwardForm(pact=pact, exclude=support_request.institution_id)
    if "assign" in available:
        forms["assign"] = bound.get("assign") or AssignForm(pact=pact, exclude=support_request.institution_id)
    return {"actions": forms, "accept_without_advisors": "accept" in available and "accept" not in forms}


def _detail(request, support_request: SupportRequest, *, bound: dict | None = None, status: int = 200):
    user = request.user
    bound = bound or {}
    role = selectors.viewer_role(user, support_request)
    context = {"sr": support_request, "role": role, "header": selectors.header(support_request),
               "notes": selectors.notes_for(user, support_request),
               "status_label": REQUEST_STATUS.label(support_request.status),
               "overdue": support_request.is_overdue()}
    if role != "former":
        context.update(selectors.thread(support_request))
        context.update(selectors.history(support_request))
        context.update(_action_forms(request, support_request, bound))
        context["may_note"] = user.has_perm(HANDLE, support_request)
        context["may_write"] = support_request.is_open and context["may_note"]
        context["message_form"] = bound.get("message") or MessageForm()
        context["note_form"] = bound.get("note") or NoteForm()
        context["grant_active"] = support_request.grant_active
    return render_office(request, "support/backoffice/request.html", context, status=status)


@permission(LIST)
def request_detail(request, request_pk):
    return _detail(request, _request_for(request, request_pk))


def _refused(request, support_request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return redirect("support_office:request", support_request.pk)


def _bind(request, support_request, action: str):
    """The action's form bound to the POST (None for "start", which has no fields)."""
    data, pact = request.POST, current_pact()
    return {
        "start": lambda: None,
        "accept": lambda: AcceptForm(data, advisors=selectors.advisors_of(support_request.institution_id)),
        "complete": lambda: CompleteForm(data),
        "decline": lambda: DeclineForm(data),
        "forward": lambda: ForwardForm(data, pact=pact, exclude=support_request.institution_id),
        "assign": lambda: AssignForm(data, pact=pact, exclude=support_request.institution_id),
    }[action]()


def _call(request, support_request, action: str, data: dict) -> str:
    """Run the action's service; the message for the person."""
    user = request.user
    if action == "start":
        services.request_start(support_request=support_request, actor=user)
        return _("Die Anfrage ist in Bearbeitung.")
    if action == "accept":
        services.request_accept(support_request=support_request, actor=user, advisor=data["advisor"])
        return _("Die Anfrage ist angenommen; das Unternehmen wurde per E-Mail informiert.")
    if action == "complete":
        services.request_complete(support_request=support_request, actor=user, **data)
        return _("Die Anfrage ist abgeschlossen; das Unternehmen wurde per E-Mail informiert.")
    if action == "decline":
        services.request_decline(support_request=support_request, actor=user, **data)
        return _("Die Anfrage ist abgelehnt; das Unternehmen wurde per E-Mail informiert.")
    if action == "forward":
        services.request_forward(support_request=support_request, actor=user, **data)
        return _("Die Anfrage wurde an „%(name)s“ weitergeleitet.") % {"name": data["institution"].name}
    services.request_assign(support_request=support_request, actor=user, **data)
    return _("Die Anfrage wurde „%(name)s“ zugeordnet.") % {"name": data["institution"].name}


@require_POST
@permission(LIST)
def request_action(request, request_pk, action):
    """One status change of REQUEST_STATUS: refused (403) for whom the table does not allow it,
    with the table's refusal for a request in another state."""
    if action not in ACTIONS:
        raise Http404
    support_request = _request_for(request, request_pk)
    transition = REQUEST_STATUS[action]
    if transition.permission and not request.user.has_perm(transition.permission, support_request):
        raise PermissionDenied
    try:
        REQUEST_STATUS.check(support_request.status, action)
    except ValidationError as error:
        return _refused(request, support_request, error)
    form = _bind(request, support_request, action)
    if form is None or form.is_valid():
        try:
            done = _call(request, support_request, action, form.cleaned_data if form is not None else {})
        except ValidationError as error:
            if form is None or not hasattr(error, "error_dict"):
                return _refused(request, support_request, error)
            apply_validation_error(form, error)
        else:
            messages.success(request, done)
            if not request.user.has_perm(VIEW, SupportRequest.objects.get(pk=support_request.pk)):
                return redirect("support_office:inbox")    # handed on and no longer readable
            return redirect("support_office:request", support_request.pk)
    return _detail(request, support_request, bound={action: form})


@require_POST
@permission(LIST)
def message_post(request, request_pk):
    support_request = _request_for(request, request_pk, HANDLE)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            conversation.message_post(support_request=support_request, actor=request.user,
                                      body=form.cleaned_data["body"], files=form.cleaned_data["files"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, support_request, error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Ihre Nachricht wurde gesendet; das Unternehmen wird per E-Mail informiert."))
            return redirect(reverse("support_office:request", args=[support_request.pk]) + "#thread")
    return _detail(request, support_request, bound={"message": form})


@require_POST
@permission(LIST)
def note_add(request, request_pk):
    support_request = _request_for(request, request_pk, HANDLE)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            conversation.note_add(support_request=support_request, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, support_request, error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Die interne Notiz wurde gespeichert."))
            return redirect(reverse("support_office:request", args=[support_request.pk]) + "#notes")
    return _detail(request, support_request, bound={"note": form})


@permission(LIST)
def granted_data(request, request_pk):
    support_request = _request_for(request, request_pk)
    if not granted.may_read(request.user, support_request):
        return render_office(request, "support/backoffice/granted_denied.html", {"sr": support_request}, status=403)
    data = granted.granted_data(support_request=support_request, actor=request.user)
    return render_office(request, "support/backoffice/granted.html", {"sr": support_request, **data})


@permission(LIST)
def attachment(request, request_pk, attachment_pk):
    """A file of the conversation: for the holding institution and the office only."""
    support_request = _request_for(request, request_pk, HANDLE)
    found = get_object_or_404(Attachment, pk=attachment_pk, request=support_request)
    response = private_file(found.file, found.name)
    log_action("support.attachment.downloaded", obj=support_request, actor=request.user, data={"name": found.name})
    return response


# --------------------------------------------------------------------------- firms, overview

@permission(LIST)
def firms(request):
    page = selectors.firms_page(request.user, request.GET.get("page"))
    details = selectors.firm_details(request.user, [row["organisation_id"] for row in page])
    for row in page:
        row.update(details.get(row["organisation_id"], {}))
    user = request.user
    return render_office(request, "support/backoffice/firms.html", {
        "page_obj": page, "office": user.is_pact_office or user.is_superuser,
        "institution_name": user.advisor_for.name if user.advisor_for_id else ""})


def _year(request) -> int:
    year = parse_int(request.GET.get("jahr", "")) if request.GET.get("jahr") else timezone.localdate().year
    if year is None or not 2000 <= year <= 2100:
        raise Http404
    return year


@permission(OFFICE)
def overview(request):
    year = _year(request)
    return render_office(request, "support/backoffice/overview.html", {
        "overview": selectors.institution_overview(current_pact(), year), "year": year,
        "years": selectors.overview_years()})


@permission(OFFICE)
def overview_xlsx(request):
    year = _year(request)
    data = selectors.institution_overview(current_pact(), year)
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = _("Anfragen %(year)s") % {"year": year}
    heads = [_("Einrichtung"), _("Anfragen"), _("Offen"), _("Neu"), _("Überfällig"),
             _("Fristgerecht beantwortet"), _("Abgeschlossen"), _("Abgelehnt"), _("Zurückgezogen"),
             *data["outcome_labels"]]
    sheet.append(heads)
    for row in data["rows"]:
        sheet.append([row["institution"].name, *(row[k] for k in selectors.OVERVIEW_COLUMNS), *row["outcomes"]])
    unassigned = data["unassigned"]
    sheet.append([_("Ohne Einrichtung (noch nicht zugeordnet)"), *(unassigned[k] for k in selectors.OVERVIEW_COLUMNS)])
    totals = data["totals"]
    sheet.append([_("Summe der Einrichtungen"), *(totals[k] for k in selectors.OVERVIEW_COLUMNS), *totals["outcomes"]])
    log_action("support.overview.exported", actor=request.user, data={"count": totals["total"] + unassigned["total"]})
    return xlsx_download(workbook, f"beratungsanfragen-{year}.xlsx")


# --------------------------------------------------------------------------- from events

@permission(OFFICE)
def event_needs(request):
    if request.method == "POST":
        form = EventDraftForm(request.POST)
        if form.is_valid():
            _draft_from_answer(request, form.cleaned_data["answer"], form.cleaned_data["organisation"])
        else:
            messages.error(request, _("Bitte wählen Sie eine Antwort und eine Organisation."))
        return redirect("support_office:event_needs")
    answers = selectors.event_needs(current_pact())
    page = Paginator(answers, 50).get_page(request.GET.get("page"))
    return render_office(request, "support/backoffice/event_needs.html", {"page_obj": page})


def _draft_from_answer(request, answer_pk: int, organisation_pk: int | None) -> None:
    from klimapakt.events.models import Answer

    answer = Answer.objects.select_related("question", "question__event", "registration").filter(
        pk=answer_pk, question__event__pact=current_pact()).first()
    if answer is None:
        raise Http404
    from klimapakt.partners.models import Organisation

    choices = Organisation.objects.filter(memberships__user_id=answer.registration.user_id) \
        if answer.registration.user_id else Organisation.objects.none()
    organisation = choices.filter(pk=organisation_pk).first() if organisation_pk else None
    if organisation is None and organisation_pk is None and choices.count() == 1:
        organisation = choices.first()
    if organisation is None:
        messages.error(request, _("Bitte wählen Sie die Organisation, für die der Entwurf vorbereitet wird."))
        return
    try:
        services.request_draft_from_answer(answer=answer, organisation=organisation, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Der Entwurf für „%(name)s“ ist vorbereitet; die Organisation wurde per E-Mail "
                                    "gebeten, ihn zu prüfen und zu senden.") % {"name": organisation.name})
