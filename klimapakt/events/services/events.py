"""Events from the organiser's side: create, change (everyone registered hears of a new time
or place), publish / close / reopen / cancel (the transition table in events.transitions),
duplicate, and messages to the registered."""

from __future__ import annotations

import datetime
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from .. import formatting, selectors, transitions
from ..images import fresh_encoding, validate_event_image
from ..models import AgendaItem, Event, Registration
from .locking import locked_event
from .mails import mail_parts, mail_registrant
from .waitlist import fill_free_seats, recount_events

EVENT_FIELDS = ("kind", "title_de", "title_en", "description_de", "description_en", "starts_at", "ends_at",
                "venue_name", "venue_address", "audience", "capacity", "per_organisation_limit",
                "registration_deadline", "format", "meeting_url", "image", "image_alt")


def _agenda_pairs(agenda_de: list[str], agenda_en: list[str]) -> list[tuple[str, str]]:
    """The agenda as (German, English) items, as stored."""
    return [(title, agenda_en[i] if i < len(agenda_en) else "") for i, title in enumerate(agenda_de)]


def _set_agenda(event: Event, agenda_de: list[str], agenda_en: list[str]) -> None:
    event.agenda_items.all().delete()
    AgendaItem.objects.bulk_create([
        AgendaItem(event=event, position=i, title_de=title_de, title_en=title_en)
        for i, (title_de, title_en) in enumerate(_agenda_pairs(agenda_de, agenda_en))])


def event_check(event: Event) -> None:
    errors = {}
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        errors["ends_at"] = [_("Das Ende muss nach dem Beginn liegen.")]
    if event.registration_deadline and event.starts_at and event.registration_deadline > event.starts_at:
        # Registration closes when the event begins at the latest (Event.closed_reason).
        errors["registration_deadline"] = [_("Der Anmeldeschluss darf nicht nach dem Beginn der Veranstaltung "
                                             "liegen.")]
    errors.update(_format_errors(event))
    if event.image and not (event.image_alt or "").strip():
        errors["image_alt"] = [_("Bitte beschreiben Sie, was auf dem Bild zu sehen ist (Alternativtext).")]
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["pact"])


def _format_errors(event: Event) -> dict:
    """In person: a place (or none, as events entered before the formats); hybrid: a place;
    online: no place needed. A meeting link belongs to an online or hybrid event."""
    errors = {}
    if event.format == Event.Format.HYBRID and not (event.venue_name or event.venue_address):
        errors["venue_name"] = [_("Eine hybride Veranstaltung braucht einen Ort. Geben Sie ihn an oder wählen Sie "
                                  "das Format „Online“.")]
    if event.format == Event.Format.IN_PERSON and event.meeting_url:
        errors["meeting_url"] = [_("Ein Zugangslink gehört zu einer Online- oder Hybrid-Veranstaltung. Wählen Sie "
                                   "das passende Format oder lassen Sie das Feld leer.")]
    return errors


def _may_choose_organisers(actor) -> bool:
    """Only the pact office chooses an event's organisers: an organiser's advisors see the
    registrants' personal data, so an advisor must not add another institution (or remove the
    city). Without an actor (commands, demo data) the caller is the platform itself."""
    return actor is None or bool(getattr(actor, "is_pact_office", False))


def _store_image_fresh(fields: dict) -> None:
    """A new picture (an upload, not the stored file) is kept as a fresh encoding without
    metadata (images.fresh_encoding); the checks of images.validate_event_image come first."""
    upload = fields.get("image")
    if upload and hasattr(upload, "read") and not isinstance(upload, FieldFile):
        try:
            validate_event_image(upload)
            fields["image"] = fresh_encoding(upload)
        except ValidationError as error:
            raise ValidationError({"image": error.messages}) from None


def _refuse_organisers(actor) -> None:
    raise PermissionDenied(_("Nur die Geschäftsstelle legt die Veranstalter einer Veranstaltung fest."))


@transaction.atomic
def event_create(*, pact, actor, organisers=(), agenda_de=(), agenda_en=(), **fields) -> Event:
    organisers = list(organisers)
    advisor_for_id = getattr(actor, "advisor_for_id", None) if actor is not None else None
    if not _may_choose_organisers(actor) and {o.pk for o in organisers} - {advisor_for_id}:
        _refuse_organisers(actor)  # an advisor's event has their own institution as organiser, no other
    fields = {k: v for k, v in fields.items() if k in EVENT_FIELDS and not (k == "image" and not v)}
    _store_image_fresh(fields)
    event = Event(pact=pact, status=Event.Status.DRAFT, **fields)
    event_check(event)
    event.save()
    if advisor_for_id and advisor_for_id not in {o.pk for o in organisers}:
        organisers.append(actor.advisor_for)  # an advisor always co-organises what they create
    event.organisers.set(organisers)
    _set_agenda(event, list(agenda_de), list(agenda_en))
    log_action("events.event.created", obj=event, actor=actor, data={"title": event.title_de})
    return event


