"""Reads of the partners app, each built for a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from klimapakt.core.models import Pact
from klimapakt.core.utils import parse_int

from .models import (
    SIZE_CLASSES,
    WZ2008_SECTIONS,
    Agreement,
    AgreementVersion,
    Invitation,
    Membership,
    Organisation,
    OrientationTalk,
    TalkReminder,
    Target,
)

Stage = Organisation.Stage


def organisation_recipients(organisation: Organisation, *, all_members: bool = False) -> list[tuple[str, str]]:
    """Who hears from the platform about an organisation, as (address, language): its admins
    (with `all_members`: every active member) and its contact person. The one recipients
    selector every app's notifications use (core.notifications.notify)."""
    memberships = organisation.memberships.filter(user__is_active=True).select_related("user")
    if not all_members:
        memberships = memberships.filter(role=Membership.Role.ADMIN)
    recipients = {}
    for m in memberships:
        recipients[m.user.email.lower()] = m.user.language or "de"
    if organisation.contact_email and organisation.contact_email.lower() not in recipients:
        recipients[organisation.contact_email.lower()] = "de"
    return sorted(recipients.items())


def open_talk(organisation: Organisation) -> OrientationTalk | None:
    """The orientation talk that is proposed (or agreed) and not yet held, if any."""
    return organisation.talks.filter(held_on__isnull=True).order_by("-scheduled_for", "-pk").first()


def talks_awaiting_answer(*, now: datetime.datetime, days_before: int, step: str) -> QuerySet[OrientationTalk]:
    """Open talks whose proposed date the organisation has not answered, that take place within
    `days_before` local days from `now` but have not begun, proposed on an earlier day (or before
    we recorded when), and that have no `step` reminder for this date yet. Nearest talk first."""
    today = timezone.localdate(now)
    midnight = datetime.datetime.combine(today, datetime.time.min)
    start_of_today = timezone.make_aware(midnight)
    horizon = timezone.make_aware(midnight + datetime.timedelta(days=days_before + 1))
    latest_open = OrientationTalk.objects.filter(organisation=OuterRef("organisation"), held_on__isnull=True
                                                 ).order_by("-scheduled_for", "-pk").values("pk")[:1]
    reminded = TalkReminder.objects.filter(talk=OuterRef("pk"), step=step, scheduled_for=OuterRef("scheduled_for"))
    return (OrientationTalk.objects
            .filter(held_on__isnull=True, answer=OrientationTalk.Answer.PROPOSED,
                    organisation__stage=Stage.TALK_PLANNED, scheduled_for__gt=now, scheduled_for__lt=horizon)
            .filter(Q(proposed_at__isnull=True) | Q(proposed_at__lt=start_of_today))
            .filter(pk=Subquery(latest_open)).exclude(Exists(reminded))
            .select_related("organisation").order_by("scheduled_for", "pk"))


def memberships_for_dashboard(user):
    """The user's memberships with each organisation's open talk (date and answer) in one query."""
    from .models import Membership

    talk = OrientationTalk.objects.filter(organisation=OuterRef("organisation"), held_on__isnull=True).order_by(
        "-scheduled_for", "-pk")
    return Membership.objects.filter(user=user).select_related("organisation").annotate(
        talk_scheduled_for=Subquery(talk.values("scheduled_for")[:1]),
        talk_answer=Subquery(talk.values("answer")[:1]),
    ).order_by("organisation__name")


def organisation_counts() -> dict:
    """Active partners in total, those listed in the directory (with their consent) and by
    kind, for the home page and the directory's note (one query)."""
    kinds = {k: Count("pk", filter=Q(kind=k)) for k in Organisation.Kind.values}
    row = Organisation.objects.filter(stage=Organisation.Stage.ACTIVE).aggregate(
        total=Count("pk"), listed=Count("pk", filter=Q(listing_consent=True)), **kinds)
    return {"total": row.pop("total"), "listed": row.pop("listed"),
            "by_kind": [(Organisation.Kind(k).label, n) for k, n in row.items() if n]}


