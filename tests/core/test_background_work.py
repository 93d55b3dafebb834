"""Background work a city can trust (issue 11): the outbox's retries happen by themselves, a
task whose worker died is re-queued or failed visibly, the worker survives a locked database
and writes heartbeats, /healthz?deep=1 notices a dead worker or a waiting queue, and the back
office shows failed work with "retry"."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from klimapakt.core import registry, scheduler, workers
from klimapakt.core.mail import SENDING_LEASE, deliver, queue_mail
from klimapakt.core.models import AuditEntry, OutboxMail, WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)
CONTEXT = {"organisation": "Müller & Söhne", "inviter": "Ömer", "path": "/einladung/t/"}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def smtp_down(monkeypatch):
    """The mail server refuses connections until `smtp_down.restore()`."""

    class Switch:
        def restore(self):
            monkeypatch.undo()

    def refuse(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    return Switch()


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_BACKEND = "database"


def _task(*, status="RUNNING", path="klimapakt.core.mail.deliver_mail", worker="dead-worker",
          started_minutes_ago=5, **fields):
    now = timezone.now()
    return DBTaskResult.objects.create(
        task_path=path, args_kwargs={"args": [0], "kwargs": {}}, status=status, backend_name="default",
        run_after=get_date_max(), worker_ids=[worker] if worker else [],
        started_at=now - datetime.timedelta(minutes=started_minutes_ago) if status != "READY" else None,
        **{"exception_class_path": "", "traceback": "", **fields})


# --------------------------------------------------------------------------- outbox retries


def test_a_failed_mail_is_sent_by_the_sweeper_when_its_retry_is_due(smtp_down):
    queued = queue_mail(template="partners/email/invitation", to=["a@b.example"], context=CONTEXT)
    queued.refresh_from_db()
    assert queued.status == OutboxMail.Status.QUEUED and queued.attempts == 1 and mail.outbox == []
    smtp_down.restore()
    call_command("retry_due_mails")  # not due yet: the first retry waits a minute
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        call_command("retry_due_mails")
    queued.refresh_from_db()
    assert queued.status == OutboxMail.Status.SENT and queued.attempts == 2
    assert len(mail.outbox) == 1


def test_a_mail_stuck_in_sending_goes_back_to_the_queue_after_the_lease():
    stuck = OutboxMail.objects.create(to=["a@b.example"], subject="Hallo", text="Text",
                                      status=OutboxMail.Status.SENDING, attempts=1)
    call_command("retry_due_mails")
    assert mail.outbox == []  # its worker may still be talking to the SMTP server
    with time_machine.travel(timezone.now() + SENDING_LEASE + datetime.timedelta(seconds=5)):
        call_command("retry_due_mails")
    stuck.refresh_from_db()
    assert stuck.status == OutboxMail.Status.SENT and stuck.attempts == 2
    assert len(mail.outbox) == 1


def test_the_sweeper_queues_each_due_mail_once_until_its_dispatch_lease_ends(monkeypatch):
    queued = []
    monkeypatch.setattr("klimapakt.core.mail._enqueue", queued.append)
    waiting = OutboxMail.objects.create(to=["a@b.example"], subject="S", text="T", attempts=1)
    fresh = OutboxMail.objects.create(to=["c@d.example"], subject="S", text="T")  # its first task is queued
    call_command("retry_due_mails")
    call_command("retry_due_mails")  # e.g. a second scheduler
    assert queued == [waiting.pk]
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        call_command("retry_due_mails")  # the task was lost: queued again, and the fresh one now too
    assert sorted(queued) == sorted([waiting.pk, waiting.pk, fresh.pk])


def test_the_scheduler_runs_the_frequent_jobs_every_minute(monkeypatch):
    assert ("retry_due_mails", 60) in scheduler.frequent_jobs()
    assert "retry_due_mails" not in [job for job, _at in scheduler.schedule()]
    calls = []
    monkeypatch.setattr(scheduler, "call_command", lambda job, **kw: calls.append(job))
    last_runs = {}
    scheduler.tick_frequent(last_runs, 1000.0)
    scheduler.tick_frequent(last_runs, 1030.0)  # not yet
    scheduler.tick_frequent(last_runs, 1060.0)
    assert calls.count("retry_due_mails") == 2


def test_the_scheduler_command_retries_due_mails(smtp_down, settings):
    settings.KLIMAPAKT_SCHEDULE = []
    queued = queue_mail(template="partners/email/invitation", to=["a@b.example"], context=CONTEXT)
    smtp_down.restore()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        call_command("run_scheduler", "--once")
    queued.refresh_from_db()
    assert queued.status == OutboxMail.Status.SENT


def test_sign_up_answers_and_its_mail_arrives_after_smtp_is_back(client, pact, smtp_down):
    response = client.post(reverse("account_signup"), {
        "email": "neu@firma.example", "password1": "ein-langes-Passwort-42", "password2": "ein-langes-Passwort-42",
        "first_name": "Nina", "last_name": "Neu", "privacy_consent": "on"})
    assert response.status_code == 302
    assert OutboxMail.objects.get().status == OutboxMail.Status.QUEUED
    smtp_down.restore()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        call_command("retry_due_mails")
    [message] = mail.outbox
    assert message.to == ["neu@firma.example"]


def test_password_reset_answers_and_its_mail_arrives_after_smtp_is_back(client, world, smtp_down):
    response = client.post(reverse("account_reset_password"), {"email": "anna@alpha.example"})
    assert response.status_code == 302
    smtp_down.restore()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        call_command("retry_due_mails")
    [message] = mail.outbox
    assert message.to == ["anna@alpha.example"]


# --------------------------------------------------------------------------- the reaper


def test_an_idempotent_task_of_a_dead_worker_is_queued_again():
    task = _task()
    assert workers.reap_tasks() == {"requeued": 1, "failed": 0}
    task.refresh_from_db()
    assert task.status == "READY"
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


def test_another_task_of_a_dead_worker_fails_visibly():
    task = _task(path="klimapakt.ghg.tasks.import_run")
    assert workers.reap_tasks() == {"requeued": 0, "failed": 1}
    task.refresh_from_db()
    assert task.status == "FAILED" and task.finished_at
    assert task.exception_class_path == "klimapakt.core.workers.WorkerLost"
    assert "ausgefallen" in task.traceback


def test_a_task_whose_worker_beats_or_that_just_started_is_left_alone():
    WorkerHeartbeat.objects.create(worker_id="alive", hostname="h", pid=1)
    running = _task(worker="alive", path="klimapakt.ghg.tasks.import_run")
    young = _task(worker="gone", started_minutes_ago=1)
    assert workers.reap_tasks() == {"requeued": 0, "failed": 0}
    assert {t.status for t in DBTaskResult.objects.filter(pk__in=[running.pk, young.pk])} == {"RUNNING"}


def test_a_task_that_killed_its_worker_three_times_fails():
    task = _task()
    DBTaskResult.objects.filter(pk=task.pk).update(worker_ids=["w1", "w2", "w3"])
    assert workers.reap_tasks()["failed"] == 1


def test_the_reaper_is_a_frequent_job_with_the_database_backend(database_tasks):
    assert ("reap_tasks", 60) in scheduler.frequent_jobs()
    assert "klimapakt.core.mail.deliver_mail" in registry.idempotent_tasks
    assert "klimapakt.reports.tasks.archive_version_pdf" in registry.idempotent_tasks


# --------------------------------------------------------------------------- the worker


def test_the_worker_runs_tasks_and_writes_its_heartbeat(database_tasks, monkeypatch):
    beats = []
    real_beat = workers.beat
    monkeypatch.setattr(workers, "beat", lambda **kw: (beats.append(kw["worker_id"]), real_beat(**kw)))
    queued = queue_mail(template="partners/email/invitation", to=["a@b.example"], context=CONTEXT)
    assert DBTaskResult.objects.ready().count() == 1 and mail.outbox == []
    call_command("run_worker", "--batch", "--no-startup-delay", "--worker-id", "test-worker", verbosity=0)
    queued.refresh_from_db()
    assert queued.status == OutboxMail.Status.SENT
    assert beats and beats[0] == "test-worker"
    assert not WorkerHeartbeat.objects.exists()  # a worker that stops cleanly says so


def test_the_worker_survives_a_locked_database(database_tasks, monkeypatch):
    from django_tasks_db.management.commands.db_worker import Worker

    real_run, calls = Worker.run, []

    def flaky_run(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real_run(self)

    monkeypatch.setattr(Worker, "run", flaky_run)
    monkeypatch.setattr("klimapakt.core.management.commands.run_worker.time.sleep", lambda s: None)
    queued = queue_mail(template="partners/email/invitation", to=["a@b.example"], context=CONTEXT)
    call_command("run_worker", "--batch", "--no-startup-delay", verbosity=0)
    queued.refresh_from_db()
    assert len(calls) == 2 and queued.status == OutboxMail.Status.SENT


def test_a_task_interrupted_by_a_database_error_is_released(database_tasks, monkeypatch):
    from django_tasks_db.models import DBTaskResult as Model

    monkeypatch.setattr(Model, "set_successful", lambda self, value: (_ for _ in ()).throw(
        OperationalError("database is locked")))
    monkeypatch.setattr("klimapakt.core.management.commands.run_worker.time.sleep", lambda s: None)
    queue_mail(template="partners/email/invitation", to=["a@b.example"], context=CONTEXT)
    call_command("run_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0)
    # the mail went out; its task did not stay RUNNING on a living worker: it was queued again
    assert len(mail.outbox) == 1
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()


# --------------------------------------------------------------------------- health


def test_plain_healthz_stays_the_cheap_database_check(client, database_tasks):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_deep_healthz_is_503_without_a_worker_heartbeat(client, database_tasks):
    response = client.get("/healthz?deep=1")
    assert response.status_code == 503
    assert response.json()["problems"] == ["no_worker"] and response.json()["last_heartbeat"] is None
    WorkerHeartbeat.objects.create(worker_id="old", hostname="h", pid=1,
                                   seen_at=timezone.now() - datetime.timedelta(minutes=3))
    assert client.get("/healthz?deep=1").status_code == 503


def test_deep_healthz_is_200_with_figures_when_a_worker_beats(client, database_tasks):
    WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1)
    OutboxMail.objects.create(to=["a@b.example"], subject="S", status=OutboxMail.Status.FAILED)
    response = client.get("/healthz?deep=1")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "ok" and data["last_heartbeat"] and data["workers"] == 1
    assert data["queue_age_seconds"] == 0 and data["failed_mails"] == 1 and data["failed_tasks"] == 0


def test_deep_healthz_is_503_when_the_oldest_waiting_task_waits_over_ten_minutes(client, database_tasks):
    WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1)
    waiting = _task(status="READY", worker=None)
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=timezone.now() - datetime.timedelta(minutes=9))
    assert client.get("/healthz?deep=1").status_code == 200
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=timezone.now() - datetime.timedelta(minutes=11))
    response = client.get("/healthz?deep=1")
    assert response.status_code == 503 and response.json()["problems"] == ["queue_waiting"]
    assert response.json()["queue_age_seconds"] >= 660


# --------------------------------------------------------------------------- back office


def test_the_office_sees_failed_mails_and_tasks_and_retries_them(client_for, world, database_tasks):
    failed = OutboxMail.objects.create(to=["kunde@firma.example"], subject="Ihre Anmeldung",
                                       status=OutboxMail.Status.FAILED, attempts=6,
                                       last_error="ConnectionRefusedError: down")
    task = _task(status="FAILED", path="klimapakt.ghg.tasks.import_run", worker="w",
                 traceback="Traceback ...\nWorkerLost: Der Worker ist ausgefallen")
    WorkerHeartbeat.objects.create(worker_id="w", hostname="app-1", pid=4242)
    client = client_for(world["users"]["office"])
    page = client.get(reverse("backoffice:tasks")).content.decode()
    for text in ("Hintergrundaufgaben", "kunde@firma.example", "Ihre Anmeldung", "ConnectionRefusedError",
                 "Erneut versuchen", "klimapakt.ghg.tasks.import_run", "WorkerLost", "app-1", "Empfänger",
                 "Nächster Versuch", "Letzter Fehler"):
        assert text in page, text
    assert reverse("backoffice:tasks") in client.get(reverse("backoffice:start")).content.decode()

    response = client.post(reverse("backoffice:mail_retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboxMail.Status.QUEUED and failed.attempts == 0
    assert DBTaskResult.objects.ready().filter(task_path="klimapakt.core.mail.deliver_mail").exists()
    assert AuditEntry.objects.filter(action="core.mail.retried").exists()

    assert client.post(reverse("backoffice:task_retry", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.status == "READY" and task.traceback == ""
    entry = AuditEntry.objects.get(action="core.task.retried")
    assert entry.data["task"] == "klimapakt.ghg.tasks.import_run"


def test_the_tasks_page_is_paginated_with_a_bounded_number_of_queries(client_for, world, database_tasks):
    client = client_for(world["users"]["office"])
    url = reverse("backoffice:tasks")
    OutboxMail.objects.bulk_create([OutboxMail(to=[f"p{i}@x.example"], subject=f"S{i}",
                                               status=OutboxMail.Status.FAILED) for i in range(3)])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    OutboxMail.objects.bulk_create([OutboxMail(to=[f"q{i}@x.example"], subject=f"T{i}",
                                               status=OutboxMail.Status.FAILED) for i in range(70)])
    for _ in range(70):
        _task(status="FAILED", worker="w")
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert len(large) <= len(small) + 2  # the tasks' count and page appear once there are tasks
    assert page.count("Erneut versuchen") == 100  # 50 mails and 50 tasks on the first page
    assert "?mails=2" in page and "?aufgaben=2" in page


def test_only_the_pact_office_may_retry(client_for, world):
    failed = OutboxMail.objects.create(to=["a@b.example"], subject="S", status=OutboxMail.Status.FAILED)
    response = client_for(world["users"]["advisor"]).post(reverse("backoffice:mail_retry", args=[failed.pk]))
    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.status == OutboxMail.Status.FAILED


# --------------------------------------------------------------------------- SQLite durability


def test_sqlite_commits_with_synchronous_full():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_rq_gives_idempotent_tasks_retries():
    from redis import Redis

    from klimapakt.core.task_backends import RETRY_INTERVALS, RetryingQueue

    queue = RetryingQueue("default", connection=Redis())  # create_job does not talk to Redis
    job = queue.create_job("klimapakt.core.mail.deliver_mail", args=[1])
    other = queue.create_job("klimapakt.ghg.tasks.import_run", args=[1, None])
    assert job.retries_left == len(RETRY_INTERVALS) and not other.retries_left


def test_deliver_claims_once_even_when_queued_twice():
    queued = OutboxMail.objects.create(to=["a@b.example"], subject="S", text="T")
    assert deliver(queued.pk) == "sent" and deliver(queued.pk) == "skipped"
