"""iCalendar (RFC 5545) for one event or a feed of events; plain text, no dependency."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone


def _escape(text: str) -> str:
    return (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace(
        "\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 sequence."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


# SEQUENCE numbers the revisions of an event (RFC 5545, 3.8.7.4): a calendar that holds the
# event (same UID) takes a file's changes, a new time or STATUS:CANCELLED, only from a higher
# sequence. It is the seconds from this moment to the event's last change by the organiser
# (Event.updated_at), so every change and the cancellation count up without a counter to keep,
# and it stays below 2**31 until the 2090s (some clients read it as a 32-bit integer).
SEQUENCE_EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def sequence(event) -> int:
    changed = getattr(event, "updated_at", None)
    return max(int((changed - SEQUENCE_EPOCH).total_seconds()), 0) if changed else 0


def event_url(event) -> str:
    """The absolute address of an event's page in calendar files: from settings.SITE_URL, as
    in the mails, never from the host a request came in on."""
    from django.urls import reverse

    return settings.SITE_URL + reverse("events:detail", args=[event.pk])


def _vevent(event, url: str) -> list[str]:
    description = "\n\n".join(part for part in (event.description, url) if part)
    location = ", ".join(p for p in (event.venue_name, event.venue_address) if p)
    status = "CANCELLED" if event.status == event.Status.CANCELLED else "CONFIRMED"
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "klimapakt"
    return [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"SEQUENCE:{sequence(event)}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{_escape(event.title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"LOCATION:{_escape(location)}",
        f"URL:{url}",
        f"STATUS:{status}",
        "END:VEVENT",
    ]


def calendar(events, *, name: str, url_for=event_url) -> str:
    """`url_for(event)` returns the absolute URL of an event's page."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Klimapakt//Veranstaltungen//DE", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}"]
    for event in events:
        lines += _vevent(event, url_for(event))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def file_name(event) -> str:
    """The calendar file of one event, named in the active language ("veranstaltung-3.ics",
    "event-3.ics")."""
    from django.utils.text import slugify
    from django.utils.translation import gettext

    return f"{slugify(gettext('Veranstaltung'))}-{event.pk}.ics"
