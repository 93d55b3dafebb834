"""Which balance years are closed (their public figures fixed) and when the open ones close."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, OuterRef, Subquery

from klimapakt.reports.models import Report

from ..models import ClosedBalanceYear


@dataclass(frozen=True)
class OpenYear:
    """A balance year with accepted reports that is not closed yet: the public sees its count of
    accepted reports and the day its figures will be published, not the figures."""

    year: int
    accepted: int
    closes_on: datetime.date


def close_after() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "PUBLIC_CLOSE_AFTER_DAYS", 90)))


def closed_years(pact) -> dict[int, ClosedBalanceYear]:
    return {c.balance_year: c for c in ClosedBalanceYear.objects.filter(pact=pact)}


def closing_day(year: int) -> datetime.date:
    """The day a balance year closes by itself: PUBLIC_CLOSE_AFTER_DAYS after the end of the
    following year, the year its reports are due in (2024: 31 March 2026 with the default 90)."""
    return datetime.date(year + 1, 12, 31) + close_after()


def open_years(pact) -> list[OpenYear]:
    """Balance years of the pact's partners with accepted reports that are not closed: their
    count and closing day. One query."""
    closed = ClosedBalanceYear.objects.filter(pact=pact).values("balance_year")
    rows = (Report.objects.filter(organisation__partner_since__isnull=False, status=Report.Status.ACCEPTED,
                                  scope1_t__isnull=False)
            .exclude(balance_year__in=closed).order_by().values("balance_year").annotate(accepted=Count("pk")))
    return sorted((OpenYear(r["balance_year"], r["accepted"], closing_day(r["balance_year"])) for r in rows),
                  key=lambda y: y.year)


@dataclass(frozen=True)
class ClosedYearLine:
    year: int
    closed_at: datetime.datetime
    closed_by: str  # "" when closed automatically
    published: int  # reports in the public figures
    later: int  # reports accepted after the closing (the office's figures only)


def publication_overview(pact) -> tuple[list[ClosedYearLine], list[OpenYear]]:
    """For the office's dashboard: the closed years (with how many reports their public figures
    hold and how many were accepted since), and the open ones. Three queries."""
    closed = list(ClosedBalanceYear.objects.filter(pact=pact).select_related("closed_by")
                  .annotate(published=Count("balances")).order_by("-balance_year"))
    closed_at = ClosedBalanceYear.objects.filter(pact=pact, balance_year=OuterRef("balance_year")).values("closed_at")
    later = dict(Report.objects.filter(status=Report.Status.ACCEPTED, organisation__partner_since__isnull=False,
                                       balance_year__in=[c.balance_year for c in closed])
                 .annotate(closed_at=Subquery(closed_at)).filter(accepted_at__gt=F("closed_at"))
                 .order_by().values("balance_year").annotate(n=Count("pk")).values_list("balance_year", "n"))
    lines = [ClosedYearLine(c.balance_year, c.closed_at, c.closed_by.get_full_name() or c.closed_by.email
                            if c.closed_by else "", c.published, later.get(c.balance_year, 0)) for c in closed]
    return lines, open_years(pact)
