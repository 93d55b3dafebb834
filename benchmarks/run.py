#!/usr/bin/env python
"""make bench: key pages at a small and a large synthetic scale, or the large and the xl scale
(ten times the data, PostgreSQL only) with --scale xl (see benchmarks/README.md)."""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import pkgutil
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
BENCH_DIR = ROOT / "var" / "bench"
P95_BUDGET_MS = 50.0
GROWTH_BUDGET = 1.5
RSS_BUDGET_MB = 250.0


def _database_url(scale: str) -> str:
    base = os.environ.get("BENCH_DATABASE_URL")
    if base:
        return base.rsplit("/", 1)[0] + f"/bench_{scale}"
    return f"sqlite:///{BENCH_DIR / f'bench-{scale}.sqlite3'}"


def _prepare_database(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(url.split("sqlite:///", 1)[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        admin_url, name = url.rsplit("/", 1)
        with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')


def _app_modules():
    sys.path.insert(0, str(ROOT))
    import benchmarks.apps as apps

    return [importlib.import_module(f"benchmarks.apps.{m.name}") for m in pkgutil.iter_modules(apps.__path__)]


def _percentile(values, q):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


def worker(scale: str, repeat: int, only: list[str], keep: bool) -> dict:
    """Runs in a subprocess with DATABASE_URL pointing at the scale's database."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.generate import Context, core_pages, generate_core

    started = time.perf_counter()
    call_command("migrate", verbosity=0)   # with --keep too: new indexes reach the kept database
    if not keep:
        call_command("load_default_pact", verbosity=0, stdout=open(os.devnull, "w"))
    from klimapakt.core.models import Pact, User

    ctx = Context(scale=scale, pact=Pact.objects.current(), rng=random.Random(2035))
    modules = _app_modules()
    extra_file = BENCH_DIR / f"{scale}-extra.json"
    if not keep:
        step = time.perf_counter()
        generate_core(ctx)
        _progress(f"{scale}: core data in {time.perf_counter() - step:.1f} s")
        for module in modules:
            step = time.perf_counter()
            module.generate(ctx)
            _progress(f"{scale}: {module.__name__.rsplit('.', 1)[-1]} data in {time.perf_counter() - step:.1f} s")
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        extra_file.write_text(json.dumps(ctx.extra, default=str))
        if connection.vendor == "postgresql":
            # A running server's tables have planner statistics (autovacuum analyses them); right
            # after a bulk load they have none, and PostgreSQL picks plans for 24 rows instead of
            # 20,000 (the evaluation took 72 ms instead of 12).
            # VACUUM too: since PostgreSQL 13 autovacuum also vacuums after bulk inserts, which sets
            # the visibility map; without it no count can be an index-only scan.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
    else:
        ctx.extra = json.loads(extra_file.read_text())
        from klimapakt.partners.models import Organisation

        ctx.org_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
        ctx.users = {"office": User.objects.get(email="office@bench.example"),
                     "member": User.objects.get(email="member@bench.example")}
    generated_s = time.perf_counter() - started
    database_mb = _database_size_mb(connection)
    _progress(f"{scale}: data ready after {generated_s:.1f} s, database {database_mb} MB; measuring pages")
    pages = core_pages(ctx)
    for module in modules:
        pages.extend(module.pages(ctx))
    if only:
        pages = [p for p in pages if p["name"] in only]

    clients = {}
    for role in (None, *ctx.users):   # office, member and the roles app modules add (support: advisor)
        client = Client()
        if role:
            client.force_login(ctx.users[role])
        clients[role] = client

    results = []
    for page in pages:
        client = clients[page.get("user")]
        method = page.get("method", "GET")

        def request(page=page, client=client, method=method):
            data = page.get("data")
            if callable(data):
                data = data()
            if method == "POST":
                if page.get("json"):
                    return client.post(page["url"], json.dumps(data), content_type="application/json")
                return client.post(page["url"], data or {})
            return client.get(page["url"], data or {})

        for _ in range(3):
            response = request()
        captures = []
        for _ in range(3):   # three captured requests: a query's time is its fastest of three (load noise)
            with CaptureQueriesContext(connection) as queries:
                response = request()
            captures.append(list(queries.captured_queries))  # copy now: the list is a view on the log
        query_count = len(captures[0])
        captured = [dict(q, time=min(float(c[i]["time"]) for c in captures))
                    if all(len(c) == query_count for c in captures) else q for i, q in enumerate(captures[0])]
        status = response.status_code
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            request()
            times.append((time.perf_counter() - t0) * 1000)
        results.append({"name": page["name"], "url": page["url"], "method": method, "status": status,
                        "queries": query_count, "median_ms": round(statistics.median(times), 2),
                        "p95_ms": round(_percentile(times, 0.95), 2), "n": repeat,
                        **_explain_slowest(connection, captured)})
    extra = {}
    for module in modules if not only else []:   # --only: a focused rerun of pages, no extra measurements
        if hasattr(module, "measure"):
            extra.update(module.measure(ctx) or {})
    return {"scale": scale, "organisations": len(ctx.org_ids), "generate_s": round(generated_s, 1),
            "database_mb": database_mb, "rows": _row_counts(connection), "pages": results, "extra": extra}


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _database_size_mb(connection) -> float | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return round(cursor.fetchone()[0] / 1024 / 1024, 1)


def _row_counts(connection) -> dict:
    """The sizes the scales promise, counted in the database."""
    tables = {"organisations": "partners_organisation", "activity lines": "ghg_activityline",
              "registrations": "events_registration", "reports": "reports_report",
              "support requests": "support_supportrequest", "audit entries": "core_auditentry"}
    counts = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (fixed names above)
            counts[label] = cursor.fetchone()[0]
    return counts


def _explain_slowest(connection, captured: list[dict]) -> dict:
    """The slowest SELECT of one request with its plan (EXPLAIN (ANALYZE, BUFFERS)), PostgreSQL
    only. Only SELECTs are explained: ANALYZE executes the statement."""
    if connection.vendor != "postgresql":
        return {}
    selects = [q for q in captured if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    if not selects:
        return {}
    slowest = max(selects, key=lambda q: float(q["time"]))
    try:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
    except Exception as exc:  # a statement that cannot be replayed as text: say so, go on
        plan = f"(not explained: {exc})"
    return {"slowest_query_ms": round(float(slowest["time"]) * 1000, 2), "slowest_query": slowest["sql"][:2000],
            "explain": plan}


def measure_worker_rss(url: str, pages: list[dict], repeat: int = 20) -> float | None:
    """Start one gunicorn worker on the benchmark database, send every GET page, read its RSS."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, DATABASE_URL=url, DEBUG="0", HTTPS="0")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
                             "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
                             "--worker-class", "gthread"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        for _ in range(repeat):
            for page in pages:
                if page["method"] != "GET":
                    continue
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{page['url']}", timeout=10).read()
                except Exception:
                    pass
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        rss = 0.0
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = max(rss, int(line.split()[1]) / 1024)
        return round(rss, 1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["small", "large", "both", "xl"], default="both",
                        help="both: small and large; xl: large and xl (ten times large; PostgreSQL only)")
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "40")))
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--keep", action="store_true", help="reuse the databases of the last run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.repeat, args.only, args.keep)))
        return

    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT,
                   check=True, env=dict(os.environ, DEBUG="0"))
    if args.scale == "xl" and not os.environ.get("BENCH_DATABASE_URL"):
        sys.exit("--scale xl needs PostgreSQL: set BENCH_DATABASE_URL, e.g. "
                 "BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench BENCH_ARGS='--scale xl' "
                 "(2 million activity lines are not a SQLite workload; see benchmarks/README.md).")
    scales = {"both": ["small", "large"], "xl": ["large", "xl"]}.get(args.scale, [args.scale])
    runs = {}
    for scale in scales:
        url = _database_url(scale)
        keep = args.keep and (BENCH_DIR / f"{scale}-extra.json").exists()   # a scale never generated is generated
        if not keep:
            _prepare_database(url)
        env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0", HTTPS="0",
                   API_THROTTLE_RATE="1000000/s", LOG_LEVEL="ERROR")
        env.pop("KLIMAPAKT_TESTING", None)
        cmd = [sys.executable, str(Path(__file__)), "--worker", scale, "--repeat", str(args.repeat)]
        if args.only:
            cmd += ["--only", *args.only]
        if keep:
            cmd.append("--keep")
        print(f"[bench] {scale}: generating data and measuring ...", file=sys.stderr, flush=True)
        out = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)  # progress on stderr
        if out.returncode != 0:
            sys.exit(out.returncode)
        runs[scale] = json.loads(out.stdout.strip().splitlines()[-1])
        if scale == scales[-1] and not args.only:
            runs[scale]["worker_rss_mb"] = measure_worker_rss(url, runs[scale]["pages"])

    report = {"date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
              "database": "postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite",
              "budgets": {"p95_ms": P95_BUDGET_MS, "growth": GROWTH_BUDGET, "rss_mb": RSS_BUDGET_MB},
              "runs": runs}
    if args.scale == "xl":
        report["load"] = os.getloadavg()
    table = print_table(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = json.dumps(report, indent=1, ensure_ascii=False)
    if args.scale == "xl" and args.only:   # a focused rerun: its own files, the full run's stay
        (RESULTS / "xl-only.json").write_text(text)
        (RESULTS / "xl-only.txt").write_text(table + "\n\n" + explain_text(report))
        return
    if args.scale == "xl":   # the ten-times run has its own files; latest.json stays the small/large run
        (RESULTS / f"{stamp}-xl.json").write_text(text)
        (RESULTS / "xl.json").write_text(text)
        (RESULTS / "xl.txt").write_text(table + "\n\n" + explain_text(report))
        return
    (RESULTS / f"{stamp}-{report['database']}.json").write_text(text)
    (RESULTS / "latest.json").write_text(text)


def print_table(report: dict) -> str:
    """Print the table (the first scale of the run is the reference of the second) and return it."""
    lines = []
    runs = report["runs"]
    names_of_scales = list(runs)
    low_name, high_name = (names_of_scales + [None])[:2] if len(names_of_scales) > 1 else (None, names_of_scales[0])
    small = {p["name"]: p for p in runs.get(low_name, {}).get("pages", [])} if low_name else {}
    large = {p["name"]: p for p in runs.get(high_name, {}).get("pages", [])}
    names = list(dict.fromkeys([*small, *large]))
    a, b = (low_name or "-")[:5], high_name[:5]
    header = (f"{'page':38} {'status':>6} {'q':>4} | {a + ' med':>9} {'p95':>7} | {b + ' med':>9} {'p95':>7} "
              f"{'q':>4} | growth")
    lines.append(f"\nKlimapakt benchmark ({report['database']}, {report['date']})")
    if report.get("load"):
        lines.append("  machine load (1, 5, 15 min) at the end: " + ", ".join(f"{v:.2f}" for v in report["load"]))
    for scale, run in runs.items():
        size = f", database {run['database_mb']} MB" if run.get("database_mb") else ""
        lines.append(f"  {scale}: {run['organisations']} organisations, data generated in {run['generate_s']} s{size}")
        if run.get("rows"):
            lines.append("    rows: " + ", ".join(f"{k} {v:,}" for k, v in run["rows"].items()))
    lines.append(header)
    lines.append("-" * len(header))
    for name in names:
        s, lg = small.get(name), large.get(name)
        growth = (lg["p95_ms"] / s["p95_ms"]) if (s and lg and s["p95_ms"]) else None
        flag = ""
        if lg and lg["p95_ms"] > P95_BUDGET_MS:
            flag += " !p95"
        if growth and growth > GROWTH_BUDGET:
            flag += " !growth"
        if s and lg and s["queries"] != lg["queries"] and high_name == "xl":
            flag += " !queries"
        if (s and s["status"] >= 400) or (lg and lg["status"] >= 400):
            flag += " !status"
        ref = lg or s
        lines.append(f"{name[:38]:38} {ref['status']:>6} {(s or ref)['queries']:>4} | "
                     f"{(s['median_ms'] if s else 0):>9.1f} {(s['p95_ms'] if s else 0):>7.1f} | "
                     f"{(lg['median_ms'] if lg else 0):>9.1f} {(lg['p95_ms'] if lg else 0):>7.1f} "
                     f"{(lg or ref)['queries']:>4} | {(f'{growth:.2f}x' if growth else '-'):>6}{flag}")
    for scale, run in runs.items():
        for key, value in run.get("extra", {}).items():
            lines.append(f"  {scale} {key}: {value}")
        if run.get("worker_rss_mb") is not None:
            mark = " !" if run["worker_rss_mb"] > RSS_BUDGET_MB else ""
            lines.append(f"  web worker RSS after the benchmark ({scale}): {run['worker_rss_mb']} MB{mark}")
    heaviest = sorted((p for p in large.values() if p.get("explain")), key=lambda p: -p["slowest_query_ms"])[:5]
    if heaviest:
        lines.append(f"\nSlowest query of the {len(heaviest)} heaviest pages ({high_name}; all plans in the JSON):")
        for page in heaviest:
            lines.append(f"  {page['name']}: {page['slowest_query_ms']} ms")
            lines.extend("    " + line for line in page["explain"].splitlines())
    text = "\n".join(lines)
    print(text)
    return text


def explain_text(report: dict) -> str:
    """Every page's slowest query with its plan, per scale (the file next to the JSON)."""
    out = []
    for scale, run in report["runs"].items():
        for page in run["pages"]:
            if page.get("explain"):
                out.append(f"=== {scale} | {page['name']} | slowest query {page['slowest_query_ms']} ms\n"
                           f"{page['slowest_query']}\n{page['explain']}\n")
    return "\n".join(out)


if __name__ == "__main__":
    main()
