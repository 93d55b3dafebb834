"""Correcting a year (issue 12): a line can be edited (audited with before and after), the guided
entry and the import ask "Ergänzen oder ersetzen" when the year has data, the import previews
both outcomes, and a frozen year refuses every change and says why."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klimapakt.core.audit import AuditEntry
from klimapakt.core.demo import minimal_pdf
from klimapakt.ghg import services
from klimapakt.ghg.models import ActivityLine, Balance, ImportJob


def _base(org):
    return f"/mein-bereich/organisation/{org.pk}/co2-bilanz/"


def _add(org, member, carrier="diesel", quantity="1000", unit="l", year=2024, **extra):
    return services.activity_create(organisation=org, year=year, carrier=carrier, quantity=quantity, unit=unit,
                                    actor=member, **extra)


def _total(org, year=2024):
    return Balance.objects.get(organisation=org, year=year).total_location_t


def _csv(rows):
    text = "Jahr;Energieträger;Menge;Einheit\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("daten.csv", text.encode("utf-8"), content_type="text/csv")


# --- Editing a line ---------------------------------------------------------------------------


def test_editing_a_line_changes_the_balance_and_audits_before_and_after(org, member, client_for):
    activity = _add(org, member, evidence_note="Tankkarte")
    assert _total(org) == Decimal("2.645")
    client = client_for(member)
    url = f"{_base(org)}zeile/{activity.pk}/bearbeiten/"
    page = client.get(url).content.decode()
    assert "Zeile bearbeiten" in page and 'value="1.000"' in page and "Tankkarte" in page
    balance_page = client.get(f"{_base(org)}2024/").content.decode()
    assert f'href="{url}"' in balance_page and "Diesel" in balance_page

    response = client.post(url, {"carrier": "diesel", "quantity": "4.000", "unit": "l", "evidence_note": "Tankkarte"})
    assert response.status_code == 302 and response["Location"].endswith("/co2-bilanz/2024/")
    activity.refresh_from_db()
    assert activity.quantity == Decimal("4000") and ActivityLine.objects.filter(organisation=org).count() == 1
    assert _total(org) == Decimal("10.580")
    entry = AuditEntry.objects.get(action="ghg.activity.changed")
    assert entry.actor == member and entry.data["line"] == activity.pk and entry.data["year"] == 2024
    before, after = entry.data["changes"]["quantity"]
    assert Decimal(before) == Decimal("1000") and Decimal(after) == Decimal("4000")
    assert set(entry.data["changes"]) == {"quantity"}  # unchanged fields are not listed


def test_an_edit_without_a_change_writes_no_audit_entry(org, member):
    activity = _add(org, member)
    services.activity_update(activity=activity, actor=member, quantity="1000,0")
    assert not AuditEntry.objects.filter(action="ghg.activity.changed").exists()


def test_an_edit_is_checked_like_a_new_line_and_names_the_field(org, member, client_for):
    activity = _add(org, member)
    response = client_for(member).post(f"{_base(org)}zeile/{activity.pk}/bearbeiten/",
                                       {"carrier": "diesel", "quantity": "-5", "unit": "l"})
    assert response.status_code == 200 and "nicht negativ" in response.content.decode()
    activity.refresh_from_db()
    assert activity.quantity == Decimal("1000") and _total(org) == Decimal("2.645")
    with pytest.raises(ValidationError) as error:
        services.activity_update(activity=activity, actor=member, unit="kWh")
    assert "unit" in error.value.message_dict


def test_an_edit_keeps_the_bill_or_replaces_it(org, member, client_for, django_capture_on_commit_callbacks):
    bill = SimpleUploadedFile("rechnung-1.pdf", minimal_pdf("Rechnung 1"), content_type="application/pdf")
    activity = _add(org, member, carrier="electricity", quantity="1000", unit="kWh", attachment=bill)
    first = activity.attachment.name
    storage = activity.attachment.storage
    url = f"{_base(org)}zeile/{activity.pk}/bearbeiten/"
    client = client_for(member)
    assert "rechnung-1.pdf" in client.get(url).content.decode()
    client.post(url, {"carrier": "electricity", "quantity": "2000", "unit": "kWh"})
    activity.refresh_from_db()
    assert activity.attachment.name == first and storage.exists(first)
    new_bill = SimpleUploadedFile("rechnung-2.pdf", minimal_pdf("Rechnung 2"), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"carrier": "electricity", "quantity": "2000", "unit": "kWh", "attachment": new_bill})
    activity.refresh_from_db()
    assert activity.attachment_name == "rechnung-2.pdf" and activity.attachment.name != first
    assert storage.exists(activity.attachment.name) and not storage.exists(first)
    entry = AuditEntry.objects.filter(action="ghg.activity.changed").order_by("pk").last()
    assert entry.data["changes"]["attachment_name"] == ["rechnung-1.pdf", "rechnung-2.pdf"]


def test_another_organisations_line_cannot_be_edited(world, org, member, client_for):
    activity = _add(org, member)
    org_b, member_b = world["org_b"], world["users"]["member_b"]
    client = client_for(member_b)
    own_url = f"{_base(org_b)}zeile/{activity.pk}/bearbeiten/"  # B's address, A's line
    assert client.get(own_url).status_code == 404
    assert client.post(own_url, {"carrier": "diesel", "quantity": "1", "unit": "l"}).status_code == 404
    assert client.get(f"{_base(org)}zeile/{activity.pk}/bearbeiten/").status_code == 403
    activity.refresh_from_db()
    assert activity.quantity == Decimal("1000")


# --- A frozen year ------------------------------------------------------------------------------


def test_a_frozen_year_refuses_edit_delete_entry_add_and_import(world, org, member, client_for):
    activity = _add(org, member)
    services.balance_freeze(balance=Balance.objects.get(organisation=org, year=2024), actor=world["users"]["office"])
    client = client_for(member)
    base = _base(org)

    response = client.post(f"{base}zeile/{activity.pk}/bearbeiten/", {"carrier": "diesel", "quantity": "9",
                                                                       "unit": "l"}, follow=True)
    assert "eingefroren" in response.content.decode()
    client.post(f"{base}zeile/{activity.pk}/loeschen/")
    client.post(f"{base}2024/erfassen/", {"diesel": "5000", "mode": "replace"})
    client.post(f"{base}2024/zeile/neu/", {"carrier": "diesel", "quantity": "5", "unit": "l"})
    assert client.get(f"{base}2024/erfassen/")["Location"].endswith("/co2-bilanz/2024/")
    job = services.import_upload(organisation=org, upload=_csv(["2024;diesel;5;l"]), actor=member)
    assert job.status == ImportJob.Status.INVALID
    assert client.post(f"{base}import/{job.pk}/", {"mode": "replace"}).status_code == 302
    assert list(ActivityLine.objects.filter(organisation=org).values_list("quantity", flat=True)) == [Decimal(1000)]
    assert _total(org) == Decimal("2.645")
    for write in (lambda: services.activity_update(activity=activity, actor=member, quantity="9"),
                  lambda: services.year_add(organisation=org, year=2024, actor=member,
                                            lines=[{"carrier": "diesel", "quantity": "1", "unit": "l"}]),
                  lambda: services.year_replace(organisation=org, year=2024, actor=member,
                                                lines=[{"carrier": "diesel", "quantity": "1", "unit": "l"}])):
        with pytest.raises(ValidationError):
            write()

    page = client.get(f"{base}2024/").content.decode()
    assert 'id="frozen"' in page and "eingefroren" in page and "Geschäftsstelle" in page
    assert "/bearbeiten/" not in page and "/loeschen/" not in page
    assert "/erfassen/" not in page and "/zeile/neu/" not in page and f"{base}import/" not in page


# --- "Ergänzen oder ersetzen" in the guided entry --------------------------------------------


def test_entry_asks_to_add_or_replace_when_the_year_has_data(org, member, client_for):
    client = client_for(member)
    url = f"{_base(org)}2024/erfassen/"
    page = client.get(url).content.decode()
    assert 'name="mode"' not in page  # no data yet: no choice
    assert client.post(url, {"natural_gas": "250.000"}).status_code == 302
    assert _total(org) == Decimal("45.270")

    page = client.get(url).content.decode()
    assert "Für 2024 ist bereits 1 Zeile erfasst (45,270 t CO₂e)." in page
    assert 'name="mode"' in page and "Ergänzen – die neuen Angaben" in page and "Ersetzen – die bisherigen" in page
    response = client.post(url, {"diesel": "4000"})
    assert response.status_code == 200 and "ergänzen oder ersetzen" in response.content.decode()
    assert 'id="form-error-summary"' in response.content.decode()  # the missing choice is summed up too
    assert ActivityLine.objects.filter(organisation=org).count() == 1 and _total(org) == Decimal("45.270")

    assert client.post(url, {"diesel": "4000", "mode": "add"}).status_code == 302
    assert ActivityLine.objects.filter(organisation=org).count() == 2 and _total(org) == Decimal("55.850")
    assert "Für 2024 sind bereits 2 Zeilen erfasst (55,850 t CO₂e)." in client.get(url).content.decode()

    assert client.post(url, {"electricity": "80.000", "mode": "replace"}).status_code == 302
    assert list(ActivityLine.objects.filter(organisation=org).values_list("carrier", flat=True)) == ["electricity"]
    assert _total(org) == Decimal("29.040")
    entry = AuditEntry.objects.get(action="ghg.year.replaced")
    assert entry.data["removed"] == 2 and entry.data["added"] == 1 and Decimal(entry.data["total_location_t"]) == \
        Decimal("55.850")


def test_replacing_a_year_deletes_the_old_bills_after_commit(org, member, django_capture_on_commit_callbacks):
    bill = SimpleUploadedFile("rechnung.pdf", minimal_pdf("Rechnung"), content_type="application/pdf")
    activity = _add(org, member, attachment=bill)
    name, storage = activity.attachment.name, activity.attachment.storage
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.year_replace(organisation=org, year=2024, actor=member,
                              lines=[{"carrier": "diesel", "quantity": "4000", "unit": "l"}])
    assert storage.exists(name)  # not before the commit
    for callback in callbacks:
        callback()
    assert not storage.exists(name) and _total(org) == Decimal("10.580")


def test_a_replacement_that_fails_keeps_the_old_lines(org, member):
    _add(org, member)
    with pytest.raises(ValidationError):
        services.year_replace(organisation=org, year=2024, actor=member,
                              lines=[{"carrier": "diesel", "quantity": "4000", "unit": "l"},
                                     {"carrier": "diesel", "quantity": "-1", "unit": "l"}])
    assert list(ActivityLine.objects.filter(organisation=org).values_list("quantity", flat=True)) == [Decimal(1000)]
    assert _total(org) == Decimal("2.645")


# --- The import: preview of both outcomes, the chosen mode -------------------------------------


def test_import_previews_both_outcomes_and_honours_the_choice(org, member, client_for):
    _add(org, member, carrier="natural_gas", quantity="250000", unit="kWh_hs")
    client = client_for(member)
    base = _base(org)
    response = client.post(f"{base}import/", {"file": _csv(["2024;diesel;4000;l", "2023;diesel;1000;l"])})
    job = ImportJob.objects.get()
    assert response["Location"].endswith(f"/import/{job.pk}/")
    year_2024 = next(y for y in job.preview["years"] if y["year"] == 2024)
    assert year_2024["now"] == {"lines": 1, "total_location": "45.270"}
    assert year_2024["replace"] == {"lines": 1, "total_location": "10.580"}
    assert year_2024["add"] == {"lines": 2, "total_location": "55.850", "possible": True}
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-preview"' in page and 'name="mode"' in page
    for figure in ("45,270", "10,580", "55,850", "2,645"):
        assert figure in page

    response = client.post(f"{base}import/{job.pk}/", {})  # no choice: nothing happens
    assert response.status_code == 200 and "ergänzen oder ersetzen" in response.content.decode()
    assert ActivityLine.objects.filter(organisation=org).count() == 1

    client.post(f"{base}import/{job.pk}/", {"mode": "add"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.replace_years is False
    assert ActivityLine.objects.filter(organisation=org, year=2024).count() == 2
    assert _total(org) == Decimal("55.850") and _total(org, 2023) == Decimal("2.645")
    assert AuditEntry.objects.get(action="ghg.import.done").data["mode"] == "add"

    response = client.post(f"{base}import/", {"file": _csv(["2024;diesel;4000;l"])})
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert next(y for y in again.preview["years"] if y["year"] == 2024)["now"]["total_location"] == "55.850"
    client.post(f"{base}import/{again.pk}/", {"mode": "replace"})
    assert list(ActivityLine.objects.filter(organisation=org, year=2024).values_list("carrier", flat=True)) == \
        ["diesel"]
    assert _total(org) == Decimal("10.580") and _total(org, 2023) == Decimal("2.645")


def test_import_of_a_year_without_data_needs_no_choice(org, member, client_for):
    client = client_for(member)
    client.post(f"{_base(org)}import/", {"file": _csv(["2024;diesel;4000;l"])})
    job = ImportJob.objects.get()
    assert job.preview["has_existing"] is False
    assert 'name="mode"' not in client.get(f"{_base(org)}import/{job.pk}/").content.decode()
    client.post(f"{_base(org)}import/{job.pk}/", {})
    assert _total(org) == Decimal("10.580")


def test_import_preview_recalculates_a_balance_computed_with_older_factors(org, member):
    _add(org, member, carrier="natural_gas", quantity="250000", unit="kWh_hs")
    Balance.objects.filter(organisation=org).update(factor_set_version=0, exact_t={})  # stale stored figures
    job = services.import_upload(organisation=org, upload=_csv(["2024;diesel;4000;l"]), actor=member)
    assert job.preview["years"][0]["now"]["total_location"] == "45.270"
    assert job.preview["years"][0]["add"]["total_location"] == "55.850"


# --- Query counts -----------------------------------------------------------------------------


def test_balance_page_with_edit_links_keeps_its_query_count(world, org, member, client_for,
                                                            django_assert_max_num_queries):
    client = client_for(member)
    _add(org, member)
    url = f"{_base(org)}2024/"
    client.get(url)  # warm caches (pact, factor table, session)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(30):
        ActivityLine.objects.create(organisation=org, year=2024, carrier="petrol", quantity=i + 1, unit="l")
    services.balance_compute(organisation=org, year=2024)
    with django_assert_max_num_queries(len(small)):
        page = client.get(url).content.decode()
    assert page.count("/bearbeiten/") == 31
    services.balance_freeze(balance=Balance.objects.get(organisation=org, year=2024), actor=world["users"]["office"])
    with django_assert_max_num_queries(len(small) + 1):  # the frozen page asks once why
        assert client.get(url).status_code == 200
