"""Reads of the events app, built for a constant number of queries."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Answer, Event, Question, Registration

CENT = Decimal("0.01")
# The evaluation's bar chart (events/backoffice/_chart.html): one row per option, the label on its
# own line above the bar, in pixels, so the labels keep their size on a phone.
CHART_ROW_HEIGHT = 52
CHART_BAR_PERCENT = 88
PUBLIC_STATUSES = [Event.Status.PUBLISHED, Event.Status.CLOSED, Event.Status.CANCELLED]


def upcoming_public_events(*, pact, limit: int | None = None):
    """Published (or closed) events that have not ended yet, soonest first (home page, list)."""
    qs = Event.objects.filter(
        pact=pact, status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED], ends_at__gte=timezone.now()
    ).order_by("starts_at", "pk")
    return qs[:limit] if limit else qs


LIST_FIELDS = ("pk", "pact_id", "kind", "title_de", "title_en", "starts_at", "ends_at", "venue_name", "capacity",
               "status", "seats_taken", "waitlist_length", "registration_deadline", "format", "image", "image_alt")


def events_upcoming_public(*, pact) -> QuerySet[Event]:
    """Upcoming public events (cancelled ones too, marked), soonest first."""
    return (Event.objects.filter(pact=pact, status__in=PUBLIC_STATUSES, ends_at__gte=timezone.now())
            .only(*LIST_FIELDS).order_by("starts_at", "pk"))


def events_archive_public(*, pact) -> QuerySet[Event]:
    """Past events that took place, newest first."""
    return (Event.objects.filter(pact=pact, status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED],
                                 ends_at__lt=timezone.now())
            .only(*LIST_FIELDS).order_by("-starts_at", "-pk"))


def event_public(*, pact, pk: int, include_drafts: bool = False) -> Event | None:
    statuses = PUBLIC_STATUSES + ([Event.Status.DRAFT] if include_drafts else [])
    return (Event.objects.filter(pact=pact, pk=pk, status__in=statuses)
            .prefetch_related("organisers", "agenda_items").first())


def events_for_feed(*, pact) -> list[Event]:
    since = timezone.now() - timezone.timedelta(days=180)
    return list(Event.objects.filter(pact=pact, status__in=PUBLIC_STATUSES, ends_at__gte=since)
                .order_by("starts_at", "pk"))


def events_api(*, pact, limit: int, offset: int = 0) -> list[Event]:
    """One page of the API's upcoming events (bounded: the list grows with the pact)."""
    return list(Event.objects.filter(
        pact=pact, status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED], ends_at__gte=timezone.now())
        .only(*LIST_FIELDS, "venue_address").order_by("starts_at", "pk")[offset:offset + limit])


def event_api(*, pact, pk: int) -> Event | None:
    """A public event (as its public page shows it to anyone: published, closed or cancelled,
    upcoming or past; never a draft) with organisers, agenda and questions (four queries)."""
    return (Event.objects.filter(pact=pact, pk=pk, status__in=PUBLIC_STATUSES)
            .prefetch_related("organisers", "agenda_items", "questions").first())


def events_for_organiser(*, pact, user) -> QuerySet[Event]:
    qs = Event.objects.filter(pact=pact).only(*LIST_FIELDS)
    if not (user.is_pact_office or user.is_superuser):
        qs = qs.filter(organisers=user.advisor_for_id)
    return qs


def events_due_for_reminder(*, now, days: int) -> QuerySet[Event]:
    """Events that take place (published or with registration closed), have not begun and begin
    within `days` local calendar days of `now`: tomorrow and the day after for days=2."""
    last_day = timezone.localdate(now) + datetime.timedelta(days=days)
    end = timezone.make_aware(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min))
    return (Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED],
                                 starts_at__gt=now, starts_at__lt=end)
            .order_by("starts_at", "pk"))


def may_register(*, event: Event, user) -> bool:
    """Partners-only events: members of an active Klimapartner, the pact office and advisors."""
    if event.audience == Event.Audience.OPEN:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_pact_office or user.advisor_for_id:
        return True
    from klimapakt.partners.models import Organisation

    return user.memberships.filter(organisation__stage=Organisation.Stage.ACTIVE).exists()


