"""Support's to-dos on the pact office's work list (``core.registry.office_tasks``, registered
in apps.py): new requests no institution holds yet (to assign), and requests whose first answer
is overdue. Each list is one query for its oldest ``limit``; the counts are the start block's
(selectors.workplace.waiting_counts: two indexed counts per request)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klimapakt.core.formatting import short_date
from klimapakt.core.registry import Task
from klimapakt.partners.office_tasks import PIPELINE

from .models import SupportRequest
from .selectors.workplace import SUPPORT, UNASSIGNED, overdue_q, unassigned_q, waiting_counts


def _rows(condition: Q, order, limit: int) -> list[SupportRequest]:
    return list(SupportRequest.objects.filter(condition).select_related("organisation", "institution")
                .only("pk", "received_at", "answer_due_on", "topics", "organisation__name", "institution__name")
                .order_by(*order)[:limit])


def _url(pk: int) -> str:
    return reverse("support_office:request", args=[pk])


def to_assign(request, limit: int) -> list[Task]:
    return [Task(title=r.organisation.name, url=_url(r.pk), since=r.received_at,
                 detail=_("Beratungsanfrage zu %(topics)s: einer Einrichtung zuordnen") % {
                     "topics": ", ".join(r.topic_labels)})
            for r in _rows(unassigned_q(), ("received_at", "pk"), limit)]


def overdue(request, limit: int) -> list[Task]:
    today = timezone.localdate()
    return [Task(title=r.organisation.name, url=_url(r.pk), since=r.answer_due_on,
                 detail=_("Erste Antwort war fällig am %(date)s (%(institution)s)") % {
                     "date": short_date(r.answer_due_on),
                     "institution": r.institution.name if r.institution else _("Geschäftsstelle")})
            for r in _rows(overdue_q(today), ("answer_due_on", "pk"), limit)]


def register(r) -> None:
    """Add both kinds to core's registry `r` (called from apps.py)."""
    inbox = lambda query: lambda: f"{reverse('support_office:inbox')}?{query}"  # noqa: E731
    r.office_tasks.add(r.OfficeTasks("support_unassigned", gettext_lazy("Beratungsanfragen zuordnen"), to_assign,
                                     count=lambda request: waiting_counts(request)["new"],
                                     more_url=inbox(f"einrichtung={UNASSIGNED}&status=new"), order=35,
                                     permission="support.assign_requests", sources=(SUPPORT, PIPELINE)))
    r.office_tasks.add(r.OfficeTasks("support_overdue", gettext_lazy("Unbeantwortete Beratungsanfragen"), overdue,
                                     count=lambda request: waiting_counts(request)["overdue"],
                                     more_url=inbox("ueberfaellig=1"), order=55, permission="support.assign_requests",
                                     sources=(SUPPORT, PIPELINE)))
