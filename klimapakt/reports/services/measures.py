"""Measures, their savings and the catalogue of measure templates; the publication consent."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple, NoReturn

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.formatting import number
from klimapakt.ghg import calculation
from klimapakt.ghg.labels import carrier_label, unit_label
from klimapakt.ghg.selectors import factor_table
from klimapakt.partners.models import Organisation

from ..models import (
    Measure,
    MeasureSaving,
    MeasureTemplate,
    PublicationConsent,
)
from ..units import saving_units
from ._base import LEGACY_UNIT, MEASURE_FIELDS, _refuse

# --- Measures ---------------------------------------------------------------------------


class Saving(NamedTuple):
    """One saving as a person enters it: a carrier, the expected and (once implemented) realised
    quantity per year, and their unit. Without a unit it is the legacy "kWh"."""

    carrier: str
    expected: Decimal | None
    realised: Decimal | None
    unit: str = LEGACY_UNIT


def _legacy_reading(table: calculation.FactorTable, carrier: str, unit: str) -> str | None:
    """kWh_hi where a saving stored before units existed ("kWh") is of a fuel whose factor is per
    kWh_hi: the old rule read such kWh as net calorific value, and those rows keep that reading."""
    if unit != LEGACY_UNIT or not table.has_carrier(carrier):
        return None
    target = table.carrier_info(carrier).unit
    if table.ratio(carrier, LEGACY_UNIT, target) is None and table.ratio(carrier, "kWh_hi", target) is not None:
        return "kWh_hi"
    return None


def _factor_note(line: calculation.LineResult, *, legacy: bool) -> str:
    """Which factor turned the saving into CO2e, in German (the note is stored with the row)."""
    factor = line.factor
    with translation.override("de"):
        note = f"{number(factor.value)} kg je {unit_label(factor.unit)}, "
        note += f"Faktor {factor.year}" if factor.year else "Faktor für alle Jahre"
        if legacy:
            note += "; kWh als Heizwert gelesen (Angabe von vor der Wahl der Einheit)"
    return note


def saving_to_t(*, carrier: str, quantity: Decimal | None, unit: str, year: int,
                table: calculation.FactorTable | None = None, legacy: bool = False) -> tuple[Decimal | None, str]:
    """t CO2e (half-up, 3 places) of `quantity` `unit` of `carrier` in `year` by the one
    calculation rule, and a German note on the factor; (None, "") without a quantity.
    `legacy`: the row was stored as plain "kWh" before units existed (see `_legacy_reading`).
    Raises calculation.CalculationError when the quantity cannot be converted."""
    if quantity is None:
        return None, ""
    table = table or factor_table()
    read_as = (_legacy_reading(table, carrier, unit) if legacy else None) or unit
    result = calculation.calculate(table, year, [{"carrier": carrier, "quantity": quantity, "unit": read_as}])
    line = result.lines[0]
    return calculation.round_t(line.t_location), _factor_note(line, legacy=read_as != unit)


def _refuse_saving(error: calculation.CalculationError, table: calculation.FactorTable, saving: Saving, row: int,
                   quantity_field: str) -> NoReturn:
    """A saving the calculation cannot convert, refused on the row's field with a German message."""
    message = error.errors[0]
    language = (translation.get_language() or "de")[:2]
    if message.field == "unit" and table.has_carrier(saving.carrier):
        units = saving_units(table).get(saving.carrier) or table.units_for(saving.carrier)
        _refuse(_("Die Einsparung für %(carrier)s lässt sich aus %(unit)s nicht in CO₂ umrechnen. Bitte wählen Sie "
                  "eine dieser Einheiten: %(units)s – oder tragen Sie die Tonnen CO₂e selbst ein.") % {
                    "carrier": carrier_label(table, saving.carrier, language=language), "unit": unit_label(saving.unit),
                    "units": ", ".join(unit_label(u) for u in units)}, f"unit_{row}")
    field = {"quantity": quantity_field, "carrier": f"carrier_{row}"}.get(message.field, f"unit_{row}")
    _refuse(message.message(translate=_), field)


def _measure_totals(measure: Measure, savings: list[MeasureSaving]) -> None:
    computed = [s.expected_t_co2e for s in savings if s.expected_t_co2e is not None]
    measure.expected_t_co2e = (sum(computed, Decimal(0)) + (measure.expected_t_manual or 0)) if computed \
        else (measure.expected_t_manual or Decimal(0))
    realised = [s.realised_t_co2e for s in savings if s.realised_t_co2e is not None]
    if realised or measure.realised_t_manual is not None:
        measure.realised_t_co2e = sum(realised, Decimal(0)) + (measure.realised_t_manual or 0)
    else:
        measure.realised_t_co2e = None