def notifies_time_or_place_changes(event: Event) -> bool:
    """Whether a new time or place of the event is mailed to everyone registered: published (or
    registration closed) and not ended. The edit form warns with the same rule."""
    return event.status in (Event.Status.PUBLISHED, Event.Status.CLOSED) and not event.is_past


def mail_recipients(event: Event) -> tuple[int, int]:
    """(registered, confirmed) people of the event with an e-mail address: who hears of a new
    time or place, and who of a new meeting link (services.events). One query."""
    counts = event.registrations.exclude(email="").aggregate(
        active=Count("pk", filter=Q(status__in=Registration.ACTIVE)),
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)))
    return counts["active"], counts["confirmed"]


def personal_path(registration: Registration) -> str:
    """The personal link of a registration (in its language), for mails and the data export."""
    with translation.override(registration.language):
        return reverse("events:registration", args=[registration.token])


def waitlist_position(registration: Registration) -> int | None:
    """1, 2, ...: those waiting with a lower order, plus one; None when not waitlisted."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED,
        waitlist_order__lt=registration.waitlist_order).count() + 1


# Seats and waitlist from the registrations themselves (exact, whatever changed them): one
# small group per status, read from the index (event, status, waitlist_order), so the time
# under the lock does not grow with the size of the event.
_SEAT_COUNT_SQL = (
    "SELECT status, COUNT(*), MAX(waitlist_order) FROM events_registration "
    "WHERE event_id = %s AND status IN ('confirmed', 'waitlisted') GROUP BY status"
)


def seat_counts(event_id: int) -> dict[str, tuple[int, int | None]]:
    """{status: (count, highest waitlist order)} of the confirmed and waitlisted registrations.
    Registration services read it inside the event lock (services.locking), so the count is the
    one the insert is based on."""
    with connection.cursor() as cursor:
        cursor.execute(_SEAT_COUNT_SQL, [event_id])
        return {status: (n, last_order) for status, n, last_order in cursor.fetchall()}


def registration_by_token(token: str) -> Registration | None:
    return (Registration.objects.select_related("event")
            .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
            .filter(token=token, anonymised_at__isnull=True).first())


def registration_of_user(*, event: Event, user) -> Registration | None:
    """The logged-in person's active registration for the event (the event page links to it):
    made while logged in, or with one of the account's verified addresses. One query."""
    from allauth.account.models import EmailAddress
    from django.db.models.functions import Lower

    if not getattr(user, "is_authenticated", False):
        return None
    verified = EmailAddress.objects.filter(user=user, verified=True).annotate(
        address=Lower("email")).values("address")
    return (Registration.objects.filter(Q(user=user) | Q(email__in=verified), event=event,
                                        status__in=Registration.ACTIVE, anonymised_at__isnull=True)
            .only("pk", "event_id", "status", "token").order_by("-created_at", "-pk").first())


def registrations_for_event(*, event: Event, status: str = "", query: str = "") -> QuerySet[Registration]:
    qs = Registration.objects.filter(event=event)
    if status in Registration.Status.values:
        qs = qs.filter(status=status)
    # "John Smith", "Smith John", "smith, john": every word must match one of the fields.
    for word in re.split(r"[\s,;]+", query):
        if word:
            qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) |
                           Q(email__icontains=word) | Q(organisation__icontains=word))
    # Who comes, then who waits (in the order they move up), then cancelled and declined.
    rank = Case(When(status=Registration.Status.CONFIRMED, then=Value(0)),
                When(status=Registration.Status.WAITLISTED, then=Value(1)), default=Value(2),
                output_field=IntegerField())
    return qs.order_by(rank, "waitlist_order", "last_name", "first_name", "pk")


