"""Stored balances, factor editions, freezing, attachments, imports (services and pages)."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klimapakt.ghg import services
from klimapakt.ghg.models import ActivityLine, Balance, BalanceLine, EmissionFactor, FactorSet, ImportJob


@pytest.fixture
def org(world):
    return world["org_a"]


@pytest.fixture
def member(world):
    return world["users"]["member_a"]


def add(org, member, carrier, quantity, unit, year=2024, **kw):
    return services.activity_create(organisation=org, year=year, carrier=carrier, quantity=quantity, unit=unit,
                                    actor=member, **kw)


def test_default_factor_set_is_loaded_by_migration(db):
    factor_set = FactorSet.objects.current()
    # 19 rows of the default set, 7 Scope 3 defaults, 10 refrigerants, 35 rows of the grid-mix edition
    assert factor_set.factors.count() == 71 and factor_set.conversions.count() == 11
    assert factor_set.factors.filter(is_current=True).count() == 64
    gas = factor_set.factors.get(carrier="natural_gas")
    assert gas.value == Decimal("0.201") and gas.year is None and "BAFA" in gas.source
    edition = factor_set.editions.get()
    assert edition.key == "electricity_uba_cc13-2025" and edition.rows == 35
    y2018 = factor_set.factors.get(carrier="electricity", year=2018, is_current=True)
    assert (y2018.value, y2018.edition, y2018.status, y2018.published_in) == (Decimal("0.474"), 2, "final", edition)
    assert y2018.replaces.value == Decimal("0.468") and not y2018.replaces.is_current
    blend = factor_set.factors.get(carrier="refrigerant", variant="R-404A")
    assert blend.value == Decimal("4728") and blend.gwp_eu_2024_573 == Decimal("3922")
    assert blend.composition == "R-125:44;R-143a:52;R-134a:4"


def test_loading_the_shipped_factors_again_changes_nothing(db):
    from klimapakt.ghg.defaults import load_default_factor_set

    factor_set = FactorSet.objects.current()
    before = (factor_set.version, factor_set.factors.count())
    assert load_default_factor_set()[1:] == (0, 0)
    factor_set.refresh_from_db()
    assert (factor_set.version, factor_set.factors.count()) == before


def test_balance_stores_the_factor_of_each_line(org, member):
    add(org, member, "natural_gas", "250000", "kWh_hs")
    add(org, member, "electricity", "80", "MWh")
    add(org, member, "diesel", "4000", "l")
    balance = Balance.objects.get(organisation=org, year=2024)
    assert (balance.scope1_t, balance.scope2_location_t, balance.total_location_t) == (
        Decimal("55.850"), Decimal("29.040"), Decimal("84.890"))
    lines = list(balance.lines.order_by("position"))
    assert [str(line.t_location) for line in lines] == ["45.270", "29.040", "10.580"]
    electricity = lines[1]
    assert electricity.factor.carrier == "electricity" and electricity.factor_year == 2024
    assert electricity.factor_value == Decimal("0.363") and "Umweltbundesamt" in electricity.factor_source
    assert electricity.market_based_fallback is True


def test_intensity_per_employee_and_turnover(org, member):
    add(org, member, "diesel", "4000", "l")
    balance = services.balance_key_figures_update(organisation=org, year=2024, employees=4,
                                                  turnover_meur=Decimal("0.5"), actor=member)
    assert balance.intensity_employee_t == Decimal("2.645") and balance.intensity_meur_t == Decimal("21.160")


def test_key_figures_read_a_german_thousand_of_employees(org, member, client_for):
    """"1.000 Beschäftigte" on the German page are a thousand, not one (Django alone drops ".000")."""
    add(org, member, "diesel", "4000", "l")
    url = f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/kennzahlen/"
    assert client_for(member).post(url, {"employees": "1.000", "turnover_meur": ""}).status_code == 302
    assert Balance.objects.get(organisation=org, year=2024).employees == 1000


def test_key_figures_can_come_before_the_first_line(org, member):
    """A year without lines has no factor set yet: its key figures are saved all the same."""
    balance = services.balance_key_figures_update(organisation=org, year=2025, employees=12,
                                                  turnover_meur=Decimal("1.5"), actor=member)
    assert (balance.employees, balance.turnover_meur) == (12, Decimal("1.5"))


def test_rejected_activity_names_the_field(org, member):
    with pytest.raises(ValidationError) as exc:
        add(org, member, "natural_gas", "100", "kWh")
    assert "unit" in exc.value.message_dict and "kWh_hs" in exc.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as exc:
        add(org, member, "diesel", "-1", "l")
    assert "quantity" in exc.value.message_dict
    assert not ActivityLine.objects.exists()


def test_factor_used_by_a_balance_cannot_be_edited_in_place(org, member):
    add(org, member, "diesel", "1000", "l")
    factor = EmissionFactor.objects.get(carrier="diesel")
    factor.value = Decimal("3")
    with pytest.raises(ValidationError):
        factor.save()
    factor.refresh_from_db()
    factor.source = factor.source  # unchanged values save fine
    factor.save()


def test_new_edition_recomputes_open_balances_but_not_frozen_ones(world, org, member, django_capture_on_commit_callbacks):
    office = world["users"]["office"]
    add(org, member, "diesel", "1000", "l", year=2023)
    add(org, member, "diesel", "1000", "l", year=2024)
    frozen = Balance.objects.get(organisation=org, year=2023)
    services.balance_freeze(balance=frozen, actor=office)
    old = EmissionFactor.objects.get(carrier="diesel")
    version = FactorSet.objects.current().version
    with django_capture_on_commit_callbacks(execute=True):
        new = services.factor_edition_create(factor=old, value=Decimal("2.7"), source="UBA 2026", actor=office)
    old.refresh_from_db()
    assert not old.is_current and new.replaces == old and new.edition == 2
    assert FactorSet.objects.current().version == version + 1
    assert Balance.objects.get(organisation=org, year=2024).scope1_t == Decimal("2.700")
    frozen.refresh_from_db()
    assert frozen.scope1_t == Decimal("2.645") and frozen.lines.get().factor == old
    with pytest.raises(ValidationError):
        add(org, member, "petrol", "1", "l", year=2023)
    with pytest.raises(ValidationError):
        services.balance_compute(organisation=org, year=2023)


def test_balance_freeze_is_audited_and_idempotent(world, org, member):
    from klimapakt.core.models import AuditEntry

    add(org, member, "diesel", "1", "l")
    balance = Balance.objects.get(organisation=org)
    services.balance_freeze(balance=balance, actor=world["users"]["office"])
    services.balance_freeze(balance=balance, actor=world["users"]["office"])
    balance.refresh_from_db()
    assert balance.is_frozen and balance.frozen_by == world["users"]["office"]
    assert AuditEntry.objects.filter(action="ghg.balance.frozen").count() == 1


def test_office_adds_next_year_and_custom_scope3_factor(world, org, member):
    office = world["users"]["office"]
    factor_set = FactorSet.objects.current()
    services.factor_create(factor_set=factor_set, carrier="electricity", name_de="Strom (Bundesmix)", scope=2,
                           unit="kWh", value=Decimal("0.350"), year=2025, source="UBA 2026", actor=office)
    with pytest.raises(ValidationError):
        services.factor_create(factor_set=factor_set, carrier="electricity", name_de="Strom", scope=1, unit="l",
                               value=Decimal("1"), year=2026, source="x", actor=office)
    services.factor_create(factor_set=factor_set, carrier="business_travel_rail", name_de="Bahnreisen", scope=3,
                           unit="pkm", value=Decimal("0.029"), source="UBA TREMOD", actor=office)
    add(org, member, "electricity", "1000", "kWh", year=2025)
    add(org, member, "business_travel_rail", "10000", "pkm", year=2025)
    balance = Balance.objects.get(organisation=org, year=2025)
    assert balance.scope2_location_t == Decimal("0.350") and balance.scope3_t == Decimal("0.290")
    assert balance.total_location_t == Decimal("0.640")


def test_attachment_is_private_checked_and_served_only_to_the_organisation(world, org, member, client_for):
    from klimapakt.core.demo import minimal_pdf

    bill = SimpleUploadedFile("rechnung.pdf", minimal_pdf("Rechnung"), content_type="application/pdf")
    activity = add(org, member, "electricity", "1000", "kWh", attachment=bill)
    path = Path(activity.attachment.path)
    assert path.exists() and Path(settings.MEDIA_ROOT) not in path.parents
    url = f"/mein-bereich/organisation/{org.pk}/co2-bilanz/zeile/{activity.pk}/beleg/"
    response = client_for(member).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(world["users"]["member_b"]).get(url).status_code == 403
    # Through organisation B's URL the line of A does not exist.
    other = f"/mein-bereich/organisation/{world['org_b'].pk}/co2-bilanz/zeile/{activity.pk}/beleg/"
    assert client_for(world["users"]["member_b"]).get(other).status_code == 404
    fake = SimpleUploadedFile("rechnung.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        add(org, member, "electricity", "1", "kWh", attachment=fake)
    exe = SimpleUploadedFile("rechnung.exe", b"%PDF-", content_type="application/pdf")
    with pytest.raises(ValidationError):
        add(org, member, "electricity", "1", "kWh", attachment=exe)


def test_attachment_size_limit(org, member, settings):
    settings.KLIMAPAKT_MAX_UPLOAD_BYTES = 100
    big = SimpleUploadedFile("r.pdf", b"%PDF-" + b"x" * 200, content_type="application/pdf")
    with pytest.raises(ValidationError):
        add(org, member, "electricity", "1", "kWh", attachment=big)


def _csv(rows, header="Jahr;Energieträger;Menge;Einheit;Standort;Faktor des Lieferanten (kg CO2 je kWh);Nachweis"):
    text = header + "\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("daten.csv", text.encode("utf-8"), content_type="text/csv")


def test_import_with_one_bad_row_writes_nothing_and_lists_every_error(org, member):
    add(org, member, "diesel", "1", "l")
    before = ActivityLine.objects.count()
    job = services.import_upload(organisation=org, actor=member, upload=_csv([
        "2024;natural_gas;250000;kWh_hs;;;Gasrechnung",
        "2024;Erdgas;1000;kWh;;;",
        "2024;diesel;-5;l;;;",
        "20x4;diesel;5;l;;;",
        "2024;Strom (Bundesmix);80;MWh;;0,1;",
        "2024;uran;1;kg;;;",
    ]))
    assert job.status == ImportJob.Status.INVALID
    cells = {(e["row"], e["column"]) for e in job.errors}
    assert cells == {(3, "D"), (4, "C"), (5, "A"), (7, "B")}
    with pytest.raises(ValidationError):
        services.import_start(job=job, actor=member)
    assert ActivityLine.objects.count() == before


def test_import_preview_then_all_rows(org, member):
    add(org, member, "petrol", "1", "l", year=2024)
    job = services.import_upload(organisation=org, actor=member, upload=_csv([
        "2024;natural_gas;250.000;kWh_hs;Werk 1;;Gasrechnung",
        "2024;electricity;80;MWh;;0,0;Ökostrom",
        "2023;Diesel (B7);4000;l;;;",
    ]))
    assert job.status == ImportJob.Status.READY, job.errors
    assert [y["year"] for y in job.preview["years"]] == [2023, 2024]
    assert job.preview["years"][1]["totals"]["scope1"] == "45.270"
    assert job.preview["years"][1]["existing_lines"] == 1
    assert ActivityLine.objects.filter(source="import").count() == 0
    services.import_start(job=job, actor=member)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert ActivityLine.objects.filter(organisation=org, year=2024).count() == 2  # replaced the year's lines
    b2024 = Balance.objects.get(organisation=org, year=2024)
    assert b2024.scope2_market_t == Decimal("0.000") and b2024.scope1_t == Decimal("45.270")
    assert ActivityLine.objects.get(organisation=org, year=2024, carrier="natural_gas").site == "Werk 1"


def test_import_of_a_frozen_year_is_rejected(world, org, member):
    add(org, member, "diesel", "1", "l", year=2022)
    services.balance_freeze(balance=Balance.objects.get(organisation=org, year=2022), actor=world["users"]["office"])
    job = services.import_upload(organisation=org, actor=member, upload=_csv(["2022;diesel;5;l;;;"]))
    assert job.status == ImportJob.Status.INVALID and job.errors[0]["column"] == "A"


def test_import_rejects_files_that_are_not_spreadsheets(org, member):
    for upload in (SimpleUploadedFile("x.xlsx", b"not a zip"), SimpleUploadedFile("x.pdf", b"%PDF-"),
                   SimpleUploadedFile("x.csv", b"foo;bar\n1;2\n")):
        with pytest.raises(ValidationError):
            services.import_upload(organisation=org, actor=member, upload=upload)
    assert not ImportJob.objects.exists()


def test_xlsx_template_round_trip(org, member, client_for):
    from openpyxl import load_workbook

    response = client_for(member).get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/vorlage.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["Jahr", "Energieträger", "Menge", "Einheit"]
    for row in sheet.iter_rows(min_row=2):
        row[0].value = 2024
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = services.import_upload(organisation=org, actor=member,
                                 upload=SimpleUploadedFile("vorlage.xlsx", buffer.getvalue()))
    assert job.status == ImportJob.Status.READY, job.errors
    services.import_start(job=job, actor=member)
    assert Balance.objects.get(organisation=org, year=2024).total_location_t == Decimal("84.890")


def test_large_import_runs_as_task_with_progress(org, member, django_capture_on_commit_callbacks):
    rows = [f"2024;diesel;{i % 50 + 1};l;Fahrzeug {i};;" for i in range(services.SYNC_IMPORT_ROWS + 10)]
    job = services.import_upload(organisation=org, actor=member, upload=_csv(rows))
    assert job.status == ImportJob.Status.READY
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.import_start(job=job, actor=member)
    assert callbacks  # enqueued, not run inside the request
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.progress_percent == 100
    assert ActivityLine.objects.filter(organisation=org).count() == services.SYNC_IMPORT_ROWS + 10


def test_balances_for_year_equal_the_stored_balances(world, member):
    from klimapakt.ghg.calculation import format_t
    from klimapakt.ghg.selectors import balances_for_year

    org_a, org_b = world["org_a"], world["org_b"]
    for org in (org_a, org_b):
        add(org, member, "natural_gas", "123456.7", "kWh_hs")
        add(org, member, "natural_gas", "1000", "MWh_hs")
        add(org, member, "electricity", "5000", "kWh", supplier_factor="0.1")
        add(org, member, "electricity", "7000", "kWh", supplier_factor="0.1")
        add(org, member, "refrigerant", "3.5", "kg", refrigerant="R-404A")
        add(org, member, "refrigerant", "1.25", "kg", refrigerant="R-407C")
        add(org, member, "rail_long_distance", "12400", "pkm", category="business_travel")
        add(org, member, "car_pkm", "63360", "pkm", category="commuting")
        add(org, member, "natural_gas", "1850", "m3", calorific_value_kwh_per_m3="11.254", z_number="0.9536")
    results = balances_for_year(year=2024)
    for org in (org_a, org_b):
        stored = Balance.objects.get(organisation=org, year=2024)
        assert {k: format_t(v) for k, v in results[org.pk].totals().items()} == {
            k: f"{v:.3f}" for k, v in stored.totals().items()}
        assert results[org.pk].rounded() == stored.totals()


def test_balance_lines_keep_their_factor_when_the_activity_is_gone(world, org, member):
    activity = add(org, member, "diesel", "10", "l")
    balance = Balance.objects.get(organisation=org)
    services.balance_freeze(balance=balance, actor=world["users"]["office"])
    assert BalanceLine.objects.get(balance=balance).activity == activity
    with pytest.raises(ValidationError):
        services.activity_delete(activity=activity, actor=member)


def _pages(client, org, year=2024):
    base = f"/mein-bereich/organisation/{org.pk}/co2-bilanz/"
    return [base, f"{base}{year}/"]


def test_balance_pages_have_a_constant_number_of_queries(org, member, client_for):
    client = client_for(member)
    add(org, member, "diesel", "1", "l", year=2023)
    add(org, member, "diesel", "1", "l")
    for url in _pages(client, org):
        client.get(url)  # warm caches (pact, factor table, session)
    counts_small = []
    for url in _pages(client, org):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts_small.append(len(ctx))
    for year in range(2018, 2025):
        for i in range(6):
            ActivityLine.objects.create(organisation=org, year=year, carrier="petrol", quantity=i + 1, unit="l")
        services.balance_compute(organisation=org, year=year)
    counts_large = []
    for url in _pages(client, org):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts_large.append(len(ctx))
    assert counts_small == counts_large, (counts_small, counts_large)


def test_api_calculate_query_count_does_not_grow_with_lines(db, client):
    import json

    def count(n):
        body = {"year": 2024, "activities": [{"carrier": "diesel", "quantity": "1", "unit": "l"}] * n}
        with CaptureQueriesContext(connection) as ctx:
            assert client.post("/api/v1/calculate", json.dumps(body), content_type="application/json").status_code == 200
        return len(ctx)

    count(1)  # warms the factor table cache
    assert count(1) == count(50) <= 1


def test_bulk_store_of_a_year_matches_single_computation_and_skips_frozen(world, member):
    org_a, org_b = world["org_a"], world["org_b"]
    for org in (org_a, org_b):
        add(org, member, "natural_gas", "250000", "kWh_hs")
        add(org, member, "electricity", "80", "MWh", supplier_factor="0.2")
    services.balance_freeze(balance=Balance.objects.get(organisation=org_b), actor=world["users"]["office"])
    before = {b.organisation_id: (b.totals(), list(b.lines.values_list("factor_id", "t_location", "activity_id")))
              for b in Balance.objects.all()}
    Balance.objects.filter(organisation=org_a).update(scope1_t=0)
    assert services.balances_store_year(year=2024) == 1
    after = {b.organisation_id: (b.totals(), list(b.lines.values_list("factor_id", "t_location", "activity_id")))
             for b in Balance.objects.all()}
    assert after == before


def test_balance_xlsx_does_not_scan_the_sheet_for_every_line(org, member, client_for, monkeypatch):
    """openpyxl's ``max_row`` looks at every cell; asked once per line, the XLSX of a balance with
    50,000 lines (the bound) took hours of a worker's time (2,000 lines: 13 s)."""
    from openpyxl.worksheet.worksheet import Worksheet

    calls = []
    original = Worksheet.max_row
    monkeypatch.setattr(Worksheet, "max_row", property(lambda sheet: calls.append(1) or original.fget(sheet)))
    for _ in range(30):
        add(org, member, "diesel", "10", "l", site="=1+1")
    response = client_for(member).get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/bilanz.xlsx")
    assert response.status_code == 200
    assert len(calls) < 20, f"max_row read {len(calls)} times for 30 lines"
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                     else response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row[15] == "=1+1"]
    assert len(rows) == 30  # the site, typed by a partner: text, never a formula


def test_balances_for_year_are_exact_for_sums_too_large_for_an_integer(world, member):
    """The bulk balances sum millionths as integers in SQL; a sum that does not fit (on
    PostgreSQL from 9 trillion units, on SQLite from a line of a billion) is summed as a decimal
    instead, and the totals still equal the stored balance to the last digit."""
    from klimapakt.ghg.selectors import BIGINT_SAFE, balances_for_year

    org, small = world["org_a"], world["org_b"]
    big = Decimal(BIGINT_SAFE) / 2 + Decimal("0.000001")   # two of them: just above the bigint limit
    add(org, member, "natural_gas", str(big), "kWh_hs")
    add(org, member, "natural_gas", str(big), "kWh_hs")
    add(org, member, "diesel", "1000000000.123456", "l")
    add(small, member, "diesel", "0.000001", "l")
    results = balances_for_year(year=2024)
    for organisation in (org, small):
        stored = Balance.objects.get(organisation=organisation, year=2024)
        assert results[organisation.pk].rounded() == stored.totals()
