"""The council report in a real browser (issue 14): the office creates the report for a year,
writes its texts, previews the whole report (without saving), saves, has the PDF and the table
built (the task runs synchronously in tests) and downloads both from the archive. axe: no
serious or critical violation on the list, the edit page with the preview, and the export page."""

import pytest
from playwright.sync_api import expect

from tests.insights import council_fixtures as fx

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_office_writes_previews_exports_and_downloads_the_council_report(page, world, monkeypatch):
    fx.use(monkeypatch)  # the live server runs in this process: it reads the hand-built figures
    login(page, "office@krefeld.example")
    page.goto("/geschaeftsstelle/")
    page.get_by_role("navigation", name="Geschäftsstelle").get_by_role("link", name="Sachstandsberichte").click()
    expect(page.get_by_role("heading", name="Sachstandsberichte für den Rat")).to_be_visible()
    assert_accessible(page, "council-list")
    page.get_by_label("Berichtsjahr").select_option("2025")
    page.get_by_role("button", name="Bericht anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sachstandsbericht Krefelder Klimapakt 2025")

    page.get_by_label("Einleitung").fill("Der Klimapakt ist 2025 weiter gewachsen.")
    page.get_by_label("Ausblick").fill("2026 folgt das zweite Monitoring.")
    page.get_by_role("button", name="Vorschau").click()
    preview = page.locator("#vorschau")
    expect(preview).to_contain_text("Der Klimapakt ist 2025 weiter gewachsen.")
    expect(preview.locator("#tabelle-emissions")).to_contain_text("3.234,6")
    expect(preview.locator("#tabelle-emissions")).to_contain_text("zu wenige Angaben")
    expect(page.get_by_role("textbox", name="Einleitung")).to_have_value("Der Klimapakt ist 2025 weiter gewachsen.")
    assert_accessible(page, "council-preview")

    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Texte wurden gespeichert.")).to_be_visible()
    page.get_by_role("button", name="PDF und Tabelle erstellen").click()
    expect(page.locator("#export-state")).to_have_text("Fertig")
    assert_accessible(page, "council-export")

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Fassung 1 als PDF herunterladen").click()
    assert pdf.value.suggested_filename.endswith("-2025-fassung-1.pdf")
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Fassung 1 als Excel-Tabelle (XLSX) herunterladen").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="Zurück zum Sachstandsbericht 2025").click()
    archive = page.get_by_role("table", name="Archiv der Fassungen")
    expect(archive).to_contain_text("Fassung 1")
    expect(archive).to_contain_text("Fertig")


def test_the_export_page_follows_the_build_with_htmx(page, world):
    from django.utils import timezone

    from klimapakt.insights.models import CouncilExport, CouncilReport

    report = CouncilReport.objects.create(pact=world["pact"], year=2024)
    export = CouncilExport.objects.create(report=report, number=1, status="running", progress=35,
                                          started_at=timezone.now())
    login(page, "office@krefeld.example")
    page.goto(f"/geschaeftsstelle/sachstandsberichte/{report.pk}/fassungen/{export.pk}/")
    expect(page.locator("#export-state")).to_have_text("Wird erstellt")
    expect(page.get_by_role("link", name="Stand neu laden")).to_be_visible()
    assert_accessible(page, "council-export-running")
    CouncilExport.objects.filter(pk=export.pk).update(status="done", progress=100, finished_at=timezone.now())
    expect(page.locator("#export-state")).to_have_text("Fertig")  # polled, no reload
    expect(page.get_by_role("link", name="Stand neu laden")).to_have_count(0)