TIME_FIELDS = ("starts_at", "ends_at")


PLACE_FIELDS = ("venue_name", "venue_address")


def _link_news(event: Event, changed: list[str], old: dict) -> str:
    """What a change means for joining online: "new" (a new link, or an in-person event now
    online or hybrid with one), "in_person" (online participation dropped), "removed" (the link
    taken away, a new one to follow), or ""."""
    in_person = Event.Format.IN_PERSON
    was_online = old.get("format", event.format) != in_person
    if "format" in changed and event.format == in_person and was_online:
        return "in_person"
    if event.format == in_person:
        return ""
    if "meeting_url" in changed:
        return "new" if event.meeting_url else "removed"
    if "format" in changed and not was_online and event.meeting_url:
        return "new"
    return ""


def _notify_changes(event: Event, changed: list[str], old: dict | None = None) -> int:
    """When a published event that has not ended moves in time or place, everyone registered
    gets the new details and the previous ones (`old`: field values before the change): the
    confirmed with an updated calendar file, the waitlisted with their position (no calendar
    file, see mail_registrant). A new start also re-arms the reminder before the event. News about
    joining online (``_link_news``) alone goes to the confirmed only: the link is theirs
    (mail_registrant). Returns the number of mails."""
    old = old or {}
    time_changed = any(key in changed for key in TIME_FIELDS)
    place_changed = any(key in changed for key in PLACE_FIELDS)
    link_news = _link_news(event, changed, old)
    if not (time_changed or place_changed or link_news) or not selectors.notifies_time_or_place_changes(event):
        return 0
    if "starts_at" in changed:
        event.registrations.filter(reminded_at__isnull=False).update(reminded_at=None)
    before = {key: getattr(event, key) for key in TIME_FIELDS + PLACE_FIELDS} | old
    parts = mail_parts(event)

    @functools.cache
    def previous(language: str) -> dict:
        with translation.override(language):
            return {"old_when": formatting.when(before["starts_at"], before["ends_at"]) if time_changed else "",
                    "old_venue": ", ".join(p for p in (before["venue_name"], before["venue_address"]) if p)
                    if place_changed else ""}

    link_only = not (time_changed or place_changed)
    registrations = list(event.registrations.filter(
        status__in=[Registration.Status.CONFIRMED] if link_only else Registration.ACTIVE).exclude(email=""))
    for registration in registrations:
        language = registration.language or "de"
        mail_registrant(registration, event, "events/email/event_changed", prepared=parts(language),
                        extra={"time_changed": time_changed, "place_changed": place_changed, "link_only": link_only,
                               "link_news": link_news, **previous(language),
                               "waitlist_position": selectors.waitlist_position(registration)})  # one query each
    return len(registrations)


@transaction.atomic
def event_update(*, event: Event, actor, organisers=None, agenda_de=None, agenda_en=None, **fields) -> Event:
    event = locked_event(event.pk)
    changed, old = [], {}
    if fields.get("image") is False:  # "Bild entfernen" ticked on the form
        fields["image"] = ""
    elif fields.get("image") is None:
        fields.pop("image", None)
    _store_image_fresh(fields)
    for key, value in fields.items():
        if key in EVENT_FIELDS and getattr(event, key) != value:
            old[key] = getattr(event, key)
            setattr(event, key, value)
            changed.append(key)
    if "capacity" in changed and event.capacity is not None:
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if event.capacity < confirmed:
            raise ValidationError({"capacity": translation.ngettext(
                "Es ist bereits %(n)s Person bestätigt. Verschieben Sie sie zuerst auf die Warteliste "
                "oder wählen Sie mindestens %(n)s Platz.",
                "Es sind bereits %(n)s Personen bestätigt. Verschieben Sie zuerst Personen auf die Warteliste "
                "oder wählen Sie mindestens %(n)s Plätze.", confirmed) % {"n": confirmed}})
    event_check(event)
    if organisers is not None and {o.pk for o in organisers} != set(event.organisers.values_list("pk", flat=True)):
        if not _may_choose_organisers(actor):
            _refuse_organisers(actor)
        event.organisers.set(organisers)
        changed.append("organisers")
    if agenda_de is not None:
        # The form always sends the agenda: it is replaced (and logged) only when it differs.
        agenda = _agenda_pairs(list(agenda_de), list(agenda_en or []))
        if agenda != [(a.title_de, a.title_en) for a in event.agenda_items.all()]:
            _set_agenda(event, list(agenda_de), list(agenda_en or []))
            changed.append("agenda")
    event.notified = 0
    if not changed:
        # Nothing differs: no save, so updated_at (the calendar files' SEQUENCE) stays, and no log entry.
        return event
    event.save()
    event.notified = _notify_changes(event, changed, old)
    log_action("events.event.updated", obj=event, actor=actor, data={"fields": changed, "notified": event.notified})
    if "capacity" in changed and event.status == Event.Status.PUBLISHED and not event.is_past:
        fill_free_seats(event, actor=actor)  # more seats: the waitlist moves up
        recount_events([event.pk])
        event.refresh_from_db(fields=["seats_taken", "waitlist_length"])
    return event


