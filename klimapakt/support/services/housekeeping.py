"""Daily work: remind about requests without a first answer, delete closed requests after the
retention period. Both are bounded per run and safe to run twice (the reminders are marked,
deleted rows are gone)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from klimapakt.core.audit import log_action
from klimapakt.core.models import Pact
from klimapakt.core.notifications import mail_path, notify, office_recipients

from ..models import Attachment, SupportRequest
from ._base import MAIL, advisor_recipients, answer_due_on, settings_for

BATCH = 2000


def _line(support_request: SupportRequest) -> dict:
    return {"number": support_request.pk, "organisation": support_request.organisation.name,
            "institution": support_request.institution.name if support_request.institution else "",
            "due": support_request.answer_due_on,
            "path": mail_path("support_office:request", support_request.pk)}


@transaction.atomic
def remind_unanswered(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Remind the advisors of each institution (one mail listing its requests) once the first
    answer is overdue, and the office once twice the target has passed. Returns (advisor
    reminders, office reminders) as counts of requests."""
    today = today or timezone.localdate()
    pact = Pact.objects.current()
    settings = settings_for(pact)
    waiting = (SupportRequest.objects.select_for_update(of=("self",)).open()
               .filter(first_answer_at__isnull=True, answer_due_on__lt=today)
               .select_related("organisation", "institution").order_by("answer_due_on", "pk"))
    now = timezone.now()
    by_institution = defaultdict(list)
    for support_request in waiting.filter(advisor_reminded_at__isnull=True)[:BATCH]:
        by_institution[support_request.institution].append(support_request)
    for institution, items in by_institution.items():
        notify(MAIL + "reminder_advisor", advisor_recipients(institution),
               {"institution": institution.name if institution else "", "requests": [_line(r) for r in items],
                "inbox_path": mail_path("support_office:inbox")})
    advisor_ids = [r.pk for items in by_institution.values() for r in items]
    SupportRequest.objects.filter(pk__in=advisor_ids).update(advisor_reminded_at=now)
    late = [r for r in waiting.filter(office_reminded_at__isnull=True)[:BATCH]
            if answer_due_on(r.answer_due_on, settings) < today]   # twice the target has passed
    if late and office_recipients(pact):   # without an office address nothing is sent, nothing marked
        notify(MAIL + "reminder_office", office_recipients(pact),
               {"requests": [_line(r) for r in late], "days": settings.answer_days,
                "inbox_path": mail_path("support_office:inbox")})
        SupportRequest.objects.filter(pk__in=[r.pk for r in late]).update(office_reminded_at=now)
    else:
        late = []
    if advisor_ids or late:
        log_action("support.reminders.sent", data={"advisors": len(advisor_ids), "office": len(late)})
    return len(advisor_ids), len(late)


def expired_requests(*, now: datetime.datetime | None = None):
    now = now or timezone.now()
    years = settings_for(Pact.objects.current()).retention_years
    before = now - datetime.timedelta(days=365 * years + years // 4)
    return SupportRequest.objects.filter(status__in=SupportRequest.CLOSED, closed_at__lt=before)


def delete_files(attachments) -> None:
    """Delete the stored files after the rows' transaction committed (a rollback keeps both).
    Each file on its own (robust): a file the storage cannot delete is logged and neither
    keeps the others nor stops the job."""
    for storage, name in [(a.file.storage, a.file.name) for a in attachments if a.file]:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name), robust=True)


def delete_expired_requests(*, now: datetime.datetime | None = None, actor=None) -> int:
    """Delete closed requests (with their messages, notes and files) older than the pact's
    retention period, at most BATCH per run. Returns the count."""
    ids = list(expired_requests(now=now).order_by("closed_at", "pk").values_list("pk", flat=True)[:BATCH])
    for start in range(0, len(ids), 200):
        chunk = ids[start:start + 200]
        with transaction.atomic():
            delete_files(list(Attachment.objects.filter(request_id__in=chunk)))
            SupportRequest.objects.filter(pk__in=chunk).delete()
    if ids:
        log_action("support.requests.deleted", actor=actor, data={"count": len(ids)})
    return len(ids)
