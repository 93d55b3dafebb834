#!/usr/bin/env python
"""Scale-out drill (issue 18, `make scale-test`, docs/operations.md "Scale-out drill").

Real components on one machine, laid out as deploy/ lays them out on a VM: PostgreSQL
(DATABASE_URL, an admin URL, or a private cluster started with pg_ctl), a private Redis, nginx in
round-robin over two gunicorn app servers, two RQ workers (TASK_BACKEND=rq), two schedulers, one
shared media folder, production settings (DEBUG=0, SECRET_KEY, BEHIND_PROXY=1, ALLOWED_HOSTS;
HTTPS=0), mail to a local SMTP sink (aiosmtpd) in this process.

1. Cross-server checks (the app servers started with API_THROTTLE_RATE=10/m): a session made on
   one app server is valid on the other, the API limit is counted once for both, a change made
   through one is visible through the other within 1 s. Then both restart with the raised rate.
2. Mixed load with locust (scripts/scale_locustfile.py), SCALE_MINUTES in all (default 5):
   30 % with nginx sending everything to one app server, 30 % to both, 40 % (at least 70 s) for the
   faults: one app server gets SIGTERM and stays down 30 s, then the other gets kill -9.
   Between the load phases both schedulers restart with their clock on the next day.
3. Checks: 0 x 5xx (nginx's log; those of requests in flight at the kill -9 counted apart), every
   registration confirmed or waitlisted exactly once with exactly one mail, seats never above
   capacity (sampled every 0.5 s and at the end), every import done exactly once, each daily job
   once per day across both schedulers.

Prints requests/s and p50/p95 per request type for one and for two app servers. Exit 1 when a
check failed. Every process it started is stopped (process groups), also on an error or Ctrl-C."""

from __future__ import annotations

import argparse
import collections
import csv
import datetime
import http.client
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from fault_drill import (  # noqa: E402
    DrillError,
    Processes,
    SmtpSink,
    create_database,
    csrf_token,
    drop_database,
    free_port,
    log,
)

DIR = ROOT / "var" / "scale"
PYTHON = Path(sys.executable)
VENV_BIN = ROOT / ".venv" / "bin"
DATABASE = "scale_drill"
OFFICE = ("geschaeftsstelle@klimapakt.example", "klimapakt-demo")
PASSWORD = "Lasttest-2026-geheim"
CHECK_RATE = (10, "10/m")
SMALL_EVENT_SEATS = 20


# --------------------------------------------------------------------------- pure helpers (tested)


def phase_seconds(minutes: float) -> tuple[int, int, int]:
    """(one server, two servers, faults) in seconds: 30/30/40 % of the total, the fault phase at
    least 70 s (30 s down, the restart, the kill -9 and 15 s after it), each measuring phase at
    least 20 s."""
    total = minutes * 60
    faults = max(70, round(total * 0.4))
    measure = max(20, round((total - faults) / 2))
    return measure, measure, faults


def parse_stats(path: Path) -> dict[str, dict]:
    """locust's *_stats.csv -> {name: {requests, failures, rps, p50, p95}} (ms), "Aggregated" too."""
    rows = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if row["Type"] else "all requests"
            if row["Name"] == "Aggregated":
                name = "all requests"
            rows[name] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                          "rps": float(row["Requests/s"]), "p50": _ms(row["50%"]), "p95": _ms(row["95%"])}
    return rows


