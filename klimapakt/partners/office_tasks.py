"""The partnership's to-dos on the pact office's work list (``core.registry.office_tasks``,
registered in apps.py): new interest to contact, orientation talks to schedule again or to
record as held, agreements to counter-sign, and organisations past their next deadline. Each
list is one query for its oldest ``limit``; the four counts are one query per request."""

from __future__ import annotations

from django.db.models import Case, Count, DateTimeField, F, OuterRef, Q, Subquery, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klimapakt.core import derived
from klimapakt.core.formatting import short_date, short_moment
from klimapakt.core.registry import Task

from .models import Agreement, Organisation, OrientationTalk

Stage, Answer = Organisation.Stage, OrientationTalk.Answer
PIPELINE = "partners:pipeline"  # core.derived: organisations, their talks and agreements
# A talk is due once its hour has passed, without any write: the counts and the talks' list are
# kept at most this long (seconds), not the whole DERIVED_CACHE_SECONDS.
TALKS_LIFETIME = 60


def _open_talk():
    """The open talk (as ``selectors.open_talk``) of the organisation in the outer query."""
    return OrientationTalk.objects.filter(organisation=OuterRef("pk"), held_on__isnull=True).order_by(
        "-scheduled_for", "-pk")


def _with_talk(qs):
    talk = _open_talk()
    return qs.annotate(talk_answer=Subquery(talk.values("answer")[:1]),
                       talk_at=Subquery(talk.values("scheduled_for")[:1]),
                       talk_answered_at=Subquery(talk.values("answered_at")[:1]))


def _talk_due(now) -> Q:
    """A planned talk the office has to act on: the organisation declined the date (propose a new
    one), there is no date (propose one), or the date has passed (record the talk as held)."""
    return Q(stage=Stage.TALK_PLANNED) & (Q(talk_answer=Answer.DECLINED) | Q(talk_at__isnull=True)
                                          | Q(talk_at__lt=now))


def _count_all() -> dict[str, int]:
    today, now = timezone.localdate(), timezone.now()
    # The open talk only matters for organisations with a planned talk: CASE keeps PostgreSQL
    # from running the two subqueries for every organisation (issue 18, xl bench).
    planned, talk = Q(stage=Stage.TALK_PLANNED), _open_talk()
    return Organisation.objects.annotate(
        talk_answer=Case(When(planned, then=Subquery(talk.values("answer")[:1]))),
        talk_at=Case(When(planned, then=Subquery(talk.values("scheduled_for")[:1]))),
    ).aggregate(
        interest=Count("pk", filter=Q(stage=Stage.INTEREST)),
        talks=Count("pk", filter=_talk_due(now)),
        agreements=Count("pk", filter=Q(stage=Stage.AGREEMENT_SUBMITTED)),
        overdue=Count("pk", filter=Q(next_deadline__lt=today)),
    )


def _counts(request) -> dict[str, int]:
    """The four counts, kept until the pipeline changes (core.derived; a talk whose hour passes
    counts at the latest after TALKS_LIFETIME), once per request."""
    counts = getattr(request, "_partners_office_tasks", None)
    if counts is None:
        counts = request._partners_office_tasks = derived.cached([PIPELINE], "partners:office-tasks", _count_all,
                                                                 timeout=TALKS_LIFETIME)
    return counts


def _url(pk: int) -> str:
    return reverse("backoffice:organisation", args=[pk])


def _pipeline(**query) -> str:
    from urllib.parse import urlencode

    return f"{reverse('backoffice:organisations')}?{urlencode(query)}"


# --- new interest: arrange the orientation talk ----------------------------------------------

def interest(request, limit: int) -> list[Task]:
    rows = (Organisation.objects.filter(stage=Stage.INTEREST).order_by("created_at", "pk")
            .only("pk", "name", "created_at")[:limit])
    detail = _("Interesse angemeldet: Orientierungsgespräch vereinbaren")
    return [Task(title=o.name, url=_url(o.pk), since=o.created_at, detail=detail) for o in rows]


