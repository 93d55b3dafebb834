#!/usr/bin/env python
"""Fault drill (issue 11, "Done when"): real processes on one machine, faults injected, outcomes
checked from the outside (HTTP, the SMTP sink) and from the database.

    make fault-drill                                   # SQLite, SMTP down for 60 s
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make fault-drill
    .venv/bin/python scripts/fault_drill.py --smtp-down 600   # the issue's 10 minutes

What it starts (as `make run` does): gunicorn (3 workers, a free port), the task worker and the
scheduler each under scripts/supervise.sh, and a local SMTP sink (aiosmtpd, in this process).
Settings are production-like (DEBUG=0, a SECRET_KEY, ALLOWED_HOSTS); the data lives in var/drill/
(a fresh SQLite database, media, cache, logs; static files are kept between runs). With
DATABASE_URL (an admin URL of a PostgreSQL server) a fresh database `drill` is created on that
server and dropped afterwards.

The drills:
1. SMTP down: the sink is stopped, 100 registrations go through the API (10 threads), all must
   answer 2xx; the sink stays down --smtp-down seconds (DRILL_SMTP_DOWN_SECONDS, default 60),
   then starts; when the outbox is empty every registrant must have received exactly one mail.
   The outbox's retry series is shortened through MAIL_RETRY_DELAYS (see --mail-retry-delays);
   the sweeper (`retry_due_mails`) still runs once a minute, as in production.
2. Worker killed during an import: a member logs in (real HTTP, session cookie, CSRF token),
   uploads a 10,000-row XLSX, starts it; the worker (the child of supervise.sh) gets SIGKILL as
   soon as the import task runs; the import's page must show "Importiert" or "Fehlgeschlagen"
   within 5 minutes, and a failed import is retried through the page's "Erneut versuchen" (when
   the page offers it) until it is imported.
3. Web workers killed during a burst: 200 simultaneous registrations (distinct addresses) for
   an event with 50 seats while gunicorn workers get SIGKILL (the master starts new ones); a
   request that fails at the connection level is sent once more, as a person would press again.
   The database must then hold exactly one registration for every address that was answered
   201 (or 409 "already registered" on the second try), none twice, and the event's counters
   must equal its registrations: 0 lost, 0 duplicated.

Prints a summary with the figures; exit status 1 when any check failed. Every process it
started is stopped (by process group), also on an error or Ctrl-C."""

from __future__ import annotations

import argparse
import collections
import datetime
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRILL_DIR = ROOT / "var" / "drill"
PYTHON = Path(sys.executable)
VENV_BIN = ROOT / ".venv" / "bin"
DEMO_MEMBER = ("mitglied@sonnenkorn.example", "klimapakt-demo")
PRODUCTION_DELAYS = [60, 300, 1800, 7200, 43200]      # core/mail.py's default series, seconds
SWEEP_SECONDS = 60                                    # retry_due_mails runs once a minute
CONNECTION_ERRORS = (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine,
                     BrokenPipeError, TimeoutError, socket.timeout)


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


# --------------------------------------------------------------------------- pure helpers (tested)


def drill_retry_delays(smtp_down: float) -> list[int]:
    """The retry series for a drill whose SMTP is down `smtp_down` seconds. Up to two minutes
    down: 5, 10, 20, 40, 80 s. Longer: production's series scaled so that the outage ends within
    the first three waits, as ten minutes do in production (1 + 5 + 30 min), and a mail still has
    two attempts left."""
    if smtp_down <= 120:
        return [5, 10, 20, 40, 80]
    factor = smtp_down / 1800
    return [max(1, round(delay * factor)) for delay in PRODUCTION_DELAYS]


