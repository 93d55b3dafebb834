"""What the support services share: recipients, mails, the service-level clock."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.functional import Promise

from klimapakt.core.models import InitialPartner, Pact, User
from klimapakt.core.notifications import mail_path, notify, office_recipients
from klimapakt.partners.selectors import organisation_recipients

from ..models import SupportRequest, SupportSettings
from ..service_level import add_working_days

MAIL = "support/email/"


def settings_for(pact: Pact) -> SupportSettings:
    """The pact's support settings (defaults until the office saves them)."""
    found = SupportSettings.objects.filter(pact=pact).first()
    return found or SupportSettings(pact=pact)


def advisor_recipients(institution: InitialPartner | None) -> list[tuple[str, str]]:
    """The active advisors of `institution` as (address, language); the office stands in
    for an institution without advisors on the platform (and for no institution)."""
    if institution is None:
        return office_recipients()
    people = User.objects.filter(advisor_for=institution, is_active=True).order_by("pk")[:50]
    found = [(u.email, u.language or "de") for u in people]
    return found or office_recipients()


def firm_recipients(support_request: SupportRequest) -> list[tuple[str, str]]:
    """The organisation's admins and contact, and the member who asked."""
    found = organisation_recipients(support_request.organisation)
    asker = support_request.created_by
    if asker is not None and asker.is_active and asker.email.lower() not in {a for a, _ in found}:
        found.append((asker.email, asker.language or "de"))
    return found


def request_context(support_request: SupportRequest, *, language: str = "de", **extra) -> dict:
    """A request's mail context in `language` (topics, labels passed lazily, the links)."""
    institution = support_request.institution
    return {
        "organisation": support_request.organisation.name,
        "institution": institution.name if institution else "",
        "number": support_request.pk,
        "topics": ", ".join(support_request.topic_labels),
        "firm_path": mail_path("support:request", support_request.organisation_id, support_request.pk,
                               language=language),
        "office_path": mail_path("support_office:request", support_request.pk, language=language),
        **{key: str(value) if isinstance(value, Promise) else value for key, value in extra.items()},
    }


def tell(template: str, recipients, support_request: SupportRequest, **extra) -> None:
    """Queue `template` to `recipients`, each language's mail with its own words (notify calls
    the context once per language, with that language active)."""
    notify(MAIL + template, recipients, lambda language: request_context(support_request, language=language, **extra))


def answer_due_on(received_on: datetime.date, settings: SupportSettings) -> datetime.date:
    """The first answer's due date for a request received on `received_on`: the target's
    working days later (service_level.add_working_days)."""
    return add_working_days(received_on, settings.answer_days, settings.holiday_region)


def start_clock(support_request: SupportRequest, *, now: datetime.datetime | None = None) -> None:
    """The receiving institution's clock: received now, first answer due after the target's
    working days, no answer yet, no reminder sent."""
    now = now or timezone.now()
    support_request.received_at = now
    support_request.answer_due_on = answer_due_on(timezone.localdate(now), settings_for(Pact.objects.current()))
    support_request.first_answer_at = None
    support_request.advisor_reminded_at = None
    support_request.office_reminded_at = None


def answered(support_request: SupportRequest, *, now: datetime.datetime | None = None) -> None:
    if support_request.first_answer_at is None:
        support_request.first_answer_at = now or timezone.now()