# --- talks: propose a (new) date, or record the talk as held -----------------------------------

def talks(request, limit: int) -> list[Task]:
    now = timezone.now()
    since = Case(When(talk_answer=Answer.DECLINED, then=F("talk_answered_at")),
                 When(talk_at__isnull=True, then=F("stage_changed_at")),
                 default=F("talk_at"), output_field=DateTimeField())
    rows = (_with_talk(Organisation.objects.only("pk", "name", "stage", "stage_changed_at"))
            .filter(_talk_due(now)).annotate(since=since).order_by(F("since").asc(nulls_first=True), "pk")[:limit])
    tasks = []
    for o in rows:
        if o.talk_at is None:
            detail = _("Termin für das Orientierungsgespräch vorschlagen")
        elif o.talk_answer == Answer.DECLINED:
            detail = _("Termin am %(date)s abgelehnt: neuen Termin vorschlagen") % {"date": short_moment(o.talk_at)}
        else:
            detail = _("Gespräch am %(date)s: als geführt vermerken oder neuen Termin vorschlagen") % {
                "date": short_moment(o.talk_at)}
        tasks.append(Task(title=o.name, url=_url(o.pk), since=o.since or o.stage_changed_at, detail=detail))
    return tasks


# --- agreements to counter-sign ---------------------------------------------------------------

def agreements(request, limit: int) -> list[Task]:
    submitted = Agreement.objects.filter(organisation=OuterRef("pk"), status=Agreement.Status.SUBMITTED
                                         ).order_by("-submitted_at", "-pk")
    rows = (Organisation.objects.filter(stage=Stage.AGREEMENT_SUBMITTED).only("pk", "name", "stage_changed_at")
            .annotate(submitted_at=Subquery(submitted.values("submitted_at")[:1]))
            .order_by(F("submitted_at").asc(nulls_first=True), "stage_changed_at", "pk")[:limit])
    detail = _("Vereinbarung eingereicht: prüfen und gegenzeichnen")
    return [Task(title=o.name, url=_url(o.pk), since=o.submitted_at or o.stage_changed_at, detail=detail)
            for o in rows]


# --- organisations past their next deadline ---------------------------------------------------

def overdue(request, limit: int) -> list[Task]:
    rows = (Organisation.objects.filter(next_deadline__lt=timezone.localdate())
            .only("pk", "name", "next_deadline", "next_deadline_kind").order_by("next_deadline", "name", "pk")[:limit])
    kinds = {k: str(v) for k, v in Organisation.Deadline.choices}
    return [Task(title=o.name, url=_url(o.pk), since=o.next_deadline,
                 detail=_("%(what)s, fällig am %(date)s") % {"what": kinds.get(o.next_deadline_kind, ""),
                                                             "date": short_date(o.next_deadline)})
            for o in rows]


def register(r) -> None:
    """Add the four kinds to core's registry `r` (called from apps.py)."""
    perm = "partners.view_pipeline"
    for key, label, collect, count_key, more, order in [
        ("partners_agreements", gettext_lazy("Vereinbarungen gegenzeichnen"), agreements, "agreements",
         {"stage": Stage.AGREEMENT_SUBMITTED.value}, 10),
        ("partners_talks", gettext_lazy("Orientierungsgespräche planen oder bestätigen"), talks, "talks",
         {"stage": Stage.TALK_PLANNED.value}, 30),
        ("partners_interest", gettext_lazy("Neue Interessenten kontaktieren"), interest, "interest",
         {"stage": Stage.INTEREST.value}, 40),
        ("partners_overdue", gettext_lazy("Organisationen mit überschrittener Frist"), overdue, "overdue",
         {"overdue": "1", "sort": "deadline"}, 60),
    ]:
        r.office_tasks.add(r.OfficeTasks(
            key=key, label=label, collect=collect, count=lambda request, k=count_key: _counts(request)[k],
            more_url=lambda q=more: _pipeline(**q), order=order, permission=perm, sources=(PIPELINE,),
            lifetime=TALKS_LIFETIME if key == "partners_talks" else None))
