"""The reports' to-dos on the pact office's work list (``core.registry.office_tasks``,
registered in apps.py): submitted reports to review, and reports past their deadline. Each
list is one query for its oldest ``limit``; both counts are one query per request, with the
same conditions as the report inbox's tabs ("Eingereicht", "Überfällig")."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klimapakt.core import derived
from klimapakt.core.formatting import short_date
from klimapakt.core.registry import Task

from .models import Report
from .selectors import INBOX_FILTERS, INBOX_SOURCES, REPORTS

FIELDS = ("pk", "kind", "year", "status", "due_on", "submitted_at", "opens_on", "organisation__name")


def _count_all() -> dict[str, int]:
    today = timezone.localdate()
    opened = Q(opens_on__lte=today)
    return Report.objects.aggregate(submitted=Count("pk", filter=opened & INBOX_FILTERS["submitted"](today)),
                                    overdue=Count("pk", filter=opened & INBOX_FILTERS["overdue"](today)))


def _counts(request) -> dict[str, int]:
    """Both counts, kept until a report changes (core.derived), once per request."""
    counts = getattr(request, "_reports_office_tasks", None)
    if counts is None:
        counts = request._reports_office_tasks = derived.cached([REPORTS], "reports:office-tasks", _count_all)
    return counts


def _rows(status: str, order, limit: int) -> list[Report]:
    today = timezone.localdate()
    return list(Report.objects.filter(Q(opens_on__lte=today) & INBOX_FILTERS[status](today)).select_related("organisation")
                .only(*FIELDS).order_by(*order)[:limit])


def _title(report: Report, kinds: dict) -> str:
    return _("%(kind)s %(year)s") % {"kind": kinds[report.kind], "year": report.year}


def to_review(request, limit: int) -> list[Task]:
    kinds = {k: str(v) for k, v in Report.Kind.choices}
    url = reverse("reports_office:review", args=[0]).replace("/0/", "/%d/")
    return [Task(title=r.organisation.name, url=url % r.pk, since=r.submitted_at or r.due_on,
                 detail=_("%(report)s eingereicht: prüfen und annehmen oder zurückgeben") % {
                     "report": _title(r, kinds)})
            for r in _rows("submitted", (F("submitted_at").asc(nulls_first=True), "pk"), limit)]


def overdue(request, limit: int) -> list[Task]:
    kinds = {k: str(v) for k, v in Report.Kind.choices}
    url = reverse("reports_office:review", args=[0]).replace("/0/", "/%d/")
    return [Task(title=r.organisation.name, url=url % r.pk, since=r.due_on,
                 detail=_("%(report)s, fällig am %(date)s") % {"report": _title(r, kinds),
                                                                "date": short_date(r.due_on)})
            for r in _rows("overdue", ("due_on", "pk"), limit)]


def _inbox(status: str) -> str:
    return f"{reverse('reports_office:inbox')}?status={status}"


def register(r) -> None:
    """Add both kinds to core's registry `r` (called from apps.py)."""
    perm = "reports.review_reports"
    r.office_tasks.add(r.OfficeTasks("reports_review", gettext_lazy("Berichte prüfen"), to_review,
                                     count=lambda request: _counts(request)["submitted"],
                                     more_url=lambda: _inbox("submitted"), order=20, permission=perm,
                                     sources=INBOX_SOURCES))
    r.office_tasks.add(r.OfficeTasks("reports_overdue", gettext_lazy("Überfällige Berichte"), overdue,
                                     count=lambda request: _counts(request)["overdue"],
                                     more_url=lambda: _inbox("overdue"), order=50, permission=perm,
                                     sources=INBOX_SOURCES))
