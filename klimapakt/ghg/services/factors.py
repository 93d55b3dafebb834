"""The factor library (pact office): a correction is a new edition, a new year or a custom
factor is added; every change raises the set's version and recomputes the open balances."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from ..models import EmissionFactor, FactorSet
from ..selectors import factor_table
from ..tasks import recompute_open_balances


def _bump(factor_set: FactorSet) -> None:
    FactorSet.objects.filter(pk=factor_set.pk).update(version=factor_set.version + 1, updated_at=timezone.now())
    factor_set.refresh_from_db(fields=["version", "updated_at"])
    transaction.on_commit(lambda: recompute_open_balances.enqueue())


@transaction.atomic
def factor_edition_create(*, factor: EmissionFactor, value, source: str, note: str = "", status: str = "",
                          actor) -> EmissionFactor:
    """Correct a factor (or give a refrigerant a new GWP edition, e.g. a newer IPCC report): the
    old row stays (balances that used it keep saying so), a new edition becomes current. A
    blend's value follows from its components: their editions change it."""
    old = EmissionFactor.objects.select_for_update().get(pk=factor.pk)
    if not old.is_current:
        raise ValidationError(_("Von diesem Faktor gibt es bereits eine neuere Ausgabe."))
    if old.composition:
        raise ValidationError(_("Der Wert eines Kältemittel-Gemischs ergibt sich aus seinen Komponenten: Legen Sie "
                                "eine neue Ausgabe der Komponenten an."))
    problem = implausible_value(unit=old.unit, value=value)
    if problem:
        raise ValidationError({"value": problem})
    new = EmissionFactor(
        factor_set=old.factor_set, carrier=old.carrier, variant=old.variant, name_de=old.name_de, name_en=old.name_en,
        scope=old.scope, unit=old.unit, value=value, year=old.year, source=source, note=note, status=status,
        gwp_eu_2024_573=old.gwp_eu_2024_573, edition=old.edition + 1, replaces=old, is_custom=old.is_custom,
        created_by=actor,
    )
    new.full_clean(exclude=["replaces"])
    EmissionFactor.objects.filter(pk=old.pk).update(is_current=False)
    new.save()
    _bump(old.factor_set)
    log_action("ghg.factor.edition_created", obj=new, actor=actor,
               data={"carrier": new.carrier, "year": new.year, "old_value": old.value, "value": new.value,
                     "edition": new.edition, "source": source})
    return new


PER_KWH_UNITS = ("kWh", "kWh_hi", "kWh_hs")


def implausible_value(*, unit: str, value) -> str | None:
    """A factor per kWh above the cap of a supplier's factor (5 kg CO2 per kWh; lignite power is
    about 1.2) is a value in g/kWh, the way UBA publishes the grid mix: 363 would make every
    open balance a thousand times too high. Returns the message, or None."""
    from .. import calculation

    if unit in PER_KWH_UNITS and value is not None and value > calculation.MAX_SUPPLIER_FACTOR:
        return _("%(value)s kg CO₂ je kWh ist unplausibel hoch (höchstens %(max)s). Steht der Wert in g/kWh? "
                 "363 g/kWh sind 0,363 kg/kWh.") % {"value": value.normalize(), "max": calculation.MAX_SUPPLIER_FACTOR}
    return None


