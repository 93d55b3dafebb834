"""The council report ("Sachstandsbericht"): texts, export in the background with progress, PDF
and XLSX with the public figures, the archive of versions, and the worker-down cases."""

import datetime
import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from klimapakt.core.models import AuditEntry
from klimapakt.insights.council import document, services
from klimapakt.insights.council.content import HIDDEN
from klimapakt.insights.models import CouncilExport, CouncilReport

from . import council_fixtures as fx

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture
def office(world):
    return world["users"]["office"]


@pytest.fixture
def report(world, office, monkeypatch):
    fx.use(monkeypatch)
    return services.council_report_create(pact=world["pact"], year=2025, actor=office)


def _export(report, office, capture):
    with capture(execute=True):
        export = services.council_export_request(report=report, actor=office)
    export.refresh_from_db()
    return export


def _pdf_text_streams(pdf: bytes) -> bytes:
    """The PDF's decompressed streams (enough to find its structure tags and metadata)."""
    out, pos = [], 0
    while (start := pdf.find(b"stream\n", pos)) != -1:
        end = pdf.find(b"endstream", start)
        try:
            out.append(zlib.decompress(pdf[start + 7:end]))
        except zlib.error:
            pass
        pos = end + 9
    return b"\n".join(out)


# --------------------------------------------------------------------------- services


def test_a_report_per_year_with_its_title_from_the_pact(report, world, office):
    assert report.title == f"Sachstandsbericht {world['pact'].name_de} 2025"
    with pytest.raises(ValidationError) as error:
        services.council_report_create(pact=world["pact"], year=2025, actor=office)
    assert "year" in error.value.message_dict
    assert AuditEntry.objects.filter(action="insights.council_report.created").count() == 1


def test_saving_the_texts_is_audited_and_bounded(report, office):
    services.council_report_save(report=report, introduction="Einleitung **fett**", highlights="",
                                 outlook="Ausblick", actor=office)
    report.refresh_from_db()
    assert report.introduction == "Einleitung **fett**" and report.updated_by == office
    entry = AuditEntry.objects.get(action="insights.council_report.saved")
    assert entry.data["fields"] == ["introduction", "outlook"]
    with pytest.raises(ValidationError):
        services.council_report_save(report=report, introduction="x" * 20_001, highlights="", outlook="",
                                     actor=office)


def test_an_export_is_built_in_the_background_with_progress(report, office, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    seen = []
    real = services._progress
    monkeypatch.setattr(services, "_progress", lambda pk, percent: (seen.append(percent), real(pk, percent)))
    export = _export(report, office, django_capture_on_commit_callbacks)
    assert export.status == CouncilExport.Status.DONE and export.progress == 100
    assert seen == sorted(seen) and len(seen) >= 3 and export.task_id
    assert export.pdf.name.endswith(".pdf") and export.xlsx.name.endswith(".xlsx")
    assert export.pdf.read().startswith(b"%PDF")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"insights.council_export.requested", "insights.council_export.finished"} <= actions


