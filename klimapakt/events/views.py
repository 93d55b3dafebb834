"""Public pages: event list and archive, event page, iCal, registration, personal link."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from klimapakt.core.forms import apply_validation_error as _apply_errors
from klimapakt.core.selectors import current_pact_or_404 as _pact

from . import checkin, ical, selectors, services
from .forms import AnswersForm, RegistrationForm
from .models import Event, Registration
from .throttling import registration_by_address_allowed, too_many_for_address

ARCHIVE_PREVIEW = 6


def event_list(request):
    """Upcoming events first (30 a page); below, the latest past events, or with ?archiv=1
    the whole archive page by page."""
    pact = _pact()
    if request.GET.get("archiv"):
        page = Paginator(selectors.events_archive_public(pact=pact), 30).get_page(request.GET.get("page"))
        return render(request, "events/archive.html", {"page_obj": page})
    page = Paginator(selectors.events_upcoming_public(pact=pact), 30).get_page(request.GET.get("page"))
    archive = list(selectors.events_archive_public(pact=pact)[:ARCHIVE_PREVIEW + 1])
    return render(request, "events/list.html", {"page_obj": page, "events": page.object_list,
                                                "archive": archive[:ARCHIVE_PREVIEW],
                                                "more_archive": len(archive) > ARCHIVE_PREVIEW})


def _event_or_404(request, pk):
    pact = _pact()
    event = selectors.event_public(pact=pact, pk=pk, include_drafts=request.user.is_authenticated)
    if event is None or (event.status == Event.Status.DRAFT
                         and not request.user.has_perm("events.manage_event", event)):
        raise Http404
    return event


def event_detail(request, pk):
    event = _event_or_404(request, pk)
    return render(request, "events/detail.html", {
        "event": event, "agenda": list(event.agenda_items.all()), "organisers": list(event.organisers.all()),
        "closed_reason": event.closed_reason(),
        "may_register": selectors.may_register(event=event, user=request.user),
        "my_registration": selectors.registration_of_user(event=event, user=request.user),
        "can_manage": request.user.is_authenticated and request.user.has_perm("events.manage_event", event),
    })


def _initial_for(user) -> dict:
    initial = {"language": (get_language() or "de")[:2]}
    if user.is_authenticated:
        initial.update(first_name=user.first_name, last_name=user.last_name, email=user.email)
        membership = user.memberships.select_related("organisation").order_by("pk").first()
        if membership:
            initial["organisation"] = membership.organisation.name
        elif user.advisor_for_id:
            initial["organisation"] = user.advisor_for.name
    return initial


def register(request, pk):
    event = _event_or_404(request, pk)
    questions = list(event.questions.all())
    if not event.registration_open():
        return render(request, "events/register_closed.html", {"event": event, "reason": event.closed_reason()})
    if not selectors.may_register(event=event, user=request.user):
        return render(request, "events/register_closed.html", {
            "event": event, "partners_only": True,
            "reason": _("Diese Veranstaltung ist nur für Klimapartner. Bitte melden Sie sich mit Ihrem Konto an.")},
            status=403)
    form = RegistrationForm(request.POST or None, questions=questions,
                            initial=_initial_for(request.user) if request.method != "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = services.PersonData(
            first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
            organisation=data["organisation"], phone=data["phone"], language=data["language"],
            user=request.user if request.user.is_authenticated else None, privacy_consent=data["privacy_consent"])
        if not registration_by_address_allowed(data["email"]):
            form.add_error("email", too_many_for_address())
            return render(request, "events/register.html", {"event": event, "form": form}, status=429)
        try:
            registration = services.registration_create(event=event, person=person, answers=form.answers(),
                                                        questions=questions, actor=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        except services.AlreadyRegistered:
            return render(request, "events/register_duplicate.html", {"event": event, "email": data["email"]})
        except services.RegistrationClosed as closed:
            return render(request, "events/register_closed.html", {"event": event, "reason": closed.reason})
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, _("Sie sind angemeldet. Die Bestätigung ist per E-Mail unterwegs."))
            else:
                messages.info(request, _("Die Veranstaltung ist ausgebucht. Sie stehen auf der Warteliste an "
                                         "Position %(n)s.") % {"n": registration.waitlist_position})
            return redirect("events:registration", token=registration.token)
    return render(request, "events/register.html", {"event": event, "form": form})


@require_GET
def event_ical(request, pk):
    event = _event_or_404(request, pk)
    response = HttpResponse(ical.calendar([event], name=event.title),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ical.file_name(event)}"'
    return response


@require_GET
def feed(request):
    pact = _pact()
    response = HttpResponse(ical.calendar(selectors.events_for_feed(pact=pact), name=pact.name),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="veranstaltungen.ics"'
    return response


def _registration_or_404(token):
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404
    return registration


def _no_index(response):
    # The token must not leak to linked sites: the global Referrer-Policy "same-origin" sees to
    # that ("no-referrer" would make browsers send "Origin: null" and fail the CSRF check).
    response["X-Robots-Tag"] = "noindex"
    return response


def _changeable(registration) -> bool:
    """Answers can be changed and the registration cancelled while it is active and the event
    is ahead and not cancelled; after that only deleting is left."""
    event = registration.event
    return registration.is_active and not event.is_past and event.status != Event.Status.CANCELLED


def registration_detail(request, token):
    """The personal link: see the registration, change answers, cancel, delete."""
    registration = _registration_or_404(token)
    event = registration.event
    questions = list(event.questions.all())
    answers = {a.question_id: a for a in registration.answers.all()}
    editable = _changeable(registration)
    form = AnswersForm(request.POST or None, questions=questions, answers=answers) if questions else None
    if request.method == "POST":
        if not editable or form is None:
            raise Http404
        if form.is_valid():
            try:
                services.answers_update(registration=registration, answers=form.answers())
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Ihre Antworten wurden gespeichert."))
                return redirect("events:registration", token=token)
    for q in questions:
        a = answers.get(q.pk)
        if a is not None:
            a.question = q
        q.answer_display = a.display() if a else ""
    # A confirmed seat of an event that takes place: the meeting link (online, hybrid) and the
    # check-in QR code (not for an online-only event: no door). Never for the waitlist, a
    # cancelled or declined person, or a cancelled event.
    seat = registration.status == Registration.Status.CONFIRMED and event.status != Event.Status.CANCELLED
    code = checkin.code_for(registration) if seat and not event.is_online and not event.is_past else ""
    return _no_index(render(request, "events/registration.html", {
        "registration": registration, "event": event, "questions": questions, "form": form,
        "editable": editable, "cancellable": editable, "position": selectors.waitlist_position(registration),
        "meeting_url": event.meeting_url if seat and event.has_online_part else "",
        "checkin_code": code, "checkin_qr": checkin.qr_data_uri(code) if code else "",
    }))


def registration_cancel(request, token):
    registration = _registration_or_404(token)
    if not _changeable(registration):
        return redirect("events:registration", token=token)
    if request.method == "POST":
        was_waitlisted = registration.status == Registration.Status.WAITLISTED
        services.registration_cancel(registration=registration)
        messages.success(request, _("Sie stehen nicht mehr auf der Warteliste. Eine Bestätigung ist per E-Mail "
                                    "unterwegs.") if was_waitlisted else
                         _("Sie haben Ihre Teilnahme abgesagt. Eine Bestätigung ist per E-Mail unterwegs."))
        return redirect("events:registration", token=token)
    return _no_index(render(request, "events/registration_confirm.html", {
        "registration": registration, "event": registration.event, "action": "cancel"}))


def registration_delete(request, token):
    registration = _registration_or_404(token)
    if request.method == "POST":
        event = registration.event
        services.registration_delete(registration=registration)
        messages.success(request, _("Ihre Anmeldung und alle Ihre Angaben wurden gelöscht."))
        return redirect("events:detail", pk=event.pk)
    return _no_index(render(request, "events/registration_confirm.html", {
        "registration": registration, "event": registration.event, "action": "delete"}))
