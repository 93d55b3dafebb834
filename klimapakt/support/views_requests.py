"""The firm's requests (member pages under the organisation): the list, asking for support in
two steps (the request, then the consent naming the recipient with the files), one request
with its thread, messages, the grant, withdrawing, a draft from an event to confirm and send,
and the files. Only members of the organisation; the advisors and the office work in the back
office (backoffice_requests)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimapakt.core.audit import log_action
from klimapakt.core.forms import apply_validation_error
from klimapakt.core.models import Pact
from klimapakt.core.responses import private_file
from klimapakt.core.utils import parse_int
from klimapakt.partners.models import Organisation
from klimapakt.partners.rules import is_org_member

from .consent import consent_statement, shared_data
from .forms_requests import OFFICE, ConsentForm, DraftForm, MessageForm, RequestForm, WithdrawForm
from .models import Attachment, SupportRequest
from .selectors import firm as selectors
from .services import requests as services
from .services.conversation import message_post as post_message

STEP = "schritt"
REVIEW, EDIT, SEND = "pruefen", "aendern", "senden"
REQUEST_FIELDS = {"offer", "topics", "description", "measure", "report", "report_section", "grant_access"}


def _organisation(request, pk) -> Organisation:
    """The organisation `pk` for one of its members: 404 if it does not exist, 403 for everyone
    else (the pact office and the advisors see requests in the back office)."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not is_org_member(request.user, organisation):
        raise PermissionDenied
    return organisation


def _request_form(organisation, data=None, **kwargs) -> RequestForm:
    from klimapakt.reports.models import Section

    return RequestForm(data, offers=selectors.offer_choices(organisation), sections=Section.choices,
                       measures=selectors.measure_choices(organisation),
                       reports=selectors.report_choices(organisation), **kwargs)


def _linked(organisation, data: dict) -> dict:
    """The measure and report chosen on the form (both the organisation's: the form's choices)."""
    from klimapakt.reports.models import Measure, Report

    measure = parse_int(data.get("measure") or "")
    report = parse_int(data.get("report") or "")
    return {
        "measure": Measure.objects.filter(organisation=organisation, pk=measure).first() if measure else None,
        "report": Report.objects.filter(organisation=organisation, pk=report).first() if report else None,
        "report_section": data.get("report_section", "") if report else "",
    }


def _review(organisation, data: dict, *, linked: dict | None = None) -> dict:
    """What step 2 shows: the recipient of the request, the data it receives and the statement
    the firm agrees to (the service stores the same statement)."""
    offer = selectors.offer_by_pk(parse_int(data.get("offer") or ""))
    institution = services.recipient_of(organisation=organisation, offer=offer, topics=data.get("topics", []))
    pact = Pact.objects.current()
    linked = linked or {}
    shared = {"measure": linked.get("measure") is not None, "report": linked.get("report") is not None}
    return {
        "offer": offer, "institution": institution, "key": str(institution.pk) if institution else OFFICE,
        "shared": shared_data(**shared),
        "statement": consent_statement(recipient=institution.name if institution else "",
                                       pact_office=pact.name_de, **shared),
        "topics": [label for value, label in DraftForm.base_fields["topics"].choices
                   if value in data.get("topics", [])],
        "data": data, "linked": linked,
    }


def _split(error: ValidationError) -> tuple[ValidationError | None, ValidationError | None]:
    """A service's error on the fields of step 1, or on step 2 (consent, files, the bound)."""
    if hasattr(error, "error_dict") and set(error.error_dict) & REQUEST_FIELDS:
        return error, None
    return None, error


@login_required
def requests(request, pk):
    organisation = _organisation(request, pk)
    return render(request, "support/requests.html", {
        "organisation": organisation, **selectors.requests_of(organisation),
        "max_open": services.MAX_OPEN_REQUESTS,
    })


def _render_form(request, organisation, form):
    return render(request, "support/request_form.html", {"organisation": organisation, "form": form})


def _render_review(request, organisation, form, consent_form, review, *, action, support_request=None):
    return render(request, "support/request_review.html", {
        "organisation": organisation, "form": form, "consent_form": consent_form, "review": review,
        "action": action, "support_request": support_request, "with_files": "files" in consent_form.fields,
    })