def test_one_export_at_a_time(report, office, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    services.council_export_request(report=report, actor=office)
    with pytest.raises(ValidationError):
        services.council_export_request(report=report, actor=office)


# --------------------------------------------------------------------------- the document


def test_the_document_has_every_section_with_german_numbers_and_hides_suppressed_figures(report):
    content = document.council_document(report, fx.progress(), version=1)
    keys = [s.key for s in content.sections]
    assert keys == ["statement", "partners", "targets", "reporting", "emissions", "cohort", "path", "measures",
                    "events", "support", "bisko"]  # the empty texts are left out
    html = document.render_html(content)
    assert "Sachstandsbericht Krefelder Klimapakt 2025" in html
    assert "3.234,6" in html  # 2023: Scope 1 + 2 location-based, one decimal, German format
    assert "987,7" in html  # Scope 3 beside it
    assert "2.800,3" in html  # 2025: 1000.25 + 1800, half-up
    assert "1.210" in html  # participants
    assert html.count("zu wenige Angaben") >= 3  # 2024, a measure category, a sector
    assert "2027" not in html  # after the report's year
    assert "BISKO" in html and "um 10,0" in html  # like for like: 3000 -> 2700
    assert "1.300,0" in html  # gap after planned measures: 2800 - 500 - 1000
    emissions = next(s for s in content.sections if s.key == "emissions")
    row_2024 = next(r for r in emissions.tables[0].rows if r[0] == "2024")
    assert row_2024[2:] == [HIDDEN] * 5
    assert "<svg" in html and "target-counter" in html


def test_the_texts_are_sections_as_markdown_without_scripts(report, office):
    services.council_report_save(report=report, introduction="Der **Rat** <script>alert(1)</script>",
                                 highlights="- Erstens\n- Zweitens", outlook="Weiter so.", actor=office)
    report.refresh_from_db()
    content = document.council_document(report, fx.progress(), version=1)
    assert [s.key for s in content.sections][:2] == ["introduction", "highlights"]
    assert content.sections[-1].key == "outlook"
    html = document.render_html(content)
    assert "<strong>Rat</strong>" in html and "<script>" not in html and "<li>Erstens</li>" in html


def test_the_pdf_is_tagged_with_a_table_of_contents_and_page_numbers(report):
    from weasyprint import HTML

    content = document.council_document(report, fx.progress(), version=3)
    pdf = document.council_pdf(content)
    assert pdf.startswith(b"%PDF")
    objects = pdf + _pdf_text_streams(pdf)  # object streams are compressed
    assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects  # tagged PDF
    assert b"pdfuaid" in objects and b"Sachstandsbericht Krefelder Klimapakt 2025" in objects  # PDF/UA metadata
    rendered = HTML(string=document.render_html(content)).render()
    assert len(rendered.pages) >= len(content.sections) + 2  # cover, contents, a page per section
    assert any(a for page in rendered.pages for a in page.anchors if a.startswith("abschnitt-"))


def test_the_xlsx_has_a_sheet_per_section_with_the_numbers(report):
    from openpyxl import load_workbook

    from klimapakt.insights.council.workbook import council_xlsx

    wb = load_workbook(io.BytesIO(council_xlsx(document.council_document(report, fx.progress(), version=1))))
    assert wb.sheetnames[0] == "Bericht"
    assert {"Die Klimapartner", "Gemeldete Emissionen", "Maßnahmen", "Veranstaltungen"} <= set(wb.sheetnames)
    ws = wb["Gemeldete Emissionen"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r and r[0] in ("2023", "2024")}
    assert float(rows["2023"][4]) == pytest.approx(3234.6) and rows["2024"][4] == "zu wenige Angaben"
    assert not any(c.data_type == "f" for s in wb.worksheets for row in s.iter_rows() for c in row)


# --------------------------------------------------------------------------- the office's pages


def test_the_office_writes_previews_without_saving_exports_and_downloads(report, office, client_for,
                                                                         django_capture_on_commit_callbacks):
    client = client_for(office)
    url = reverse("backoffice:council_report", kwargs={"pk": report.pk})
    response = client.post(url, {"introduction": "Ein gutes Jahr.", "highlights": "", "outlook": "",
                                 "aktion": "vorschau"})
    html = response.content.decode()
    assert response.status_code == 200 and "Ein gutes Jahr." in html and "3.234,6" in html
    report.refresh_from_db()
    assert report.introduction == ""  # a preview saves nothing
    response = client.post(url, {"introduction": "Ein gutes Jahr.", "highlights": "", "outlook": "",
                                 "aktion": "speichern"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.introduction == "Ein gutes Jahr."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:council_export_create", kwargs={"pk": report.pk}))
    export = report.exports.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/fassungen/{export.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Fertig" in page and "Fassung 1 als PDF herunterladen" in page
    pdf = client.get(reverse("backoffice:council_export_pdf", kwargs={"report_pk": report.pk, "pk": export.pk}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF") and "no-store" in pdf["Cache-Control"]
    xlsx = client.get(reverse("backoffice:council_export_xlsx", kwargs={"report_pk": report.pk, "pk": export.pk}))
    assert xlsx.status_code == 200 and "sachstandsbericht-" in xlsx["Content-Disposition"]


def test_the_archive_keeps_every_version(report, office, client_for, django_capture_on_commit_callbacks):
    first = _export(report, office, django_capture_on_commit_callbacks)
    services.council_report_save(report=report, introduction="Neu", highlights="", outlook="", actor=office)
    second = _export(report, office, django_capture_on_commit_callbacks)
    assert (first.number, second.number) == (1, 2) and first.pdf.name != second.pdf.name
    first.refresh_from_db()
    assert first.status == CouncilExport.Status.DONE and first.pdf.storage.exists(first.pdf.name)
    html = client_for(office).get(reverse("backoffice:council_report", kwargs={"pk": report.pk})).content.decode()
    assert html.index('id="fassung-2"') < html.index('id="fassung-1"')
    list_html = client_for(office).get(reverse("backoffice:council_reports")).content.decode()
    assert "Fassung 2" in list_html and "Sachstandsbericht 2025" in list_html


def test_a_version_that_is_not_done_has_no_download(report, office, client_for, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    export = services.council_export_request(report=report, actor=office)
    url = reverse("backoffice:council_export_pdf", kwargs={"report_pk": report.pk, "pk": export.pk})
    assert client_for(office).get(url).status_code == 404


def test_the_progress_block_polls_with_htmx_only_while_open(report, office, client_for, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    export = services.council_export_request(report=report, actor=office)
    CouncilExport.objects.filter(pk=export.pk).update(status="running", progress=45, started_at=timezone.now())
    url = reverse("backoffice:council_export", kwargs={"report_pk": report.pk, "pk": export.pk})
    fragment = client_for(office).get(url + "?teil=status", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="export-status"') and 'hx-trigger="every 2s"' in fragment
    assert "45 %" in fragment and "Stand neu laden" in fragment and "<html" not in fragment


def test_the_list_page_takes_a_constant_number_of_queries(world, office, client_for, monkeypatch,
                                                          django_assert_max_num_queries, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    fx.use(monkeypatch)
    for year in (2021, 2022, 2023, 2024):
        report = services.council_report_create(pact=world["pact"], year=year, actor=office)
        for _ in range(2):
            export = services.council_export_request(report=report, actor=office)
            CouncilExport.objects.filter(pk=export.pk).update(status="done")
    client = client_for(office)
    client.get(reverse("backoffice:council_reports"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("backoffice:council_reports")).status_code == 200


# --------------------------------------------------------------------------- failures, worker down


def test_with_the_worker_down_the_office_can_save_and_the_export_waits_visibly(
        report, office, client_for, settings, django_capture_on_commit_callbacks):
    settings.TASKS, settings.TASK_BACKEND = DATABASE_TASKS, "database"
    client = client_for(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:council_export_create", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    export = report.exports.get()
    assert export.status == CouncilExport.Status.QUEUED and export.task_id
    page = client.get(response["Location"]).content.decode()
    assert "Wartet auf die Verarbeitung" in page and "läuft gerade nicht" in page and "Stand neu laden" in page
    saved = client.post(reverse("backoffice:council_report", kwargs={"pk": report.pk}),
                        {"introduction": "Trotzdem gespeichert", "highlights": "", "outlook": "",
                         "aktion": "speichern"})
    assert saved.status_code == 302
    # the worker comes back and runs the task
    assert services.council_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == CouncilExport.Status.DONE


def test_a_build_whose_worker_died_is_queued_again_then_failed_and_can_be_retried(
        report, office, client_for, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from klimapakt.core import workers

    settings.TASKS, settings.TASK_BACKEND = DATABASE_TASKS, "database"
    export = _export(report, office, django_capture_on_commit_callbacks)
    CouncilExport.objects.filter(pk=export.pk).update(status="running", progress=45,
                                                      started_at=timezone.now() - datetime.timedelta(minutes=5))
    DBTaskResult.objects.filter(pk=export.task_id).update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(minutes=5), worker_ids=["a", "b", "c"])
    assert workers.reap_tasks()["failed"] == 1  # an idempotent task that lost three workers stops
    export.refresh_from_db()
    assert export.status == CouncilExport.Status.FAILED and "erneut starten" in export.error
    client = client_for(office)
    url = reverse("backoffice:council_export", kwargs={"report_pk": report.pk, "pk": export.pk})
    page = client.get(url).content.decode()
    assert "Fehlgeschlagen" in page and "Erneut versuchen" in page
    settings.TASKS = IMMEDIATE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:council_export_retry", kwargs={"report_pk": report.pk, "pk": export.pk}))
    export.refresh_from_db()
    assert export.status == CouncilExport.Status.DONE and export.attempts == 2 and export.number == 1


def test_a_vanished_task_shows_the_export_as_failed(report, office, client_for, settings):
    settings.TASKS, settings.TASK_BACKEND = DATABASE_TASKS, "database"
    export = CouncilExport.objects.create(report=report, number=1, task_id="00000000-0000-0000-0000-000000000000")
    page = client_for(office).get(reverse("backoffice:council_export", kwargs={
        "report_pk": report.pk, "pk": export.pk})).content.decode()
    assert "Fehlgeschlagen" in page and "Erneut versuchen" in page


def test_a_build_that_raises_is_failed_with_a_message_and_a_retry_builds_it(
        report, office, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(document, "council_pdf", lambda content: (_ for _ in ()).throw(RuntimeError("kaputt")))
    export = _export(report, office, django_capture_on_commit_callbacks)
    assert export.status == CouncilExport.Status.FAILED and "Fehler" in export.error and not export.pdf
    monkeypatch.undo()
    fx.use(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        services.council_export_retry(export=export, actor=office)
    export.refresh_from_db()
    assert export.status == CouncilExport.Status.DONE


def test_only_a_failed_or_stuck_export_can_be_retried(report, office, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    export = services.council_export_request(report=report, actor=office)
    with pytest.raises(ValidationError):
        services.council_export_retry(export=export, actor=office)
    CouncilExport.objects.filter(pk=export.pk).update(
        status="running", started_at=timezone.now() - datetime.timedelta(minutes=30))
    services.council_export_retry(export=export, actor=office)  # stuck: running far too long
    export.refresh_from_db()
    assert export.status == CouncilExport.Status.QUEUED and export.attempts == 2


def test_an_unreachable_queue_fails_the_export_visibly(report, office, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    from klimapakt.insights.council import tasks

    class Unreachable:
        def enqueue(self, **kwargs):
            raise ConnectionError("redis down")

    monkeypatch.setattr(tasks, "build_council_export", Unreachable())
    export = _export(report, office, django_capture_on_commit_callbacks)
    assert export.status == CouncilExport.Status.FAILED and "nicht erreichbar" in export.error
    assert CouncilReport.objects.filter(pk=report.pk).exists()


def test_an_export_reads_the_public_figures_of_the_real_selector(world, office, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    from klimapakt.insights.selectors import progress as progress_selector

    calls = []
    real = progress_selector.pact_progress
    monkeypatch.setattr(progress_selector, "pact_progress",
                        lambda pact, **kw: (calls.append(kw), real(pact, **kw))[1])
    report = services.council_report_create(pact=world["pact"], year=2025, actor=office)
    export = _export(report, office, django_capture_on_commit_callbacks)
    assert export.status == CouncilExport.Status.DONE, export.error
    assert calls == [{"public": True}]


def test_the_title_page_shows_the_pacts_logo_when_one_is_set(report, world):
    from django.core.files.base import ContentFile
    from PIL import Image

    html = document.render_html(document.council_document(report, fx.progress(), version=1))
    assert "data:image/png;base64," not in html
    out = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 120, 60)).save(out, format="PNG")
    pact = world["pact"]
    pact.logo.save("logo.png", ContentFile(out.getvalue()), save=True)
    report.refresh_from_db()
    html = document.render_html(document.council_document(report, fx.progress(), version=1))
    assert 'alt="Logo: Krefelder Klimapakt"' in html and "data:image/png;base64," in html
    assert document.council_pdf(document.council_document(report, fx.progress(), version=1)).startswith(b"%PDF")


def test_the_report_page_takes_a_constant_number_of_queries(report, office, client_for,
                                                           django_assert_max_num_queries):
    for number in range(1, 6):
        CouncilExport.objects.create(report=report, number=number, status="done", progress=100)
    client = client_for(office)
    url = reverse("backoffice:council_report", kwargs={"pk": report.pk})
    client.get(url)
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert html.count('id="fassung-') == 5


def test_the_audit_log_reads_the_entries_in_german(report, office, client_for):
    services.council_report_save(report=report, introduction="Neu", highlights="", outlook="", actor=office)
    html = client_for(office).get(reverse("backoffice:audit") + "?action=insights").content.decode()
    assert "Texte des Sachstandsberichts gespeichert" in html and "Einleitung" in html
    assert "introduction" not in html and "year" not in html