def retry_budget(delays: list[int]) -> float:
    """Seconds from a mail's first attempt to its last one, at most (each wait rounded up to the
    next run of the once-a-minute sweeper): an outage longer than this fails mails."""
    return sum((delay // SWEEP_SECONDS + 1) * SWEEP_SECONDS for delay in delays)


@dataclass
class Attempt:
    status: int                  # HTTP status; 0 when the request failed at the connection level
    body: str = ""
    seconds: float = 0.0


@dataclass
class BurstOutcome:
    email: str
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def final(self) -> Attempt:
        return self.attempts[-1]

    @property
    def answered(self) -> bool:
        """The person was told they are registered: 201, or 409 on the second try (the first
        went through but its answer was lost with the killed worker)."""
        return self.final.status == 201 or (self.final.status == 409 and len(self.attempts) > 1)


def check_burst(outcomes: list[BurstOutcome], registrations: list[dict], event: dict) -> dict:
    """Compare what the clients were told with the database. `registrations`: dicts with email,
    status, waitlist_order of the event's registrations; `event`: capacity, seats_taken,
    waitlist_length. Returns figures and a list of problems (empty: 0 lost, 0 duplicated)."""
    active = [r for r in registrations if r["status"] in ("confirmed", "waitlisted")]
    per_email = collections.Counter(r["email"].lower() for r in active)
    problems = []
    answered = [o for o in outcomes if o.answered]
    lost = [o.email for o in answered if per_email[o.email.lower()] == 0]
    duplicated = sorted(email for email, n in per_email.items() if n > 1)
    unanswered = [o for o in outcomes if o.final.status == 0]
    server_errors = [o for o in outcomes if o.final.status >= 500]
    other = [o for o in outcomes if not o.answered and o.final.status not in (0,) and o.final.status < 500]
    known = {o.email.lower() for o in outcomes}
    strangers = sorted(email for email in per_email if email not in known)
    confirmed = sum(1 for r in active if r["status"] == "confirmed")
    waitlisted = sum(1 for r in active if r["status"] == "waitlisted")
    orders = sorted(r["waitlist_order"] for r in active if r["status"] == "waitlisted")
    if lost:
        problems.append(f"{len(lost)} lost: answered 201/409 but not in the database, e.g. {lost[:3]}")
    if duplicated:
        problems.append(f"{len(duplicated)} duplicated addresses, e.g. {duplicated[:3]}")
    if strangers:
        problems.append(f"{len(strangers)} registrations of addresses nobody sent: {strangers[:3]}")
    if server_errors:
        problems.append(f"{len(server_errors)} answered {sorted({o.final.status for o in server_errors})}")
    if other:
        problems.append(f"{len(other)} refused: {[(o.final.status, o.final.body[:120]) for o in other[:3]]}")
    if event["seats_taken"] != confirmed or event["waitlist_length"] != waitlisted:
        problems.append(f"counters {event['seats_taken']} confirmed / {event['waitlist_length']} waiting, "
                        f"registrations {confirmed} / {waitlisted}")
    capacity = event.get("capacity")
    if capacity is not None and confirmed != min(capacity, len(active)):
        problems.append(f"{confirmed} confirmed for {capacity} seats and {len(active)} registrations")
    if len(set(orders)) != len(orders):
        problems.append("two waiting registrations share a place on the waitlist")
    return {"requests": len(outcomes), "answered": len(answered), "retried": sum(len(o.attempts) > 1 for o in outcomes),
            "unanswered": len(unanswered),
            "unanswered_in_db": sum(per_email[o.email.lower()] for o in unanswered),
            "confirmed": confirmed, "waitlisted": waitlisted, "lost": len(lost), "duplicated": len(duplicated),
            "problems": problems}


def check_mail_counts(recipients: list[str], received: dict[str, int]) -> dict:
    """Every recipient must have received exactly one mail."""
    counts = collections.Counter(received.get(r.lower(), 0) for r in recipients)
    missing = [r for r in recipients if received.get(r.lower(), 0) == 0]
    twice = [r for r in recipients if received.get(r.lower(), 0) > 1]
    problems = []
    if missing:
        problems.append(f"{len(missing)} registrants got no mail, e.g. {missing[:3]}")
    if twice:
        problems.append(f"{len(twice)} registrants got more than one mail, e.g. {twice[:3]}")
    return {"recipients": len(recipients), "exactly_one": counts.get(1, 0), "missing": len(missing),
            "more_than_one": len(twice), "problems": problems}


def import_page_state(html: str) -> dict:
    """What the import's page shows: the status label, the progress, whether it offers a retry
    (the form posting to .../erneut/, added by the import_retry change), the start form (#import-form), errors."""
    status = re.search(r'id="import-status">([^<]*)<', html)
    progress = re.search(r'<progress[^>]*value="(\d+)"', html)
    retry = re.search(r'<form[^>]*action="([^"]*/erneut/)"', html)
    start = re.search(r'<form[^>]*id="import-form"', html)
    failure = re.search(r'id="import-failed".*?<p class="kern-body">(.*?)</p>', html, re.S)
    return {"status": status.group(1).strip() if status else None,
            "progress": int(progress.group(1)) if progress else None,
            "retry_action": retry.group(1) if retry else None, "can_start": bool(start),
            "failure": failure.group(1).strip() if failure else None}


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise DrillError("no CSRF token in the page")
    return match.group(1)


class DrillError(Exception):
    """The drill itself cannot go on (a process did not start, a page is not what it expects)."""


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def create_database(admin_url: str, name: str) -> str:
    """A fresh database `name` on the PostgreSQL server of `admin_url` (dropped first if left
    from an earlier run); returns its URL. Shared by the fault and the scale drill."""
    import psycopg

    parts = urllib.parse.urlsplit(admin_url)
    if not parts.scheme.startswith("postgres"):
        raise DrillError(f"DATABASE_URL must be a PostgreSQL admin URL (the drill creates a database {name} there)")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(admin_url: str, name: str) -> None:
    """Drops the drill's database (after closing this process's own connections to it)."""
    import psycopg

    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: BLE001 - Django may not be set up
        pass
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Processes:
    """Named processes, each in its own process group (stopped as a group). `env` is the default
    environment; a start may give its own (the scale drill's app servers differ in port and clock)."""

    def __init__(self, env: dict | None, logs: Path):
        self.env, self.logs = env, logs
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], env: dict | None = None,
              log_name: str | None = None) -> subprocess.Popen:
        out = open(self.logs / f"{log_name or name}.log", "ab")
        proc = subprocess.Popen(argv, cwd=ROOT, env=self.env if env is None else env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        out.close()  # the child has its own copy
        self.procs[name] = proc
        return proc

    def signal(self, name: str, signum: int) -> None:
        try:
            os.killpg(self.procs[name].pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    def _reap(self, name: str, timeout: float) -> None:
        """Wait up to `timeout` for SIGTERM, then SIGKILL the group: also a child the supervisor
        started, a gunicorn worker."""
        proc = self.procs[name]
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop on SIGTERM: SIGKILL")
        self.signal(name, signal.SIGKILL)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def stop(self, name: str, timeout: float = 15) -> None:
        if name not in self.procs:
            return
        if self.procs[name].poll() is None:
            self.signal(name, signal.SIGTERM)
        self._reap(name, timeout)

    def stop_all(self) -> None:
        names = list(self.procs)
        for name in reversed(names):
            if self.procs[name].poll() is None:
                self.signal(name, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name in names:
            self._reap(name, max(0.1, deadline - time.monotonic()))

    def worker_pid(self) -> int | None:
        """The task worker: the child of supervise.sh running run_worker (None between restarts)."""
        for pid in children(self.procs["worker"].pid):
            if "run_worker" in cmdline(pid):
                return pid
        return None

    def web_worker_pids(self) -> list[int]:
        return children(self.procs["web"].pid)


class SmtpSink:
    """A local SMTP server that counts the mails per recipient; stop() makes the port refuse."""

    def __init__(self, port: int):
        self.port = port
        self.received: collections.Counter = collections.Counter()
        self.subjects: dict[str, list[str]] = collections.defaultdict(list)
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes

        subject = message_from_bytes(envelope.original_content or envelope.content).get("Subject", "")
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received[rcpt.lower()] += 1
                self.subjects[rcpt.lower()].append(str(subject))
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def snapshot(self) -> dict[str, int]:
        with self.lock:
            return dict(self.received)


# --------------------------------------------------------------------------- the drill


class Drill:
    def __init__(self, args):
        self.args = args
        self.results: dict[str, dict] = {}
        self.failures: list[str] = []
        self.admin_url = os.environ.get("DATABASE_URL", "")
        self.database_url = ""
        self.sink: SmtpSink | None = None
        self.processes: Processes | None = None
        self.base = ""
        self.created_database = False
        self.ready_at = None

    # ----- setup

    def prepare_directory(self) -> None:
        DRILL_DIR.mkdir(parents=True, exist_ok=True)
        for child in DRILL_DIR.iterdir():
            if child.name == "static":  # collectstatic is incremental: keep it between runs
                continue
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        (DRILL_DIR / "logs").mkdir()

    def prepare_database(self) -> None:
        if not self.admin_url:
            self.database_url = f"sqlite:///{DRILL_DIR / 'drill.sqlite3'}"
            return
        self.database_url = create_database(self.admin_url, "drill")
        self.created_database = True

    def drop_database(self) -> None:
        if not self.created_database:
            return
        drop_database(self.admin_url, "drill")
        log("database drill dropped")

    def environment(self, port: int, smtp_port: int) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in (
            "KLIMAPAKT_TESTING", "TASK_BACKEND", "REDIS_URL", "MEDIA_STORAGE", "HTTPS", "BEHIND_PROXY",
            "MEDIA_ROOT", "CACHE_DIR", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER")}
        env.update({
            "DEBUG": "0", "SECRET_KEY": "drill-" + secrets.token_urlsafe(40), "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "VAR_DIR": str(DRILL_DIR), "DATABASE_URL": self.database_url, "HOST": "127.0.0.1", "PORT": str(port),
            "WEB_WORKERS": str(self.args.web_workers), "SITE_URL": f"http://127.0.0.1:{port}",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "EMAIL_USE_TLS": "0", "EMAIL_USE_SSL": "0",
            "API_THROTTLE_RATE": "100000/m", "MAIL_RETRY_DELAYS": ",".join(map(str, self.args.mail_retry_delays)),
            "GUNICORN_ACCESS_LOG": str(DRILL_DIR / "logs" / "access.log"), "PYTHONUNBUFFERED": "1",
        })
        return env

    def manage(self, env: dict, *argv: str) -> None:
        started = time.monotonic()
        done = subprocess.run([str(PYTHON), "manage.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            raise DrillError(f"manage.py {' '.join(argv)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        log(f"manage.py {argv[0]}: {time.monotonic() - started:.1f} s")

    def setup(self) -> None:
        self.prepare_directory()
        self.prepare_database()
        port, smtp_port = free_port(), free_port()
        env = self.environment(port, smtp_port)
        self.base = f"http://127.0.0.1:{port}"
        log(f"database {self.database_url.split('@')[-1]}, data in {DRILL_DIR}")
        self.manage(env, "migrate", "--noinput")
        self.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        self.manage(env, "load_demo")
        # This process reads and writes the same database through the ORM (events, checks).
        os.environ.update({k: env[k] for k in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "VAR_DIR", "DATABASE_URL",
                                               "EMAIL_HOST", "EMAIL_PORT", "MAIL_RETRY_DELAYS", "SITE_URL")})
        for name in ("KLIMAPAKT_TESTING", "TASK_BACKEND", "REDIS_URL", "MEDIA_STORAGE"):
            os.environ.pop(name, None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        self.sink = SmtpSink(smtp_port)
        self.sink.start()
        self.processes = Processes(env, DRILL_DIR / "logs")
        self.processes.start("web", [str(VENV_BIN / "gunicorn"), "config.wsgi:application"])
        self.processes.start("worker", [str(ROOT / "scripts" / "supervise.sh"), "worker", "nice", "-n", "10",
                                        str(PYTHON), "manage.py", "run_worker", "--queue-name", "*", "--interval", "1"])
        self.processes.start("scheduler", [str(ROOT / "scripts" / "supervise.sh"), "scheduler", "nice", "-n", "10",
                                           str(PYTHON), "manage.py", "run_scheduler"])
        self.wait_for_web()
        log(f"gunicorn on {self.base} ({self.args.web_workers} workers), worker and scheduler supervised, "
            f"SMTP sink on 127.0.0.1:{smtp_port}; mail retry delays {self.args.mail_retry_delays} s")
        from django.utils import timezone

        # The demo's mails (written by load_demo without tasks) are sent by the sweeper after its
        # 2 minutes' grace; the drills count only their own recipients.
        self.ready_at = timezone.now()

    def wait_for_web(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes.procs["web"].poll() is not None:
                raise DrillError("gunicorn exited; see var/drill/logs/web.log")
            try:
                with urllib_open(self.base + "/healthz") as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise DrillError("gunicorn did not answer /healthz")

    # ----- database views (ORM in this process)

    @staticmethod
    def outbox_state(since=None) -> dict:
        """The outbox's mails by state (only those written since `since`, when given)."""
        from django.db import close_old_connections
        from django.db.models import Count, Max

        from klimapakt.core.models import OutboxMail

        close_old_connections()
        mails = OutboxMail.objects.filter(created_at__gte=since) if since else OutboxMail.objects.all()
        rows = dict(mails.values_list("status").annotate(n=Count("pk")))
        return {"pending": rows.get("queued", 0) + rows.get("sending", 0), "failed": rows.get("failed", 0),
                "sent": rows.get("sent", 0),
                "max_attempts": mails.aggregate(m=Max("attempts"))["m"] or 0}

    def wait_outbox_empty(self, timeout: float, since=None) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.outbox_state(since)["pending"] == 0:
                return True
            time.sleep(1)
        return False

    @staticmethod
    def create_event(title: str, seats: int) -> int:
        from django.utils import timezone

        from klimapakt.core.models import Pact
        from klimapakt.events.models import Event

        start = timezone.now() + datetime.timedelta(days=30)
        event = Event.objects.create(pact=Pact.objects.current(), title_de=title, starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=2), capacity=seats,
                                     status=Event.Status.PUBLISHED, venue_name="Drill")
        return event.pk

    # ----- HTTP

    def register(self, event_id: int, email: str, i: int, conn: http.client.HTTPConnection | None = None,
                 timeout: float = 60) -> Attempt:
        parts = urllib.parse.urlsplit(self.base)
        conn = conn or http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        body = json.dumps({"first_name": "Drill", "last_name": f"Person {i}", "email": email,
                           "organisation": f"Drill {i % 20}", "answers": {}, "privacy_consent": True})
        started = time.perf_counter()
        try:
            conn.request("POST", f"/api/v1/events/{event_id}/registrations", body=body,
                         headers={"Content-Type": "application/json", "Accept-Language": "de"})
            response = conn.getresponse()
            payload = response.read()
            return Attempt(response.status, payload[:300].decode("utf-8", "replace"), time.perf_counter() - started)
        except CONNECTION_ERRORS as error:
            return Attempt(0, repr(error), time.perf_counter() - started)
        finally:
            conn.close()

    # ----- 1. SMTP down

    def drill_smtp(self) -> None:
        args = self.args
        log(f"SMTP drill: sink stopped, {args.registrations} registrations, SMTP down {args.smtp_down:.0f} s")
        event_id = self.create_event("Drill: SMTP down", args.registrations + 50)
        stamp = int(time.time())
        emails = [f"smtp-{stamp}-{i}@drill.example" for i in range(args.registrations)]
        if not self.wait_outbox_empty(timeout=120, since=self.ready_at):  # the burst's mails, if it ran first
            log("  (mails of the earlier drills still waiting; they wait with these)")
        self.sink.stop()
        down_at = time.monotonic()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            attempts = list(pool.map(lambda pair: self.register(event_id, pair[1], pair[0]), enumerate(emails)))
        wall = time.perf_counter() - started
        statuses = collections.Counter(a.status for a in attempts)
        result = {"registrations": len(emails), "http_statuses": dict(statuses),
                  "registrations_per_s": round(len(emails) / wall, 1), "smtp_down_s": args.smtp_down}
        not_2xx = [a for a in attempts if not 200 <= a.status < 300]
        problems = [f"{len(not_2xx)} registrations not answered 2xx while SMTP was down: "
                    f"{[(a.status, a.body[:100]) for a in not_2xx[:3]]}"] if not_2xx else []
        while time.monotonic() - down_at < args.smtp_down:
            state = self.outbox_state()
            log(f"  SMTP down {time.monotonic() - down_at:4.0f} s: outbox {state['pending']} waiting, "
                f"{state['failed']} failed, attempts up to {state['max_attempts']}")
            time.sleep(min(15, max(0.5, args.smtp_down - (time.monotonic() - down_at))))
        state = self.outbox_state()
        result["outbox_when_smtp_returned"] = state
        result["attempts_during_outage"] = state["max_attempts"]
        self.sink.start()
        up_at = time.monotonic()
        log(f"  SMTP up again; outbox {state['pending']} waiting, {state['failed']} failed")
        last_arrival = None
        delivered = 0
        deadline = up_at + args.mail_timeout
        while time.monotonic() < deadline:
            received = self.sink.snapshot()
            now_delivered = sum(1 for e in emails if received.get(e, 0))
            if now_delivered > delivered:
                delivered, last_arrival = now_delivered, time.monotonic()
            state = self.outbox_state()
            if state["pending"] == 0 and delivered == len(emails):
                break
            time.sleep(2)
        time.sleep(3)  # anything sent twice arrives now at the latest
        state = self.outbox_state()
        received = self.sink.snapshot()
        mails = check_mail_counts(emails, received)
        problems += mails["problems"]
        if state["pending"]:
            problems.append(f"outbox not empty {args.mail_timeout:.0f} s after SMTP returned: {state}")
        if state["failed"]:
            problems.append(f"{state['failed']} mails failed for good (retries exhausted)")
        result.update({"mails_delivered": delivered, "exactly_one_mail": mails["exactly_one"],
                       "more_than_one_mail": mails["more_than_one"], "missing_mail": mails["missing"],
                       "outbox_after": state,
                       "recovery_s": round(last_arrival - up_at, 1) if last_arrival else None,
                       "problems": problems})
        self.finish("smtp_down", result)

    # ----- 2. worker killed during an import

    def member_session(self):
        import requests

        session = requests.Session()
        session.headers["Accept-Language"] = "de"
        page = session.get(self.base + "/konto/login/", timeout=30)
        response = session.post(self.base + "/konto/login/", timeout=30, data={
            "csrfmiddlewaretoken": csrf_token(page.text), "login": DEMO_MEMBER[0], "password": DEMO_MEMBER[1]},
            headers={"Referer": page.url})
        if response.status_code != 200 or "/konto/login/" in response.url:
            raise DrillError(f"member login failed ({response.status_code}, {response.url})")
        return session

    @staticmethod
    def member_organisation() -> tuple[int, int]:
        """The demo member's organisation and a year that is not frozen."""
        from django.utils import timezone

        from klimapakt.ghg.selectors import frozen_years
        from klimapakt.partners.models import Organisation

        org = Organisation.objects.filter(memberships__user__email=DEMO_MEMBER[0]).order_by("pk").first()
        if org is None:
            raise DrillError("the demo member has no organisation (load_demo)")
        frozen = frozen_years(org)
        year = timezone.localdate().year
        while year in frozen:
            year -= 1
        return org.pk, year

    @staticmethod
    def workbook(rows: int, year: int) -> bytes:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Verbräuche")
        sheet.append(["Jahr", "Energieträger", "Menge", "Einheit", "Standort",
                      "Faktor des Lieferanten (kg CO2 je kWh)", "Nachweis"])
        kinds = [("Erdgas", "kWh_hs"), ("diesel", "l")]
        for i in range(rows):
            carrier, unit = kinds[i % 2]
            sheet.append([year, carrier, 100 + i % 997, unit, f"Standort {i % 7}", None, f"Drill {i}"])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    @staticmethod
    def import_task_state(since) -> tuple[str | None, str | None]:
        """(status, id) of the newest import task enqueued since `since`."""
        from django.db import close_old_connections
        from django_tasks_db.models import DBTaskResult

        close_old_connections()
        row = (DBTaskResult.objects.filter(task_path__endswith="import_run", enqueued_at__gte=since)
               .order_by("-enqueued_at").values_list("status", "id").first())
        return (row[0], str(row[1])) if row else (None, None)

    def drill_import(self) -> None:
        from django.utils import timezone

        from klimapakt.ghg.models import ActivityLine

        args = self.args
        result: dict = {"rows": args.import_rows}
        problems: list[str] = []
        result["problems"] = problems
        retry_route = "import_retry" in (ROOT / "klimapakt" / "ghg" / "urls.py").read_text()
        result["import_retry_in_code"] = retry_route
        org_id, year = self.member_organisation()
        session = self.member_session()
        base = f"{self.base}/mein-bereich/organisation/{org_id}/co2-bilanz/import/"
        data = self.workbook(args.import_rows, year)
        log(f"import drill: {args.import_rows} rows ({len(data) // 1024} KB) for {year}, uploading")
        page = session.get(base, timeout=30)
        started = time.monotonic()
        response = session.post(base, timeout=120, data={"csrfmiddlewaretoken": csrf_token(page.text)}, files={
            "file": ("drill.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
            headers={"Referer": base})
        result["upload_s"] = round(time.monotonic() - started, 1)
        state = import_page_state(response.text)
        if not re.search(r"/import/\d+/$", response.url) or not state["can_start"]:
            problems.append(f"upload not accepted ({response.status_code}, {response.url}, status {state['status']})")
            return self.finish("import", result)
        job_url = response.url
        log(f"  uploaded and checked in {result['upload_s']} s: {state['status']}; starting the import")

        since = timezone.now()
        killed = {}

        def kill_when_running():
            from django.db import connection

            deadline = time.monotonic() + 120
            try:
                while time.monotonic() < deadline and not killed.get("stop"):
                    status, task_id = self.import_task_state(since)
                    if status in ("SUCCEEDED", "FAILED"):
                        killed["too_late"] = status
                        return
                    if status == "RUNNING":
                        pid = self.processes.worker_pid()
                        if pid:
                            os.kill(pid, signal.SIGKILL)
                            killed.update(pid=pid, at=time.monotonic(), task=task_id)
                            return
                    time.sleep(0.02)
            finally:
                connection.close()  # this thread's own connection

        killer = threading.Thread(target=kill_when_running, daemon=True)
        killer.start()
        start_at = time.monotonic()
        response = session.post(job_url, timeout=120, data={"csrfmiddlewaretoken": csrf_token(response.text)},
                                headers={"Referer": job_url})
        killer.join(timeout=125)
        killed["stop"] = True
        if "pid" not in killed:
            problems.append(f"the import task was never seen running before it ended ({killed.get('too_late')}): "
                            "no worker was killed; try more --import-rows")
            return self.finish("import", result)
        result["killed_after_start_s"] = round(killed["at"] - start_at, 2)
        log(f"  worker {killed['pid']} killed (SIGKILL) {result['killed_after_start_s']} s after pressing start")

        restart_deadline = time.monotonic() + 60
        while time.monotonic() < restart_deadline:
            pid = self.processes.worker_pid()
            if pid and pid != killed["pid"]:
                result["worker_restarted_s"] = round(time.monotonic() - killed["at"], 1)
                break
            time.sleep(0.2)
        else:
            problems.append("supervise.sh did not restart the worker within 60 s")

        outcome, seen = self.poll_import(session, job_url, since=killed["at"], timeout=args.import_timeout)
        result["first_outcome"] = outcome["status"]
        result["visible_outcome_s"] = seen
        result["task_status"] = self.import_task_state(since)[0]
        if outcome["status"] == "Importiert":
            result["outcome"] = "imported (the task finished before it died, or was run again)"
        elif outcome["status"] == "Fehlgeschlagen":
            log(f"  the page shows the import failed after {seen} s: {outcome['failure']}")
            if not outcome["retry_action"]:
                problems.append("the failed import's page offers no retry")
            else:
                retry_url = urllib.parse.urljoin(job_url, outcome["retry_action"])
                page = session.get(job_url, timeout=30)
                retried_at = time.monotonic()
                response = session.post(retry_url, timeout=120, data={"csrfmiddlewaretoken": csrf_token(page.text)},
                                        headers={"Referer": job_url})
                if "/import/" not in response.url:  # a small import finished at once: the balance page
                    final = {"status": "Importiert"}
                    done_s = round(time.monotonic() - retried_at, 1)
                else:
                    final, done_s = self.poll_import(session, job_url, since=retried_at, timeout=args.import_timeout)
                result["retry_done_s"] = done_s
                result["outcome"] = f"failed visibly, retried: {final['status']}"
                if final["status"] != "Importiert":
                    problems.append(f"the retried import did not finish within {args.import_timeout:.0f} s "
                                    f"(page shows {final['status']})")
        else:
            result["outcome"] = f"still „{outcome['status']}“ at {outcome['progress']} %"
            hint = ("" if retry_route else " This tree has no import_retry (branch h-uploads): the reaper "
                    "fails the task, but nothing marks the import as failed.")
            problems.append(f"the import still shows „{outcome['status']}“ {args.import_timeout:.0f} s after the "
                            f"worker was killed (task {result['task_status']}); it neither finished nor failed "
                            f"visibly.{hint}")
        lines = ActivityLine.objects.filter(organisation_id=org_id, year=year).count()
        result["lines_in_database"] = lines
        if result.get("outcome", "").endswith("Importiert") or result.get("outcome", "").startswith("imported"):
            if lines != args.import_rows:
                problems.append(f"{lines} lines in the database for {year}, expected {args.import_rows}")
        self.finish("import", result)

    def poll_import(self, session, job_url: str, *, since: float, timeout: float) -> tuple[dict, float | None]:
        """Poll the import's page until it shows done or failed; (page state, seconds since `since`)."""
        deadline = since + timeout
        last = None
        state: dict = {"status": None, "progress": None, "retry_action": None, "failure": None}
        while time.monotonic() < deadline:
            try:
                response = session.get(job_url, timeout=30)
            except OSError as error:
                log(f"  import page: {error!r}")
                time.sleep(2)
                continue
            if "/import/" not in response.url:  # redirected away: treat the balance page as done
                return {"status": "Importiert", "progress": 100, "retry_action": None, "failure": None}, round(
                    time.monotonic() - since, 1)
            state = import_page_state(response.text)
            if (state["status"], state["progress"]) != last:
                log(f"  {time.monotonic() - since:5.0f} s: {state['status']} {state['progress'] or ''}")
                last = (state["status"], state["progress"])
            if state["status"] in ("Importiert", "Fehlgeschlagen"):
                return state, round(time.monotonic() - since, 1)
            time.sleep(2)
        return state, None

    # ----- 3. web workers killed during a burst

    def drill_burst(self) -> None:
        args = self.args
        event_id = self.create_event("Drill: killed web workers", args.burst_seats)
        stamp = int(time.time())
        emails = [f"burst-{stamp}-{i}@drill.example" for i in range(args.burst)]
        outcomes = [BurstOutcome(email) for email in emails]
        parts = urllib.parse.urlsplit(self.base)
        self.warm_up(event_id)
        before = sorted(self.processes.web_worker_pids())
        log(f"burst drill: {args.burst} registrations for {args.burst_seats} seats, {args.kills} web workers "
            f"SIGKILLed every {args.kill_every} s (workers {before})")
        ready = threading.Barrier(args.burst + 2)
        killed: list[int] = []

        def client(i: int):
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            try:
                conn.connect()
            except OSError:
                conn = None
            ready.wait()
            first = self.register(event_id, emails[i], i, conn=conn) if conn else Attempt(0, "connect failed")
            outcomes[i].attempts.append(first)
            if first.status == 0:  # the connection broke: the person presses again
                time.sleep(0.2)
                outcomes[i].attempts.append(self.register(event_id, emails[i], i))

        def killer():
            ready.wait()
            for _ in range(args.kills):
                time.sleep(args.kill_every)
                pids = self.processes.web_worker_pids()
                if pids:
                    victim = pids[len(killed) % len(pids)]
                    try:
                        os.kill(victim, signal.SIGKILL)
                        killed.append(victim)
                    except ProcessLookupError:
                        pass

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.burst)]
        threads.append(threading.Thread(target=killer))
        for t in threads:
            t.start()
        ready.wait()
        started = time.perf_counter()
        for t in threads[:-1]:
            t.join()
        wall = time.perf_counter() - started
        threads[-1].join()
        time.sleep(1)
        after = sorted(self.processes.web_worker_pids())
        registrations, event = self.burst_rows(event_id)
        result = check_burst(outcomes, registrations, event)
        statuses = collections.Counter(o.final.status for o in outcomes)
        first = collections.Counter(o.attempts[0].status for o in outcomes)
        result.update({"seats": args.burst_seats, "workers_killed": len(killed), "first_statuses": dict(first),
                       "final_statuses": dict(statuses), "registrations_per_s": round(args.burst / wall, 1),
                       "wall_s": round(wall, 2), "web_workers_after": len(after)})
        if len(after) != args.web_workers:
            result["problems"].append(f"gunicorn has {len(after)} workers after the burst, not {args.web_workers}")
        if len(killed) < args.kills:
            result["problems"].append(f"only {len(killed)} of {args.kills} web workers could be killed")
        self.finish("burst", result)

    def warm_up(self, event_id: int) -> None:
        """Every worker has imported the URLconf and opened its database connection."""
        parts = urllib.parse.urlsplit(self.base)

        def hit(_):
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            try:
                conn.request("GET", "/api/v1/events")
                conn.getresponse().read()
            finally:
                conn.close()

        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(hit, range(32)))

    @staticmethod
    def burst_rows(event_id: int) -> tuple[list[dict], dict]:
        from django.db import close_old_connections

        from klimapakt.events.models import Event, Registration

        close_old_connections()
        rows = list(Registration.objects.filter(event_id=event_id).values("email", "status", "waitlist_order"))
        event = Event.objects.filter(pk=event_id).values("capacity", "seats_taken", "waitlist_length").get()
        return rows, event

    # ----- results

    def finish(self, name: str, result: dict) -> None:
        self.results[name] = result
        for problem in result.get("problems", []):
            self.failures.append(f"{name}: {problem}")
        log(f"{name}: {'OK' if not result.get('problems') else 'FAILED'}")

    def summary(self) -> str:
        lines = ["", "=" * 72, f"Fault drill on {'PostgreSQL' if self.admin_url else 'SQLite'}", "=" * 72]
        smtp = self.results.get("smtp_down")
        if smtp:
            lines += [f"SMTP down {smtp['smtp_down_s']:.0f} s: {smtp['registrations']} registrations at "
                      f"{smtp['registrations_per_s']}/s, answers {smtp['http_statuses']}",
                      f"  attempts per mail during the outage: up to {smtp['attempts_during_outage']}; "
                      f"mails delivered {smtp['mails_delivered']}/{smtp['registrations']}, exactly one "
                      f"{smtp['exactly_one_mail']}, more than one {smtp['more_than_one_mail']}, none "
                      f"{smtp['missing_mail']}; last mail {smtp['recovery_s']} s after SMTP returned; "
                      f"outbox after: {smtp['outbox_after']}"]
        imp = self.results.get("import")
        if imp:
            lines += [f"Worker killed during a {imp['rows']}-row import: upload and check {imp.get('upload_s')} s, "
                      f"killed {imp.get('killed_after_start_s')} s after start, worker restarted after "
                      f"{imp.get('worker_restarted_s')} s",
                      f"  outcome: {imp.get('outcome')}; visible after {imp.get('visible_outcome_s')} s"
                      + (f", retry done after {imp['retry_done_s']} s" if imp.get("retry_done_s") is not None else "")
                      + f"; task {imp.get('task_status')}; {imp.get('lines_in_database')} lines stored"]
        burst = self.results.get("burst")
        if burst:
            lines += [f"Burst with killed web workers: {burst['requests']} registrations for {burst['seats']} seats "
                      f"at {burst['registrations_per_s']}/s ({burst['wall_s']} s), {burst['workers_killed']} "
                      f"workers killed, {burst['web_workers_after']} running after",
                      f"  first answers {burst['first_statuses']}, after one retry {burst['final_statuses']}; "
                      f"retried {burst['retried']}, unanswered {burst['unanswered']} "
                      f"({burst['unanswered_in_db']} of them registered)",
                      f"  database: {burst['confirmed']} confirmed, {burst['waitlisted']} waitlisted; "
                      f"lost {burst['lost']}, duplicated {burst['duplicated']}"]
        lines.append("-" * 72)
        lines += [f"FAILED {f}" for f in self.failures] or ["All checks passed."]
        return "\n".join(lines)

    def run(self) -> int:
        try:
            self.setup()
            for name in self.args.only:
                getattr(self, {"smtp": "drill_smtp", "import": "drill_import", "burst": "drill_burst"}[name])()
        except DrillError as error:
            self.failures.append(f"drill aborted: {error}")
        except KeyboardInterrupt as interrupt:
            self.failures.append(f"drill interrupted ({interrupt or 'Ctrl-C'})")
        finally:
            log("stopping every process the drill started")
            if self.processes:
                self.processes.stop_all()
            if self.sink:
                self.sink.stop()
            try:
                self.drop_database()
            except Exception as error:  # noqa: BLE001 - reported, the summary still comes
                self.failures.append(f"could not drop the database drill: {error}")
        print(self.summary())
        if self.args.json:
            (DRILL_DIR / "results.json").write_text(json.dumps({"results": self.results, "failures": self.failures},
                                                               indent=2, default=str))
        return 1 if self.failures else 0


def urllib_open(url: str):
    import urllib.request

    return urllib.request.urlopen(url, timeout=2)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smtp-down", type=float, default=float(os.environ.get("DRILL_SMTP_DOWN_SECONDS", "60")),
                        help="seconds SMTP stays down (env DRILL_SMTP_DOWN_SECONDS, default 60; the issue: 600)")
    parser.add_argument("--mail-retry-delays", type=lambda s: [int(x) for x in s.split(",")],
                        help="MAIL_RETRY_DELAYS for the drill's processes (default: 5,10,20,40,80 for up to "
                             "2 minutes down, else production's series scaled to the outage)")
    parser.add_argument("--mail-timeout", type=float, default=600,
                        help="seconds to wait for the outbox to empty after SMTP returned")
    parser.add_argument("--registrations", type=int, default=100)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--import-timeout", type=float, default=300, help="seconds for the import to end visibly")
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--burst-seats", type=int, default=50)
    parser.add_argument("--kills", type=int, default=3, help="gunicorn workers killed during the burst")
    parser.add_argument("--kill-every", type=float, default=0.1, help="seconds between two kills")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--only", default="smtp,import,burst",
                        help="comma-separated drills to run: smtp, import, burst (in the order given)")
    parser.add_argument("--json", action="store_true", help="also write var/drill/results.json")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    if unknown := set(args.only) - {"smtp", "import", "burst"}:
        parser.error(f"unknown drills: {sorted(unknown)}")
    if not 2 <= args.web_workers <= 4:
        parser.error("--web-workers must be 2 to 4")
    args.mail_retry_delays = args.mail_retry_delays or drill_retry_delays(args.smtp_down)
    if retry_budget(args.mail_retry_delays) < args.smtp_down + SWEEP_SECONDS:
        log(f"warning: retry delays {args.mail_retry_delays} give up after about "
            f"{retry_budget(args.mail_retry_delays):.0f} s, less than the outage: mails will fail")

    drill = Drill(args)

    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    return drill.run()


if __name__ == "__main__":
    sys.exit(main())
