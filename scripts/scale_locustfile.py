"""The scale-out drill's mixed load (scripts/scale_drill.py starts it: locust, headless, loopback).

Four kinds of people, each request named by what it is ("visitor: home", ...), so the drill can
print requests/s and p50/p95 per request type:
- visitors: home page, events, the partner directory, the calculator, an event's page;
- registrants: bursts of registrations (API) for a few small events, each with a new address;
- partners: log in once, then dashboard, the year's balance, a line of data entered by hand, and
  now and then a 1,000-row XLSX uploaded and imported;
- the pact office: the pipeline (organisations), the report inbox and the organisations' export.

The plan (accounts, event ids, the workbook) comes from the JSON file in SCALE_PLAN, written by the
drill. What the drill checks afterwards is appended to SCALE_RECORD (JSON lines): each registration
with the answer, each import with its outcome. A request counts as failed in locust's statistics
when its answer is not the expected one; 5xx are counted by the drill from nginx's log."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["SCALE_PLAN"], encoding="utf-8").read())
RECORD = open(os.environ["SCALE_RECORD"], "a", encoding="utf-8")
RECORD_LOCK = threading.Lock()
PHASE = os.environ.get("SCALE_PHASE", "")
PARTNER_NUMBER = itertools.count()
OFFICE_NUMBER = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WORKBOOKS = {}
for _partner in PLAN["partners"]:
    if _partner["xlsx"] not in WORKBOOKS:
        with open(_partner["xlsx"], "rb") as handle:
            WORKBOOKS[_partner["xlsx"]] = handle.read()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def record(kind: str, **data) -> None:
    with RECORD_LOCK:
        RECORD.write(json.dumps({"kind": kind, "phase": PHASE, **data}) + "\n")
        RECORD.flush()


@events.quitting.add_listener
def _close(**_kwargs):
    RECORD.close()


def csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


def expect(response, *statuses: int) -> None:
    """Mark a `catch_response` answer failed unless its status is one of `statuses`."""
    if response.status_code in statuses:
        response.success()
    else:
        response.failure(f"HTTP {response.status_code}")


class Visitor(HttpUser):
    weight = 5
    wait_time = between(0.5, 2)

    @task(3)
    def home(self):
        self.client.get("/", name="visitor: home")

    @task(2)
    def events(self):
        self.client.get("/veranstaltungen/", name="visitor: events")

    @task(1)
    def event(self):
        self.client.get(f"/veranstaltungen/{random.choice(PLAN['events'])}/", name="visitor: event page")

    @task(2)
    def directory(self):
        self.client.get("/klimapartner/", name="visitor: partner directory")

    @task(1)
    def calculator(self):
        self.client.get("/co2-rechner/", name="visitor: calculator")


class Registrant(HttpUser):
    """Bursts: a handful of registrations in quick succession, then a pause."""

    weight = 3
    wait_time = between(0.05, 0.3)

    def on_start(self):
        self.left_in_burst = 0

    @task
    def register(self):
        if self.left_in_burst <= 0:
            self.left_in_burst = random.randint(3, 8)
            self.event = random.choice(PLAN["events"])
        self.left_in_burst -= 1
        email = f"p-{uuid.uuid4().hex[:16]}@scale.example"
        body = {"first_name": "Last", "last_name": "Test", "email": email, "organisation": "Lasttest GmbH",
                "answers": {}, "privacy_consent": True}
        with self.client.post(f"/api/v1/events/{self.event}/registrations", json=body, catch_response=True,
                              name="registrant: register (API)", headers={"Accept-Language": "de"}) as response:
            state = ""
            if response.status_code == 201:
                state = (response.json() or {}).get("status", "")
            record("registration", email=email, event=self.event, status=response.status_code, state=state)
            expect(response, 201)
        if self.left_in_burst <= 0:
            self._sleep(random.uniform(2, 5))

    def _sleep(self, seconds: float) -> None:
        import gevent

        gevent.sleep(seconds)


class LoggedIn(HttpUser):
    abstract = True

    def log_in(self, email: str, password: str) -> bool:
        page = self.client.get("/konto/login/", name="login: page")
        with self.client.post("/konto/login/", data={"csrfmiddlewaretoken": csrf(page.text), "login": email,
                                                     "password": password},
                              headers={"Referer": page.url}, name="login: submit", catch_response=True) as response:
            if response.status_code == 200 and "/konto/login/" not in response.url:
                response.success()
                return True
            response.failure(f"login failed: HTTP {response.status_code} at {response.url}")
            return False


class Partner(LoggedIn):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.me = PLAN["partners"][next(PARTNER_NUMBER) % len(PLAN["partners"])]
        self.base = f"/mein-bereich/organisation/{self.me['org']}/co2-bilanz/"
        self.logged_in = self.log_in(self.me["email"], self.me["password"])

    @task(3)
    def dashboard(self):
        if self.logged_in:
            self.client.get("/mein-bereich/", name="partner: dashboard")

    @task(3)
    def balance(self):
        if self.logged_in:
            self.client.get(f"{self.base}{self.me['entry_year']}/", name="partner: balance")

    @task(2)
    def enter_line(self):
        if not self.logged_in:
            return
        url = f"{self.base}{self.me['entry_year']}/zeile/neu/"
        page = self.client.get(url, name="partner: data entry form")
        with self.client.post(url, data={"csrfmiddlewaretoken": csrf(page.text), "carrier": "diesel",
                                         "quantity": str(random.randint(1, 500)), "unit": "l"},
                              headers={"Referer": url}, name="partner: data entry save",
                              catch_response=True) as response:
            if response.status_code == 200 and "/zeile/neu/" not in response.url:
                response.success()
            else:
                response.failure(f"line not saved: HTTP {response.status_code}")

    @task(1)
    def import_workbook(self):
        if not self.logged_in:
            return
        url = f"{self.base}import/"
        page = self.client.get(url, name="partner: import form")
        with self.client.post(url, data={"csrfmiddlewaretoken": csrf(page.text)},
                              files={"file": ("verbraeuche.xlsx", WORKBOOKS[self.me["xlsx"]], XLSX)}, headers={"Referer": url},
                              name="partner: upload 1,000-row XLSX", catch_response=True) as response:
            job = re.search(r"/import/(\d+)/$", response.url or "")
            if response.status_code != 200 or not job:
                response.failure(f"upload not accepted: HTTP {response.status_code}")
                record("import", org=self.me["org"], job=None, status=response.status_code, outcome="upload failed")
                return
            response.success()
            token = csrf(response.text)
        job_url = response.url
        with self.client.post(job_url, data={"csrfmiddlewaretoken": token, "mode": "replace"},
                              headers={"Referer": job_url}, name="partner: start import",
                              catch_response=True) as response:
            done = response.status_code == 200 and "/import/" not in response.url
            record("import", org=self.me["org"], job=int(job.group(1)), status=response.status_code,
                   outcome="done" if done else "not done")
            if done:
                response.success()
            else:
                response.failure(f"import not done: HTTP {response.status_code} at {response.url}")


class Office(LoggedIn):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        office = PLAN["office"][next(OFFICE_NUMBER) % len(PLAN["office"])]
        self.logged_in = self.log_in(office["email"], office["password"])

    @task(3)
    def pipeline(self):
        if self.logged_in:
            self.client.get("/geschaeftsstelle/organisationen/", name="office: pipeline")

    @task(2)
    def report_inbox(self):
        if self.logged_in:
            self.client.get("/geschaeftsstelle/berichte/", name="office: report inbox")

    @task(1)
    def export(self):
        if self.logged_in:
            self.client.get("/geschaeftsstelle/organisationen/export.xlsx", name="office: export (XLSX)")
