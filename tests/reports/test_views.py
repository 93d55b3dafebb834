"""Pages of reports and measures: dashboard, measure form, report form and submission, PDF,
office review, inbox filters, year overview with XLSX, public progress and the API."""

import datetime
import io
import json
from decimal import Decimal

from django.urls import reverse

from klimapakt.reports import services
from klimapakt.reports.models import Measure, Report

from .conftest import SIGNED, add_balance


def _accepted_baseline(partner, member, office):
    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    services.report_submit(report=report, actor=member)
    services.report_accept(report=report, actor=office)
    return report


def test_dashboard_shows_deadline_statement_charts_and_measures(partner, member, office, client_for):
    _accepted_baseline(partner, member, office)
    add_balance(partner, 2024, gas="80000", power="40000")
    services.measure_save(organisation=partner, actor=member, title="PV-Anlage", category="generation",
                          status="planned", savings=[("electricity", Decimal(20000), None, "kWh")])
    response = client_for(member).get(reverse("reports:dashboard", args=[partner.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "unter Ihrem Zielpfad" in html or "über Ihrem Zielpfad" in html
    assert 'id="path-table"' in html and 'id="gap-table"' in html and html.count("<svg") >= 2
    assert "Ausgangsbericht 2024" in html and "Angenommen" in html
    assert 'id="measure-status"' in html


def test_partner_starts_a_report_and_cannot_submit_an_incomplete_one(partner, member, client_for):
    client = client_for(member)
    response = client.post(reverse("reports:report_start", args=[partner.pk]),
                           {"kind": "baseline", "year": SIGNED.year})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/berichte/{report.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Bevor Sie einreichen können" in page and "keine CO₂-Bilanz" in page
    response = client.post(reverse("reports:report_submit", args=[partner.pk, report.pk]), follow=True)
    assert "keine CO₂-Bilanz" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draft"


def test_report_form_saves_notes_and_submits(partner, member, client_for):
    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    client = client_for(member)
    url = reverse("reports:report", args=[partner.pk, report.pk])
    response = client.post(url, {"balance_year": "2023", "note_balance": "Alle Standorte.", "note_general": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.note("balance") == "Alle Standorte."
    client.post(reverse("reports:report_submit", args=[partner.pk, report.pk]))
    report.refresh_from_db()
    assert report.status == "submitted" and report.versions.count() == 1
    page = client.get(url).content.decode()
    assert 'id="report-form"' not in page and "Fassung 1" in page
    pdf = client.get(reverse("reports:report_pdf", args=[partner.pk, report.pk]) + "?fassung=1")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("reports:report_pdf", args=[partner.pk, report.pk]) + "?fassung=9").status_code == 404


def test_measure_form_computes_savings_and_requires_a_justification(partner, member, client_for):
    client = client_for(member)
    url = reverse("reports:measure_create", args=[partner.pk])
    data = {"title": "LED-Beleuchtung", "category": "efficiency", "status": "dropped", "scopes": ["2"],
            "carrier_1": "electricity", "unit_1": "kWh", "expected_quantity_1": "12.000",
            "investment_eur": "8.500,50"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Bitte begründen Sie" in response.content.decode()
    assert not Measure.objects.exists()
    data |= {"status": "planned"}
    response = client.post(url, data)
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.investment_eur == Decimal("8500.50")
    assert measure.savings.get().expected_quantity == Decimal(12000) and measure.expected_t_co2e > 0
    edit = client.get(reverse("reports:measure_edit", args=[partner.pk, measure.pk])).content.decode()
    assert 'id="savings"' in edit
    client.post(reverse("reports:measure_delete", args=[partner.pk, measure.pk]))
    assert not Measure.objects.exists()


def test_office_returns_and_accepts_from_the_review_page(partner, member, office, client_for,
                                                         django_capture_on_commit_callbacks):
    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    services.report_submit(report=report, actor=member)
    client = client_for(office)
    review = client.get(reverse("reports_office:review", args=[report.pk])).content.decode()
    assert 'id="review-balance"' in review and 'id="return-form"' in review and "Fassung 1" in review
    response = client.post(reverse("reports_office:return", args=[report.pk]), {"comment_balance": ""}, follow=True)
    assert "mindestens zu einem Abschnitt" in response.content.decode()
    client.post(reverse("reports_office:return", args=[report.pk]), {"comment_targets": "Ziel für Scope 3?"})
    report.refresh_from_db()
    assert report.status == "returned"
    partner_page = client_for(member).get(reverse("reports:report", args=[partner.pk, report.pk])).content.decode()
    assert "Ziel für Scope 3?" in partner_page and "erneut einreichen" in partner_page
    services.report_submit(report=report, actor=member)
    client.post(reverse("reports_office:accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "accepted" and report.balance.is_frozen


def test_inbox_filters_and_year_overview_with_xlsx(partner, member, office, world, client_for):
    _accepted_baseline(partner, member, office)
    overdue = Report.objects.create(organisation=world["org_b"], kind="baseline", year=2024, balance_year=2023,
                                    opens_on=datetime.date(2024, 1, 1), due_on=datetime.date(2025, 1, 1))
    client = client_for(office)
    inbox = client.get(reverse("reports_office:inbox") + "?status=overdue").content.decode()
    assert world["org_b"].name in inbox and partner.name not in inbox
    accepted = client.get(reverse("reports_office:inbox") + "?status=accepted").content.decode()
    assert partner.name in accepted and world["org_b"].name not in accepted
    overview = client.get(reverse("reports_office:overview") + "?jahr=2024").content.decode()
    assert 'id="overview-sums"' in overview
    response = client.get(reverse("reports_office:overview_xlsx", args=[2024]))
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[1][0] == partner.name and rows[1][4] == "Angenommen"
    assert overdue.is_overdue


def test_public_figures_only_with_consent(partner, member, office, client, client_for,
                                          django_capture_on_commit_callbacks):
    report = _accepted_baseline(partner, member, office)
    api = json.loads(client.get("/api/v1/partners").content)
    assert next(p for p in api if p["id"] == partner.pk)["reports"] == []
    assert "public-reports" not in client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the directory cache moves on after commit
        client_for(member).post(reverse("reports:consent", args=[partner.pk]), {"publish_figures": "on"})
    item = next(p for p in json.loads(client.get("/api/v1/partners").content) if p["id"] == partner.pk)
    (published,) = item["reports"]
    assert published["kind"] == "baseline" and published["year"] == report.year
    total = Decimal(published["scope1"]) + Decimal(published["scope2_location"]) + Decimal(published["scope3"])
    assert Decimal(published["total_t_co2e"]) == total and isinstance(published["scope2_market"], str)
    page = client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert 'id="public-reports"' in page and "<svg" in page


def test_catalogue_is_maintained_by_the_office_and_offered_to_partners(partner, member, office, client_for):
    client = client_for(office)
    client.post(reverse("reports_office:catalogue_create"), {
        "title_de": "Wärmepumpe", "category": "heat", "carrier": "natural_gas", "is_active": "on", "position": "1"})
    from klimapakt.reports.models import MeasureTemplate

    template = MeasureTemplate.objects.get()
    page = client_for(member).get(reverse("reports:measures", args=[partner.pk])).content.decode()
    assert "Wärmepumpe" in page
    form = client_for(member).get(reverse("reports:measure_create", args=[partner.pk]) + f"?vorlage={template.pk}")
    assert 'value="Wärmepumpe"' in form.content.decode()


def test_review_shows_the_submitted_snapshot_not_later_changes(partner, member, office, client_for):
    balance = add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    services.report_submit(report=report, actor=member)
    submitted_total = balance.total_location_t
    from klimapakt.ghg.services import activity_create

    activity_create(organisation=partner, year=2023, carrier="electricity", quantity="90000", unit="kWh",
                    actor=member)  # not frozen until accepted: the live balance grows
    balance.refresh_from_db()
    assert balance.total_location_t > submitted_total
    review = client_for(office).get(reverse("reports_office:review", args=[report.pk])).content.decode()
    table = review.split('id="path-table"')[1].split("</table>")[0]
    from django.template.defaultfilters import floatformat

    assert floatformat(submitted_total, "1g") in table
    assert floatformat(balance.total_location_t, "1g") not in table


def test_monitoring_form_suggests_the_progress_the_numbers_show(partner, member, office, client_for):
    _accepted_baseline(partner, member, office)
    add_balance(partner, 2024, gas="60000", power="30000")  # far below the path
    report = services.report_start(organisation=partner, kind="monitoring", year=2025, actor=member)
    target = partner.targets.get()
    page = client_for(member).get(reverse("reports:report", args=[partner.pk, report.pk])).content.decode()
    assert "Nach Ihrer Bilanz 2024: Sie liegen" in page and "unter Ihrem Zielpfad" in page
    assert '<option value="on_track" selected>' in page
    assert f'name="progress_{target.pk}_status"' in page


def test_submitted_version_pdf_is_archived_once_and_served(partner, member, office, client_for,
                                                           django_capture_on_commit_callbacks):
    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.report_submit(report=report, actor=member)
    version.refresh_from_db()
    assert version.pdf and version.pdf.name.endswith("fassung-1.pdf")
    with version.pdf.open("rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"%PDF")
    for user in (member, office):
        response = client_for(user).get(reverse("reports:report_pdf", args=[partner.pk, report.pk]))
        assert response.content == stored
    import pytest
    from django.core.exceptions import ValidationError

    version.snapshot["notes"] = {"general": "manipuliert"}
    with pytest.raises(ValidationError):
        version.save()


def test_year_export_keeps_names_as_text_and_pages_survive_bad_input(partner, member, office, world, client_for):
    from klimapakt.partners.models import Organisation

    Organisation.objects.filter(pk=partner.pk).update(name="=HYPERLINK(\"http://evil\")")
    partner.refresh_from_db()
    _accepted_baseline(partner, member, office)
    from openpyxl import load_workbook

    content = client_for(office).get(reverse("reports_office:overview_xlsx", args=[2024])).content
    cell = load_workbook(io.BytesIO(content)).worksheets[1]["A2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://evil\")"  # text as typed, no formula
    office_client, member_client = client_for(office), client_for(member)
    assert office_client.get(reverse("reports_office:inbox") + "?jahr=abc&status=nix&art=x").status_code == 200
    assert office_client.get(reverse("reports_office:overview") + "?jahr=abc").status_code == 404
    response = member_client.post(reverse("reports:report_start", args=[partner.pk]), {"kind": "x", "year": "abc"})
    assert response.status_code == 302
    assert client_for(world["users"]["member_b"]).get(
        reverse("reports:dashboard", args=[world["org_b"].pk])).status_code == 200  # not a partner yet


def test_target_status_reads_status_not_stage_in_english(partner, member, office, client_for):
    """'Stand' of a target is its status ("Status"), not an organisation's stage ("Stage")."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from klimapakt.reports.documents import report_pdf_context
    from klimapakt.reports.models import TargetProgress

    baseline = _accepted_baseline(partner, member, office)
    add_balance(partner, 2024)
    report = services.report_start(organisation=partner, kind="monitoring", year=2025, actor=member)
    assert report.prefilled_from == baseline
    services.report_update(report=report, actor=member, progress={partner.targets.get().pk: ("on_track", "")})
    version = services.report_submit(report=report, actor=member)
    review = client_for(office).get("/en" + reverse("reports_office:review", args=[report.pk])).content.decode()
    targets = review.split('id="review-targets"')[1].split("</ul>")[0]
    with translation.override("en"):
        word = translation.pgettext("target status", "Stand")
        assert f"{word}: {TargetProgress.Status.ON_TRACK.label}" in targets
        assert str(TargetProgress._meta.get_field("status").verbose_name) == word
        html = render_to_string("reports/pdf/report.html", report_pdf_context(report, version.snapshot, version=version))
    assert f"<th>{word}</th>" in html
    assert "Stage" not in targets and "<th>Stage</th>" not in html and word != "Stage"
