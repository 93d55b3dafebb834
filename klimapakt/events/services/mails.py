"""Mails to registrants: one row in core.mail's outbox, written in the caller's transaction,
so a mail exists exactly when the change it tells about committed."""

from __future__ import annotations

import functools

from django.urls import reverse
from django.utils import translation

from klimapakt.core.mail import attachment, inline_attachment, queue_mail

from .. import formatting, ical, selectors
from ..models import Event, Registration


def event_context(event: Event, language: str) -> dict:
    with translation.override(language):
        return {
            "event_title": event.title,
            "event_when": formatting.when(event.starts_at, event.ends_at),
            "event_venue": ", ".join(p for p in (event.venue_name, event.venue_address) if p),
            "event_path": reverse("events:detail", args=[event.pk]),
            "event_format": event.get_format_display() if event.has_online_part else "",
            "event_online": event.is_online,  # online only: no door, so no check-in code
            # Taken out again by mail_registrant unless the mail goes to a confirmed person.
            "event_meeting_url": event.meeting_url if event.has_online_part else "",
        }


def ics_attachment(event: Event, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        text = ical.calendar([event], name=event.title)
        return (ical.file_name(event), text, "text/calendar")


def mail_parts(event: Event):
    """For mails to many registrants of one event: (event context, .ics attachment) by
    language, each built once (call it with the registration's language)."""
    return functools.cache(lambda language: (event_context(event, language), ics_attachment(event, language)))


# Mails that carry the meeting link (to a confirmed person only) and the check-in QR code.
MEETING_LINK_TEMPLATES = frozenset({"events/email/registration", "events/email/promoted", "events/email/reminder",
                                    "events/email/event_changed"})
QR_CODE_TEMPLATES = frozenset({"events/email/registration", "events/email/promoted", "events/email/reminder"})


def mail_registrant(registration: Registration, event: Event, template: str, *, extra: dict | None = None,
                    ics: bool = True, prepared: tuple[dict, tuple] | None = None) -> None:
    """Queue one mail to a registrant (in the registration's language) with its personal link,
    in the caller's transaction (core.mail's outbox).
    `prepared` = (event context, .ics attachment) computed before a lock was taken. People on
    the waitlist get no calendar file: it would enter the event as confirmed (STATUS:CONFIRMED);
    it comes with the confirmation."""
    language = registration.language or "de"
    if not registration.email:
        return
    ics = ics and registration.status != Registration.Status.WAITLISTED
    details, ics_file = prepared or (event_context(event, language),
                                     ics_attachment(event, language) if ics else None)
    details = dict(details)
    meeting_url = details.pop("event_meeting_url", "")
    # The meeting link and the check-in code are for a confirmed seat of an event that takes
    # place: never for the waitlist, a cancelled or declined person, or a cancelled event.
    seat = registration.status == Registration.Status.CONFIRMED and event.status != Event.Status.CANCELLED
    context = {
        "first_name": registration.first_name, "last_name": registration.last_name,
        "status": registration.status, "personal_path": selectors.personal_path(registration),
        **details, **(extra or {}),
        "meeting_url": meeting_url if seat and template in MEETING_LINK_TEMPLATES else "",
        "checkin_qr": bool(seat and template in QR_CODE_TEMPLATES and registration.pk
                           and not details.get("event_online")),
    }
    attachments = [inline_attachment(*ics_file)] if ics and ics_file else []
    if context["checkin_qr"]:
        # A PNG attachment built when the mail is sent (events.checkin.qr_attachment), not an
        # inline data: image, which many mail clients block (docs/events.md).
        attachments.append(attachment("events.checkin_qr", event=event.pk, registration=registration.pk))
    queue_mail(template=template, to=[registration.email], context=context, language=language,
               attachments=attachments or None)
