#!/usr/bin/env python
"""Registration burst: N simultaneous registrations through the API for an event with S free
seats, against a running server (the one `make run` starts).

    API_THROTTLE_RATE=100000/m make run            # the server, throttle raised for the load test
    .venv/bin/python benchmarks/burst.py http://127.0.0.1:8000 [--requests 75] [--seats 50]

The event is created directly in the server's database (same DATABASE_URL as the server),
then all requests are released at once (one thread and connection each). Reports HTTP
errors, confirmed / waitlisted counts (from the answers and from the database) and
registrations per second (requests / wall time from release to the last answer).
Exit status 1 when there are errors or the counts are wrong. `--json` prints one JSON line."""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def create_event(seats: int) -> int:
    _django()
    from django.utils import timezone

    from klimapakt.core.models import Pact
    from klimapakt.events.models import Event

    start = timezone.now() + datetime.timedelta(days=30)
    event = Event.objects.create(
        pact=Pact.objects.current(), title_de=f"Lasttest {timezone.now():%Y-%m-%d %H:%M:%S}", starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), capacity=seats, status=Event.Status.PUBLISHED,
        venue_name="Benchmark")
    return event.pk


def db_counts(event_id: int) -> dict:
    _django()
    from django.db.models import Count

    from klimapakt.events.models import Registration

    rows = Registration.objects.filter(event_id=event_id).values_list("status").annotate(n=Count("pk"))
    return dict(rows)


def delete_event(event_id: int) -> None:
    _django()
    from klimapakt.events.models import Event

    Event.objects.filter(pk=event_id).delete()


def warm_up(url: str, event_id: int, n: int = 16) -> None:
    """A freshly started worker imports the URLconf and opens its connections on its first
    request (about two seconds): that start-up is not what the burst measures."""
    parts = urllib.parse.urlsplit(url)
    base = parts.path.rstrip("/")

    def hit(_):
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
        try:
            conn.request("GET", f"{base}/api/v1/events")
            conn.getresponse().read()
            conn.request("POST", f"{base}/api/v1/events/{event_id}/registrations", body="{}",
                         headers={"Content-Type": "application/json"})  # 400: the validation path
            conn.getresponse().read()
        finally:
            conn.close()

    threads = [threading.Thread(target=hit, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def burst(url: str, event_id: int, n: int, timeout: float = 60.0) -> dict:
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    conn_cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    path = f"{parts.path.rstrip('/')}/api/v1/events/{event_id}/registrations"
    results: list[dict | None] = [None] * n
    ready = threading.Barrier(n + 1)
    stamp = f"{int(time.time() * 1000)}"

    def worker(i: int):
        conn = conn_cls(host, port, timeout=timeout)
        conn.connect()  # connect before the release: the burst measures the server, not TCP set-up
        body = json.dumps({"first_name": "Last", "last_name": f"Test {i}", "email": f"burst{stamp}-{i}@lasttest.example",
                           "organisation": f"Lasttest {i % 20}", "answers": {}, "privacy_consent": True})
        ready.wait()
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            payload = response.read()
            results[i] = {"status": response.status, "body": payload[:300].decode("utf-8", "replace"),
                          "seconds": time.perf_counter() - started}
        except Exception as exc:  # noqa: BLE001 - every failure is reported
            results[i] = {"status": 0, "body": repr(exc), "seconds": time.perf_counter() - started}
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    ready.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    statuses: dict[str, int] = {}
    errors = []
    for r in results:
        if r and r["status"] == 201:
            s = json.loads(r["body"])["status"]
            statuses[s] = statuses.get(s, 0) + 1
        else:
            errors.append(r)
    latencies = sorted(r["seconds"] for r in results if r)
    return {"requests": n, "wall_seconds": round(wall, 3), "per_second": round(n / wall, 1),
            "errors": len(errors), "error_samples": errors[:3], "confirmed": statuses.get("confirmed", 0),
            "waitlisted": statuses.get("waitlisted", 0),
            "latency_median_ms": round(1000 * latencies[len(latencies) // 2], 1),
            "latency_max_ms": round(1000 * latencies[-1], 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default=os.environ.get("BURST_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--requests", type=int, default=75)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--event-id", type=int, help="Use this (published, empty) event instead of creating one.")
    parser.add_argument("--keep", action="store_true", help="Keep the test event and its registrations.")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-warm-up", action="store_true", help="Measure a cold server as it is.")
    args = parser.parse_args(argv)

    event_id = args.event_id or create_event(args.seats)
    try:
        if not args.no_warm_up:
            warm_up(args.url, event_id)
        result = burst(args.url, event_id, args.requests)
        counts = db_counts(event_id)
        result["db_confirmed"] = counts.get("confirmed", 0)
        result["db_waitlisted"] = counts.get("waitlisted", 0)
    finally:
        if not args.keep and not args.event_id:
            delete_event(event_id)
    expected_confirmed = min(args.seats, args.requests)
    result["ok"] = (result["errors"] == 0 and result["confirmed"] == result["db_confirmed"] == expected_confirmed
                    and result["waitlisted"] == result["db_waitlisted"] == args.requests - expected_confirmed)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"burst: {args.requests} registrations for {args.seats} seats against {args.url}")
        print(f"  errors: {result['errors']}  confirmed: {result['confirmed']} (db {result['db_confirmed']})  "
              f"waitlisted: {result['waitlisted']} (db {result['db_waitlisted']})")
        print(f"  {result['per_second']} registrations/s  (wall {result['wall_seconds']} s, median "
              f"{result['latency_median_ms']} ms, max {result['latency_max_ms']} ms)")
        for sample in result["error_samples"]:
            print(f"  error sample: {sample}")
        print("  OK" if result["ok"] else "  FAILED")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
