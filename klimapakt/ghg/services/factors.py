"""The factor library (pact office): a correction is a new edition, a new year or a custom
factor is added; every change raises the set's version and recomputes the open balances."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from ..models import Balance, EmissionFactor, FactorSet
from ..selectors import factor_table
from ..tasks import recompute_open_balances
from .bulk import balances_store_year


def _bump(factor_set: FactorSet) -> None:
    FactorSet.objects.filter(pk=factor_set.pk).update(version=factor_set.version + 1, updated_at=timezone.now())
    factor_set.refresh_from_db(fields=["version", "updated_at"])
    transaction.on_commit(lambda: recompute_open_balances.enqueue())


@transaction.atomic
def factor_edition_create(*, factor: EmissionFactor, value, source: str, note: str = "", actor) -> EmissionFactor:
    """Correct a factor: the old row stays (balances that used it keep saying so), a new
    edition becomes current."""
    old = EmissionFactor.objects.select_for_update().get(pk=factor.pk)
    if not old.is_current:
        raise ValidationError(_("Von diesem Faktor gibt es bereits eine neuere Ausgabe."))
    new = EmissionFactor(
        factor_set=old.factor_set, carrier=old.carrier, name_de=old.name_de, name_en=old.name_en, scope=old.scope,
        unit=old.unit, value=value, year=old.year, source=source, note=note, edition=old.edition + 1, replaces=old,
        is_custom=old.is_custom, created_by=actor,
    )
    new.full_clean(exclude=["replaces"])
    EmissionFactor.objects.filter(pk=old.pk).update(is_current=False)
    new.save()
    _bump(old.factor_set)
    log_action("ghg.factor.edition_created", obj=new, actor=actor,
               data={"carrier": new.carrier, "year": new.year, "old_value": old.value, "value": new.value,
                     "edition": new.edition, "source": source})
    return new


@transaction.atomic
def factor_create(*, factor_set: FactorSet, carrier: str, name_de: str, scope: int, unit: str, value, source: str,
                  actor, year: int | None = None, name_en: str = "", note: str = "") -> EmissionFactor:
    """A factor for a new year of a known carrier (e.g. next year's grid mix) or a custom
    factor for a new carrier (Scope 3: business travel, commuting, purchased goods; a
    supplier's district heating)."""
    table = factor_table(factor_set)
    if table.has_carrier(carrier):
        info = table.carrier_info(carrier)
        if info.scope != scope or info.unit != unit:
            raise ValidationError(_("Für „%(carrier)s“ gelten Scope %(scope)s und die Einheit %(unit)s; ein neuer "
                                    "Faktor muss dazu passen.") % {"carrier": carrier, "scope": info.scope,
                                                                    "unit": info.unit})
        if EmissionFactor.objects.filter(factor_set=factor_set, carrier=carrier, year=year, is_current=True).exists():
            raise ValidationError(_("Für dieses Jahr gibt es schon einen Faktor. Legen Sie eine neue Ausgabe an."))
    factor = EmissionFactor(factor_set=factor_set, carrier=carrier, name_de=name_de, name_en=name_en, scope=scope,
                            unit=unit, value=value, year=year, source=source, note=note,
                            is_custom=not table.has_carrier(carrier) or scope == 3, created_by=actor)
    factor.full_clean()
    factor.save()
    _bump(factor_set)
    log_action("ghg.factor.created", obj=factor, actor=actor,
               data={"carrier": carrier, "year": year, "value": factor.value, "unit": unit, "scope": scope})
    return factor


def recompute_open_balances_now(*, table=None) -> int:
    """Recompute every balance that is not frozen with the current factors (in bulk, per year)."""
    table = table or factor_table()
    years = Balance.objects.filter(is_frozen=False).values_list("year", flat=True).distinct()
    return sum(balances_store_year(year=year, table=table) for year in sorted(set(years)))

