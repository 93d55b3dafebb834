"""An import never hangs (issue 11): parsing holds no write lock, progress is real, a task
that failed or whose worker was killed shows the import as failed, and it can be retried."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klimapakt.core import workers
from klimapakt.ghg import services, spreadsheet
from klimapakt.ghg.models import ActivityLine, ImportJob

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
HEADER = "Jahr;Energieträger;Menge;Einheit;Standort;Faktor des Lieferanten (kg CO2 je kWh);Nachweis"


def _csv(count: int) -> SimpleUploadedFile:
    rows = [f"2024;diesel;{i % 50 + 1};l;Fahrzeug {i};;" for i in range(count)]
    return SimpleUploadedFile("daten.csv", (HEADER + "\n" + "\n".join(rows) + "\n").encode(), content_type="text/csv")


def _large(org, member):
    job = services.import_upload(organisation=org, actor=member, upload=_csv(services.SYNC_IMPORT_ROWS + 10))
    assert job.status == ImportJob.Status.READY
    return job


def _page(org, job):
    return reverse("ghg:import_job", kwargs={"pk": org.pk, "job_pk": job.pk})


@pytest.mark.django_db(transaction=True)
def test_the_upload_is_parsed_and_checked_outside_any_transaction(world, monkeypatch):
    """SQLite takes its write lock at BEGIN: parsing inside the transaction blocked every
    registration and login for the whole parse (18 s with a large file)."""
    org, member = world["org_a"], world["users"]["member_a"]
    seen = []
    for name in ("read_rows", "validate"):
        real = getattr(spreadsheet, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            seen.append((_name, transaction.get_connection().in_atomic_block))
            return _real(*args, **kwargs)

        monkeypatch.setattr(spreadsheet, name, spy)
    job = services.import_upload(organisation=org, actor=member, upload=_csv(50))
    assert job.status == ImportJob.Status.READY
    assert seen == [("read_rows", False), ("validate", False)]


@pytest.mark.django_db(transaction=True)
def test_another_connection_can_write_while_the_upload_is_parsed(world, monkeypatch):
    import threading

    from klimapakt.core.models import WorkerHeartbeat

    org, member = world["org_a"], world["users"]["member_a"]
    real, outcome = spreadsheet.read_rows, {}

    def write_from_another_connection():
        try:
            WorkerHeartbeat.objects.create(worker_id="probe", hostname="h", pid=1)  # takes SQLite's write lock
            outcome["ok"] = True
        except Exception as error:  # noqa: BLE001 - "database is locked" is what the test looks for
            outcome["error"] = error
        finally:
            connection.close()

    def slow_read(*args, **kwargs):
        thread = threading.Thread(target=write_from_another_connection)
        thread.start()
        thread.join(timeout=30)
        return real(*args, **kwargs)

    monkeypatch.setattr(spreadsheet, "read_rows", slow_read)
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict.setdefault("OPTIONS", {}), "timeout", 1)
    services.import_upload(organisation=org, actor=member, upload=_csv(10))
    assert outcome == {"ok": True}


def test_progress_is_written_while_the_rows_are_processed_in_a_bounded_number_of_updates(
        org, member, django_capture_on_commit_callbacks):
    job = services.import_upload(organisation=org, actor=member, upload=_csv(12_000))
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        services.import_start(job=job, actor=member)
    progress = [q["sql"] for q in queries.captured_queries
                if q["sql"].startswith('UPDATE "ghg_importjob" SET "processed_rows"')]
    assert 2 <= len(progress) <= services.imports.PROGRESS_UPDATES
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.processed_rows == 12_000 and job.progress_percent == 100


def test_an_import_whose_worker_was_killed_fails_visibly_and_can_be_retried(
        org, member, settings, client_for, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS, settings.TASK_BACKEND = DATABASE_TASKS, "database"
    job = _large(org, member)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_start(job=job, actor=member)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING and job.task_id
    # a worker took the task and was killed with -9: RUNNING, on a worker without heartbeat
    DBTaskResult.objects.filter(pk=job.task_id).update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(minutes=5), worker_ids=["killed"])
    client = client_for(member)
    assert "Wird importiert" in client.get(_page(org, job)).content.decode()
    assert workers.reap_tasks()["failed"] == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "fehlgeschlagen" in job.errors[0]["message"]
    html = client.get(_page(org, job)).content.decode()
    assert "Import ist fehlgeschlagen" in html and "Erneut versuchen" in html and "Wird importiert" not in html
    assert ActivityLine.objects.filter(organisation=org).count() == 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ghg:import_retry", kwargs={"pk": org.pk, "job_pk": job.pk}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.progress_percent == 100
    assert ActivityLine.objects.filter(organisation=org).count() == services.SYNC_IMPORT_ROWS + 10


def test_an_import_whose_task_raised_is_failed_and_a_new_import_is_possible(
        org, member, monkeypatch, django_capture_on_commit_callbacks):
    job = _large(org, member)
    monkeypatch.setattr(services.imports, "fast_insert", lambda *a, **k: (_ for _ in ()).throw(
        RuntimeError("disk full")))
    with django_capture_on_commit_callbacks(execute=True):
        services.import_start(job=job, actor=member)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "fehlgeschlagen" in job.errors[0]["message"]
    monkeypatch.undo()
    again = _large(org, member)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_start(job=again, actor=member)
    again.refresh_from_db()
    assert again.status == ImportJob.Status.DONE


def test_an_import_whose_task_vanished_shows_as_failed(org, member, client_for, settings):
    settings.TASKS, settings.TASK_BACKEND = DATABASE_TASKS, "database"
    job = _large(org, member)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, started_at=timezone.now(),
                                               task_id="00000000-0000-0000-0000-000000000000")
    html = client_for(member).get(_page(org, job)).content.decode()
    assert "Import ist fehlgeschlagen" in html and "Erneut versuchen" in html


def test_an_import_in_a_request_that_died_shows_as_failed_after_ten_minutes_and_can_be_retried(
        org, member, client_for):
    job = services.import_upload(organisation=org, actor=member, upload=_csv(20))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING,
                                               started_at=timezone.now() - datetime.timedelta(minutes=1))
    client = client_for(member)
    assert "Wird importiert" in client.get(_page(org, job)).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(minutes=11))
    assert "Import ist fehlgeschlagen" in client.get(_page(org, job)).content.decode()
    client.post(reverse("ghg:import_retry", kwargs={"pk": org.pk, "job_pk": job.pk}))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and ActivityLine.objects.filter(organisation=org).count() == 20


def test_only_a_failed_import_can_be_retried(org, member):
    from django.core.exceptions import ValidationError

    job = services.import_upload(organisation=org, actor=member, upload=_csv(5))
    with pytest.raises(ValidationError):
        services.import_retry(job=job, actor=member)
    services.import_start(job=job, actor=member)
    job.refresh_from_db()
    with pytest.raises(ValidationError):
        services.import_retry(job=job, actor=member)


def test_a_task_run_twice_imports_once(org, member, django_capture_on_commit_callbacks):
    job = _large(org, member)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_start(job=job, actor=member)
    services.import_execute(job_id=job.pk, actor_id=member.pk)  # e.g. queued again after a lost worker
    assert ActivityLine.objects.filter(organisation=org).count() == services.SYNC_IMPORT_ROWS + 10


def test_a_balance_has_a_bounded_number_of_lines(org, member, monkeypatch):
    from django.core.exceptions import ValidationError

    from klimapakt.ghg.services import balances

    monkeypatch.setattr(balances, "MAX_LINES_PER_BALANCE", 3)
    for _ in range(3):
        services.activity_create(organisation=org, year=2024, carrier="diesel", quantity="1", unit="l", actor=member)
    with pytest.raises(ValidationError, match="höchstens 3 Zeilen"):
        services.activity_create(organisation=org, year=2024, carrier="diesel", quantity="1", unit="l", actor=member)


def test_the_balance_page_lists_a_bounded_number_of_lines(org, member, client_for, monkeypatch):
    from klimapakt.ghg import views

    monkeypatch.setattr(views, "MAX_LINES_SHOWN", 5)
    job = services.import_upload(organisation=org, actor=member, upload=_csv(8))
    services.import_start(job=job, actor=member)
    html = client_for(member).get(reverse("ghg:balance_year", kwargs={"pk": org.pk, "year": 2024})).content.decode()
    assert html.count("Fahrzeug ") == 5 and "3 weitere Zeilen" in html
