"""Reads of the advisor's workplace and the pact office's view: the inbox, one request with what
the viewer may see of it, the firms an institution works with, the per-institution overview
(which also feeds the city's report), the event answers that may become requests, and the
back-office start block. Each is built for a constant number of queries."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from klimapakt.core import derived
from klimapakt.core.models import AuditEntry, InitialPartner, User
from klimapakt.core.utils import calendar_years, parse_int
from klimapakt.partners.models import SIZE_CLASSES, WZ2008_SECTIONS, Membership

from ..models import Holding, Message, Note, SupportRequest, Topic, untag

S = SupportRequest.Status
INBOX_PAGE_SIZE = 50
FIRMS_PAGE_SIZE = 50
EVENT_NEEDS_LIMIT = 200
MAX_THREAD = 500          # models.MAX_MESSAGES_PER_REQUEST: the whole conversation fits
MAX_HISTORY = 100
UNASSIGNED = "ohne"       # the office's filter "ohne Einrichtung"
FORMER = "frueher"        # the advisor's tab "früher bei uns"
SUPPORT = "support"       # core.derived: requests and who held them (tracked in apps.py)

# What the inbox reads of a row (the organisation's name, the offer's title, the advisor's name).
INBOX_FIELDS = (
    "pk", "status", "topics", "received_at", "sent_at", "answer_due_on", "first_answer_at", "institution_id",
    "organisation__id", "organisation__name", "offer__id", "offer__title_de", "offer__title_en",
    "advisor__id", "advisor__first_name", "advisor__last_name", "advisor__email",
    "institution__id", "institution__short_name", "institution__name",
)


@dataclass(frozen=True)
class InboxFilters:
    tab: str = ""              # "" (now with us) or FORMER (advisors)
    status: str = ""
    overdue: bool = False
    topic: str = ""
    institution: str = ""      # office: "" all, UNASSIGNED, or an institution's pk

    @classmethod
    def from_query(cls, data) -> InboxFilters:
        status = data.get("status", "")
        topic = data.get("thema", "")
        institution = data.get("einrichtung", "")
        return cls(
            tab=FORMER if data.get("ansicht") == FORMER else "",
            status=status if status in S.values and status != S.DRAFT else "",
            overdue=data.get("ueberfaellig") == "1",
            topic=topic if topic in Topic.values else "",
            institution=institution if institution == UNASSIGNED or parse_int(institution) is not None else "",
        )


def unassigned_q() -> Q:
    """New and held by no institution: for the office to assign."""
    return Q(status=S.NEW, institution__isnull=True)


def overdue_q(today: datetime.date) -> Q:
    """Open, not answered yet and past its first-answer date (the inbox's "überfällig")."""
    return Q(status__in=SupportRequest.OPEN, first_answer_at__isnull=True, answer_due_on__lt=today)


def _scope(user) -> str:
    """Whose requests `user` lists (the part of a cache key that is not a filter)."""
    return "office" if user.is_pact_office or user.is_superuser else f"institution-{user.advisor_for_id}"


def inbox(user, filters: InboxFilters, *, today: datetime.date | None = None) -> QuerySet[SupportRequest]:
    """The requests `user` may list: an advisor those their institution holds (or, in the tab
    "früher bei uns", held before and handed on), the office every sent request."""
    today = today or timezone.localdate()
    qs = SupportRequest.objects.exclude(status=S.DRAFT)
    if user.is_pact_office or user.is_superuser:
        if filters.institution == UNASSIGNED:
            qs = qs.filter(institution__isnull=True)
        elif filters.institution:
            qs = qs.filter(institution_id=int(filters.institution))
    elif user.advisor_for_id:
        institution = user.advisor_for_id
        if filters.tab == FORMER:
            before = Holding.objects.filter(institution_id=institution, until__isnull=False).values("request_id")
            qs = qs.filter(pk__in=before).exclude(institution_id=institution)
        else:
            qs = qs.filter(institution_id=institution)
    else:
        return SupportRequest.objects.none()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(overdue_q(today))
    if filters.topic:
        qs = qs.with_topic(filters.topic)
    return qs.order_by("-received_at", "-pk")


def inbox_page(user, filters: InboxFilters, number, *, today: datetime.date | None = None):
    """One page of the inbox in three queries: the count (once per change of the requests:
    core.derived), the page's ids (sorted on the requests table alone, without joining the rows
    that do not make the page), its rows."""
    ids = inbox(user, filters, today=today).values_list("pk", flat=True)
    page = derived.page([SUPPORT], f"support:inbox:{_scope(user)}:{filters}", ids, INBOX_PAGE_SIZE, number)
    wanted = list(page.object_list)
    rows = SupportRequest.objects.filter(pk__in=wanted).select_related(
        "organisation", "offer", "advisor", "institution").only(*INBOX_FIELDS).in_bulk()
    page.object_list = [rows[pk] for pk in wanted if pk in rows]
    label_rows(page.object_list, today=today)
    return page


def label_rows(rows, *, today: datetime.date | None = None) -> None:
    """Status, topics and the overdue flag of a page of rows, labels resolved once per page."""
    today = today or timezone.localdate()
    statuses = {k: str(v) for k, v in S.choices}
    topics = {k: str(v) for k, v in Topic.choices}
    for row in rows:
        row.status_label = statuses.get(row.status, row.status)
        row.topic_names = [topics.get(t, t) for t in untag(row.topics)]
        row.overdue = row.is_overdue(today)


def institutions(pact) -> list[InitialPartner]:
    return list(InitialPartner.objects.filter(pact=pact).order_by("position", "pk")[:50])


def advisors_of(institution_id) -> list[User]:
    if not institution_id:
        return []
    return list(User.objects.filter(advisor_for_id=institution_id, is_active=True).order_by("last_name", "pk")[:50])


# --------------------------------------------------------------------------- one request

def viewer_role(user, support_request: SupportRequest) -> str:
    """"office", "holder" (the institution holding it now) or "former" (held it before)."""
    if user.is_pact_office or user.is_superuser:
        return "office"
    if user.advisor_for_id and user.advisor_for_id == support_request.institution_id:
        return "holder"
    return "former"


def _labels(choices) -> dict[str, str]:
    return {k: str(v) for k, v in choices}


def header(support_request: SupportRequest) -> dict:
    """What the firm shared with the request (every role that may view it sees this)."""
    organisation = support_request.organisation
    asker = support_request.created_by
    report = support_request.report
    section = ""
    if support_request.report_section:
        from klimapakt.reports.models import Section

        section = _labels(Section.choices).get(support_request.report_section, "")
    return {
        "organisation": organisation,
        "contact_name": (str(asker) if asker else "") or organisation.contact_name,
        "contact_email": (asker.email if asker else "") or organisation.contact_email,
        "size_class": _labels((k, label) for k, label, _low, _high in SIZE_CLASSES).get(organisation.size_class, ""),
        "sector": _labels(WZ2008_SECTIONS).get(organisation.sector, ""),
        "craft_business": organisation.craft_business,
        "topics": support_request.topic_labels,
        "measure": support_request.measure,
        "report": f"{report.get_kind_display()} {report.year}" if report else "",
        "report_section": section,
    }


def thread(support_request: SupportRequest) -> dict:
    """The conversation with its files, and the files sent with the request itself."""
    messages = list(support_request.messages.select_related("author", "institution")
                    .prefetch_related("attachments").order_by("created_at", "pk")[:MAX_THREAD])
    sides = _labels(Message.Side.choices)
    for message in messages:
        message.side_label = sides.get(message.side, message.side)
    loose = list(support_request.attachments.filter(message__isnull=True).order_by("created_at", "pk")[:50])
    return {"thread_messages": messages, "request_files": loose}


def notes_for(user, support_request: SupportRequest) -> list[Note]:
    """Internal notes: the office reads all, an advisor those of their own institution (a
    previous institution's notes stay with it)."""
    qs = support_request.notes.select_related("author", "institution").order_by("created_at", "pk")
    if not (user.is_pact_office or user.is_superuser):
        qs = qs.filter(institution_id=user.advisor_for_id) if user.advisor_for_id else qs.none()
    return list(qs[:MAX_THREAD])


STATUS_ACTIONS = ("support.request.sent", "support.request.assigned", "support.request.accepted",
                  "support.request.started", "support.request.completed", "support.request.declined",
                  "support.request.forwarded", "support.request.withdrawn", "support.request.drafted",
                  "support.grant.given", "support.grant.revoked")


def history(support_request: SupportRequest) -> dict:
    """Who held the request when, and its status changes (from the audit log)."""
    from django.contrib.contenttypes.models import ContentType

    holdings = list(support_request.holdings.select_related("institution").order_by("since", "pk")[:MAX_HISTORY])
    content_type = ContentType.objects.get_for_model(SupportRequest)
    entries = list(AuditEntry.objects.filter(content_type=content_type, object_id=str(support_request.pk),
                                             action__in=STATUS_ACTIONS)
                   .select_related("actor").order_by("created_at", "pk")[:MAX_HISTORY])
    return {"holdings": holdings, "entries": entries}


# --------------------------------------------------------------------------- firms

def firms(user, *, today: datetime.date | None = None) -> QuerySet:
    """The organisations the advisor's institution works with (requests it holds now), as
    rows {organisation id, name, open, closed, last received}; the office: every
    organisation with a sent request."""
    qs = SupportRequest.objects.exclude(status=S.DRAFT)
    if not (user.is_pact_office or user.is_superuser):
        qs = qs.filter(institution_id=user.advisor_for_id) if user.advisor_for_id else qs.none()
    return (qs.order_by().values("organisation_id", name=F("organisation__name"))
            .annotate(open=Count("pk", filter=Q(status__in=SupportRequest.OPEN)),
                      closed=Count("pk", filter=Q(status__in=SupportRequest.CLOSED)),
                      total=Count("pk"))
            .order_by("name", "organisation_id"))


def firms_page(user, number):
    """One page of `firms`; the number of firms (a count over every grouped request) is kept
    until a request changes (core.derived)."""
    return derived.page([SUPPORT], f"support:firms:{_scope(user)}", firms(user), FIRMS_PAGE_SIZE, number)


def firm_details(user, organisation_ids: list[int]) -> dict[int, dict]:
    """For one page of firms: the topics they asked about and the contact named in their
    newest request (two queries, bounded by the page)."""
    qs = SupportRequest.objects.exclude(status=S.DRAFT).filter(organisation_id__in=organisation_ids)
    if not (user.is_pact_office or user.is_superuser):
        qs = qs.filter(institution_id=user.advisor_for_id)
    topics = _labels(Topic.choices)
    found: dict[int, dict] = {oid: {"topics": Counter(), "contact": "", "email": ""} for oid in organisation_ids}
    rows = (qs.select_related("created_by", "organisation").only(
        "organisation_id", "topics", "received_at", "created_by__first_name", "created_by__last_name",
        "created_by__email", "organisation__contact_name", "organisation__contact_email")
        .order_by("-received_at", "-pk")[:len(organisation_ids) * 20])
    for row in rows:
        entry = found[row.organisation_id]
        entry["topics"].update(untag(row.topics))
        if not entry["contact"]:
            asker = row.created_by
            entry["contact"] = (str(asker) if asker else "") or row.organisation.contact_name
            entry["email"] = (asker.email if asker else "") or row.organisation.contact_email
    for entry in found.values():
        entry["topic_names"] = [topics.get(t, t) for t, _n in entry.pop("topics").most_common()]
    return found


# --------------------------------------------------------------------------- overview

OVERVIEW_COLUMNS = ("total", "open", "new", "overdue", "answered_in_time", "done", "declined", "withdrawn")


def overview_years() -> list[int]:
    today = timezone.localdate()
    first = SupportRequest.objects.filter(received_at__isnull=False).order_by("received_at").values_list(
        "received_at", flat=True).first()   # indexed: one row read, not a scan
    start = timezone.localdate(first).year if first else today.year
    return list(range(today.year, max(start, today.year - 20) - 1, -1))


def institution_overview(pact, year: int, *, today: datetime.date | None = None) -> dict:
    """Per institution the requests sent in `year`: open, new, overdue, answered within the
    target (first answer on or before its due date), done, declined, withdrawn and the
    outcomes; plus those the office has not assigned yet. Two queries (GROUP BY), the counts
    kept until a request changes (core.derived)."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    outcomes = list(SupportRequest.Outcome.choices)
    aggregates = {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status__in=SupportRequest.OPEN)),
        "new": Count("pk", filter=Q(status=S.NEW)),
        "overdue": Count("pk", filter=overdue_q(today)),
        "answered_in_time": Count("pk", filter=Q(answered_in_time=True)),
        "done": Count("pk", filter=Q(status=S.DONE)),
        "declined": Count("pk", filter=Q(status=S.DECLINED)),
        "withdrawn": Count("pk", filter=Q(status=S.WITHDRAWN)),
        **{f"outcome_{value}": Count("pk", filter=Q(status=S.DONE, outcome=value)) for value, _label in outcomes},
    }

    def count() -> dict:
        grouped = (SupportRequest.objects.exclude(status=S.DRAFT).filter(sent_at__gte=start, sent_at__lt=end)
                   .filter(Q(institution__isnull=True) | Q(institution__pact=pact))
                   .order_by().values("institution_id").annotate(**aggregates))
        return {row["institution_id"]: row for row in grouped}

    by_institution = derived.cached([SUPPORT], f"support:overview:{pact.pk}:{year}:{today}", count)
    empty = dict.fromkeys(aggregates, 0)
    rows = []
    for institution in institutions(pact):
        counts = by_institution.get(institution.pk, empty)
        rows.append({"institution": institution, **{k: counts[k] for k in OVERVIEW_COLUMNS},
                     "outcomes": [counts[f"outcome_{value}"] for value, _label in outcomes]})
    totals = {k: sum(r[k] for r in rows) for k in OVERVIEW_COLUMNS}
    totals["outcomes"] = [sum(r["outcomes"][i] for r in rows) for i in range(len(outcomes))]
    unassigned = by_institution.get(None, empty)
    return {"year": year, "rows": rows, "totals": totals, "outcome_labels": [str(label) for _v, label in outcomes],
            "unassigned": {k: unassigned[k] for k in OVERVIEW_COLUMNS}}


def yearly_totals(pact) -> list[dict]:
    """Per calendar year of sending: requests sent, done, declined, withdrawn and the outcomes of
    the done ones (the pact's progress page). Two queries: the first and last sending, then every
    year's counts as conditional aggregates (no per-row year function)."""
    outcomes = [value for value, _label in SupportRequest.Outcome.choices]
    sent = (SupportRequest.objects.exclude(status=S.DRAFT).filter(sent_at__isnull=False)
            .filter(Q(institution__isnull=True) | Q(institution__pact=pact)).order_by())
    span = sent.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    if span["first"] is None:
        return []
    years = calendar_years(span["first"], span["last"])
    statuses = {"done": Q(status=S.DONE), "declined": Q(status=S.DECLINED), "withdrawn": Q(status=S.WITHDRAWN),
                **{f"outcome_{v}": Q(status=S.DONE, outcome=v) for v in outcomes}}
    aggregates = {}
    for year, start, end in years:
        in_year = Q(sent_at__gte=start, sent_at__lt=end)
        aggregates[f"{year}_requests"] = Count("pk", filter=in_year)
        aggregates |= {f"{year}_{key}": Count("pk", filter=in_year & q) for key, q in statuses.items()}
    row = sent.aggregate(**aggregates)
    return [{"year": year, "requests": row[f"{year}_requests"], "done": row[f"{year}_done"],
             "declined": row[f"{year}_declined"], "withdrawn": row[f"{year}_withdrawn"],
             "outcomes": [row[f"{year}_outcome_{v}"] for v in outcomes]}
            for year, _start, _end in years if row[f"{year}_requests"]]


# --------------------------------------------------------------------------- event answers

def event_needs(pact, *, limit: int = EVENT_NEEDS_LIMIT) -> list:
    """Answers to an event's support-need question from registrants who said yes to its
    consent question and whose account belongs to an organisation on the platform; newest
    first, bounded; each with `organisations` (the registrant's) and `drafted`."""
    from klimapakt.events.models import Answer, Question

    consent = Answer.objects.filter(registration_id=OuterRef("registration_id"),
                                    question__event_id=OuterRef("question__event_id"),
                                    question__role=Question.Role.SUPPORT_CONSENT, boolean=True)
    member = Membership.objects.filter(user_id=OuterRef("registration__user_id"))
    drafted = SupportRequest.objects.filter(source_answer_id=OuterRef("pk"))
    answers = list(
        Answer.objects.filter(question__role=Question.Role.SUPPORT_NEED, question__event__pact=pact,
                              registration__user__isnull=False)
        .filter(Exists(consent), Exists(member))
        .annotate(drafted=Exists(drafted))
        .select_related("question", "question__event", "registration")
        .order_by("-registration__created_at", "-pk")[:limit])
    users = {a.registration.user_id for a in answers}
    organisations: dict[int, list] = {}
    for membership in (Membership.objects.filter(user_id__in=users).select_related("organisation")
                       .order_by("organisation__name")[:limit * 5]):
        organisations.setdefault(membership.user_id, []).append(membership.organisation)
    for answer in answers:
        answer.organisations = organisations.get(answer.registration.user_id, [])
        answer.text = answer.display("de")
    return answers


# --------------------------------------------------------------------------- start block

def waiting_counts(request) -> dict[str, int]:
    """How many requests wait for the viewer: new ones (for the office: those without an
    institution) and overdue ones (for an advisor: their institution's). Two counts that each
    read an index, kept until a request changes (core.derived) and on the request for the start
    block and the office's to-do list."""
    user = request.user
    cache = request.__dict__.setdefault("_support_waiting", {})
    counts = cache.get(user.pk)
    if counts is None:
        office = user.is_pact_office or user.is_superuser
        qs = SupportRequest.objects.all() if office else SupportRequest.objects.filter(
            institution_id=user.advisor_for_id)
        new = unassigned_q() if office else Q(status=S.NEW)
        counts = cache[user.pk] = derived.cached([SUPPORT], f"support:waiting:{_scope(user)}", lambda: {
            "new": qs.filter(new).count(), "overdue": qs.filter(overdue_q(timezone.localdate())).count()})
    return counts


def start_block(request) -> dict | None:
    """The back office's start page: new and overdue requests (the advisor's institution's,
    or for the office the unassigned new ones and every overdue one)."""
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("support.view_requests"):
        return None
    counts = waiting_counts(request)
    return {"new": counts["new"], "overdue": counts["overdue"], "office": user.is_pact_office or user.is_superuser}