@transaction.atomic
def event_set_status(*, event: Event, status: str, actor, message: str = "") -> Event:
    """Publish, close or reopen registration, or cancel the event (everyone registered is told).
    Which change is possible from which status: the table ``transitions.EVENT_STATUS``."""
    event = locked_event(event.pk)
    step = transitions.step_to(event.status, status)  # the table in events.transitions, or its refusal
    if status == Event.Status.DRAFT and event.registrations.exists():
        raise ValidationError(_("Eine Veranstaltung mit Anmeldungen kann nicht zurück in den Entwurf."))
    old = event.status
    event.status = status
    if status == Event.Status.CANCELLED:
        event.cancellation_message = message  # the personal pages show it with the notice
    event.save(update_fields=["status", "cancellation_message", "updated_at"])
    log_action(step.audit, obj=event, actor=actor, data={"from": old, "to": status})
    if status == Event.Status.CANCELLED:
        parts = mail_parts(event)
        for registration in event.registrations.filter(status__in=Registration.ACTIVE):
            mail_registrant(registration, event, "events/email/event_cancelled", extra={"message": message},
                            prepared=parts(registration.language or "de"))
    return event


@transaction.atomic
def event_duplicate(*, event: Event, actor, starts_at: datetime.datetime | None = None) -> Event:
    """A copy as a draft (with agenda, organisers and questionnaire, without registrations),
    moved by default to the same weekday and time one week after the original."""
    source = Event.objects.get(pk=event.pk)
    shift = (starts_at - source.starts_at) if starts_at else datetime.timedelta(days=7)
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy.status = Event.Status.DRAFT
    # The mark is part of the title in each language, whatever language the organiser uses.
    with translation.override("de"):
        copy.title_de = _("%(title)s (Kopie)") % {"title": source.title_de}
    if source.title_en:
        with translation.override("en"):
            copy.title_en = _("%(title)s (Kopie)") % {"title": source.title_en}
    copy.starts_at = source.starts_at + shift
    copy.ends_at = source.ends_at + shift
    copy.registration_deadline = source.registration_deadline + shift if source.registration_deadline else None
    copy.created_at = timezone.now()
    copy.seats_taken = copy.waitlist_length = 0
    copy.cancellation_message = ""
    copy.save()
    copy.organisers.set(source.organisers.all())
    AgendaItem.objects.bulk_create([AgendaItem(event=copy, position=a.position, title_de=a.title_de,
                                               title_en=a.title_en) for a in source.agenda_items.all()])
    for q in source.questions.all():
        q.pk = None
        q.id = None
        q.event = copy
        q.save()
    log_action("events.event.duplicated", obj=copy, actor=actor, data={"source": source.pk})
    return copy


@transaction.atomic
def event_message_send(*, event: Event, to_status: str, subject: str, body: str, actor) -> int:
    """Send a message to all confirmed or all waitlisted registrants. Returns the count."""
    if to_status not in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED):
        raise ValidationError({"to_status": _("Bitte wählen Sie die Empfängergruppe.")})
    recipients = list(event.registrations.filter(status=to_status, anonymised_at__isnull=True))
    for registration in recipients:
        mail_registrant(registration, event, "events/email/message", extra={"subject": subject, "body": body},
                        ics=False)
    log_action("events.event.message_sent", obj=event, actor=actor,
               data={"to_status": to_status, "subject": subject, "count": len(recipients)})
    return len(recipients)