def _ms(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def comparison_table(one: dict[str, dict], two: dict[str, dict]) -> list[str]:
    """The table of the closing note: per request type requests/s, p50 and p95 with one and with
    two app servers, and the ratio of the requests/s."""
    names = sorted((set(one) | set(two)) - {"all requests"}) + ["all requests"]
    lines = [f"{'request type':34} {'1 server: req/s  p50  p95':>27} {'2 servers: req/s  p50  p95':>28} {'ratio':>6}",
             "-" * 98]
    for name in names:
        a, b = one.get(name), two.get(name)

        def cell(s):
            if not s:
                return f"{'-':>27}"
            return f"{s['rps']:>16.1f} {_fmt(s['p50']):>5} {_fmt(s['p95']):>5}"
        ratio = f"{b['rps'] / a['rps']:.2f}" if a and b and a["rps"] else "-"
        lines.append(f"{name[:34]:34} {cell(a)} {cell(b):>28} {ratio:>6}")
    return lines


def _fmt(ms: float | None) -> str:
    return "-" if ms is None else f"{ms:.0f}"


def parse_nginx_log(path: Path) -> list[dict]:
    """Lines of the drill's log_format `scale`: msec|status|upstream_addr|upstream_status|request
    (a request nginx passed on to a second server has both addresses: "127.0.0.1:1, 127.0.0.1:2")."""
    entries = []
    if not path.exists():
        return entries
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("|", 4)
        if len(parts) < 5:
            continue
        try:
            entries.append({"at": float(parts[0]), "status": int(parts[1]), "upstream": parts[2],
                            "upstream_status": parts[3], "request": parts[4]})
        except ValueError:
            continue
    return entries


def split_server_errors(entries: list[dict], kill_at: float | None, killed_upstream: str,
                        window: float = 5.0) -> tuple[list[dict], list[dict]]:
    """5xx answers: (in flight at the kill -9: within `window` s after it and sent to the killed
    app server, counted apart; all others, which must not exist)."""
    in_flight, others = [], []
    for entry in entries:
        if entry["status"] < 500:
            continue
        if (kill_at is not None and kill_at - 0.5 <= entry["at"] <= kill_at + window
                and killed_upstream in entry["upstream"]):
            in_flight.append(entry)
        else:
            others.append(entry)
    return in_flight, others


def check_registrations(records: list[dict], rows: list[dict], mails: dict[str, int]) -> dict:
    """Every address answered 201 is registered exactly once (confirmed or waitlisted); no address
    twice; every stored registration of the drill got exactly one mail. Requests without an
    answer (in flight at the kill -9: status 0 or 502) may or may not be stored, but at most once."""
    per_email = collections.Counter(r["email"].lower() for r in rows if r["status"] in ("confirmed", "waitlisted"))
    answered = [r for r in records if r["status"] == 201]
    unanswered = [r for r in records if r["status"] == 0 or r["status"] >= 500]
    problems = []
    lost = [r["email"] for r in answered if per_email[r["email"].lower()] != 1]
    twice = sorted(email for email, n in per_email.items() if n > 1)
    sent = {r["email"].lower() for r in records}
    strangers = sorted(email for email in per_email if email not in sent)
    mail_wrong = sorted(email for email in per_email if mails.get(email, 0) != 1)
    states = {r["email"].lower(): r["state"] for r in answered}
    db_status = {r["email"].lower(): r["status"] for r in rows}
    mismatched = [e for e, s in states.items() if s and db_status.get(e) and db_status[e] != s]
    if lost:
        problems.append(f"{len(lost)} registrations answered 201 are not stored exactly once, e.g. {lost[:3]}")
    if twice:
        problems.append(f"{len(twice)} addresses registered twice, e.g. {twice[:3]}")
    if strangers:
        problems.append(f"{len(strangers)} registrations nobody sent, e.g. {strangers[:3]}")
    if mail_wrong:
        problems.append(f"{len(mail_wrong)} registrants without exactly one mail, e.g. "
                        f"{[(e, mails.get(e, 0)) for e in mail_wrong[:3]]}")
    if mismatched:
        problems.append(f"{len(mismatched)} registrations changed their status, e.g. {mismatched[:3]}")
    refused = collections.Counter(r["status"] for r in records if r["status"] not in (201, 0) and r["status"] < 500)
    if refused:
        problems.append(f"registrations refused: {dict(refused)}")
    return {"sent": len(records), "answered_201": len(answered), "in_flight_failed": len(unanswered),
            "in_flight_stored": sum(per_email[r["email"].lower()] for r in unanswered),
            "confirmed": sum(1 for r in rows if r["status"] == "confirmed"),
            "waitlisted": sum(1 for r in rows if r["status"] == "waitlisted"),
            "mails_exactly_one": sum(1 for e in per_email if mails.get(e, 0) == 1), "problems": problems}


def check_scheduler_logs(texts_per_day: dict[str, list[str]], jobs: list[str]) -> dict:
    """Each daily job ran exactly once per day across the schedulers: its "job: ok/FAILED" line
    appears once in the logs of all schedulers of that day."""
    problems = []
    runs = {}
    for day, texts in texts_per_day.items():
        counts = collections.Counter()
        for text in texts:
            for line in text.splitlines():
                job = line.split(":", 1)[0].strip()
                if job in jobs and (": ok" in line or ": FAILED" in line):
                    counts[job] += 1
        runs[day] = dict(counts)
        wrong = {job: counts.get(job, 0) for job in jobs if counts.get(job, 0) != 1}
        if wrong:
            problems.append(f"{day}: daily jobs not run exactly once across the schedulers: {wrong}")
    return {"runs": runs, "problems": problems}


# --------------------------------------------------------------------------- processes


def http_get(port: int, path: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def http_post(port: int, path: str, body: bytes, headers: dict, timeout: float = 30) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# --------------------------------------------------------------------------- the drill


class Drill:
    def __init__(self, args):
        self.args = args
        self.failures: list[str] = []
        self.results: dict = {}
        self.procs = Processes(None, DIR / "logs")  # every start names its environment
        self.admin_url = os.environ.get("DATABASE_URL", "")
        self.database_url = ""
        self.created_database = False
        self.private_pg: Path | None = None
        self.redis_url = ""
        self.sink: SmtpSink | None = None
        self.ports: dict[str, int] = {}
        self.env: dict = {}
        self.sampler_stop = threading.Event()
        self.seat_violations: list[str] = []
        self.scheduler_days: dict[str, list[str]] = {}

    # ----- components

    def prepare_directory(self) -> None:
        DIR.mkdir(parents=True, exist_ok=True)
        for child in DIR.iterdir():
            if child.name in ("static",):  # collectstatic is incremental: kept between runs
                continue
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        for sub in ("logs", "media", "nginx", "locust", "run"):
            (DIR / sub).mkdir()

    def start_postgres(self) -> None:
        if self.admin_url:
            return
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        candidates = [Path(bindir)] if bindir else []
        candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
        bindir = next((c for c in candidates if (c / "initdb").exists() and (c / "pg_ctl").exists()), None)
        if bindir is None:
            raise DrillError("no DATABASE_URL and no initdb/pg_ctl found: set DATABASE_URL to a PostgreSQL admin URL")
        data = DIR / "pgdata"
        port = free_port()
        run_as = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            pwd.getpwnam("postgres")
            run_as = ["runuser", "-u", "postgres", "--"]
            data.mkdir()
            shutil.chown(data, "postgres")
            shutil.chown(DIR / "logs", "postgres")
        subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(DIR / "logs" / "postgres.log"),
                        "-w", "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                        "-c fsync=off", "start"], check=True, capture_output=True)
        self.private_pg = bindir
        self.pg_run_as = run_as
        self.admin_url = f"postgres://postgres@127.0.0.1:{port}/postgres"
        log(f"private PostgreSQL cluster on port {port} ({bindir})")

    def stop_postgres(self) -> None:
        if self.private_pg:
            subprocess.run([*self.pg_run_as, str(self.private_pg / "pg_ctl"), "-D", str(DIR / "pgdata"), "-m", "fast",
                            "-w", "stop"], capture_output=True)

    def prepare_database(self) -> None:
        self.database_url = create_database(self.admin_url, DATABASE)
        self.created_database = True

    def drop_database(self) -> None:
        if not self.created_database:
            return
        drop_database(self.admin_url, DATABASE)

    def start_redis(self) -> None:
        server = shutil.which("redis-server")
        if not server:
            if not os.environ.get("REDIS_URL"):
                raise DrillError("no redis-server and no REDIS_URL")
            self.redis_url = os.environ["REDIS_URL"]
            log(f"Redis from REDIS_URL (no redis-server here): {self.redis_url}")
            return
        port = free_port()
        self.procs.start("redis", [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", str(DIR / "run")], os.environ.copy())
        self.redis_url = f"redis://127.0.0.1:{port}/0"
        for _ in range(50):
            try:
                import redis

                redis.Redis.from_url(self.redis_url).ping()
                log(f"private Redis on port {port}")
                return
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.1)
        raise DrillError("redis-server did not start")

    def environment(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in (
            "KLIMAPAKT_TESTING", "MEDIA_STORAGE", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER", "CACHE_DIR")}
        env.update({
            "DEBUG": "0", "HTTPS": "0", "BEHIND_PROXY": "1", "SECRET_KEY": self.secret,
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "VAR_DIR": str(DIR), "MEDIA_ROOT": str(DIR / "media"),
            "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url, "TASK_BACKEND": "rq",
            "SITE_URL": f"http://127.0.0.1:{self.ports['nginx']}", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.ports["smtp"]), "EMAIL_USE_TLS": "0", "EMAIL_USE_SSL": "0",
            "API_THROTTLE_RATE": "1000000/m", "EVENTS_REGISTRATION_EMAIL_RATE": "1000/h",
            "LOGIN_FAILED_RATE": "1000/m/ip", "WEB_WORKERS": str(self.args.web_workers), "HOST": "127.0.0.1",
            "CONN_MAX_AGE": "60", "PYTHONUNBUFFERED": "1",
        })
        env.update(extra)
        return env

    def manage(self, *argv: str) -> None:
        started = time.monotonic()
        done = subprocess.run([str(PYTHON), "manage.py", *argv], cwd=ROOT, env=self.env, capture_output=True, text=True)
        if done.returncode:
            raise DrillError(f"manage.py {' '.join(argv)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        log(f"manage.py {argv[0]}: {time.monotonic() - started:.1f} s")

    def write_nginx(self, servers: list[str]) -> None:
        """The drill's nginx: deploy/nginx/klimapakt.conf without TLS (the same proxy settings,
        included from deploy/nginx/klimapakt-proxy.conf), on a free port, round-robin over `servers`
        (names of the app servers), with an access log of status and upstream per request."""
        prefix = DIR / "nginx"
        upstreams = "\n".join(f"        server 127.0.0.1:{self.ports[name]} max_fails=1 fail_timeout=5s;"
                              for name in servers)
        (prefix / "nginx.conf").write_text(f"""
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {DIR}/logs/nginx-error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    log_format scale '$msec|$status|$upstream_addr|$upstream_status|$request';
    upstream klimapakt {{
{upstreams}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{self.ports['nginx']};
        server_name 127.0.0.1;
        access_log {DIR}/logs/nginx-access.log scale;
        client_max_body_size 25m;
        location /static/ {{ alias {DIR}/static/; expires 1h; }}
        location / {{
            proxy_pass http://klimapakt;
            include {ROOT}/deploy/nginx/klimapakt-proxy.conf;
        }}
    }}
}}
""", encoding="utf-8")

    def nginx(self, *argv: str) -> None:
        prefix = DIR / "nginx"
        subprocess.run(["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), *argv], check=True,
                       capture_output=True)

    def start_app(self, name: str, rate: str | None = None) -> None:
        env = self.environment(PORT=str(self.ports[name]), GUNICORN_ACCESS_LOG=str(DIR / "logs" / f"{name}-access.log"),
                               **({"API_THROTTLE_RATE": rate} if rate else {}))
        self.procs.start(name, [str(VENV_BIN / "gunicorn"), "config.wsgi:application"], env)

    def wait_healthy(self, port: int, name: str, timeout: float = 90) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            proc = self.procs.procs.get(name)
            if proc is not None and proc.poll() is not None:
                raise DrillError(f"{name} exited; see {DIR}/logs/{name}.log")
            try:
                if http_get(port, "/healthz", timeout=2)[0] == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.2)
        raise DrillError(f"{name} did not answer /healthz on port {port} within {timeout:.0f} s")

    def start_schedulers(self, day_label: str, offset: float) -> None:
        env = self.environment(SCHEDULER_CLOCK_OFFSET=str(offset))
        for n in (1, 2):
            self.procs.start(f"scheduler{n}", [str(PYTHON), "manage.py", "run_scheduler", "--interval", "10"], env,
                             log_name=f"scheduler{n}-{day_label}")
        self.scheduler_days[day_label] = [str(DIR / "logs" / f"scheduler{n}-{day_label}.log") for n in (1, 2)]

    # ----- data

    def setup_data(self) -> dict:
        """Small events, partner accounts (one organisation each where possible), the workbook."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password
        from django.utils import timezone
        from openpyxl import Workbook

        from klimapakt.core.models import Pact
        from klimapakt.events.models import Event
        from klimapakt.ghg.selectors import frozen_years
        from klimapakt.partners.models import Membership, Organisation

        pact = Pact.objects.current()
        start = timezone.now() + datetime.timedelta(days=30)
        events = [Event.objects.create(pact=pact, title_de=f"Lasttest-Workshop {i}", starts_at=start,
                                       ends_at=start + datetime.timedelta(hours=2), capacity=SMALL_EVENT_SEATS,
                                       status=Event.Status.PUBLISHED, venue_name="Rathaus").pk for i in (1, 2, 3)]
        check_event = Event.objects.create(pact=pact, title_de="Lasttest: Prüfung", starts_at=start,
                                           ends_at=start + datetime.timedelta(hours=2), capacity=500,
                                           status=Event.Status.PUBLISHED, venue_name="Rathaus").pk
        organisations = list(Organisation.objects.order_by("pk"))  # the demo's; each partner its own
        if not organisations:
            raise DrillError("load_demo made no organisation")
        year = timezone.localdate().year
        hashed = make_password(PASSWORD)
        partners = []
        user_model = get_user_model()
        for i in range(self.args.partners):
            org = organisations[i % len(organisations)]
            frozen = frozen_years(org)
            free = [y for y in range(year - 1, year - 12, -1) if y not in frozen]
            slot = i // len(organisations)  # partners sharing an organisation work on other years
            import_year, entry_year = free[2 * slot], free[2 * slot + 1]
            user = user_model.objects.create(email=f"partner{i}@scale.example", password=hashed, is_active=True)
            self.verify_email(user)
            Membership.objects.create(organisation=org, user=user, role=Membership.Role.ADMIN)
            partners.append({"email": user.email, "password": PASSWORD, "org": org.pk, "import_year": import_year,
                             "entry_year": entry_year})
        # One workbook per import year (a partner imports into its own year).
        workbooks = {}
        for year_ in sorted({p["import_year"] for p in partners}):
            book = Workbook(write_only=True)
            sheet = book.create_sheet("Verbräuche")
            sheet.append(["Jahr", "Energieträger", "Menge", "Einheit", "Standort",
                          "Faktor des Lieferanten (kg CO2 je kWh)", "Nachweis"])
            for row in range(1000):
                carrier, unit = [("Erdgas", "kWh_hs"), ("diesel", "l")][row % 2]
                sheet.append([year_, carrier, 100 + row % 997, unit, f"Standort {row % 7}", None, f"Zeile {row}"])
            path = DIR / "locust" / f"verbraeuche-{year_}.xlsx"
            book.save(path)
            workbooks[year_] = str(path)
        return {"events": events, "check_event": check_event, "partners": partners, "workbooks": workbooks,
                "office": [{"email": OFFICE[0], "password": OFFICE[1]}]}

    @staticmethod
    def verify_email(user) -> None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    def write_plans(self, data: dict) -> None:
        """The plan locust reads (scripts/scale_locustfile.py): events, accounts, each partner's
        workbook (1,000 rows of its import year)."""
        partners = [{**p, "xlsx": data["workbooks"][p["import_year"]]} for p in data["partners"]]
        self.plan = {"events": data["events"], "partners": partners, "office": data["office"]}
        (DIR / "locust" / "plan.json").write_text(json.dumps(self.plan), encoding="utf-8")

    # ----- checks across the app servers (before the load)

    def login(self, port: int, email: str, password: str) -> str:
        """Log in on one app server directly; returns the session cookie's value."""
        status, headers, body = http_get(port, "/konto/login/", {"Host": "127.0.0.1"})
        cookies = self._cookies(headers)
        token = csrf_token(body.decode())
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": password}).encode()
        status, headers, _ = http_post(port, "/konto/login/", form, {
            "Host": "127.0.0.1", "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Referer": "http://127.0.0.1/konto/login/"})
        cookies.update(self._cookies(headers))
        if status != 302 or "sessionid" not in cookies:
            raise DrillError(f"login on port {port} failed: HTTP {status}")
        return cookies["sessionid"]

    @staticmethod
    def _cookies(headers: dict) -> dict:
        # http.client folds repeated Set-Cookie headers into one, comma-separated.
        cookies = {}
        raw = headers.get("Set-Cookie", "")
        for part in raw.split(","):
            first = part.strip().split(";", 1)[0]
            if "=" in first and not first.lower().startswith(("expires", "max-age", "path")):
                key, value = first.split("=", 1)
                if key in ("sessionid", "csrftoken"):
                    cookies[key] = value
        return cookies

    def check_across_servers(self, data: dict) -> None:
        a, b = self.ports["app1"], self.ports["app2"]
        result: dict = {"problems": []}
        problems = result["problems"]
        # 1. A session made on app1 is valid on app2.
        session = self.login(a, OFFICE[0], OFFICE[1])
        status, headers, _ = http_get(b, "/geschaeftsstelle/", {"Host": "127.0.0.1", "Cookie": f"sessionid={session}"})
        result["session_on_other_server"] = status
        if status != 200:
            problems.append(f"a session from app server 1 is not valid on app server 2 (HTTP {status}, "
                            f"{headers.get('Location', '')})")
        # 2. The API limit (10/m here) is counted once for both servers.
        while time.time() % 60 > 45:  # not across a window's edge
            time.sleep(1)
        client = f"198.51.100.{secrets.randbelow(200) + 1}"
        answers = []
        for i in range(2 * CHECK_RATE[0]):
            port = (a, b)[i % 2]
            status, _, _ = http_post(port, f"/api/v1/events/{data['check_event']}/registrations", b"{}", {
                "Host": "127.0.0.1", "Content-Type": "application/json", "X-Forwarded-For": client})
            answers.append(status)
        allowed = sum(1 for s in answers if s != 429)
        result["api_limit"] = {"limit": CHECK_RATE[0], "sent": len(answers), "allowed": allowed,
                               "statuses": dict(collections.Counter(answers))}
        if allowed != CHECK_RATE[0]:
            problems.append(f"API limit not shared: {allowed} of {len(answers)} requests allowed by two servers "
                            f"with a limit of {CHECK_RATE[0]} per minute ({answers})")
        # 3. A change through one server is visible through the other within 1 s (both ways).
        visible = []
        for write, read in ((a, b), (b, a)):
            before = json.loads(http_get(read, f"/api/v1/events/{data['check_event']}", {"Host": "127.0.0.1"})[2])
            body = json.dumps({"first_name": "Sicht", "last_name": "Prüfung", "email":
                               f"sicht-{secrets.token_hex(6)}@scale.example", "organisation": "Lasttest",
                               "answers": {}, "privacy_consent": True}).encode()
            status, _, _ = http_post(write, f"/api/v1/events/{data['check_event']}/registrations", body, {
                "Host": "127.0.0.1", "Content-Type": "application/json", "X-Forwarded-For": "198.51.100.250"})
            written = time.monotonic()
            seen = None
            while time.monotonic() - written < 5:
                now = json.loads(http_get(read, f"/api/v1/events/{data['check_event']}", {"Host": "127.0.0.1"})[2])
                if now["seats_taken"] == before["seats_taken"] + 1:
                    seen = time.monotonic() - written
                    break
                time.sleep(0.05)
            visible.append(None if seen is None else round(seen, 3))
            if status != 201 or seen is None or seen > 1:
                problems.append(f"a registration through port {write} (HTTP {status}) was visible through port "
                                f"{read} after {seen} s")
        result["visible_after_s"] = visible
        self.finish("across servers", result)

    # ----- load

    def run_locust(self, phase: str, seconds: int, during=None) -> dict:
        env = {**os.environ, "SCALE_PLAN": str(DIR / "locust" / "plan.json"),
               "SCALE_RECORD": str(DIR / "locust" / "record.jsonl"), "SCALE_PHASE": phase}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        prefix = DIR / "locust" / phase
        argv = [str(PYTHON), "-m", "locust", "-f", str(ROOT / "scripts" / "scale_locustfile.py"), "--headless",
                "-u", str(self.args.users), "-r", str(self.args.users), "-t", f"{seconds}s", "--host",
                f"http://127.0.0.1:{self.ports['nginx']}", "--csv", str(prefix), "--only-summary",
                "--stop-timeout", "10", "--exit-code-on-error", "0", "--loglevel", "WARNING"]
        log(f"load phase {phase}: {self.args.users} users for {seconds} s")
        proc = self.procs.start(f"locust-{phase}", argv, env)
        if during:
            during()
        try:
            proc.wait(timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            raise DrillError(f"locust ({phase}) did not end") from None
        stats = prefix.with_name(prefix.name + "_stats.csv")
        if not stats.exists():
            raise DrillError(f"locust wrote no statistics; see {DIR}/logs/locust-{phase}.log")
        return parse_stats(stats)

    def faults(self, seconds: int) -> None:
        """During the fault phase: SIGTERM app2 (30 s down, then started again), then kill -9 app1."""
        time.sleep(min(10, seconds * 0.1))
        log("SIGTERM to app server 2; it stays down 30 s")
        self.results["sigterm_at"] = time.time()
        self.procs.stop("app2")
        time.sleep(30)
        self.start_app("app2")
        up = self.wait_healthy(self.ports["app2"], "app2")
        self.results["sigterm_back_at"] = time.time()
        log(f"app server 2 answers again ({up:.1f} s to start)")
        # As for a deploy: the next server goes down only once nginx sends to this one again (it
        # tries a failed server again after fail_timeout); otherwise nginx has no live server left.
        routed = self.wait_routed("app2", since=self.results["sigterm_back_at"])
        log(f"nginx sends to app server 2 again after {routed:.1f} s")
        time.sleep(3)
        log("kill -9 to app server 1 (master and workers)")
        self.results["kill_at"] = time.time()
        self.procs.signal("app1", signal.SIGKILL)
        time.sleep(10)
        self.start_app("app1")
        self.wait_healthy(self.ports["app1"], "app1")
        log("app server 1 started again")

    def wait_routed(self, name: str, since: float, timeout: float = 60) -> float:
        """Seconds until nginx's log shows an answer of app server `name` after `since`."""
        upstream = f"127.0.0.1:{self.ports[name]}"
        while time.time() - since < timeout:
            for entry in parse_nginx_log(DIR / "logs" / "nginx-access.log")[-500:]:
                if entry["at"] >= since and entry["upstream"].split(", ")[-1] == upstream and entry["status"] < 500:
                    return entry["at"] - since
            time.sleep(0.5)
        raise DrillError(f"nginx did not send to {name} within {timeout:.0f} s of its restart")

    def sample_seats(self) -> None:
        from django.db import close_old_connections, connection
        from django.db.models import Count, Q

        from klimapakt.events.models import Event

        while not self.sampler_stop.wait(0.5):
            try:
                close_old_connections()
                rows = Event.objects.filter(pk__in=self.plan["events"]).annotate(
                    confirmed=Count("registrations", filter=Q(registrations__status="confirmed"))).values(
                    "pk", "capacity", "seats_taken", "confirmed")
                for row in rows:
                    if row["seats_taken"] > row["capacity"] or row["confirmed"] > row["capacity"]:
                        self.seat_violations.append(f"event {row['pk']}: {row['confirmed']} confirmed, counter "
                                                    f"{row['seats_taken']}, capacity {row['capacity']}")
            except Exception as error:  # noqa: BLE001 - sampling only
                log(f"seat sampler: {error!r}")
        connection.close()

    # ----- afterwards

    def wait_quiet(self, timeout: float) -> dict:
        """Until the outbox has no waiting mail and RQ's queue is empty."""
        import django_rq
        from django.db import close_old_connections

        from klimapakt.core.models import OutboxMail

        deadline = time.monotonic() + timeout
        state = {}
        while time.monotonic() < deadline:
            close_old_connections()
            pending = OutboxMail.objects.filter(status__in=["queued", "sending"]).count()
            queue = django_rq.get_queue("default")
            state = {"outbox_waiting": pending, "rq_queued": queue.count,
                     "rq_failed": queue.failed_job_registry.count}
            if pending == 0 and queue.count == 0:
                return state
            time.sleep(2)
        return state

    def check_after(self, data: dict) -> None:
        from django.db import close_old_connections

        from klimapakt.core.models import AuditEntry
        from klimapakt.events.models import Event, Registration
        from klimapakt.ghg.models import ActivityLine, ImportJob

        close_old_connections()
        records = [json.loads(line) for line in (DIR / "locust" / "record.jsonl").read_text().splitlines() if line]
        registrations = [r for r in records if r["kind"] == "registration"]
        rows = list(Registration.objects.filter(event_id__in=data["events"]).values("email", "status"))
        mails = self.sink.snapshot()
        result = check_registrations(registrations, rows, mails)
        for event in Event.objects.filter(pk__in=data["events"]).values("pk", "capacity", "seats_taken",
                                                                         "waitlist_length"):
            confirmed = sum(1 for r in Registration.objects.filter(event_id=event["pk"], status="confirmed")
                            .values_list("pk", flat=True))
            waiting = Registration.objects.filter(event_id=event["pk"], status="waitlisted").count()
            if confirmed > event["capacity"] or event["seats_taken"] != confirmed or event["waitlist_length"] != waiting:
                result["problems"].append(f"event {event['pk']}: {confirmed} confirmed / {waiting} waiting, counters "
                                          f"{event['seats_taken']} / {event['waitlist_length']}, capacity "
                                          f"{event['capacity']}")
        if self.seat_violations:
            result["problems"].append(f"seats above capacity while running: {self.seat_violations[:3]}")
        self.finish("registrations", result)

        imports = [r for r in records if r["kind"] == "import"]
        jobs = {j["pk"]: j for j in ImportJob.objects.filter(organisation_id__in={p["org"] for p in self.plan["partners"]})
                .values("pk", "status", "organisation_id", "total_rows")}
        problems = []
        started = [r for r in imports if r["job"]]
        done_jobs = [r for r in started if r["outcome"] == "done"]
        in_flight = []
        for r in started:
            job = jobs.get(r["job"])
            if job is None:
                problems.append(f"import {r['job']} is not in the database")
            elif r["outcome"] == "done" and job["status"] != ImportJob.Status.DONE:
                problems.append(f"import {r['job']} answered done but is {job['status']}")
            elif job["status"] == ImportJob.Status.IMPORTING:
                if r["status"] in (0, 502):  # its app server was killed while it ran in the request
                    in_flight.append(r["job"])  # the page shows it failed after STALE_SYNC_IMPORT: retry
                else:
                    problems.append(f"import {r['job']} still importing (answer {r['status']})")
        # All or nothing: an organisation's import year has 0 lines or exactly the file's 1,000,
        # and 1,000 once one import of it was done (replacing: never 2,000).
        for org, year in {(p["org"], p["import_year"]) for p in self.plan["partners"]
                          if any(r["org"] == p["org"] for r in started)}:
            lines = ActivityLine.objects.filter(organisation_id=org, year=year).count()
            done_here = any(r["org"] == org for r in done_jobs)
            if lines != 1000 and (done_here or lines != 0):
                problems.append(f"organisation {org}: {lines} lines in {year} after imports of 1,000 rows")
        audit_done = AuditEntry.objects.filter(action="ghg.import.done").count()
        db_done = sum(1 for j in jobs.values() if j["status"] == ImportJob.Status.DONE)
        if audit_done != db_done:
            problems.append(f"{db_done} imports done but {audit_done} done entries in the audit log")
        self.finish("imports", {"uploads": len(imports), "started": len(started), "done": len(done_jobs),
                                "done_in_database": db_done, "audit_done": audit_done,
                                "in_flight_failed": sum(1 for r in imports if r["outcome"] != "done"),
                                "in_flight_left_importing": in_flight,
                                "problems": problems})

    def check_schedulers(self) -> None:
        from klimapakt.core import scheduler
        from klimapakt.core.models import ScheduledRun

        jobs = [job for job, _at in scheduler.schedule()]
        texts = {day: [Path(p).read_text(errors="replace") for p in paths] for day, paths in self.scheduler_days.items()}
        result = check_scheduler_logs(texts, jobs)
        days = sorted(ScheduledRun.objects.values_list("day", flat=True).distinct())
        result["days_claimed"] = [str(d) for d in days]
        if len(days) < 2:
            result["problems"].append(f"the schedulers' clock did not cross a day: days {days}")
        self.finish("daily jobs", result)

    def check_server_errors(self) -> None:
        entries = parse_nginx_log(DIR / "logs" / "nginx-access.log")
        kill_at = self.results.get("kill_at")
        in_flight, others = split_server_errors(entries, kill_at, f"127.0.0.1:{self.ports['app1']}")
        by_phase = collections.Counter()
        sigterm = self.results.get("sigterm_at"), self.results.get("sigterm_back_at")
        during_sigterm = 0
        for entry in entries:
            if sigterm[0] and sigterm[1] and sigterm[0] <= entry["at"] <= sigterm[1]:
                during_sigterm += 1
            by_phase[entry["status"] // 100] += 1
        problems = []
        if others:
            problems.append(f"{len(others)} answers 5xx outside the kill -9, e.g. "
                            f"{[(e['status'], e['upstream'], e['request']) for e in others[:5]]}")
        self.finish("5xx", {"requests": len(entries), "by_class": {f"{k}xx": v for k, v in sorted(by_phase.items())},
                            "during_sigterm": during_sigterm, "in_flight_at_kill": len(in_flight),
                            "in_flight_requests": [e["request"] for e in in_flight[:10]], "problems": problems})

    # ----- main

    def finish(self, name: str, result: dict) -> None:
        self.results[name] = result
        for problem in result.get("problems", []):
            self.failures.append(f"{name}: {problem}")
        log(f"{name}: {'OK' if not result.get('problems') else 'FAILED'}")

    def run(self) -> int:
        args = self.args
        one = two = None
        try:
            self.prepare_directory()
            if not shutil.which("nginx"):
                raise DrillError("nginx is missing: `make scale-test` installs Debian's nginx when run as root")
            self.secret = "scale-" + secrets.token_urlsafe(40)
            self.ports = {name: free_port() for name in ("nginx", "app1", "app2", "smtp")}
            self.start_postgres()
            self.prepare_database()
            self.start_redis()
            self.env = self.environment()
            log(f"database {DATABASE} on {self.database_url.split('@')[-1]}, Redis {self.redis_url}, data in {DIR}")
            self.manage("migrate", "--noinput")
            self.manage("collectstatic", "--noinput", "--verbosity", "0")
            self.manage("load_demo")
            os.environ.update({k: v for k, v in self.env.items() if k not in ("PORT",)})
            os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
            sys.path.insert(0, str(ROOT))
            import django

            django.setup()
            data = self.setup_data()
            self.write_plans(data)
            self.sink = SmtpSink(self.ports["smtp"])
            self.sink.start()
            for n in (1, 2):
                self.procs.start(f"rqworker{n}", ["nice", "-n", "10", str(PYTHON), "manage.py", "rqworker",
                                                  "--with-scheduler", "--name", f"scale-{n}-{os.getpid()}", "default"],
                                 self.env)
            # The schedulers' day: today at noon (every daily job is due), later the next day at noon.
            from django.utils import timezone

            now = timezone.localtime()
            noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
            self.start_schedulers("day1", (noon - now).total_seconds())
            for name in ("app1", "app2"):
                self.start_app(name, rate=CHECK_RATE[1])
            for name in ("app1", "app2"):
                log(f"{name} on port {self.ports[name]}: ready after {self.wait_healthy(self.ports[name], name):.1f} s")
            self.check_across_servers(data)
            for name in ("app1", "app2"):  # now with the raised API limit for the simulated users
                self.procs.stop(name)
                self.start_app(name)
            for name in ("app1", "app2"):
                self.wait_healthy(self.ports[name], name)
            self.write_nginx(["app1"])
            self.procs.start("nginx", ["nginx", "-p", str(DIR / "nginx"), "-c", str(DIR / "nginx" / "nginx.conf")],
                             os.environ.copy())
            self.wait_healthy(self.ports["nginx"], "nginx")
            sampler = threading.Thread(target=self.sample_seats, daemon=True)
            sampler.start()
            first, second, fault = phase_seconds(args.minutes)
            one = self.run_locust("one-server", first)
            log("schedulers restart with their clock on the next day")
            for n in (1, 2):
                self.procs.stop(f"scheduler{n}")
            self.start_schedulers("day2", (noon - now).total_seconds() + 86400)
            self.write_nginx(["app1", "app2"])
            self.nginx("-s", "reload")
            time.sleep(1)
            two = self.run_locust("two-servers", second)
            self.run_locust("faults", fault, during=lambda: threading.Thread(
                target=self._faults_safely, args=(fault,), daemon=True).start())
            time.sleep(2)
            self.sampler_stop.set()
            log("load done; waiting for the outbox and the queue to empty")
            quiet = self.wait_quiet(args.mail_timeout)
            time.sleep(3)  # a mail sent twice would arrive now
            self.results["queues_after"] = quiet
            if quiet.get("outbox_waiting") or quiet.get("rq_queued"):
                self.failures.append(f"queues not empty {args.mail_timeout:.0f} s after the load: {quiet}")
            self.check_server_errors()
            self.check_after(data)
            self.check_schedulers()
            self.results["one"], self.results["two"] = one, two
        except DrillError as error:
            self.failures.append(f"drill aborted: {error}")
        except KeyboardInterrupt as interrupt:
            self.failures.append(f"drill interrupted ({interrupt or 'Ctrl-C'})")
        except Exception as error:  # noqa: BLE001 - the summary and the clean-up still come
            import traceback

            traceback.print_exc()
            self.failures.append(f"drill aborted: {error!r}")
        finally:
            self.sampler_stop.set()
            log("stopping every process the drill started")
            self.procs.stop_all()
            if self.sink:
                self.sink.stop()
            try:
                self.drop_database()
            except Exception as error:  # noqa: BLE001 - reported, the summary still comes
                self.failures.append(f"could not drop the database {DATABASE}: {error}")
            self.stop_postgres()
        print(self.summary(one, two))
        (DIR / "results.json").write_text(json.dumps({"results": self.results, "failures": self.failures},
                                                     indent=2, default=str))
        return 1 if self.failures else 0

    def _faults_safely(self, seconds: int) -> None:
        try:
            self.faults(seconds)
        except Exception as error:  # noqa: BLE001 - reported as a failure
            self.failures.append(f"fault injection: {error!r}")

    def summary(self, one, two) -> str:
        load = os.getloadavg()
        lines = ["", "=" * 98, f"Scale-out drill: nginx, 2 app servers x {self.args.web_workers} gunicorn workers, "
                 f"2 RQ workers, 2 schedulers, PostgreSQL, Redis; {self.args.users} simulated users; "
                 f"{os.cpu_count()} CPUs, load {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}", "=" * 98]
        if one and two:
            lines += comparison_table(one, two)
            lines.append("req/s: requests per second of that type; p50/p95 in ms. Both app servers share this "
                         "machine's CPUs with PostgreSQL, Redis, the workers and locust: the ratio shows what a "
                         "second server adds here, not what a second machine would (it will not double).")
        for name in ("across servers", "5xx", "registrations", "imports", "daily jobs"):
            if name in self.results:
                shown = {k: v for k, v in self.results[name].items() if k != "problems"}
                lines.append(f"{name}: {json.dumps(shown, default=str)[:600]}")
        if "queues_after" in self.results:
            lines.append(f"queues after the load: {self.results['queues_after']}")
        lines.append("-" * 98)
        lines += [f"FAILED {f}" for f in self.failures] or ["All checks passed."]
        return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SCALE_MINUTES") or 5),
                        help="minutes of load in all (env SCALE_MINUTES, default 5)")
    parser.add_argument("--users", type=int, default=int(os.environ.get("SCALE_USERS") or 22),
                        help="simulated users (env SCALE_USERS, default 22)")
    parser.add_argument("--partners", type=int, default=8, help="partner accounts")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--mail-timeout", type=float, default=240,
                        help="seconds to wait for the outbox and the queue to empty after the load")
    args = parser.parse_args(argv)

    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    return Drill(args).run()


if __name__ == "__main__":
    sys.exit(main())