def active_partner_counts() -> dict:
    """organisation_counts, cached for a minute: home page and directory show the same numbers."""
    from django.core.cache import cache

    return cache.get_or_set("klimapakt:home:partner-counts:v2", organisation_counts, 60)


# --- public directory --------------------------------------------------------------------

def listed_partners() -> QuerySet[Organisation]:
    """The only organisations the public ever sees: active partners who consented."""
    return Organisation.objects.filter(stage=Stage.ACTIVE, listing_consent=True)


@dataclass
class DirectoryFilters:
    q: str = ""
    sector: str = ""
    size: str = ""
    since: int | None = None
    neutral: bool = False
    sort: str = "name"

    SORTS = {"name": ("name", "pk"), "since": ("-partner_since", "name", "pk"), "since_asc": ("partner_since", "name",
                                                                                            "pk")}

    @classmethod
    def from_query(cls, params) -> DirectoryFilters:
        since = parse_int(params.get("since", ""))
        sector = params.get("sector", "")
        size = params.get("size", "")
        sort = params.get("sort", "name")
        return cls(
            q=params.get("q", "").strip()[:100],
            sector=sector if sector in dict(WZ2008_SECTIONS) else "",
            size=size if size in {s[0] for s in SIZE_CLASSES} else "",
            since=since if since is not None and 1990 < since < 2200 else None,
            neutral=params.get("neutral") == "1",
            sort=sort if sort in cls.SORTS else "name",
        )


def directory(filters: DirectoryFilters) -> QuerySet[Organisation]:
    neutral = Target.objects.current().filter(organisation=OuterRef("pk"), neutral_by__isnull=False)
    qs = listed_partners().annotate(
        neutral_by_year=Subquery(neutral.order_by("neutral_by").values("neutral_by")[:1]))
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(description__icontains=filters.q))
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.size:
        for key, _label, low, high in SIZE_CLASSES:
            if key == filters.size:
                qs = qs.filter(employees__gte=low)
                if high is not None:
                    qs = qs.filter(employees__lte=high)
    if filters.since:
        qs = qs.filter(partner_since__year=filters.since)
    if filters.neutral:
        qs = qs.filter(Exists(neutral))
    return qs.only("pk", "name", "kind", "sector", "employees", "partner_since", "logo", "description",
                   "stage", "listing_consent").order_by(*DirectoryFilters.SORTS[filters.sort])


def directory_years() -> list[int]:
    """Years in which listed partners joined (for the filter), cached per directory version."""
    from django.core.cache import cache

    from .services import directory_version

    key = f"partners:years:{directory_version()}"
    years = cache.get(key)
    if years is None:
        years = sorted({d.year for d in listed_partners().filter(partner_since__isnull=False)
                        .values_list("partner_since", flat=True).distinct()}, reverse=True)
        cache.set(key, years, 600)
    return years


def partner_public(pk: int) -> Organisation | None:
    return listed_partners().filter(pk=pk).prefetch_related(
        Prefetch("targets", queryset=Target.objects.current(), to_attr="current_targets")).first()


def map_points() -> list[dict]:
    """Name, page and location of every listed partner that shows its location (one query)."""
    return list(listed_partners().filter(show_location=True, latitude__isnull=False, longitude__isnull=False)
                .order_by("name", "pk").values("pk", "name", "latitude", "longitude", "street", "postal_code",
                                               "city"))


def api_partners(*, pk: int | None = None) -> list[Organisation]:
    """Every listed partner (or the one with `pk`, if listed) with its current targets (two queries)."""
    qs = listed_partners() if pk is None else listed_partners().filter(pk=pk)
    return list(qs.order_by("name", "pk").only(
        "pk", "name", "kind", "sector", "partner_since", "website", "latitude", "longitude", "show_location",
        "stage", "listing_consent").prefetch_related(
        Prefetch("targets", queryset=Target.objects.current().only(
            "organisation_id", "base_year", "target_year", "reduction_percent", "reduction_t_co2e", "scopes",
            "neutral_by"), to_attr="current_targets")))


