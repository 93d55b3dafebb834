"""After a factor change (a new edition, a correction, a new year, a loaded edition file): every
balance that is not frozen is recomputed with the current factors; the ones whose totals
changed are listed for the pact office (``Recalculation``) and their owners are told by mail.
Frozen balances keep the values they used.

Runs from the task queued by a factor change and, as a safety net, from the minute job
``recompute_balances`` (a balance whose factor-set version is older than the set's is stale:
after a data migration, or when the worker was down). Safe to run twice at once: the set's row
is locked and a balance, once recomputed, carries the current version."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction

from klimapakt.core.formatting import tonnes
from klimapakt.core.notifications import mail_path, notify

from ..models import ActivityLine, Balance, FactorSet, Recalculation
from ..selectors import factor_table
from .bulk import balances_store_year

logger = logging.getLogger(__name__)
MAX_LISTED_CHANGES = 5000  # a Recalculation lists at most this many balances (the count is complete)
_FIELDS = ("pk", "organisation_id", "organisation__name", "year", "total_location_t", "total_market_t", "exact_t")


def stale_balances(factor_set: FactorSet):
    return (Balance.objects.filter(is_frozen=False)
            .exclude(factor_set=factor_set, factor_set_version=factor_set.version))


def recompute_stale_balances() -> Recalculation | None:
    """Recompute every open balance computed with an older version of the factor set. Returns
    the record of what changed (None when nothing was stale)."""
    with transaction.atomic():
        factor_set = (FactorSet.objects.select_for_update().filter(is_default=True).order_by("pk").first())
        if factor_set is None:
            return None
        before = {row[0]: row for row in stale_balances(factor_set).values_list(*_FIELDS).iterator(chunk_size=2000)}
        if not before:
            return None
        table = factor_table(factor_set)
        by_year: dict[int, set[int]] = defaultdict(set)
        for _pk, org_id, _name, year, *_rest in before.values():
            by_year[year].add(org_id)
        with_lines = set(ActivityLine.objects.filter(
            organisation_id__in={row[1] for row in before.values()}, year__in=list(by_year))
            .values_list("organisation_id", "year").distinct())
        for year, organisations in sorted(by_year.items()):
            balances_store_year(year=year, table=table, organisation_ids=sorted(organisations))
        after = {row[0]: row for row in Balance.objects.filter(pk__in=list(before)).values_list(*_FIELDS)}
        # Balances without lines have nothing to compute; one whose lines no longer pass the
        # calculation keeps its values and is listed as such (it is not retried every minute).
        left = Balance.objects.filter(pk__in=list(before)).exclude(factor_set_version=factor_set.version)
        failed = {pk for pk, org_id, year in left.values_list("pk", "organisation_id", "year")
                  if (org_id, year) in with_lines}
        left.update(factor_set=factor_set, factor_set_version=factor_set.version)
        changes = []
        for pk, old in before.items():
            new = after.get(pk)
            if new is None or (new[6] == old[6] and pk not in failed):
                continue
            changes.append({"balance": pk, "organisation": old[1], "name": old[2], "year": old[3],
                            "before": str(old[4]), "after": str(new[4]), "before_market": str(old[5]),
                            "after_market": str(new[5]), "failed": pk in failed})
        changes.sort(key=lambda c: (c["name"].lower(), c["year"]))
        record = Recalculation.objects.create(factor_set_version=factor_set.version, balances=len(before),
                                              changes=changes[:MAX_LISTED_CHANGES])
        _tell_owners(changes)
    logger.info("recomputed %s balances, %s changed", len(before), len(changes))
    return record


def _tell_owners(changes: list[dict]) -> None:
    """One mail per organisation naming each year whose totals changed, before and after."""
    from klimapakt.partners.models import Organisation
    from klimapakt.partners.selectors import organisation_recipients

    by_org: dict[int, list[dict]] = defaultdict(list)
    for change in changes:
        if not change["failed"]:
            by_org[change["organisation"]].append(change)
    for organisation in Organisation.objects.filter(pk__in=list(by_org)):
        years = sorted(by_org[organisation.pk], key=lambda c: c["year"])

        def context(language, organisation=organisation, years=years):
            return {"organisation": organisation.name,
                    "years": [{"year": c["year"], "before": tonnes(c["before"]), "after": tonnes(c["after"]),
                               "path": mail_path("ghg:balance_year", organisation.pk, c["year"], language=language)}
                              for c in years],
                    "path": mail_path("ghg:overview", organisation.pk, language=language)}

        notify("ghg/email/balances_recomputed", organisation_recipients(organisation), context)
