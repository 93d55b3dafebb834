"""Orphaned organisations (attack pass, issue 11): when the only member deletes their account,
nothing of theirs stays (contact, audit details); the pact office then deletes the organisation
with all its files, or anonymises it, and its figures keep counting. The person's download
holds their CO2 balances too."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klimapakt.core.audit import log_action
from klimapakt.core.demo import minimal_pdf
from klimapakt.core.models import AuditEntry
from klimapakt.core.privacy import person_delete
from klimapakt.partners import services
from klimapakt.partners.models import Organisation, OrganisationDocument, Target

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def anna(world):
    """Organisation A, its only member Anna as contact, with a logo, a document, a bill, an
    uploaded spreadsheet, a 2023 balance and audit entries that name her."""
    from klimapakt.ghg.defaults import load_default_factor_set
    from klimapakt.ghg.models import ImportJob
    from klimapakt.ghg.services import activity_create

    load_default_factor_set()
    user, org = world["users"]["member_a"], world["org_a"]
    Organisation.objects.filter(pk=org.pk).update(
        contact_name="Anna Alpha", contact_email="Anna@Alpha.example", contact_phone="02151 123",
        stage=Organisation.Stage.ACTIVE, partner_since=datetime.date(2024, 3, 1), listing_consent=True)
    org.refresh_from_db()
    org.logo.save("logo.png", ContentFile(PNG))
    document = OrganisationDocument(organisation=org, title="Scan")
    document.file.save("scan.pdf", ContentFile(minimal_pdf("Scan")), save=False)
    document.save()
    bill = SimpleUploadedFile("rechnung.pdf", minimal_pdf("Rechnung"), content_type="application/pdf")
    line = activity_create(organisation=org, year=2023, carrier="electricity", quantity="50000", unit="kWh",
                           actor=user, attachment=bill, evidence_note="Rechnung Anna Alpha")
    activity_create(organisation=org, year=2023, carrier="natural_gas", quantity="100000", unit="kWh_hs", actor=user)
    job = ImportJob(organisation=org, filename="verbrauch.csv", created_by=user, status=ImportJob.Status.DONE)
    job.file.save("verbrauch.csv", ContentFile(b"Jahr;Energietraeger\n"), save=False)
    job.save()
    Target.objects.create(organisation=org, base_year=2023, target_year=2035, reduction_percent=50, scopes="1+2",
                          signed=True)
    log_action("partners.invitation.created", obj=org, actor=world["users"]["office"],
               data={"email": "anna@alpha.example", "role": "admin"})
    log_action("partners.organisation.updated", obj=org, actor=user,
               data={"changes": {"contact_email": ["", "Anna@Alpha.example"], "contact_name": ["", "Anna Alpha"]}})
    log_action("core.something", actor=None, data={"note": "Mail an anna@alpha.example verschickt"})
    return {"user": user, "org": org, "line": line, "job": job, "document": document}


def _files(anna):
    org = anna["org"]
    return [(org.logo.storage, org.logo.name), (anna["document"].file.storage, anna["document"].file.name),
            (anna["line"].attachment.storage, anna["line"].attachment.name),
            (anna["job"].file.storage, anna["job"].file.name)]


def _submitted_report(org, user, office, capture):
    """A baseline report of A, submitted (its PDF archived) and accepted."""
    from klimapakt.reports import services as reports

    report = reports.report_start(organisation=org, kind="baseline", year=2024, actor=user)
    with capture(execute=True):
        version = reports.report_submit(report=report, actor=user)
    reports.report_accept(report=report, actor=office)
    version.refresh_from_db()
    return report, version


# ------------------------------------------------------------------ export


def test_the_download_has_a_co2_balance_section(anna, client_for):
    response = client_for(anna["user"]).get(reverse("core:my_data"), {"format": "json"})
    data = json.loads(response.content)["ghg"]
    assert [(b["organisation"], b["year"]) for b in data["balances"]] == [("Alpha Bäckerei GmbH", 2023)]
    assert data["balances"][0]["tonnes_co2e"]["total_location"] not in (None, "0", "0.000")
    assert {line["carrier"] for line in data["activity_lines_entered"]} == {"electricity", "natural_gas"}
    assert [j["file"] for j in data["imports_uploaded"]] == ["verbrauch.csv"]


# ------------------------------------------------------------------ the only member goes


def test_erasing_the_only_member_leaves_no_address_or_name_of_theirs(anna):
    person_delete(user=anna["user"])
    org = Organisation.objects.get(pk=anna["org"].pk)
    assert (org.contact_name, org.contact_email, org.contact_phone) == ("", "", "")
    for entry in AuditEntry.objects.all():
        text = json.dumps(entry.data, ensure_ascii=False).lower() + entry.object_repr.lower()
        assert "anna@alpha.example" not in text and "anna alpha" not in text, entry.action
    assert AuditEntry.objects.filter(action="partners.invitation.created").get().data["role"] == "admin"
    assert "verschickt" in AuditEntry.objects.get(action="core.something").data["note"]


def test_a_contact_who_is_someone_else_stays(anna, world):
    Organisation.objects.filter(pk=anna["org"].pk).update(contact_name="Carla Chef", contact_email="c@alpha.example")
    person_delete(user=anna["user"])
    org = Organisation.objects.get(pk=anna["org"].pk)
    assert (org.contact_name, org.contact_email) == ("Carla Chef", "c@alpha.example")


# ------------------------------------------------------------------ the office deletes it


def test_the_office_deletes_an_orphaned_organisation_with_all_its_files(
        anna, world, client_for, django_capture_on_commit_callbacks):
    from klimapakt.ghg.models import ActivityLine, Balance
    from klimapakt.reports.models import Report

    office = world["users"]["office"]
    _report, version = _submitted_report(anna["org"], anna["user"], office, django_capture_on_commit_callbacks)
    assert version.pdf  # archived after commit
    files = _files(anna) + [(version.pdf.storage, version.pdf.name)]
    assert all(storage.exists(name) for storage, name in files)
    person_delete(user=anna["user"])
    client = client_for(office)
    page = client.get(reverse("backoffice:organisation", args=[anna["org"].pk])).content.decode()
    assert reverse("backoffice:organisation_delete", args=[anna["org"].pk]) in page
    assert client.get(reverse("backoffice:organisation_delete", args=[anna["org"].pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:organisation_delete", args=[anna["org"].pk]))
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=anna["org"].pk).exists()
    assert not Report.objects.exists() and not Balance.objects.exists() and not ActivityLine.objects.exists()
    assert not [name for storage, name in files if storage.exists(name)]
    entry = AuditEntry.objects.get(action="partners.organisation.deleted")
    assert entry.actor == office and "Alpha" not in json.dumps(entry.data)
    assert not AuditEntry.objects.filter(object_repr__icontains="Alpha").exists()


def test_an_organisation_with_members_is_neither_deleted_nor_anonymised(anna, world, client_for):
    for service in (services.organisation_delete, services.organisation_anonymise):
        with pytest.raises(ValidationError):
            service(organisation=anna["org"], actor=world["users"]["office"])
    client = client_for(world["users"]["office"])
    client.post(reverse("backoffice:organisation_delete", args=[anna["org"].pk]))
    assert Organisation.objects.filter(pk=anna["org"].pk, name="Alpha Bäckerei GmbH").exists()
    page = client.get(reverse("backoffice:organisation", args=[anna["org"].pk])).content.decode()
    assert reverse("backoffice:organisation_delete", args=[anna["org"].pk]) not in page


@pytest.mark.parametrize("role", ["member_b", "advisor"])
def test_only_the_office_removes_an_organisation(anna, world, client_for, role):
    person_delete(user=anna["user"])
    for name in ("backoffice:organisation_delete", "backoffice:organisation_anonymise"):
        assert client_for(world["users"][role]).post(reverse(name, args=[anna["org"].pk])).status_code == 403
    assert Organisation.objects.get(pk=anna["org"].pk).name == "Alpha Bäckerei GmbH"


# ------------------------------------------------------------------ the office anonymises it


def test_anonymising_keeps_the_figures_and_the_archived_report(
        anna, world, client_for, django_capture_on_commit_callbacks):
    from klimapakt.ghg.models import ActivityLine, Balance, ImportJob
    from klimapakt.reports.models import ReportVersion
    from klimapakt.reports.selectors import year_overview

    office = world["users"]["office"]
    report, version = _submitted_report(anna["org"], anna["user"], office, django_capture_on_commit_callbacks)
    before = year_overview(report.year)
    balance_before = Balance.objects.get(organisation=anna["org"]).totals()
    files = _files(anna)
    person_delete(user=anna["user"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(office).post(reverse("backoffice:organisation_anonymise", args=[anna["org"].pk]))
    assert response.status_code == 302
    org = Organisation.objects.get(pk=anna["org"].pk)
    assert org.name == f"Anonymisierte Organisation {org.pk}"
    assert (org.contact_name, org.contact_email, org.street, org.logo.name) == ("", "", "", "")
    assert not org.listing_consent and not org.is_listed
    assert year_overview(report.year) == before
    assert Balance.objects.get(organisation=org).totals() == balance_before
    assert ActivityLine.objects.filter(organisation=org).count() == 2
    assert ReportVersion.objects.filter(pk=version.pk).exists()
    assert version.pdf and version.pdf.storage.exists(version.pdf.name)  # the archived version stays
    assert not [name for storage, name in files if storage.exists(name)]
    assert not ImportJob.objects.exists() and not OrganisationDocument.objects.exists()
    assert not AuditEntry.objects.filter(object_repr__icontains="Alpha").exists()
    assert AuditEntry.objects.filter(action="partners.organisation.anonymised", actor=office).exists()
    assert "Alpha Bäckerei" not in client_for(None).get(reverse("partners:directory")).content.decode()