# --- back office -------------------------------------------------------------------------

PIPELINE_STAGES = [s for s in Stage]


@dataclass
class PipelineFilters:
    q: str = ""
    stage: str = ""
    kind: str = ""
    sector: str = ""
    overdue: bool = False
    sort: str = "name"

    @classmethod
    def from_query(cls, params) -> PipelineFilters:
        stage, kind, sector = params.get("stage", ""), params.get("kind", ""), params.get("sector", "")
        return cls(q=params.get("q", "").strip()[:100], stage=stage if stage in Stage.values else "",
                   kind=kind if kind in Organisation.Kind.values else "",
                   sector=sector if sector in dict(WZ2008_SECTIONS) else "",
                   overdue=params.get("overdue") == "1",
                   sort="deadline" if params.get("sort") == "deadline" else "name")


def _open_talk_of_row() -> QuerySet[OrientationTalk]:
    """The open talk (as `open_talk`) of the organisation in the outer query."""
    return OrientationTalk.objects.filter(organisation=OuterRef("pk"), held_on__isnull=True).order_by(
        "-scheduled_for", "-pk")


def pipeline(filters: PipelineFilters) -> QuerySet[Organisation]:
    changes_requested = Agreement.objects.filter(organisation=OuterRef("pk"),
                                                 status=Agreement.Status.CHANGES_REQUESTED)
    qs = Organisation.objects.annotate(changes_requested=Exists(changes_requested),
                                       talk_answer=Subquery(_open_talk_of_row().values("answer")[:1]))
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(contact_name__icontains=filters.q)
                       | Q(contact_email__icontains=filters.q))
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.overdue:
        qs = qs.filter(next_deadline__lt=timezone.localdate())
    if filters.sort == "deadline":
        return qs.order_by(F("next_deadline").asc(nulls_last=True), "name", "pk")
    return qs.order_by("name", "pk")


def pipeline_export(filters: PipelineFilters) -> QuerySet[Organisation]:
    """The pipeline with the open talk's answer message too (one query, however many rows)."""
    return pipeline(filters).annotate(
        talk_answer_message=Subquery(_open_talk_of_row().values("answer_message")[:1]))


def pipeline_stage_counts() -> dict:
    """Organisations per stage, and overdue ones, in one query, kept until the pipeline changes
    (core.derived)."""
    from klimapakt.core import derived

    from .office_tasks import PIPELINE

    def count() -> dict:
        aggregates = {s.value: Count("pk", filter=Q(stage=s.value)) for s in Stage}
        aggregates["overdue"] = Count("pk", filter=Q(next_deadline__lt=timezone.localdate()))
        aggregates["total"] = Count("pk")
        return Organisation.objects.aggregate(**aggregates)

    return derived.cached([PIPELINE], "partners:stage-counts", count)


def staff_organisation(pk: int) -> Organisation:
    """Everything the staff page shows, fetched up front."""
    return Organisation.objects.prefetch_related(
        Prefetch("memberships", queryset=Organisation.memberships.rel.related_model.objects.select_related("user")
                 .order_by("user__email")),
        Prefetch("stage_changes", queryset=Organisation.stage_changes.rel.related_model.objects.select_related(
            "actor")),
        Prefetch("talks", queryset=OrientationTalk.objects.select_related("created_by", "answered_by")),
        Prefetch("agreements", queryset=Agreement.objects.select_related("version", "submitted_by",
                                                                          "countersigned_by")),
        Prefetch("targets", queryset=Target.objects.select_related("created_by").order_by(
            "archived_at", "target_year", "pk")),
        Prefetch("notes", queryset=Organisation.notes.rel.related_model.objects.select_related("author")),
        Prefetch("documents", queryset=Organisation.documents.rel.related_model.objects.select_related(
            "uploaded_by")),
    ).get(pk=pk)