def with_waitlist_positions(registrations) -> list[Registration]:
    """Attach `waitlist_position` (1, 2, ... over the event's whole waitlist, also when the list
    shown is filtered) to the waitlisted ones; one query for a page of any length."""
    registrations = list(registrations)
    waiting = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    for r in registrations:
        r.waitlist_position = None
    if waiting:
        # As waitlist_position counts: those waiting with a lower order, plus one.
        ahead = (Registration.objects.filter(event_id=OuterRef("event_id"), status=Registration.Status.WAITLISTED,
                                             waitlist_order__lt=OuterRef("waitlist_order"))
                 .order_by().values("event_id").annotate(n=Count("pk")).values("n"))
        positions = dict(Registration.objects.filter(pk__in=[r.pk for r in waiting])
                         .annotate(position=Coalesce(Subquery(ahead), 0) + 1).values_list("pk", "position"))
        for r in waiting:
            r.waitlist_position = positions.get(r.pk)
    return registrations


def free_seats_while_waiting(event: Event, counts: dict[str, int]) -> dict | None:
    """Seats are free while people wait (after the organiser moved someone to the waitlist, or
    with an unlimited event): nobody jumps the queue, so the organiser has to decide. The
    free seats (None: unlimited), the number waiting and the first in the queue; None when
    there is nothing to decide."""
    waiting = counts.get(Registration.Status.WAITLISTED, 0)
    free = None if event.capacity is None else event.capacity - counts.get(Registration.Status.CONFIRMED, 0)
    if not waiting or (free is not None and free <= 0):
        return None
    first = (Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
             .order_by("waitlist_order", "pk").first())
    return {"free": free, "waiting": waiting, "first": first}


def message_recipient_count(event: Event, status: str) -> int:
    """How many people a message to all confirmed / all waitlisted reaches (anonymised
    registrations have no address left), as services.event_message_send sends it."""
    return event.registrations.filter(status=status, anonymised_at__isnull=True).count()


def cancellation_recipient_count(event: Event) -> int:
    """How many people the cancellation of the event is mailed to (services.event_set_status):
    everyone confirmed or waitlisted who has an address."""
    return event.registrations.filter(status__in=Registration.ACTIVE).exclude(email="").count()


def check_in_counts(event: Event) -> dict[str, int]:
    """Confirmed people of the event and how many of them are marked present (whatever the
    check-in page is searching for)."""
    return Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).aggregate(
        total=Count("pk"), present=Count("pk", filter=Q(attended=True)))


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
    """Per question: counts for choices / yes-no, numbers' summary, free-text answers.

    Counted in the database (one grouped query per kind of answer), so a large event does not
    load and decode thousands of answer rows: choices are grouped by their stored combination,
    which is decoded once per distinct combination. Only free texts are read one by one."""
    questions = list(event.questions.all())
    answers = Answer.objects.filter(question__event=event, registration__status__in=[
        Registration.Status.CONFIRMED, Registration.Status.WAITLISTED, Registration.Status.CANCELLED]).order_by()
    # One grouped query gives both the answers per question and the ticked combinations (the
    # other kinds have neither choices nor a yes/no, so they group into one row per question).
    answered: Counter = Counter()
    combinations: dict[int, Counter] = {}
    for qid, choices, boolean, n in answers.values_list("question_id", "choices", "boolean").annotate(n=Count("pk")):
        answered[qid] += n
        counter = combinations.setdefault(qid, Counter())
        for key in (choices or []) if boolean is None else [boolean]:
            counter[key] += n
    numbers = {row.pop("question_id"): row for row in (
        answers.filter(question__kind=Question.Kind.NUMBER).values("question_id")
        .annotate(count=Count("number"), sum=Sum("number"), min=Min("number"), max=Max("number")))}
    texts: dict[int, list[str]] = {}
    for qid, text in (answers.filter(question__kind__in=Question.TEXT_KINDS).exclude(text="")
                      .values_list("question_id", "text").order_by("pk")):
        if not query or query.casefold() in text.casefold():
            texts.setdefault(qid, []).append(text)
    result = []
    for q in questions:
        entry = {"question": q, "answered": answered.get(q.pk, 0)}
        counter = combinations.get(q.pk, Counter())
        if q.is_choice:
            entry["rows"] = [{"label": label, "count": counter[i]} for i, label in enumerate(q.choice_list())]
        elif q.kind == Question.Kind.YES_NO:
            entry["rows"] = [{"label": _("Ja"), "count": counter[True]}, {"label": _("Nein"), "count": counter[False]}]
        elif q.kind == Question.Kind.NUMBER:
            summary = numbers.get(q.pk) or {"count": 0, "sum": None, "min": None, "max": None}
            count, total = summary["count"], summary["sum"]
            entry["numbers"] = {**summary, "mean": (total / count).quantize(CENT) if count else None}
        else:
            entry["texts"] = texts.get(q.pk, [])
        if "rows" in entry:
            # Multiple choice: the share of the people who answered the question and ticked the
            # option (one person may tick several, so the shares may add up to more than 100 %).
            # Single choice and yes/no: the share of the answers.
            entry["share_of_respondents"] = q.kind == Question.Kind.MULTIPLE_CHOICE
            counted = sum(r["count"] for r in entry["rows"])
            total = max(entry["answered"] if entry["share_of_respondents"] else counted, 1)
            top = max([r["count"] for r in entry["rows"]] + [1])
            for i, r in enumerate(entry["rows"]):
                r["percent"] = round(100 * r["count"] / total)
                r["bar"] = round(CHART_BAR_PERCENT * r["count"] / top, 1)  # of the chart's width
                r["y"] = i * CHART_ROW_HEIGHT
            entry["chart_height"] = len(entry["rows"]) * CHART_ROW_HEIGHT + 4
        result.append(entry)
    return result


