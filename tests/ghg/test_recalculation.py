"""After a factor change open balances are recomputed: the ones that changed are listed for the
office and their owners are told; frozen balances keep their values (rule 2a, "Balances not
yet frozen are recomputed with the new values; their owners and the office are told which")."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from klimapakt.core.models import OutboxMail
from klimapakt.ghg import services
from klimapakt.ghg.models import Balance, EmissionFactor, FactorEdition, FactorSet, Recalculation
from klimapakt.ghg.services.factors import factor_edition_load
from klimapakt.ghg.services.recalculation import recompute_stale_balances


def add(org, member, carrier, quantity, unit, year=2024, **kw):
    return services.activity_create(organisation=org, year=year, carrier=carrier, quantity=quantity, unit=unit,
                                    actor=member, **kw)


def mails():
    return list(OutboxMail.objects.filter(template="ghg/email/balances_recomputed"))


@pytest.fixture
def balances(world, org, member):
    """2023 frozen (reported), 2024 open; both 100,000 kWh of electricity."""
    add(org, member, "electricity", "100000", "kWh", year=2023)
    add(org, member, "electricity", "100000", "kWh", year=2024)
    services.balance_freeze(balance=Balance.objects.get(organisation=org, year=2023), actor=world["users"]["office"])
    return org


def test_a_corrected_factor_recomputes_lists_and_tells_the_owner(world, balances, django_capture_on_commit_callbacks):
    office = world["users"]["office"]
    grid_2024 = EmissionFactor.objects.get(carrier="electricity", year=2024, is_current=True)
    grid_2023 = EmissionFactor.objects.get(carrier="electricity", year=2023, is_current=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.factor_edition_create(factor=grid_2024, value=Decimal("0.35"), source="UBA 2026", actor=office)
        services.factor_edition_create(factor=grid_2023, value=Decimal("0.30"), source="UBA 2026", actor=office)
    open_2024 = Balance.objects.get(organisation=balances, year=2024)
    assert open_2024.total_location_t == Decimal("35.000")                    # 100000 x 0.35 kg
    assert Balance.objects.get(organisation=balances, year=2023).total_location_t == Decimal("38.600")  # frozen
    record = Recalculation.objects.order_by("-pk").first()
    years = [(c["year"], c["before"], c["after"]) for r in Recalculation.objects.all() for c in r.changes]
    assert (2024, "36.300", "35.000") in years and all(year != 2023 for year, *_rest in years)
    assert record is not None
    sent = mails()
    assert sent and all(balances.name == m.context["organisation"] for m in sent)
    assert sent[0].context["years"][0]["before"] == "36,300\xa0t"
    assert sent[0].context["years"][0]["after"] == "35,000\xa0t"


def test_stale_balances_are_caught_up_by_the_minute_job_once(balances):
    Balance.objects.filter(organisation=balances, year=2024).update(factor_set_version=0, total_location_t=1)
    call_command("recompute_balances", verbosity=0)
    balance = Balance.objects.get(organisation=balances, year=2024)
    assert balance.factor_set_version == FactorSet.objects.current().version
    # the stored exact values did not change: nothing to tell
    assert Recalculation.objects.get().changes == [] and not mails()
    assert recompute_stale_balances() is None


def test_a_new_edition_file_changes_open_balances_and_not_frozen_ones(world, balances, tmp_path,
                                                                      django_capture_on_commit_callbacks):
    edition = tmp_path / "electricity_uba_cc16-2026.csv"
    edition.write_text(
        "carrier,name_de,name_en,scope,unit,kg_co2_per_unit,year,status,source,note\n"
        "electricity,Strom (Bundesmix),Electricity (German grid mix),2,kWh,0.380,2023,final,\"UBA CC 16/2026\",\n"
        "electricity,Strom (Bundesmix),Electricity (German grid mix),2,kWh,0.352,2024,preliminary,\"UBA CC 16/2026\",\n"
        "electricity,Strom (Bundesmix),Electricity (German grid mix),2,kWh,0.330,2025,estimate,\"UBA CC 16/2026\",\n",
        encoding="utf-8")
    version = FactorSet.objects.current().version
    with django_capture_on_commit_callbacks(execute=True):
        assert factor_edition_load(path=edition, actor=world["users"]["office"]) == 3
    assert FactorSet.objects.current().version == version + 1
    assert FactorEdition.objects.filter(key="electricity_uba_cc16-2026").exists()
    assert Balance.objects.get(organisation=balances, year=2024).total_location_t == Decimal("35.200")
    assert Balance.objects.get(organisation=balances, year=2023).total_location_t == Decimal("38.600")
    current = EmissionFactor.objects.get(carrier="electricity", year=2024, is_current=True)
    assert (current.edition, current.status) == (3, "preliminary")
    assert factor_edition_load(path=edition, actor=None) == 0  # loaded once


def test_an_edition_file_that_does_not_fit_is_refused_whole(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("carrier,name_de,name_en,scope,unit,kg_co2_per_unit,year,status,source,note\n"
                   "electricity,Strom,Electricity,2,l,0.3,2024,final,x,\n", encoding="utf-8")
    with pytest.raises(ValueError):
        factor_edition_load(path=bad, actor=None)
    assert not FactorEdition.objects.filter(key="bad").exists()


EDITION_HEADER = "carrier,name_de,name_en,scope,unit,kg_co2_per_unit,year,status,source,note\n"


@pytest.mark.parametrize("rows,message", [
    # UBA publishes the grid mix in g/kWh: 363 kg/kWh recomputed every open balance 1000x too high
    ("electricity,Strom,Electricity,2,kWh,363,2024,final,UBA,\n", "g/kWh"),
    ("electricity,Strom,Electricity,2,kWh,NaN,2024,final,UBA,\n", "electricity"),  # was an InvalidOperation
    ("electricity,Strom,Electricity,2,kWh,0.35,2024,final,UBA,\nelectricity,Strom,Electricity,2,kWh,0.36,2024,final,"
     "UBA,\n", "zweimal"),
    # no column for the refrigerant: stored a refrigerant without a name, and "Kältemittel" read "R-32"
    ("refrigerant,R-32,R-32,1,kg,0,,final,IPCC,\n", "Kältemittel"),
    ("electricity,Strom,Electricity,2,kWh,0.35,2024,bogus,UBA,\n", "bogus"),
])
def test_an_edition_file_with_an_implausible_row_is_refused_whole(world, tmp_path, rows, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(EDITION_HEADER + rows, encoding="utf-8")
    before = EmissionFactor.objects.count()
    with pytest.raises(ValueError) as error:
        factor_edition_load(path=bad, actor=None)
    assert message in str(error.value)
    assert EmissionFactor.objects.count() == before and not FactorEdition.objects.filter(key="bad").exists()


def test_the_office_cannot_give_the_grid_mix_a_value_in_g_per_kwh(world):
    from django.core.exceptions import ValidationError

    grid = EmissionFactor.objects.get(carrier="electricity", year=2024, is_current=True)
    with pytest.raises(ValidationError) as error:
        services.factor_edition_create(factor=grid, value=Decimal("363"), source="UBA", actor=None)
    assert "g/kWh" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.factor_create(factor_set=FactorSet.objects.current(), carrier="electricity", name_de="Strom",
                               scope=2, unit="kWh", value=Decimal("380"), year=2026, source="UBA", actor=None)
    r32 = EmissionFactor.objects.get(carrier="refrigerant", variant="R-32", is_current=True)
    assert services.factor_edition_create(factor=r32, value=Decimal("675"), source="AR4", actor=None).value == 675


def test_the_office_sees_which_balances_changed(world, balances, client_for, django_capture_on_commit_callbacks):
    grid = EmissionFactor.objects.get(carrier="electricity", year=2024, is_current=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.factor_edition_create(factor=grid, value=Decimal("0.35"), source="UBA 2026",
                                       actor=world["users"]["office"])
    html = client_for(world["users"]["office"]).get("/geschaeftsstelle/emissionsfaktoren/").content.decode()
    assert "Neu berechnete Bilanzen" in html and balances.name in html
    assert "36,300\xa0t" in html and "35,000\xa0t" in html
    assert "Strommix 1990–2024" in html  # the loaded edition


def test_office_adds_a_refrigerant_blend_computed_from_its_components(world):
    factor_set = FactorSet.objects.current()
    blend = services.factor_create(
        factor_set=factor_set, carrier="refrigerant", variant="R-449A", composition="R-32:24.3;R-125:24.7;R-134a:25.7;"
        "R-1234yf:25.3", name_de="R-449A", scope=1, unit="kg", value=Decimal(0), source="ASHRAE 34", actor=None)
    expected = (Decimal("24.3") * 771 + Decimal("24.7") * 3740 + Decimal("25.7") * 1530
                + Decimal("25.3") * Decimal("0.501")) / 100
    assert blend.value == expected.quantize(Decimal("1e-9"))
    from klimapakt.ghg.calculation import calculate
    from klimapakt.ghg.selectors import factor_table

    line = calculate(factor_table(), 2024, [{"carrier": "refrigerant", "refrigerant": "r449a", "quantity": "1",
                                             "unit": "kg"}]).lines[0]
    assert line.factor.value == expected
    with pytest.raises(Exception):  # noqa: B017,PT011 - a ValidationError naming the field
        services.factor_create(factor_set=factor_set, carrier="refrigerant", variant="R-449A", name_de="x", scope=1,
                               unit="kg", value=Decimal(1), source="x", actor=None)
    with pytest.raises(Exception):  # noqa: B017,PT011
        services.factor_edition_create(factor=blend, value=Decimal(1), source="x", actor=None)


@pytest.mark.parametrize("composition,message", [
    ("R-125:150;R-32:-50", "größer als 0 und höchstens 100"),  # adds up to 100, but a negative share (GWP 5,224.5)
    ("R-32:0;R-125:100", "größer als 0 und höchstens 100"),
    ("R-32:50;R-32:50", "mehrfach"),
    ("R-404A:50;R-32:50", "Gemisch"),  # a blend of a blend kept its value when R-125 got a new GWP
])
def test_office_cannot_add_a_blend_with_a_broken_composition(world, composition, message):
    from django.core.exceptions import ValidationError

    factor_set = FactorSet.objects.current()
    with pytest.raises(ValidationError) as error:
        services.factor_create(factor_set=factor_set, carrier="refrigerant", variant="R-X1", composition=composition,
                               name_de="R-X1", scope=1, unit="kg", value=Decimal(1), source="x", actor=None)
    assert message in error.value.message_dict["composition"][0]
    assert not EmissionFactor.objects.filter(variant="R-X1").exists()


def test_a_blend_is_added_without_typing_a_value(world, client_for):
    """The value of a blend is computed from its components; the form asked for one anyway and
    hid every composition error behind "Dieses Feld ist zwingend erforderlich"."""
    office = client_for(world["users"]["office"])
    data = {"carrier": "refrigerant", "variant": "R-X2", "composition": "R-32:50;R-125:50", "name_de": "R-X2",
            "name_en": "", "scope": "1", "unit": "kg", "value": "", "year": "", "status": "", "source": "x",
            "note": ""}
    response = office.post("/geschaeftsstelle/emissionsfaktoren/neu/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert EmissionFactor.objects.get(variant="R-X2").value == Decimal("2255.5")  # (771 + 3740) / 2
    html = office.post("/geschaeftsstelle/emissionsfaktoren/neu/", data | {"variant": "R-X3", "value": "",
                                                                          "composition": ""}).content.decode()
    assert "Dieses Feld ist zwingend erforderlich" in html  # a pure refrigerant needs its value


def test_the_owners_mail_reads_in_german(world, balances, django_capture_on_commit_callbacks):
    from klimapakt.core.mail import render_mail

    grid = EmissionFactor.objects.get(carrier="electricity", year=2024, is_current=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.factor_edition_create(factor=grid, value=Decimal("0.35"), source="UBA 2026",
                                       actor=world["users"]["office"])
    mail = mails()[0]
    subject, text, html = render_mail(mail.template, mail.context, mail.language)
    assert "neu berechnet" in subject
    assert "2024: 36,300\xa0t → 35,000\xa0t CO₂e" in text and "/co2-bilanz/2024/" in html
