"""Retention (DSGVO): personal data of registrations does not outlive its purpose."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from klimapakt.core.audit import log_action

from ..models import Registration


def anonymise_registrations(*, before: datetime.datetime, actor=None) -> int:
    """Blank the personal data of registrations for events that ended before `before`.
    Answers and statuses stay (the evaluation survives without names). Returns the count."""
    ids = list(Registration.objects.filter(event__ends_at__lt=before, anonymised_at__isnull=True)
               .values_list("pk", flat=True))
    now = timezone.now()
    done = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        with transaction.atomic():
            items = list(Registration.objects.filter(pk__in=chunk))
            for r in items:
                r.first_name = r.last_name = r.email = r.phone = r.organisation = ""
                r.user = None
                r.token = "x" + secrets.token_urlsafe(24)
                r.anonymised_at = now
            Registration.objects.bulk_update(
                items, ["first_name", "last_name", "email", "phone", "organisation", "user", "token",
                        "anonymised_at"])
            done += len(items)
    if done:
        log_action("events.registrations.anonymised", actor=actor, data={"count": done, "before": before})
    return done
