"""Telling people about a change: one module for every app.

    notify("reports/email/report_accepted", organisation_recipients(org), {"organisation": ...})

writes one outbox mail per language of the recipients (``core.mail.queue_mail``) in the
caller's transaction. Recipients are (address, language) pairs: the pact office's from
``office_recipients``, an organisation's from ``partners.selectors.organisation_recipients``
(the one recipients selector of the domain). A context may be a callable ``context(language)``
when part of it depends on the language (a link); dates and times in it are written for each
recipient's language by ``core.formatting`` (pass the date, not a text)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils import translation

from .formatting import for_reader
from .mail import queue_mail
from .models import OutboxMail, Pact

Recipient = tuple[str, str]
LANGUAGES = ("de", "en")


def office_recipients(pact: Pact | None = None) -> list[Recipient]:
    """The pact office's address (its mails are German)."""
    pact = pact or Pact.objects.current()
    return [(pact.contact_email, "de")] if pact is not None and pact.contact_email else []


def by_language(recipients: Iterable[Recipient]) -> dict[str, list[str]]:
    """Addresses grouped by language (unknown languages read German), each address once."""
    groups: dict[str, list[str]] = {}
    seen = set()
    for address, language in recipients:
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        groups.setdefault(language if language in LANGUAGES else "de", []).append(address)
    return groups


def notify(template: str, recipients: Iterable[Recipient], context: dict | Callable[[str], dict], *,
           attachments: list[dict] | None = None) -> list[OutboxMail]:
    """Queue `template` (e.g. "partners/email/talk_planned") to `recipients`: one mail per
    language, written in the caller's transaction."""
    mails = []
    for language, addresses in by_language(recipients).items():
        with translation.override(language):  # dates in the context read as the recipient reads them
            data = for_reader(context(language) if callable(context) else context)
        mail = queue_mail(template=template, to=addresses, context=data, language=language, attachments=attachments)
        if mail is not None:
            mails.append(mail)
    return mails


def mail_path(name: str, *args, language: str = "de") -> str:
    """A page's path for a link in a mail (the site's address is added by the layout)."""
    with translation.override(language):
        return reverse(name, args=args)
