"""Issue 12: a measure's saving carries its unit and is converted by the one calculation rule.
Diesel in litres gives the hand-computed tonnes; a saving that cannot be converted (kWh of
diesel) is refused with a German message and nothing is stored; rows stored before units
existed keep their reading, and one that could never be converted is flagged, never shown as 0."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klimapakt.ghg.calculation import Conversion, Factor, FactorTable, default_table
from klimapakt.ghg.labels import unit_label
from klimapakt.reports import services
from klimapakt.reports.models import Measure, MeasureSaving
from klimapakt.reports.units import form_choices, saving_units

from .conftest import SIGNED, add_balance

DIESEL_KWH = "Die Einsparung für Diesel (B7) lässt sich aus kWh nicht in CO₂ umrechnen."


def _save(partner, member, savings, measure=None, **fields):
    fields = {"title": "Fuhrpark", "category": "mobility", "status": "planned"} | fields
    return services.measure_save(organisation=partner, actor=member, measure=measure, savings=savings, **fields)


def _year():
    return datetime.date.today().year - 1


# --- the service --------------------------------------------------------------------------------


def test_diesel_in_litres_gives_the_hand_computed_tonnes_rounded_half_up(partner, member):
    measure = _save(partner, member, [("diesel", Decimal(500), Decimal(400), "l")])
    saving = measure.savings.get()
    # 500 l x 2.645 kg/l = 1322.5 kg = 1.3225 t -> 1.323 (half-up; half-even would give 1.322)
    assert saving.expected_t_co2e == Decimal("1.323")
    # 400 l x 2.645 kg/l = 1.058 t
    assert saving.realised_t_co2e == Decimal("1.058")
    assert (saving.unit, saving.expected_quantity) == ("l", Decimal(500))
    assert saving.factor_note == "2,645 kg je Liter, Faktor für alle Jahre"
    measure.refresh_from_db()
    assert measure.expected_t_co2e == Decimal("1.323") and measure.realised_t_co2e == Decimal("1.058")


def test_diesel_in_kwh_is_refused_in_german_and_nothing_is_saved(partner, member):
    with pytest.raises(ValidationError) as info:
        _save(partner, member, [("electricity", Decimal(1000), None, "kWh"), ("diesel", Decimal(1000), None, "kWh")])
    [message] = info.value.message_dict["unit_2"]
    assert message.startswith(DIESEL_KWH)
    assert "Liter" in message and "Tonnen CO₂e selbst" in message
    assert not Measure.objects.exists() and not MeasureSaving.objects.exists()


def test_a_refused_saving_leaves_an_existing_measure_as_it_was(partner, member):
    measure = _save(partner, member, [("diesel", Decimal(500), None, "l")])
    with pytest.raises(ValidationError) as info:
        _save(partner, member, [("diesel", Decimal(800), None, "kWh")], measure=measure, title="Neu")
    assert "unit_1" in info.value.message_dict
    measure.refresh_from_db()
    assert measure.title == "Fuhrpark" and measure.expected_t_co2e == Decimal("1.323")
    assert list(measure.savings.values_list("unit", "expected_quantity")) == [("l", Decimal(500))]


def test_electricity_in_kwh_uses_the_factor_of_last_year(partner, member):
    from klimapakt.ghg.selectors import factor_table

    factor, _fallback = factor_table().factor_for("electricity", _year())
    measure = _save(partner, member, [("electricity", Decimal(10000), None, "kWh")])
    expected = (Decimal(10000) * factor.value / 1000).quantize(Decimal("0.001"))
    assert measure.savings.get().expected_t_co2e == expected == measure.expected_t_co2e
    assert expected > 0


def test_natural_gas_in_kwh_hs_is_converted_to_net_calorific_value(partner, member):
    measure = _save(partner, member, [("natural_gas", Decimal(10000), None, "kWh_hs")])
    saving = measure.savings.get()
    # 10000 kWh_hs / 1.11 = 9009.009... kWh_hi x 0.201 kg = 1810.81 kg -> 1.811 t
    exact = Fraction(10000) / Fraction("1.11") * Fraction("0.201") / 1000
    assert saving.expected_t_co2e == Decimal("1.811") and abs(Fraction(saving.expected_t_co2e) - exact) < Fraction(1, 2000)
    assert saving.factor_note == "0,201 kg je kWh (Heizwert), Faktor für alle Jahre"


def test_plain_kwh_of_natural_gas_is_ambiguous_for_a_new_saving(partner, member):
    with pytest.raises(ValidationError) as info:
        _save(partner, member, [("natural_gas", Decimal(10000), None, "kWh")])
    [message] = info.value.message_dict["unit_1"]
    assert message.startswith("Die Einsparung für Erdgas lässt sich aus kWh nicht in CO₂ umrechnen.")
    assert "kWh (Brennwert)" in message and "kWh (Heizwert)" in message
    assert not Measure.objects.exists()


def test_a_row_stored_before_units_keeps_its_reading(partner, member):
    """Rows from before migration 0006 have unit "kWh"; for natural gas the old rule read them as
    kWh_hi (net calorific value). Saving the measure again (the form sends the stored row back)
    computes the same tonnes and says how the kWh were read."""
    measure = _save(partner, member, [])
    MeasureSaving.objects.create(measure=measure, carrier="natural_gas", expected_quantity=Decimal(10000),
                                 expected_t_co2e=None)
    assert measure.savings.get().unit == "kWh"
    saved = _save(partner, member, [("natural_gas", Decimal(10000), None)], measure=measure)
    saving = saved.savings.get()
    assert saving.unit == "kWh" and saving.expected_t_co2e == Decimal("2.010")  # 10000 x 0.201 / 1000
    assert "kWh als Heizwert gelesen" in saving.factor_note
    assert saved.expected_t_co2e == Decimal("2.010")


def test_unknown_unit_and_missing_unit_are_refused(partner, member):
    with pytest.raises(ValidationError) as info:
        _save(partner, member, [("", None, None, ""), ("electricity", Decimal(5), None, "Fass")])
    assert "unit_2" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        _save(partner, member, [("electricity", Decimal(5), None, "")])
    assert info.value.message_dict["unit_1"] == ["Bitte wählen Sie die Einheit dieser Einsparung."]
    assert not Measure.objects.exists()


# --- carriers and units the form offers ----------------------------------------------------------


def test_the_form_offers_carriers_that_need_only_quantity_and_unit():
    base = default_table()
    refrigerant = Factor(id="r", carrier="refrigerant", name_de="Kältemittel", name_en="Refrigerant", scope=1,
                         unit="kg", value=Decimal(1430), year=None, source="test")
    gas_m3 = Conversion(carrier="natural_gas", from_unit="m3", to_unit="kWh_hs", numerator=Decimal("10.5"),
                        denominator=Decimal(1))
    table = FactorTable([*base.factors, refrigerant], [*base.conversions, gas_m3])
    assert "m3" in table.units_for("natural_gas")
    offered = saving_units(table)
    assert "refrigerant" not in offered and "m3" not in offered["natural_gas"]
    assert offered["diesel"] == ["l", "m3"] and offered["electricity"] == ["kWh", "MWh"]
    assert offered["natural_gas"][0] == "kWh_hs"
    carriers, units, usual = form_choices(table)
    assert ("diesel", "Diesel (B7)") in carriers and "refrigerant" not in dict(carriers)
    assert [u for u, _label in units][:3] == ["kWh", "MWh", "kWh_hs"]
    assert ("l", "Liter") in units and ("kWh_hs", "kWh (Brennwert)") in units
    assert usual["diesel"] == "l" and usual["natural_gas"] == "kWh_hs"


def test_unit_labels_are_german():
    assert [unit_label(u) for u in ("kWh_hs", "kWh_hi", "l", "m3", "pkm", "kg", "t", "kWh")] == [
        "kWh (Brennwert)", "kWh (Heizwert)", "Liter", "m³", "Personenkilometer", "kg", "t", "kWh"]


# --- pages ---------------------------------------------------------------------------------------


def _form(**extra):
    return {"title": "Fuhrpark", "category": "mobility", "status": "planned", **extra}


def test_measure_form_refuses_diesel_in_kwh_under_the_row_and_saves_litres(partner, member, client_for):
    client = client_for(member)
    url = reverse("reports:measure_create", args=[partner.pk])
    page = client.get(url).content.decode()
    assert 'name="unit_1"' in page and "Erwartete Einsparung 1 (Menge pro Jahr)" in page
    assert '<option value="l">Liter</option>' in page and "kWh pro Jahr" not in page
    response = client.post(url, _form(carrier_1="diesel", unit_1="kWh", expected_quantity_1="500"))
    assert response.status_code == 200 and not Measure.objects.exists()
    form = response.context["form"]
    assert form.errors["unit_1"][0].startswith(DIESEL_KWH)
    assert DIESEL_KWH in response.content.decode()
    # A quantity without a unit is asked for
    response = client.post(url, _form(carrier_1="diesel", expected_quantity_1="500"))
    assert "unit_1" in response.context["form"].errors and not Measure.objects.exists()
    response = client.post(url, _form(carrier_1="diesel", unit_1="l", expected_quantity_1="500"))
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.expected_t_co2e == Decimal("1.323")
    listing = client.get(reverse("reports:measures", args=[partner.pk])).content.decode()
    assert "1,323" in listing
    edit = client.get(reverse("reports:measure_edit", args=[partner.pk, measure.pk])).content.decode()
    assert "Diesel (B7)" in edit and "2,645 kg je Liter" in edit
    assert '<option value="l" selected>Liter</option>' in edit


def test_template_prefills_the_usual_unit(partner, member, client_for):
    from klimapakt.reports.models import MeasureTemplate

    template = MeasureTemplate.objects.create(title_de="Wärmepumpe", category="heat", carrier="natural_gas")
    page = client_for(member).get(reverse("reports:measure_create", args=[partner.pk]) + f"?vorlage={template.pk}")
    assert '<option value="kWh_hs" selected>kWh (Brennwert)</option>' in page.content.decode()


def test_a_stored_saving_that_cannot_be_converted_is_flagged_not_shown_as_zero(partner, member, client_for):
    """Before the fix, diesel in kWh was stored with no tonnes and the measure read 0,000 t."""
    measure = _save(partner, member, [])
    MeasureSaving.objects.create(measure=measure, carrier="diesel", expected_quantity=Decimal(1000),
                                 expected_t_co2e=None)
    client = client_for(member)
    listing = client.get(reverse("reports:measures", args=[partner.pk])).content.decode()
    table = listing[listing.index('id="measures"'):listing.index("</table>", listing.index('id="measures"'))]
    assert "nicht umrechenbar" in table and "0,000" not in table
    edit = client.get(reverse("reports:measure_edit", args=[partner.pk, measure.pk])).content.decode()
    assert "nicht umrechenbar" in edit
    # Saving it again as it is is refused; the report cannot be submitted with it
    with pytest.raises(ValidationError):
        _save(partner, member, [("diesel", Decimal(1000), None)], measure=measure)
    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    with pytest.raises(ValidationError) as info:
        services.report_submit(report=report, actor=member)
    assert "„Fuhrpark“" in " ".join(info.value.messages)
    # Fixed with litres, the measure counts and the report goes in
    _save(partner, member, [("diesel", Decimal(500), None, "l")], measure=measure)
    services.report_submit(report=report, actor=member)
    report.refresh_from_db()
    assert report.expected_savings_t == Decimal("1.323")
    [snapshot_measure] = report.versions.get().snapshot["measures"]
    assert snapshot_measure["savings"] == [{"carrier": "diesel", "unit": "l", "expected_quantity": "500.0",
                                            "realised_quantity": None, "expected_t_co2e": "1.323",
                                            "realised_t_co2e": None}]