@transaction.atomic
def factor_create(*, factor_set: FactorSet, carrier: str, name_de: str, scope: int, unit: str, value, source: str,
                  actor, year: int | None = None, name_en: str = "", note: str = "", variant: str = "",
                  composition: str = "", status: str = "") -> EmissionFactor:
    """A factor for a new year of a known carrier (e.g. next year's grid mix), a custom factor
    for a new carrier (Scope 3: business travel, commuting, purchased goods; a supplier's
    district heating) or a refrigerant (carrier ``refrigerant``, ``variant`` its name; a blend
    by its ``composition``, its value then computed from the components, rule 7)."""
    from .. import calculation

    table = factor_table(factor_set)
    variant = (variant or "").strip()
    if table.variant_field(carrier) or carrier in calculation.VARIANT_CARRIERS:
        if not variant:
            raise ValidationError({"variant": _("Bitte geben Sie an, welches Kältemittel das ist, z. B. R-449A.")})
        if table.canonical_variant(carrier, variant) is not None:
            raise ValidationError({"variant": _("Dieses Kältemittel gibt es schon. Legen Sie eine neue Ausgabe an.")})
    elif variant or composition:
        raise ValidationError({"variant": _("Eine Kältemittel-Angabe gehört nur zum Energieträger „refrigerant“.")})
    if composition:
        try:
            parts = calculation.parse_composition(composition)
        except calculation.CompositionError as error:
            message = {"share": _("Jeder Anteil muss größer als 0 und höchstens 100 sein."),
                       "duplicate": _("Eine Komponente ist mehrfach genannt; bitte jede nur einmal angeben.")
                       }.get(error.reason, _("Bitte so angeben: „R-32:50;R-125:50“; die Anteile ergeben "
                                             "zusammen 100."))
            raise ValidationError({"composition": message}) from None
        unknown = [name for name, _share in parts if table.canonical_variant(carrier, name) != name]
        if unknown:
            raise ValidationError({"composition": _("Unbekannte Komponenten: %(names)s. Legen Sie sie zuerst an.")
                                   % {"names": ", ".join(unknown)}})
        # Rule 7: a blend follows its components' current values; the table computes it from pure
        # refrigerants only, so a blend of a blend would keep its value when a component changes.
        blends = [name for name, _share in parts if table.carrier_rows(carrier, name)[-1].composition]
        if blends:
            raise ValidationError({"composition": _("%(names)s ist selbst ein Gemisch; bitte die reinen Kältemittel "
                                                    "angeben, aus denen es besteht.") % {"names": ", ".join(blends)}})
        composition = calculation.format_composition(parts)
        value = sum((share * table.factor_for(carrier, year or calculation.MAX_YEAR, name)[0].value / 100
                     for name, share in parts), Decimal(0)).normalize()
        # Stored for reference; the factor table computes the blend exactly from its components.
        if value.as_tuple().exponent < -9:
            value = value.quantize(Decimal("1e-9"))
    if not variant and table.has_carrier(carrier):
        info = table.carrier_info(carrier)
        if info.scope != scope or info.unit != unit:
            raise ValidationError(_("Für „%(carrier)s“ gelten Scope %(scope)s und die Einheit %(unit)s; ein neuer "
                                    "Faktor muss dazu passen.") % {"carrier": carrier, "scope": info.scope,
                                                                    "unit": info.unit})
        if EmissionFactor.objects.filter(factor_set=factor_set, carrier=carrier, year=year, is_current=True).exists():
            raise ValidationError(_("Für dieses Jahr gibt es schon einen Faktor. Legen Sie eine neue Ausgabe an."))
    if variant:
        info = table.carrier_info(carrier) if table.has_carrier(carrier) else None
        expected = (info.scope, info.unit) if info else (calculation.VARIANT_CARRIERS[carrier]["scope"],
                                                         calculation.VARIANT_CARRIERS[carrier]["unit"])
        if (scope, unit) != expected:
            raise ValidationError(_("Kältemittel gehören zu Scope %(scope)s mit der Einheit %(unit)s.")
                                  % {"scope": expected[0], "unit": expected[1]})
    problem = implausible_value(unit=unit, value=value)
    if problem:
        raise ValidationError({"value": problem})
    factor = EmissionFactor(factor_set=factor_set, carrier=carrier, variant=variant, composition=composition,
                            status=status, name_de=name_de, name_en=name_en, scope=scope,
                            unit=unit, value=value, year=year, source=source, note=note,
                            is_custom=not table.has_carrier(carrier) or scope == 3 or bool(variant), created_by=actor)
    factor.full_clean()
    factor.save()
    _bump(factor_set)
    log_action("ghg.factor.created", obj=factor, actor=actor,
               data={"carrier": carrier, "year": year, "value": factor.value, "unit": unit, "scope": scope,
                     **({"refrigerant": variant} if variant else {})})
    return factor


