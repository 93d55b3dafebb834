"""Mails to registrants: one row in core.mail's outbox, written in the caller's transaction,
so a mail exists exactly when the change it tells about committed."""

from __future__ import annotations

import functools

from django.urls import reverse
from django.utils import translation

from klimapakt.core.mail import inline_attachment, queue_mail

from .. import formatting, ical, selectors
from ..models import Event, Registration


def event_context(event: Event, language: str) -> dict:
    with translation.override(language):
        return {
            "event_title": event.title,
            "event_when": formatting.when(event.starts_at, event.ends_at),
            "event_venue": ", ".join(p for p in (event.venue_name, event.venue_address) if p),
            "event_path": reverse("events:detail", args=[event.pk]),
        }


def ics_attachment(event: Event, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        text = ical.calendar([event], name=event.title)
        return (ical.file_name(event), text, "text/calendar")


def mail_parts(event: Event):
    """For mails to many registrants of one event: (event context, .ics attachment) by
    language, each built once (call it with the registration's language)."""
    return functools.cache(lambda language: (event_context(event, language), ics_attachment(event, language)))


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
    details, attachment = prepared or (event_context(event, language),
                                       ics_attachment(event, language) if ics else None)
    context = {
        "first_name": registration.first_name, "last_name": registration.last_name,
        "status": registration.status, "personal_path": selectors.personal_path(registration),
        **details, **(extra or {}),
    }
    queue_mail(template=template, to=[registration.email], context=context, language=language,
               attachments=[inline_attachment(*attachment)] if ics and attachment else None)
