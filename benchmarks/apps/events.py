"""Benchmark data of the events app: >= 200 events and 20,000 registrations (with answers) at
the large scale. Pages: event list, event page, registration form POST, API list, organiser
registration list (one big event), evaluation. The registration burst over HTTP is
benchmarks/burst.py (it needs a running server)."""

from __future__ import annotations

import datetime
import itertools


def generate(ctx) -> None:
    from django.utils import timezone

    from benchmarks.generate import bulk_insert, scaled
    from klimapakt.core.models import InitialPartner
    from klimapakt.events.models import CONSENT_VERSION, AgendaItem, Answer, Event, Question, Registration

    rng = ctx.rng
    large = ctx.scale != "small"
    n_events, n_registrations = scaled(ctx, (24, 600), (240, 20_000))
    now = timezone.now()
    partners = list(InitialPartner.objects.filter(pact=ctx.pact))
    events = []
    for i in range(n_events):
        # a third in the past (archive), the rest upcoming over the next year
        offset = datetime.timedelta(days=rng.randint(-700, -1) if i % 3 == 0 else rng.randint(1, 365))
        start = (now + offset).replace(hour=16, minute=0, second=0, microsecond=0)
        events.append(Event(
            pact=ctx.pact, kind=rng.choice(["workshop", "network"]), title_de=f"Netzwerktreffen {i}: Thema {i % 17}",
            title_en=f"Network meeting {i}", description_de="Austausch unter Klimapartnern. " * rng.randint(2, 8),
            starts_at=start, ends_at=start + datetime.timedelta(hours=2), venue_name="Rathaus Krefeld",
            venue_address="Von-der-Leyen-Platz 1, 47798 Krefeld", capacity=rng.choice([20, 30, 60, 120, None]),
            status=rng.choice(["published"] * 8 + ["closed", "draft"])))
    # the organiser's big event: upcoming, 2,000 registrations
    start = (now + datetime.timedelta(days=20)).replace(hour=13, minute=0, second=0, microsecond=0)
    events.append(Event(pact=ctx.pact, kind="workshop", title_de="Großer Klimatag", starts_at=start,
                        ends_at=start + datetime.timedelta(hours=6), venue_name="Seidenweberhaus", capacity=1500,
                        status="published"))
    # the event the registration POST goes to (no seat limit, so every POST is a confirmation)
    events.append(Event(pact=ctx.pact, kind="network", title_de="Offenes Netzwerktreffen", starts_at=start,
                        ends_at=start + datetime.timedelta(hours=2), venue_name="Rathaus", capacity=None,
                        status="published"))
    events = Event.objects.bulk_create(events, batch_size=500)
    big, open_event = events[-2], events[-1]
    through = Event.organisers.through
    through.objects.bulk_create([through(event_id=e.pk, initialpartner_id=p.pk)
                                 for e in events for p in rng.sample(partners, min(2, len(partners)))],
                                batch_size=1000)
    AgendaItem.objects.bulk_create([AgendaItem(event=e, position=j, title_de=f"Programmpunkt {j + 1}")
                                    for e in events for j in range(4)], batch_size=1000)
    questions = []
    for e in events:
        questions += [
            Question(event=e, position=1, kind="single_choice", label_de="Beschäftigte",
                     choices_de="bis 9\n10 bis 49\n50 bis 249\n250 und mehr"),
            Question(event=e, position=2, kind="multiple_choice", label_de="Themen",
                     choices_de="Energie\nMobilität\nFörderung\nPV"),
            Question(event=e, position=3, kind="long_text", label_de="Erwartungen"),
        ]
    Question.objects.bulk_create(questions, batch_size=1000)
    qmap = {}
    for q in Question.objects.filter(event__in=events).only("pk", "event_id", "position"):
        qmap.setdefault(q.event_id, {})[q.position] = q.pk

    # registrations: 2,000 for the big event, the rest spread over the others
    counter = itertools.count()
    regs = []

    def add(event, status, order=None):
        i = next(counter)
        regs.append(Registration(
            event_id=event.pk, status=status, waitlist_order=order, first_name=f"Vorname{i}",
            last_name=f"Nachname{i % 997}", email=f"teilnahme{i}@bench.example", organisation=f"Organisation {i % 800}",
            language="de" if i % 4 else "en", consent_version=CONSENT_VERSION, consent_at=now, attended=i % 5 == 0))

    big_n = 2000 if large else 150
    for j in range(big_n):
        add(big, "confirmed" if j < big_n * 3 // 4 else rng.choice(["cancelled", "waitlisted", "confirmed"]))
    others = [e for e in events[:-2] if e.status != "draft"]
    per_event = (n_registrations - big_n) // len(others)
    for e in others:
        seats = e.capacity or 10_000
        waiting = 0
        for j in range(per_event):
            if j < seats:
                add(e, "confirmed" if rng.random() > 0.05 else "cancelled")
            else:
                waiting += 1
                add(e, "waitlisted", waiting)
    bulk_insert(regs)
    regs.clear()
    answers = []
    for r in Registration.objects.filter(event__in=events).only("pk", "event_id").iterator(chunk_size=5000):
        q = qmap[r.event_id]
        answers.append(Answer(registration_id=r.pk, question_id=q[1], choices=[rng.randrange(4)]))
        answers.append(Answer(registration_id=r.pk, question_id=q[2], choices=sorted(rng.sample(range(4), 2))))
        if rng.random() < 0.3:
            answers.append(Answer(registration_id=r.pk, question_id=q[3], text="Mehr Austausch zu Förderprogrammen."))
    bulk_insert(answers)
    from klimapakt.events.services import recount_events

    recount_events([e.pk for e in events])
    upcoming = next(e for e in events[:-2] if e.status == "published" and e.starts_at > now)
    ctx.extra.update(event_id=upcoming.pk, big_event_id=big.pk, open_event_id=open_event.pk)


def pages(ctx) -> list[dict]:
    event, big, open_event = ctx.extra["event_id"], ctx.extra["big_event_id"], ctx.extra["open_event_id"]
    counter = itertools.count()

    def registration():
        i = next(counter)
        return {"first_name": "Bench", "last_name": f"Post {i}", "email": f"post{i}-{id(counter)}@bench.example",
                "organisation": "Benchmark GmbH", "phone": "", "language": "de", "privacy_consent": "on",
                "question_" + str(_question_id(open_event)): "1"}

    return [
        {"name": "events: list", "url": "/veranstaltungen/", "method": "GET", "user": None},
        {"name": "events: event page", "url": f"/veranstaltungen/{event}/", "method": "GET", "user": None},
        {"name": "events: registration form", "url": f"/veranstaltungen/{event}/anmelden/", "method": "GET",
         "user": None},
        {"name": "events: registration POST", "url": f"/veranstaltungen/{open_event}/anmelden/", "method": "POST",
         "user": None, "data": registration, "json": False},
        {"name": "events: API list", "url": "/api/v1/events", "method": "GET", "user": None},
        {"name": "events: organiser registration list", "url": f"/geschaeftsstelle/veranstaltungen/{big}/anmeldungen/",
         "method": "GET", "user": "office"},
        {"name": "events: organiser evaluation", "url": f"/geschaeftsstelle/veranstaltungen/{big}/auswertung/",
         "method": "GET", "user": "office"},
    ]


def _question_id(event_id: int) -> int:
    from klimapakt.events.models import Question

    return Question.objects.filter(event_id=event_id, position=1).values_list("pk", flat=True).first()


def measure(ctx) -> dict:
    """The registration burst of issue 3 through HTTP: a gunicorn started as `make run` starts
    it (gunicorn.conf.py: 4 sync workers) on the benchmark database; 75 simultaneous API
    registrations for an event with 50 free seats, three rounds (the median round counts)."""
    import os
    import socket
    import statistics
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "benchmarks"))
    import burst

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, DEBUG="0", HTTPS="0", API_THROTTLE_RATE="1000000/m", LOG_LEVEL="ERROR")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
                             "--bind", f"127.0.0.1:{port}"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    rounds = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        for _ in range(3):
            event_id = burst.create_event(50)
            burst.warm_up(url, event_id)
            result = burst.burst(url, event_id, 75)
            counts = burst.db_counts(event_id)
            result["ok"] = (result["errors"] == 0 and counts.get("confirmed") == 50 and counts.get("waitlisted") == 25)
            rounds.append(result)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    rates = [r["per_second"] for r in rounds]
    return {"events burst 75->50 seats, registrations/s (median of 3)": statistics.median(rates),
            "events burst rounds/s": rates,
            "events burst errors": sum(r["errors"] for r in rounds),
            "events burst counts ok": all(r["ok"] for r in rounds)}