@login_required
def request_create(request, pk):
    """Step 1 (GET, or POST "aendern"): the form. "pruefen": the review naming the recipient, with
    the files and the consent. "senden": the request goes out."""
    organisation = _organisation(request, pk)
    action = request.path
    if request.method != "POST":
        form = _request_form(organisation, initial=_initial_offer(request, organisation))
        return _render_form(request, organisation, form)
    form = _request_form(organisation, request.POST)
    step = request.POST.get(STEP)
    if step == EDIT or not form.is_valid():
        return _render_form(request, organisation, form)
    linked = _linked(organisation, form.cleaned_data)
    review = _review(organisation, form.cleaned_data, linked=linked)
    if step != SEND:
        return _render_review(request, organisation, form, ConsentForm(initial={"recipient": review["key"]}),
                              review, action=action)
    consent_form = ConsentForm(request.POST, request.FILES)
    if not _consent_valid(consent_form, review):
        return _render_review(request, organisation, form, consent_form, review, action=action)
    data = form.cleaned_data
    try:
        support_request = services.request_create(
            organisation=organisation, actor=request.user, offer=review["offer"], topics=data["topics"],
            description=data["description"], consent=True, files=consent_form.cleaned_data.get("files") or [],
            grant_access=data["grant_access"], **linked)
    except ValidationError as error:
        on_form, on_consent = _split(error)
        if on_form is not None:
            apply_validation_error(form, on_form)
            return _render_form(request, organisation, form)
        apply_validation_error(consent_form, on_consent)
        return _render_review(request, organisation, form, consent_form, review, action=action)
    messages.success(request, _("Ihre Anfrage ist gesendet. Sie erhalten eine Bestätigung per E-Mail."))
    return redirect("support:request", organisation.pk, support_request.pk)


def _initial_offer(request, organisation) -> dict:
    """?angebot=<id> preselects an offer the organisation may ask for."""
    wanted = str(parse_int(request.GET.get("angebot")) or "")
    choices = selectors.offer_choices(organisation)
    offered = {value for _group, items in choices[1:] for value, _label in items}
    return {"offer": wanted} if wanted in offered else {}


def _consent_valid(consent_form: ConsentForm, review: dict) -> bool:
    """The consent is given, and for the recipient the firm saw (routing may have changed
    between the two steps: then it sees the new one and agrees again)."""
    if not consent_form.is_valid():
        return False
    if consent_form.cleaned_data["recipient"] != review["key"]:
        consent_form.add_error(None, _("Ihre Anfrage ginge inzwischen an eine andere Stelle als angezeigt. Bitte "
                                       "prüfen Sie die Empfängerin oder den Empfänger und stimmen Sie erneut zu."))
        consent_form.data = consent_form.data.copy()
        consent_form.data["recipient"] = review["key"]
        consent_form.data.pop("consent", None)
        return False
    return True


def _detail(request, organisation, support_request, *, status=200, **forms):
    detail = selectors.request_detail(support_request)
    if detail["is_draft"] and "draft_form" not in forms:
        forms["draft_form"] = DraftForm(offers=selectors.offer_choices(organisation), initial={
            "offer": str(support_request.offer_id or ""), "description": support_request.description,
            "topics": support_request.topic_list,
            "grant_access": bool(support_request.grant_given_at and not support_request.grant_revoked_at)})
    if detail["can_write"] and "message_form" not in forms:
        forms["message_form"] = MessageForm()
    return render(request, "support/request.html", {
        "organisation": organisation, "support_request": support_request, **detail, **forms,
    }, status=status)


@login_required
def request_detail(request, pk, request_pk):
    organisation = _organisation(request, pk)
    return _detail(request, organisation, selectors.request_for(organisation, request_pk))


