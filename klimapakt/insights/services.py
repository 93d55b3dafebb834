"""Writes of the insights app outside the council report: closing a balance year, which fixes
its public figures (``ClosedBalanceYear``, docs/insights.md "Closed balance years")."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from .figures import Filters
from .models import ClosedBalanceYear, PublishedBalance
from .selectors.progress import forget_public_progress
from .selectors.publication import OpenYear, open_years
from .selectors.rows import (
    NO_SECTOR,
    Row,
    accepted_rows,
    current_targets,
    open_measure_savings,
    target_to_json,
)


def close_balance_year(*, pact, year: int, actor=None, rows: list[Row] | None = None) -> ClosedBalanceYear:
    """Fix the public figures of ``year``: the accepted reports of the pact's partners for that
    balance year, as they are now, become the year's published balances. Once only: a closed
    year stays closed (reopening it would let two versions be subtracted). ``rows``: the year's
    accepted rows when the caller read them already."""
    if year >= timezone.localdate().year:
        raise ValidationError(_("Das Bilanzjahr %(year)s ist noch nicht zu Ende; es kann erst danach abgeschlossen "
                                "werden.") % {"year": year})
    if ClosedBalanceYear.objects.filter(pact=pact, balance_year=year).exists():
        raise ValidationError(_("Das Bilanzjahr %(year)s ist bereits abgeschlossen.") % {"year": year})
    if rows is None:
        rows = [r for r in accepted_rows(Filters()) if r.year == year]
    if not rows:
        raise ValidationError(_("Für das Bilanzjahr %(year)s liegt noch kein angenommener Bericht vor.")
                              % {"year": year})
    ids = {r.organisation for r in rows}
    targets, planned = current_targets(ids), open_measure_savings(ids)  # as they are at the closing
    try:
        with transaction.atomic():
            closed = ClosedBalanceYear.objects.create(pact=pact, balance_year=year, closed_by=actor)
            PublishedBalance.objects.bulk_create([PublishedBalance(
                closed_year=closed, organisation_id=r.organisation, sector="" if r.sector == NO_SECTOR else r.sector,
                exact_t={k: str(v) for k, v in r.stored.items()}, measures_total=r.measures_total or 0,
                measures_implemented=r.measures_implemented or 0, expected_savings_t=r.expected or "0",
                realised_savings_t=r.realised or "0",
                target=target_to_json((targets.get(r.organisation) or [None])[0]),
                planned_savings_t=str(planned.get(r.organisation, 0))) for r in rows], batch_size=2000)
            log_action("insights.balance_year.closed", obj=closed, actor=actor,
                       data={"year": year, "reports": len(rows), "automatic": actor is None})
    except IntegrityError:  # closed at the same moment by another request or the daily job
        return ClosedBalanceYear.objects.get(pact=pact, balance_year=year)
    transaction.on_commit(lambda: forget_public_progress(pact))
    return closed


def close_due_years(pact, today: datetime.date | None = None) -> list[OpenYear]:
    """Close every balance year whose closing day has come (the public figures call this before
    they are computed, so no job has to run first); returns the years still open. One query
    when none is due."""
    today = today or timezone.localdate()
    still_open, due = [], []
    for year in open_years(pact):
        (due if year.closes_on <= today else still_open).append(year)
    if due:
        by_year: dict[int, list[Row]] = {}
        for row in accepted_rows(Filters()):  # read once for every year due (a first view after years)
            by_year.setdefault(row.year, []).append(row)
        for year in due:
            try:
                close_balance_year(pact=pact, year=year.year, rows=by_year.get(year.year, []))
            except ValidationError:
                still_open.append(year)
    return still_open