def organisation_for(user, pk, perm: str) -> Organisation:
    """The organisation `pk` if `user` has `perm` on it; 404 if it does not exist, 403 if not allowed."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    organisation = get_object_or_404(Organisation, pk=pk)
    if not user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


# --- agreements ------------------------------------------------------------------------

def current_agreement_version(pact: Pact, *, on: datetime.date | None = None) -> AgreementVersion | None:
    on = on or timezone.localdate()
    return AgreementVersion.objects.filter(pact=pact, valid_from__lte=on).order_by("-valid_from", "-pk").first()


def open_agreement(organisation: Organisation) -> Agreement | None:
    """The agreement that is being filled in, reviewed or in force (not ended)."""
    return organisation.agreements.exclude(status=Agreement.Status.ENDED).select_related("version").first()


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _dec(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def agreement_snapshot(agreement: Agreement, *, pact: Pact, source: str = "live") -> dict:
    """What the agreement says, as plain JSON: the text version (both languages), the parties,
    the signatories, the obligations with their dates and the current targets. Stored at
    counter-signature as the document of record; built live for a draft or one under review."""
    organisation, version, by = agreement.organisation, agreement.version, agreement.countersigned_by
    signed_on = agreement.countersigned_on
    targets = organisation.targets.current()
    return {
        "schema": 1, "source": source, "taken_at": timezone.now().isoformat(),
        "pact": {"name_de": pact.name_de, "name_en": pact.name_en, "office_name_de": pact.office_name_de,
                 "office_name_en": pact.office_name_en, "contact_email": pact.contact_email,
                 "target_year": pact.target_year, "baseline_report_due_months": pact.baseline_report_due_months},
        "organisation": {"id": organisation.pk, "name": organisation.name, "legal_form": organisation.legal_form,
                         "street": organisation.street, "postal_code": organisation.postal_code,
                         "city": organisation.city},
        "version": {"id": version.pk, "label": version.label, "valid_from": _iso(version.valid_from),
                    "title_de": version.title_de, "title_en": version.title_en,
                    "text_de": version.text_de, "text_en": version.text_en},
        "signatory_name": agreement.signatory_name, "signatory_role": agreement.signatory_role,
        "accepts_obligations": agreement.accepts_obligations,
        "consents_publication": agreement.consents_publication,
        "submitted_on": _iso(timezone.localdate(agreement.submitted_at) if agreement.submitted_at else None),
        "countersigned_on": _iso(signed_on),
        "countersigned_by": agreement.countersigned_by_name or (str(by) if by else ""),
        "countersigned_by_role": agreement.countersigned_by_role,
        "baseline_report_due": _iso(pact.baseline_report_due(signed_on) if signed_on else None),
        "monitoring_years": pact.monitoring_years(),
        "targets": [{"id": t.pk, "version": t.version, "base_year": t.base_year, "target_year": t.target_year,
                     "reduction_percent": _dec(t.reduction_percent), "reduction_t_co2e": _dec(t.reduction_t_co2e),
                     "scopes": t.scopes, "neutral_by": t.neutral_by, "comment": t.comment} for t in targets],
    }


def invitation_is_for(invitation: Invitation, user) -> bool:
    """True when `user` owns the address the invitation was sent to: a verified address of their
    account (allauth), or, for an account without allauth addresses (created by the office or on
    the command line), the address they sign in with. The link alone is not enough: it may have
    been forwarded, or read in a log or over a shoulder."""
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user)
    if addresses.filter(email__iexact=invitation.email, verified=True).exists():
        return True
    return not addresses.exists() and (user.email or "").casefold() == invitation.email.casefold()
