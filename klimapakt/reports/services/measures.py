"""Measures, their savings and the catalogue of measure templates; the publication consent."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.ghg import calculation
from klimapakt.ghg.selectors import factor_table
from klimapakt.partners.models import Organisation

from ..models import (
    Measure,
    MeasureSaving,
    MeasureTemplate,
    PublicationConsent,
)
from ._base import KWH_UNITS, MEASURE_FIELDS, _refuse

# --- Measures ---------------------------------------------------------------------------


def kwh_to_t(carrier: str, kwh: Decimal | None, year: int, table: calculation.FactorTable | None = None
             ) -> tuple[Decimal | None, str]:
    """t CO2e of `kwh` of `carrier` in `year` with the factor library, and a note which factor
    was used; (None, reason) when the library cannot turn kWh of this carrier into CO2e."""
    if kwh is None:
        return None, ""
    table = table or factor_table()
    if not table.has_carrier(carrier):
        return None, _("Unbekannter Energieträger")
    try:
        factor, _fallback = table.factor_for(carrier, year)
    except LookupError:
        return None, _("Kein Faktor für dieses Jahr")
    for unit in KWH_UNITS:
        ratio = table.ratio(carrier, unit, factor.unit)
        if ratio is not None:
            kg = Fraction(kwh) * ratio * Fraction(factor.value)
            note = f"{factor.value.normalize():f} kg/{factor.unit} ({factor.year or _('alle Jahre')})"
            return calculation.round_t(kg / 1000), note
    return None, _("Nicht aus kWh berechenbar (z. B. Liter): bitte t CO₂e selbst angeben.")


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
                 savings: list[tuple[str, Decimal | None, Decimal | None]] | None = None, **fields) -> Measure:
    """Create or change a measure with its savings per carrier (kWh); t CO2e is computed from the
    kWh with the factor library where possible. Postponing or dropping needs a justification."""
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
    if measure.status not in Measure.NEEDS_JUSTIFICATION and measure.status != Measure.Status.IMPLEMENTED:
        pass
    if old_status != measure.status:
        measure.status_changed_at = timezone.now()
    year = timezone.localdate().year - 1
    table = factor_table()
    rows: list[MeasureSaving] = []
    seen = set()
    for carrier, expected, realised in savings or []:
        if not carrier or (expected is None and realised is None):
            continue
        if carrier in seen:
            _refuse(_("Jeder Energieträger darf nur einmal vorkommen."), "savings")
        seen.add(carrier)
        if not table.has_carrier(carrier):
            _refuse(_("Unbekannter Energieträger: %(carrier)s") % {"carrier": carrier}, "savings")
        t_exp, note = kwh_to_t(carrier, expected or Decimal(0), year, table)
        t_real, _n = kwh_to_t(carrier, realised, year, table)
        rows.append(MeasureSaving(carrier=carrier, expected_kwh=expected or Decimal(0), realised_kwh=realised,
                                  expected_t_co2e=t_exp, realised_t_co2e=t_real, factor_note=note[:300]))
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