@transaction.atomic
def measure_save(*, organisation: Organisation, actor, measure: Measure | None = None,
                 savings: list[Saving | tuple] | None = None, **fields) -> Measure:
    """Create or change a measure with its savings per carrier (a quantity and its unit); t CO2e
    is computed with the factor table (`saving_to_t`). A saving that cannot be converted (kWh of
    diesel) is refused, never stored as 0. A refusal names the field of the saving's row as the
    measure form does (`unit_2`: the second entry of `savings`, empty entries counted).
    Postponing or dropping needs a justification."""
    created = measure is None
    if created:
        measure = Measure(organisation=organisation, created_by=actor)
    elif measure.organisation_id != organisation.pk:
        _refuse(_("Diese Maßnahme gehört zu einer anderen Organisation."))
    old_status = None if created else Measure.objects.filter(pk=measure.pk).values_list("status", flat=True).first()
    for name, value in fields.items():
        if name not in MEASURE_FIELDS:
            raise TypeError(name)
        setattr(measure, name, value)
    measure.scopes = sorted({int(s) for s in (measure.scopes or [])})
    if old_status != measure.status:
        measure.status_changed_at = timezone.now()
    year = timezone.localdate().year - 1
    table = factor_table()
    # Carriers this measure stored as plain kWh before units existed keep the old reading
    legacy = set() if created or savings is None else \
        set(measure.savings.filter(unit=LEGACY_UNIT).values_list("carrier", flat=True))
    rows: list[MeasureSaving] = []
    seen = set()
    for row, raw in enumerate(savings or [], start=1):
        saving = Saving(*raw)
        carrier = saving.carrier
        if not carrier or (saving.expected is None and saving.realised is None):
            continue
        if carrier in seen:
            _refuse(_("Jeder Energieträger darf nur einmal vorkommen."), f"carrier_{row}")
        seen.add(carrier)
        if not table.has_carrier(carrier):
            _refuse(_("Unbekannter Energieträger: %(carrier)s") % {"carrier": carrier}, f"carrier_{row}")
        if not saving.unit:
            _refuse(_("Bitte wählen Sie die Einheit dieser Einsparung."), f"unit_{row}")
        expected = saving.expected or Decimal(0)
        computed = {}
        for name, quantity in (("expected", expected), ("realised", saving.realised)):
            try:
                computed[name] = saving_to_t(carrier=carrier, quantity=quantity, unit=saving.unit, year=year,
                                             table=table, legacy=carrier in legacy)
            except calculation.CalculationError as error:
                _refuse_saving(error, table, saving, row, f"{name}_quantity_{row}")
        (t_exp, note), (t_real, _n) = computed["expected"], computed["realised"]
        rows.append(MeasureSaving(carrier=carrier, unit=saving.unit, expected_quantity=expected,
                                  realised_quantity=saving.realised, expected_t_co2e=t_exp, realised_t_co2e=t_real,
                                  factor_note=note[:300]))
    _measure_totals(measure, rows)
    measure.full_clean(exclude=["organisation", "template", "created_by"])
    measure.save()
    if savings is not None:
        measure.savings.all().delete()
        for row in rows:
            row.measure = measure
        MeasureSaving.objects.bulk_create(rows)
    log_action("reports.measure.created" if created else "reports.measure.changed", obj=measure, actor=actor,
               data={"organisation": organisation.pk, "status": measure.status,
                     "expected_t_co2e": measure.expected_t_co2e, "from_status": old_status})
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, actor) -> None:
    """A measure that was part of a submitted report stays in that report's snapshot."""
    log_action("reports.measure.deleted", obj=measure.organisation, actor=actor,
               data={"measure": measure.pk, "title": measure.title})
    measure.delete()


@transaction.atomic
def measure_template_save(*, actor, template: MeasureTemplate | None = None, **fields) -> MeasureTemplate:
    created = template is None
    template = template or MeasureTemplate()
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean()
    template.save()
    log_action("reports.template.created" if created else "reports.template.changed", obj=template, actor=actor,
               data={"title": template.title_de, "active": template.is_active})
    return template


@transaction.atomic
def consent_update(*, organisation: Organisation, actor, publish_figures: bool) -> PublicationConsent:
    consent, _created = PublicationConsent.objects.select_for_update().get_or_create(organisation=organisation)
    consent.publish_figures = publish_figures
    consent.changed_at = timezone.now()
    consent.changed_by = actor
    consent.save()
    log_action("reports.consent.changed", obj=organisation, actor=actor, data={"publish_figures": publish_figures})
    from klimapakt.partners.services import directory_changed

    directory_changed()
    return consent
