"""The organiser side in the back office: the pact office for all events, advisors for the
events their institution co-organises."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from klimapakt.core.backoffice import permission, render_office
from klimapakt.core.forms import apply_validation_error as _apply_errors
from klimapakt.core.markdown_preview import is_preview_request, previews
from klimapakt.core.responses import csv_download, xlsx_download
from klimapakt.core.selectors import audit_entries_for, current_pact
from klimapakt.core.spreadsheet import new_workbook

from . import selectors, services
from .forms import (
    PAST_EVENT_WARNING,
    ActionMessageForm,
    CancelEventForm,
    EventForm,
    EventMessageForm,
    QuestionForm,
)
from .models import Event, Question, Registration
from .transitions import EVENT_STATUS

PERM = "events.organise_events"


def _event_for(request, pk) -> Event:
    event = get_object_or_404(Event, pk=pk, pact_id=current_pact().pk)
    if not request.user.has_perm("events.manage_event", event):
        raise PermissionDenied
    return event


@permission(PERM)
def event_list(request):
    qs = selectors.events_for_organiser(pact=current_pact(), user=request.user)
    status = request.GET.get("status", "")
    if status in Event.Status.values:
        qs = qs.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(title_de__icontains=query) | Q(title_en__icontains=query))
    when = request.GET.get("when", "upcoming")
    now = timezone.now()
    qs = qs.filter(ends_at__gte=now).order_by("starts_at", "pk") if when == "upcoming" else \
        qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk") if when == "past" else qs.order_by("-starts_at")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render_office(request, "events/backoffice/list.html", {
        "page_obj": page, "status": status, "statuses": Event.Status.choices, "q": query, "when": when})


@permission(PERM)
def event_edit(request, pk=None):
    pact = current_pact()
    event = _event_for(request, pk) if pk else None
    form = EventForm(request.POST or None, request.FILES or None, instance=event, pact=pact,
                     may_choose_organisers=request.user.is_pact_office)
    if is_preview_request(request):
        # "Vorschau" without JavaScript: the form again, unsaved, with the descriptions rendered.
        return render_office(request, "events/backoffice/event_form.html", {
            "form": form, "event": event, "markdown_previews": previews(form),
            "title": _("Veranstaltung bearbeiten") if event else _("Neue Veranstaltung")})
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            if event is None:
                event = services.event_create(pact=type(pact).objects.get(pk=pact.pk), actor=request.user, **data)
            else:
                event = services.event_update(event=event, actor=request.user, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die Veranstaltung wurde gespeichert."))
            if event.starts_at <= timezone.now():
                messages.warning(request, PAST_EVENT_WARNING)
            if getattr(event, "notified", 0):
                messages.info(request, ngettext(
                    "%(n)s angemeldete Person bekommt die neuen Angaben per E-Mail.",
                    "%(n)s angemeldete Personen bekommen die neuen Angaben per E-Mail.",
                    event.notified) % {"n": event.notified})
            return redirect("event_office:overview", pk=event.pk)
    return render_office(request, "events/backoffice/event_form.html", {
        "form": form, "event": event,
        "title": _("Veranstaltung bearbeiten") if event else _("Neue Veranstaltung")})


@permission(PERM)
def event_overview(request, pk):
    event = _event_for(request, pk)
    counts = selectors.status_counts(event)
    return render_office(request, "events/backoffice/overview.html", {
        "event": event, "counts": counts, "cancel_form": CancelEventForm(),
        # The status buttons: the actions the table (events.transitions) allows from here.
        "status_actions": EVENT_STATUS.available(event.status, request.user, event),
        "free_seats": selectors.free_seats_while_waiting(event, counts),
        "agenda": list(event.agenda_items.all()), "organisers": list(event.organisers.all()),
        "audit": audit_entries_for(event, limit=30)})


@require_POST
@permission(PERM)
def event_status(request, pk):
    event = _event_for(request, pk)
    status = request.POST.get("status", "")
    form = CancelEventForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    if status == Event.Status.CANCELLED and event.status != status and request.POST.get("confirm") != "1":
        # A cancellation mails everyone and cannot be taken back: show who gets it, then send.
        return render_office(request, "events/backoffice/event_cancel.html", {
            "event": event, "form": form, "recipients": selectors.cancellation_recipient_count(event)})
    try:
        event = services.event_set_status(event=event, status=status, actor=request.user, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        reason = event.closed_reason()
        if status == Event.Status.PUBLISHED and reason:
            # Published, but the deadline has passed or the event has begun (the same rule as the
            # event page's "Anmeldeschluss vorbei"): say so rather than "open".
            messages.warning(request, _("Die Veranstaltung ist veröffentlicht, aber niemand kann sich mehr anmelden: "
                                        "%(reason)s") % {"reason": reason})
            return redirect("event_office:overview", pk=event.pk)
        messages.success(request, {
            Event.Status.PUBLISHED: _("Die Veranstaltung ist veröffentlicht und offen für Anmeldungen."),
            Event.Status.CLOSED: _("Die Anmeldung ist geschlossen."),
            Event.Status.CANCELLED: _("Die Veranstaltung ist abgesagt; alle Angemeldeten werden benachrichtigt."),
            Event.Status.DRAFT: _("Die Veranstaltung ist wieder ein Entwurf."),
        }.get(status, _("Gespeichert.")))
    return redirect("event_office:overview", pk=event.pk)


@require_POST
@permission(PERM)
def event_duplicate(request, pk):
    event = _event_for(request, pk)
    copy = services.event_duplicate(event=event, actor=request.user)
    messages.success(request, _("Die Kopie wurde als Entwurf angelegt. Bitte prüfen Sie Datum und Titel."))
    return redirect("event_office:edit", pk=copy.pk)


# ------------------------------------------------------------------ questionnaire

@permission(PERM)
def questions(request, pk):
    event = _event_for(request, pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die Frage wurde hinzugefügt."))
            return redirect("event_office:questions", pk=event.pk)
    return render_office(request, "events/backoffice/questions.html", {
        "event": event, "questions": list(event.questions.all()), "form": form})


def _question_for(event, question_pk):
    return get_object_or_404(Question, pk=question_pk, event=event)


@permission(PERM)
def question_edit(request, pk, question_pk):
    event = _event_for(request, pk)
    question = _question_for(event, question_pk)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(event=event, question=question, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die Frage wurde gespeichert."))
            return redirect("event_office:questions", pk=event.pk)
    return render_office(request, "events/backoffice/question_form.html", {
        "event": event, "form": form, "question": question, "answer_count": question.answers.count()})


@require_POST
@permission(PERM)
def question_delete(request, pk, question_pk):
    event = _event_for(request, pk)
    services.question_delete(question=_question_for(event, question_pk), actor=request.user)
    messages.success(request, _("Die Frage wurde gelöscht."))
    return redirect("event_office:questions", pk=event.pk)


@require_POST
@permission(PERM)
def question_move(request, pk, question_pk):
    event = _event_for(request, pk)
    services.question_move(question=_question_for(event, question_pk),
                           direction="up" if request.POST.get("direction") == "up" else "down", actor=request.user)
    return redirect(reverse("event_office:questions", args=[event.pk]) + f"#question-{question_pk}")


# ------------------------------------------------------------------ registrations

@permission(PERM)
def registrations(request, pk):
    event = _event_for(request, pk)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    qs = selectors.registrations_for_event(event=event, status=status, query=query)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_waitlist_positions(page.object_list)
    counts = selectors.status_counts(event)
    return render_office(request, "events/backoffice/registrations.html", {
        "event": event, "page_obj": page, "status": status, "q": query, "statuses": Registration.Status.choices,
        "counts": counts, "free_seats": selectors.free_seats_while_waiting(event, counts)})


def _registration_for(event, registration_pk):
    return get_object_or_404(Registration, pk=registration_pk, event=event)


@permission(PERM)
def registration_detail(request, pk, registration_pk):
    event = _event_for(request, pk)
    return _registration_page(request, event, _registration_for(event, registration_pk), ActionMessageForm())


def _registration_page(request, event, registration, form):
    questions = list(event.questions.all())
    registration = selectors.with_answers([registration], questions)[0]
    counts = selectors.status_counts(event)
    return render_office(request, "events/backoffice/registration.html", {
        "event": event, "registration": registration, "rows": list(zip(questions, registration.answer_list,
                                                                       strict=True)),
        "position": selectors.waitlist_position(registration), "waiting": counts[Registration.Status.WAITLISTED],
        "form": form, "free_seats": selectors.free_seats_while_waiting(event, counts),
        "audit": audit_entries_for(registration, limit=30)})


@require_POST
@permission(PERM)
def registration_action(request, pk, registration_pk):
    event = _event_for(request, pk)
    registration = _registration_for(event, registration_pk)
    form = ActionMessageForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    action = request.POST.get("action")
    if action == "back":  # "Abbrechen" on the confirmation: the page again, with the message typed
        return _registration_page(request, event, registration, ActionMessageForm(initial={"message": message}))
    if action == "decline" and request.POST.get("confirm") != "1":
        # Declining mails the person and may give away the seat: ask once more (no JavaScript).
        return render_office(request, "events/backoffice/registration_decline.html", {
            "event": event, "registration": registration, "message": message,
            "waiting": selectors.status_counts(event)[Registration.Status.WAITLISTED]})
    try:
        if action == "promote":
            services.registration_promote(registration=registration, actor=request.user, message=message)
            messages.success(request, _("Die Person ist bestätigt und wird benachrichtigt."))
        elif action == "to_waitlist":
            services.registration_to_waitlist(registration=registration, actor=request.user, message=message)
            messages.success(request, _("Die Person steht jetzt auf Platz 1 der Warteliste."))
        elif action == "decline":
            services.registration_decline(registration=registration, actor=request.user, message=message)
            messages.success(request, _("Die Anmeldung wurde abgelehnt; die Person wird benachrichtigt."))
        elif action in ("up", "down"):
            services.waitlist_move(registration=registration, actor=request.user, direction=action)
            messages.success(request, _("Die Reihenfolge der Warteliste wurde geändert."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.POST.get("return_to") == "list":  # the hint on the list confirms the first in the queue
        return redirect("event_office:registrations", pk=event.pk)
    return redirect("event_office:registration", pk=event.pk, registration_pk=registration.pk)


def _filename(event, ext):
    return f"anmeldungen-{event.pk}-{timezone.localdate():%Y%m%d}.{ext}"


@permission(PERM)
def export_csv(request, pk):
    event = _event_for(request, pk)
    header, rows = selectors.registrations_export(event)
    response = csv_download(rows, _filename(event, "csv"), header=header)
    services.registrations_exported(event=event, actor=request.user, file_format="csv")
    return response


@permission(PERM)
def export_xlsx(request, pk):
    from openpyxl.styles import Font

    event = _event_for(request, pk)
    header, rows = selectors.registrations_export(event)
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = _("Anmeldungen")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column[:200])
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 50)
    response = xlsx_download(workbook, _filename(event, "xlsx"))
    services.registrations_exported(event=event, actor=request.user, file_format="xlsx")
    return response


@permission(PERM)
def attendance_pdf(request, pk):
    from weasyprint import HTML

    event = _event_for(request, pk)
    registrations = list(Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
                         .order_by("last_name", "first_name", "pk"))
    html = render_to_string("events/backoffice/attendance_pdf.html", {"event": event, "registrations": registrations,
                                                                     "printed_at": timezone.now()}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="teilnahmeliste-{event.pk}.pdf"'
    services.registrations_exported(event=event, actor=request.user, file_format="pdf")
    return response


@permission(PERM)
def check_in(request, pk):
    event = _event_for(request, pk)
    query = request.GET.get("q", "").strip()
    qs = selectors.registrations_for_event(event=event, status=Registration.Status.CONFIRMED, query=query)
    return render_office(request, "events/backoffice/check_in.html", {
        "event": event, "registrations": list(qs.order_by("last_name", "first_name", "pk")), "q": query,
        "counts": selectors.check_in_counts(event)})


@require_POST
@permission(PERM)
def check_in_toggle(request, pk, registration_pk):
    event = _event_for(request, pk)
    registration = _registration_for(event, registration_pk)
    attended = request.POST.get("attended") == "1"
    query = request.POST.get("q", "").strip()  # the search the toggle was made from
    try:
        services.attendance_set(registration=registration, attended=attended, actor=request.user)
    except ValidationError as error:  # not confirmed: nothing changes, the page says why
        messages.error(request, " ".join(error.messages))
    if request.headers.get("HX-Request"):
        # The row, and the counter out of band (htmx swaps it by its id).
        return HttpResponse(render_to_string("events/backoffice/check_in_row.html", {
            "event": event, "r": registration, "q": query, "counts": selectors.check_in_counts(event),
            "count_oob": True}, request=request))
    url = reverse("event_office:check_in", args=[event.pk])
    if query:
        url += "?" + urlencode({"q": query})
    return redirect(f"{url}#r{registration.pk}")


@permission(PERM)
def message(request, pk):
    event = _event_for(request, pk)
    form = EventMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        if request.POST.get("confirm") != "1":
            # A message to everyone cannot be taken back: show who gets what, then send.
            to_status = form.cleaned_data["to_status"]
            return render_office(request, "events/backoffice/message_confirm.html", {
                "event": event, "form": form, "recipients": selectors.message_recipient_count(event, to_status),
                "group": dict(form.fields["to_status"].choices)[to_status]})
        try:
            count = services.event_message_send(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, ngettext("Die Nachricht wurde an %(n)s Person verschickt.",
                                               "Die Nachricht wurde an %(n)s Personen verschickt.", count) % {"n": count})
            return redirect("event_office:overview", pk=event.pk)
    return render_office(request, "events/backoffice/message.html", {
        "event": event, "form": form, "counts": selectors.status_counts(event)})


@permission(PERM)
def evaluation(request, pk):
    event = _event_for(request, pk)
    query = request.GET.get("q", "").strip()
    return render_office(request, "events/backoffice/evaluation.html", {
        "event": event, "entries": selectors.evaluation(event=event, query=query), "q": query,
        "counts": selectors.status_counts(event)})


@permission(PERM)
def evaluation_csv(request, pk):
    event = _event_for(request, pk)
    header, rows = selectors.evaluation_table(event=event, query=request.GET.get("q", "").strip())  # like the page
    return csv_download(rows, f"auswertung-{event.pk}.csv", header=header)
