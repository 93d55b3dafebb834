"""Reads of the shared kernel, built for constant query counts."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .models import AuditEntry, Document, OutboxMail, Pact, Page, ScheduledRun, WorkerHeartbeat
from .scheduler import job_label, schedule

PACT_CACHE_KEY = "klimapakt:pact:v2"


def current_pact() -> Pact | None:
    """The pact of this installation with its initial partners, cached (cleared on change)."""
    pact = cache.get(PACT_CACHE_KEY)
    if pact is None:
        pact = Pact.objects.order_by("pk").first()
        if pact is None:
            return None
        pact.partner_list = list(pact.initial_partners.all())
        pact.footer_pages = footer_pages(pact=pact)
        cache.set(PACT_CACHE_KEY, pact, 300)
    return pact


def current_pact_or_404() -> Pact:
    """The pact, or a 404 where an installation has none configured yet."""
    from django.http import Http404

    pact = current_pact()
    if pact is None:
        raise Http404("No pact configured")
    return pact


def clear_pact_cache() -> None:
    cache.delete(PACT_CACHE_KEY)


def page_get(*, pact: Pact, slug: str) -> Page | None:
    return Page.objects.filter(pact=pact, slug=slug).first()


def custom_page_get(*, pact: Pact, slug: str) -> Page | None:
    """A page the office added; the fixed pages have their own addresses."""
    if slug in Page.Slug.values:
        return None
    return Page.objects.filter(pact=pact, slug=slug).first()


def footer_pages(*, pact: Pact) -> list[dict]:
    """The office's pages linked in the footer (read with the cached pact, so no query per page
    view): slug and both titles, in the office's order."""
    from .pages import MAX_CUSTOM_PAGES, SLUG_RE

    rows = (Page.objects.filter(pact=pact, in_footer=True).exclude(slug__in=Page.Slug.values)
            .order_by("position", "title_de").values("slug", "title_de", "title_en")[:MAX_CUSTOM_PAGES])
    # A row written around the services (a city's JSON file for load_default_pact) with a slug that
    # is no address must not break every page's footer.
    return [dict(row) for row in rows if SLUG_RE.match(row["slug"])]


def custom_pages(*, pact: Pact) -> QuerySet[Page]:
    return Page.objects.filter(pact=pact).exclude(slug__in=Page.Slug.values).order_by("position", "title_de")


def fixed_pages(*, pact: Pact) -> list[Page]:
    """The five pages of the platform, in the order of Page.Slug (home first)."""
    order = Page.Slug.values
    return sorted(Page.objects.filter(pact=pact, slug__in=order), key=lambda page: order.index(page.slug))


def documents_public(*, pact: Pact) -> QuerySet[Document]:
    return Document.objects.filter(pact=pact, is_public=True)


def audit_entries_for(obj: Model, *, limit: int = 200) -> QuerySet[AuditEntry]:
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")[:limit]


def audit_entries_recent(*, limit: int = 20) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor", "content_type")[:limit]


def scheduled_jobs(*, days: int = 7) -> list[dict]:
    """The scheduler's jobs with their time of day and latest run of the last `days` days."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    latest: dict[str, ScheduledRun] = {}
    for run in ScheduledRun.objects.filter(day__gte=since).only("job", "started_at", "succeeded", "finished_at"):
        latest.setdefault(run.job, run)  # newest first (Meta.ordering)
    return [{"job": job, "label": job_label(job), "at": at, "last": latest.get(job)}
            for job, at in schedule()]


# --------------------------------------------------------------------------- background work


def outbox_problems(*, now: datetime.datetime | None = None) -> QuerySet:
    """Mails the office should see: failed, stuck in sending, or waiting for a retry."""
    from .mail import SENDING_LEASE

    now = now or timezone.now()
    return (OutboxMail.objects.filter(
        Q(status=OutboxMail.Status.FAILED)
        | Q(status=OutboxMail.Status.SENDING, next_attempt_at__lte=now - SENDING_LEASE)
        | Q(status=OutboxMail.Status.QUEUED, attempts__gt=0))
        .only("to", "subject", "template", "status", "attempts", "last_error", "next_attempt_at", "created_at")
        .order_by("-created_at", "-pk"))


def task_problems(*, now: datetime.datetime | None = None) -> QuerySet:
    """Tasks of the database queue the office should see: failed ones, running ones older than
    a worker's timeout (hanging or orphaned), waiting ones older than the queue's limit."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    from .workers import QUEUE_AGE_LIMIT, WORKER_TIMEOUT

    now = now or timezone.now()
    late = now - QUEUE_AGE_LIMIT
    return (DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.FAILED)
        | Q(status=TaskResultStatus.RUNNING, started_at__lte=now - WORKER_TIMEOUT)
        | Q(status=TaskResultStatus.READY, run_after=get_date_max(), enqueued_at__lte=late)
        | Q(status=TaskResultStatus.READY, run_after__lte=late))
        .defer("args_kwargs", "return_value").order_by("-enqueued_at"))


def worker_heartbeats(*, limit: int = 20) -> list[WorkerHeartbeat]:
    return list(WorkerHeartbeat.objects.all()[:limit])
