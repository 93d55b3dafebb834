"""Reads of the events app, built for a constant number of queries."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Answer, Event, Question, Registration

PUBLIC_STATUSES = [Event.Status.PUBLISHED, Event.Status.CLOSED, Event.Status.CANCELLED]


def with_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        waitlist_length=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
    )


def seats_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - event.seats_taken, 0)


def upcoming_public_events(*, pact, limit: int | None = None):
    """Published (or closed) events that have not ended yet, soonest first (home page, list)."""
    qs = Event.objects.filter(
        pact=pact, status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED], ends_at__gte=timezone.now()
    ).order_by("starts_at", "pk")
    return qs[:limit] if limit else qs


def event_list_public(*, pact) -> tuple[list[Event], list[Event]]:
    """(upcoming, archive): upcoming incl. cancelled ones soonest first, archive newest first."""
    now = timezone.now()
    base = with_counts(Event.objects.filter(pact=pact, status__in=PUBLIC_STATUSES)).prefetch_related("organisers")
    upcoming = list(base.filter(ends_at__gte=now).order_by("starts_at", "pk"))
    archive = list(base.filter(ends_at__lt=now).exclude(status=Event.Status.CANCELLED).order_by("-starts_at", "-pk"))
    for event in upcoming + archive:
        event.seats_left = seats_left(event)
    return upcoming, archive


def event_public(*, pact, pk: int, include_drafts: bool = False) -> Event | None:
    statuses = PUBLIC_STATUSES + ([Event.Status.DRAFT] if include_drafts else [])
    event = (with_counts(Event.objects.filter(pact=pact, pk=pk, status__in=statuses))
             .prefetch_related("organisers", "agenda_items", "questions").first())
    if event is not None:
        event.seats_left = seats_left(event)
    return event


def events_for_feed(*, pact) -> list[Event]:
    since = timezone.now() - timezone.timedelta(days=180)
    return list(Event.objects.filter(pact=pact, status__in=PUBLIC_STATUSES, ends_at__gte=since)
                .order_by("starts_at", "pk"))


def events_api(*, pact) -> list[Event]:
    events = list(with_counts(Event.objects.filter(
        pact=pact, status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED], ends_at__gte=timezone.now()))
        .order_by("starts_at", "pk"))
    return events


def events_for_organiser(*, pact, user) -> QuerySet[Event]:
    qs = with_counts(Event.objects.filter(pact=pact)).prefetch_related("organisers")
    if not (user.is_pact_office or user.is_superuser):
        qs = qs.filter(organisers=user.advisor_for_id)
    return qs


def registration_by_token(token: str) -> Registration | None:
    return (Registration.objects.select_related("event")
            .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
            .filter(token=token, anonymised_at__isnull=True).first())


def registrations_for_event(*, event: Event, status: str = "", query: str = "") -> QuerySet[Registration]:
    qs = Registration.objects.filter(event=event)
    if status in Registration.Status.values:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query) |
                       Q(email__icontains=query) | Q(organisation__icontains=query))
    return qs.order_by("status", "waitlist_order", "last_name", "first_name", "pk")


def status_counts(event: Event) -> dict[str, int]:
    counts = dict(event.registrations.values_list("status").annotate(n=Count("pk")).order_by())
    return {value: counts.get(value, 0) for value in Registration.Status.values}


def with_answers(registrations, questions: list[Question]) -> list[Registration]:
    """Attach `answer_list` (one display string per question, in question order)."""
    registrations = list(registrations)
    by_registration: dict[int, dict[int, Answer]] = {}
    for answer in Answer.objects.filter(registration__in=[r.pk for r in registrations]):
        by_registration.setdefault(answer.registration_id, {})[answer.question_id] = answer
    qmap = {q.pk: q for q in questions}
    for r in registrations:
        answers = by_registration.get(r.pk, {})
        row = []
        for q in questions:
            a = answers.get(q.pk)
            if a is not None:
                a.question = qmap[q.pk]
            row.append(a.display() if a else "")
        r.answer_list = row
    return registrations


def evaluation(*, event: Event, query: str = "") -> list[dict]:
    """Per question: counts for choices / yes-no, numbers' summary, free-text answers."""
    questions = list(event.questions.all())
    answers = list(Answer.objects.filter(question__event=event, registration__status__in=[
        Registration.Status.CONFIRMED, Registration.Status.WAITLISTED, Registration.Status.CANCELLED])
        .only("question_id", "text", "number", "boolean", "choices", "registration_id").order_by("pk"))
    by_question: dict[int, list[Answer]] = {}
    for a in answers:
        by_question.setdefault(a.question_id, []).append(a)
    result = []
    for q in questions:
        items = by_question.get(q.pk, [])
        entry = {"question": q, "answered": len(items)}
        if q.is_choice:
            counter = Counter(i for a in items for i in a.choices)
            labels = q.choice_list()
            entry["rows"] = [{"label": label, "count": counter.get(i, 0)} for i, label in enumerate(labels)]
        elif q.kind == Question.Kind.YES_NO:
            from django.utils.translation import gettext as _

            entry["rows"] = [{"label": _("Ja"), "count": sum(1 for a in items if a.boolean is True)},
                             {"label": _("Nein"), "count": sum(1 for a in items if a.boolean is False)}]
        elif q.kind == Question.Kind.NUMBER:
            numbers = [a.number for a in items if a.number is not None]
            entry["numbers"] = {"count": len(numbers), "sum": sum(numbers) if numbers else None,
                                "min": min(numbers) if numbers else None, "max": max(numbers) if numbers else None,
                                "mean": (sum(numbers) / len(numbers)).quantize(numbers[0]) if numbers else None}
        else:
            texts = [a.text for a in items if a.text]
            if query:
                texts = [t for t in texts if query.casefold() in t.casefold()]
            entry["texts"] = texts
        if "rows" in entry:
            total = max(sum(r["count"] for r in entry["rows"]), 1)
            top = max([r["count"] for r in entry["rows"]] + [1])
            for i, r in enumerate(entry["rows"]):
                r["percent"] = round(100 * r["count"] / total)
                r["bar"] = round(300 * r["count"] / top)
                r["y"] = i * 26 + 4
            entry["chart_height"] = len(entry["rows"]) * 26 + 8
        result.append(entry)
    return result