@require_POST
@login_required
def request_send(request, pk, request_pk):
    """A draft prepared by the office: "pruefen" shows the review with the consent, "senden"
    sends it, "aendern" goes back to the draft."""
    organisation = _organisation(request, pk)
    support_request = selectors.request_for(organisation, request_pk)
    if support_request.status != SupportRequest.Status.DRAFT:
        messages.error(request, _("Diese Anfrage ist bereits gesendet."))
        return redirect("support:request", organisation.pk, support_request.pk)
    form = DraftForm(request.POST, offers=selectors.offer_choices(organisation))
    step = request.POST.get(STEP)
    if step == EDIT or not form.is_valid():
        return _detail(request, organisation, support_request, draft_form=form)
    linked = {"measure": support_request.measure, "report": support_request.report}
    review = _review(organisation, form.cleaned_data, linked=linked)
    action = request.path
    if step != SEND:
        return _render_review(request, organisation, form, ConsentForm(initial={"recipient": review["key"]},
                                                                       with_files=False),
                              review, action=action, support_request=support_request)
    consent_form = ConsentForm(request.POST, with_files=False)
    if not _consent_valid(consent_form, review):
        return _render_review(request, organisation, form, consent_form, review, action=action,
                              support_request=support_request)
    data = form.cleaned_data
    try:
        services.request_send(support_request=support_request, actor=request.user, consent=True,
                              offer=review["offer"], topics=data["topics"], description=data["description"],
                              grant_access=data["grant_access"])
    except ValidationError as error:
        on_form, on_consent = _split(error)
        if on_form is not None:
            apply_validation_error(form, on_form)
            return _detail(request, organisation, support_request, draft_form=form)
        apply_validation_error(consent_form, on_consent)
        return _render_review(request, organisation, form, consent_form, review, action=action,
                              support_request=support_request)
    messages.success(request, _("Ihre Anfrage ist gesendet. Sie erhalten eine Bestätigung per E-Mail."))
    return redirect("support:request", organisation.pk, support_request.pk)


@require_POST
@login_required
def message_post(request, pk, request_pk):
    organisation = _organisation(request, pk)
    support_request = selectors.request_for(organisation, request_pk)
    if not support_request.is_open:
        messages.error(request, _("Die Anfrage ist nicht offen; es können keine Nachrichten geschrieben werden."))
        return redirect("support:request", organisation.pk, support_request.pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post_message(support_request=support_request, actor=request.user, body=form.cleaned_data["body"],
                         files=form.cleaned_data["files"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Ihre Nachricht ist gesendet."))
            return redirect("support:request", organisation.pk, support_request.pk)
    return _detail(request, organisation, support_request, message_form=form)


@require_POST
@login_required
def grant(request, pk, request_pk):
    """Give or revoke the holding institution's read access ("freigeben": 1 or 0)."""
    organisation = _organisation(request, pk)
    support_request = selectors.request_for(organisation, request_pk)
    granted = request.POST.get("freigeben") == "1"
    try:
        services.grant_set(support_request=support_request, actor=request.user, granted=granted)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Die Einsicht ist freigegeben.") if granted
                         else _("Die Einsicht ist widerrufen."))
    return redirect("support:request", organisation.pk, support_request.pk)


@login_required
def withdraw(request, pk, request_pk):
    """GET: the confirmation page; POST with the confirmation: the request is withdrawn."""
    organisation = _organisation(request, pk)
    support_request = selectors.request_for(organisation, request_pk)
    if not (support_request.is_open or support_request.status == SupportRequest.Status.DRAFT):
        messages.error(request, _("Diese Anfrage ist bereits abgeschlossen."))
        return redirect("support:request", organisation.pk, support_request.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_withdraw(support_request=support_request, actor=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Ihre Anfrage ist zurückgezogen."))
            return redirect("support:request", organisation.pk, support_request.pk)
    return render(request, "support/request_withdraw.html", {
        "organisation": organisation, "support_request": support_request, "form": form,
        "recipient": selectors.recipient_name(support_request),
    })


@login_required
def attachment(request, pk, request_pk, attachment_pk):
    """A file of the request: only for the organisation's members (the back office has its own
    view), never cached, never sniffed."""
    organisation = _organisation(request, pk)
    support_request = selectors.request_for(organisation, request_pk)
    item = get_object_or_404(Attachment, pk=attachment_pk, request=support_request)
    response = private_file(item.file, item.name)
    log_action("support.attachment.downloaded", obj=support_request, actor=request.user, data={"name": item.name})
    return response
