"""Reads of the offers catalogue: the public list with its filters, one offer with its
institution's upcoming events and the ways to ask for it, the back office's list and the API.
Each is a constant number of queries, whatever the number of offers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from klimapakt.core.utils import parse_int
from klimapakt.events.selectors import upcoming_public_events
from klimapakt.partners.models import SIZE_CLASSES, WZ2008_SECTIONS, Membership, Organisation

from ..models import Offer

PUBLIC_PAGE_SIZE = 30
OFFICE_PAGE_SIZE = 50
MAX_EVENTS_ON_OFFER = 5
MAX_ORGANISATIONS_ON_OFFER = 20
MAX_API_OFFERS = 1000

SIZE_KEYS = {key for key, _label, _low, _high in SIZE_CLASSES}
SECTOR_KEYS = {key for key, _label in WZ2008_SECTIONS}


@dataclass(frozen=True)
class OfferFilters:
    """The public catalogue's GET filters (Art, Einrichtung, Größe, Branche, nur kostenfreie);
    anything unknown is ignored."""

    kind: str = ""
    institution: int | None = None
    size: str = ""
    sector: str = ""
    free: bool = False

    @classmethod
    def from_query(cls, params, *, institution_ids=()) -> OfferFilters:
        kind = params.get("art", "")
        institution = parse_int(params.get("einrichtung", ""))
        size = params.get("groesse", "")
        sector = params.get("branche", "")
        return cls(kind=kind if kind in Offer.Kind.values else "",
                   institution=institution if institution in set(institution_ids) else None,
                   size=size if size in SIZE_KEYS else "",
                   sector=sector if sector in SECTOR_KEYS else "",
                   free=params.get("kostenfrei") == "1")

    @property
    def active(self) -> bool:
        return bool(self.kind or self.institution or self.size or self.sector or self.free)

    def apply(self, qs: QuerySet[Offer]) -> QuerySet[Offer]:
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.institution:
            qs = qs.filter(institution_id=self.institution)
        # An offer without size classes (or sectors) is for every size (sector).
        if self.size:
            qs = qs.filter(Q(size_classes="") | Q(size_classes__contains=f",{self.size},"))
        if self.sector:
            qs = qs.filter(Q(sectors="") | Q(sectors__contains=f",{self.sector},"))
        if self.free:
            qs = qs.filter(is_free=True)
        return qs

    def query(self) -> str:
        params = {"art": self.kind, "einrichtung": self.institution or "", "groesse": self.size,
                  "branche": self.sector, "kostenfrei": "1" if self.free else ""}
        return urlencode({k: v for k, v in params.items() if v})


def offers_published(*, pact) -> QuerySet[Offer]:
    return Offer.objects.filter(pact=pact, is_published=True).select_related("institution")


def offers_public(*, pact, filters: OfferFilters) -> QuerySet[Offer]:
    """Published offers matching the filters, by institution and the institution's order."""
    return filters.apply(offers_published(pact=pact)).order_by(*Offer._meta.ordering)


def offer_public(*, pact, pk: int, user) -> Offer | None:
    """A published offer; an unpublished one only for who may change it (a preview)."""
    offer = Offer.objects.filter(pact=pact, pk=pk).select_related("institution").first()
    if offer is None or offer.is_published:
        return offer
    if getattr(user, "is_authenticated", False) and user.has_perm("support.change_offer", offer):
        return offer
    return None


def institution_events(*, pact, institution, limit: int = MAX_EVENTS_ON_OFFER) -> list:
    """The institution's upcoming public events (it organises or co-organises them), soonest first."""
    return list(upcoming_public_events(pact=pact).filter(organisers=institution)
                .only("pk", "title_de", "title_en", "starts_at", "ends_at", "venue_name", "status")[:limit])


@dataclass(frozen=True)
class RequestLink:
    organisation: Organisation
    url: str
    allowed: bool      # False: the offer is for active Klimapartner and this organisation is none (yet)


def request_links(*, user, offer: Offer, limit: int = MAX_ORGANISATIONS_ON_OFFER) -> list[RequestLink]:
    """"Beratung anfragen" for each organisation the user is a member of (at most `limit`)."""
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = (Membership.objects.filter(user=user).select_related("organisation")
                   .order_by("organisation__name", "organisation_id")[:limit])
    links = []
    for membership in memberships:
        organisation = membership.organisation
        url = reverse("support:request_create", args=[organisation.pk]) + "?" + urlencode({"angebot": offer.pk})
        allowed = offer.audience != Offer.Audience.PARTNERS or organisation.stage == Organisation.Stage.ACTIVE
        links.append(RequestLink(organisation=organisation, url=url, allowed=allowed))
    return links


def offers_for_office(*, pact, user, institution_id: int | None = None) -> QuerySet[Offer]:
    """The back office's list: an advisor sees their institution's offers, the office all
    (or one institution's), each with the number of requests that name it."""
    qs = Offer.objects.filter(pact=pact).select_related("institution").annotate(request_count=Count("requests"))
    if not user.is_pact_office:
        qs = qs.filter(institution_id=user.advisor_for_id)
    elif institution_id:
        qs = qs.filter(institution_id=institution_id)
    return qs.order_by(*Offer._meta.ordering)


def offers_api(*, pact) -> list[Offer]:
    return list(offers_published(pact=pact).order_by(*Offer._meta.ordering)[:MAX_API_OFFERS])


def offers_version(*, pact) -> str:
    """Changes whenever a published offer may have changed (cache keys of the API)."""
    row = Offer.objects.filter(pact=pact).aggregate(n=Count("pk"), changed=Max("updated_at"))
    changed = row["changed"].timestamp() if row["changed"] else 0
    return f"{row['n']}-{changed}"