def recompute_open_balances_now() -> int:
    """Recompute every open balance computed with an older factor-set version, list the changed
    ones for the office and tell their owners (services.recalculation). Returns the number
    of balances recomputed."""
    from .recalculation import recompute_stale_balances

    record = recompute_stale_balances()
    return record.balances if record else 0



MAX_EDITION_ROWS = 5000
EDITION_COLUMNS = {"carrier", "name_de", "name_en", "scope", "unit", "year", "source"}


@transaction.atomic
def factor_edition_load(*, path, actor, key: str = "", name_de: str = "", name_en: str = "") -> int:
    """Load a file of factors as a new edition of the default set (rule 2a): each row becomes the
    newest edition of its carrier and year; frozen balances keep the rows they used; open ones
    are recomputed (and their owners told) once this commits. Every row is checked first: a
    file that does not fit the carriers it names is refused whole. Returns the rows loaded."""
    import csv

    from .. import calculation
    from ..defaults import load_edition

    with open(path, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    with open(path, encoding="utf-8", newline="") as handle:
        statuses = {(row.get("status") or "").strip() for row in csv.DictReader(handle)} - {""}
    missing = EDITION_COLUMNS - set(header)
    if missing or not ({"kg_co2_per_unit", "kg_co2e_per_unit"} & set(header)):
        raise ValueError(_("Der Datei fehlen Spalten: %(columns)s") % {
            "columns": ", ".join(sorted(missing) or ["kg_co2_per_unit"])})
    try:
        rows = calculation.factors_from_csv(path)
    except (ValueError, KeyError, ArithmeticError) as error:
        raise ValueError(_("Die Datei enthält eine unlesbare Zeile: %(error)s") % {"error": error}) from None
    if not rows or len(rows) > MAX_EDITION_ROWS:
        raise ValueError(_("Eine Ausgabe hat 1 bis %(n)s Zeilen.") % {"n": MAX_EDITION_ROWS})
    unknown = sorted(statuses - set(calculation.STATUSES))
    if unknown:
        raise ValueError(_("Unbekannter Stand „%(status)s“. Möglich: %(allowed)s.")
                         % {"status": unknown[0][:40], "allowed": ", ".join(calculation.STATUSES)})
    table = factor_table()
    seen = set()
    for row in rows:
        if row.carrier in calculation.VARIANT_CARRIERS or table.variant_field(row.carrier):
            raise ValueError(_("Eine Ausgabe-Datei hat keine Spalte für die Bezeichnung eines Kältemittels: Legen Sie "
                               "die neue Ausgabe eines Kältemittels unter Emissionsfaktoren mit „Neue Ausgabe“ an."))
        if table.has_carrier(row.carrier):
            info = table.carrier_info(row.carrier)
            if (info.scope, info.unit) != (row.scope, row.unit):
                raise ValueError(_("„%(carrier)s“ hat Scope %(scope)s und die Einheit %(unit)s; die Datei sagt "
                                   "anderes.") % {"carrier": row.carrier, "scope": info.scope, "unit": info.unit})
        if not row.value.is_finite() or row.value < 0 or (
                row.year is not None and not calculation.MIN_YEAR <= row.year <= calculation.MAX_YEAR):
            raise ValueError(_("Unplausible Zeile für „%(carrier)s“ %(year)s.") % {"carrier": row.carrier,
                                                                                 "year": row.year or ""})
        problem = implausible_value(unit=row.unit, value=row.value)
        if problem:
            raise ValueError(problem)
        if (row.carrier, row.year) in seen:
            raise ValueError(_("„%(carrier)s“ %(year)s steht zweimal in der Datei.")
                             % {"carrier": row.carrier, "year": row.year or ""})
        seen.add((row.carrier, row.year))
    loaded = load_edition(path, key=key, name_de=name_de, name_en=name_en, actor=actor)
    if loaded:
        factor_set = FactorSet.objects.current()
        FactorSet.objects.filter(pk=factor_set.pk).update(updated_at=timezone.now())
        transaction.on_commit(lambda: recompute_open_balances.enqueue())
        log_action("ghg.edition.loaded", obj=factor_set, actor=actor,
                   data={"edition": key or str(path).rsplit("/", 1)[-1], "rows": loaded})
    return loaded