def registrations_export(event: Event) -> tuple[list, list[list]]:
    """The registrations export (CSV and XLSX): (header, rows), every registration with its
    waitlist place and answers, in the order confirmed, waitlisted, cancelled, declined."""
    questions = list(event.questions.all())
    registrations = with_answers(
        Registration.objects.filter(event=event).order_by("status", "waitlist_order", "created_at", "pk"), questions)
    header = [_("Nr."), _("Status"), _("Wartelistenplatz"), _("Vorname"), _("Nachname"), _("E-Mail-Adresse"),
              _("Organisation"), _("Telefon"), _("Sprache"), _("Angemeldet am"), _("Einwilligung (Fassung)"),
              _("Einwilligung am"), _("Anwesend")] + [q.label for q in questions]
    rows = []
    position = 0
    for r in registrations:
        if r.status == Registration.Status.WAITLISTED:
            position += 1
        rows.append([r.pk, r.get_status_display(), position if r.status == Registration.Status.WAITLISTED else "",
                     r.first_name, r.last_name, r.email, r.organisation, r.phone, r.language,
                     timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"), r.consent_version,
                     timezone.localtime(r.consent_at).strftime("%Y-%m-%d %H:%M") if r.consent_at else "",
                     _("ja") if r.attended else _("nein")] + r.answer_list)
    return header, rows


def evaluation_table(*, event: Event, query: str = "") -> tuple[list, list[list]]:
    """The evaluation as a table (its CSV export): (header, rows) of question, kind, answer and
    count; numbers as count, sum, mean, minimum and maximum; free texts one per row."""
    header = [_("Frage"), _("Art"), _("Antwort"), _("Anzahl")]
    rows = []
    for entry in evaluation(event=event, query=query):
        q = entry["question"]
        for row in entry.get("rows", []):
            rows.append([q.label, q.get_kind_display(), row["label"], row["count"]])
        if "numbers" in entry:
            for key, label in (("count", _("Anzahl")), ("sum", _("Summe")), ("mean", _("Mittelwert")),
                               ("min", _("Minimum")), ("max", _("Maximum"))):
                rows.append([q.label, q.get_kind_display(), label, entry["numbers"][key]])
        for text in entry.get("texts", []):
            rows.append([q.label, q.get_kind_display(), text, ""])
    return header, rows


def registrations_of_person(user) -> QuerySet[Registration]:
    """A person's registrations (DSGVO export): made while logged in, or with one of the
    account's verified addresses (most people register without logging in). Anonymised ones
    hold nothing about the person any more."""
    from allauth.account.models import EmailAddress

    emails = {e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)}
    return (Registration.objects.filter(Q(user=user) | Q(email__in=emails), anonymised_at__isnull=True)
            .select_related("event")
            .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
            .order_by("created_at", "pk"))
