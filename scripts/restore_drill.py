#!/usr/bin/env python
"""Backup and restore drill (issue 18; docs/operations.md, "Backup and restore").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make restore-drill
    make restore-drill                        # without DATABASE_URL: the SQLite variant

What it does, as a city would on a new server:
1. Builds an installation to back up: database `restore_src` on the PostgreSQL server of
   DATABASE_URL (an admin URL; without it a SQLite file), media in var/restore/src/media and
   var/restore/src/private (the two storages, config.settings.media_storages); migrate,
   load_demo, plus a bill (private storage) and a logo (public storage) for the demo partner.
2. Looks at it through the full Django stack (pages as the public, the demo member and the
   pact office; downloads: the bill, the agreement PDF, the logo, a pact document; the row
   count of every table) and keeps the fingerprints.
3. Backs it up: `pg_dump -Fc` (SQLite: the online backup API, as `sqlite3 .backup`) and one
   tar archive of both media folders, into var/restore/backup/.
4. Restores both into a fresh database `restore_dst` and fresh folders var/restore/dst/.
5. Looks again: every status, page, download and count must be identical.
6. Removes the bill and the logo from the restored folders (an incomplete media restore): the
   bill's download must answer 404 with the page "Datei nicht vorhanden", the logo 404, the
   partner page and the agreement PDF (which inline the logo) 200: no 500 anywhere.
7. Drops both databases and removes var/restore/ (--keep leaves them).

Exit status 1 when a check failed. The steps inside Django run as subprocesses of this script
(`--inside seed|look`), each with its installation's environment."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "restore"
PYTHON = Path(sys.executable)
SOURCE, TARGET = "restore_src", "restore_dst"
DEMO_ORG = "Musterbäckerei Sonnenkorn GmbH"
DEMO_MEMBER = "mitglied@sonnenkorn.example"
OFFICE = "geschaeftsstelle@klimapakt.example"
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


# --------------------------------------------------------------------------- pure helpers

VOLATILE = [
    (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'), b'name="csrfmiddlewaretoken" value=""'),
    (re.compile(rb'nonce="[^"]*"'), b'nonce=""'),
    (re.compile(rb'"csrfToken": ?"[^"]*"'), b'"csrfToken": ""'),
    (re.compile(rb'(hx-headers=\'\{"X-CSRFToken": ?")[^"]*'), rb"\1"),
    # the progress page says when its figures were computed (to the minute)
    (re.compile(b"(Stand der Zahlen:)[^<]*"), rb"\1"),
    # WeasyPrint stamps each PDF with the time it was made; the rest must match byte for byte
    (re.compile(rb"/(CreationDate|ModDate) \([^)]*\)"), rb"/\1 ()"),
    (re.compile(rb"<xmp:(CreateDate|ModifyDate)>[^<]*"), rb"<xmp:\1>"),
]


def normalised(body: bytes) -> bytes:
    """A response body without what changes per request (CSRF token, CSP nonce, a PDF's
    creation time)."""
    for pattern, replacement in VOLATILE:
        body = pattern.sub(replacement, body)
    return body


def fingerprint(body: bytes) -> str:
    return hashlib.sha256(normalised(body)).hexdigest()


def first_difference(a: str, b: str) -> str:
    """Where two texts part, with a little context: for the drill's message."""
    index = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"at {index}: {a[max(0, index - 60):index + 60]!r} / {b[max(0, index - 60):index + 60]!r}"


def compare(before: dict, after: dict) -> list[str]:
    """Differences between two looks: statuses, fingerprints and row counts."""
    problems = []
    for key in sorted(set(before["responses"]) | set(after["responses"])):
        a, b = before["responses"].get(key), after["responses"].get(key)
        if a is None or b is None:
            problems.append(f"{key}: only in one look")
        elif a["status"] != b["status"]:
            problems.append(f"{key}: status {a['status']} before, {b['status']} after")
        elif a["sha256"] != b["sha256"]:
            where = first_difference(a["text"], b["text"]) if a.get("text") and b.get("text") else ""
            problems.append(f"{key}: content differs ({a['bytes']} bytes before, {b['bytes']} after) {where}".rstrip())
    for table in sorted(set(before["counts"]) | set(after["counts"])):
        if before["counts"].get(table) != after["counts"].get(table):
            problems.append(f"table {table}: {before['counts'].get(table)} rows before, "
                            f"{after['counts'].get(table)} after")
    return problems


# --------------------------------------------------------------------------- inside Django


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def inside_seed() -> dict:
    """The files a restore must bring back: a bill on the demo partner's 2024 balance (private
    storage) and the partner's logo (public storage)."""
    _django()
    import io

    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from klimapakt.core.demo import minimal_pdf
    from klimapakt.core.models import User
    from klimapakt.ghg import services
    from klimapakt.partners.models import Organisation

    org = Organisation.objects.get(name=DEMO_ORG)
    member = User.objects.get(email=DEMO_MEMBER)
    bill = SimpleUploadedFile("stromrechnung-2024.pdf", minimal_pdf("Stromrechnung 2024"),
                              content_type="application/pdf")
    activity = services.activity_create(organisation=org, year=2024, carrier="electricity", quantity="12345",
                                        unit="kWh", actor=member, attachment=bill)
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (27, 110, 58)).save(buffer, "PNG")
    org.logo.save("sonnenkorn.png", ContentFile(buffer.getvalue()), save=True)
    return {"organisation": org.pk, "activity": activity.pk, "bill": activity.attachment.name,
            "logo": org.logo.name}


def inside_look(seed: dict) -> dict:
    """Status and fingerprint of each page and download, and the row count of every table."""
    _django()
    from django.db import connection
    from django.test import Client

    from klimapakt.core.models import Pact, User

    org, activity = seed["organisation"], seed["activity"]
    counts = {}   # first: the look's own logins add sessions
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
    pact = Pact.objects.current()
    documents = list(pact.documents.order_by("pk")[:1]) if hasattr(pact, "documents") else []
    as_public, as_member, as_office = Client(), Client(), Client()
    as_member.force_login(User.objects.get(email=DEMO_MEMBER))
    as_office.force_login(User.objects.get(email=OFFICE))
    requests = {
        "public: home": (as_public, "/"),
        "public: partner directory": (as_public, "/klimapartner/"),
        "public: partner page": (as_public, f"/klimapartner/{org}/"),
        "public: events": (as_public, "/veranstaltungen/"),
        "public: progress": (as_public, "/fortschritt/"),
        "public: logo": (as_public, f"/media/{seed['logo']}"),
        "member: dashboard": (as_member, "/mein-bereich/"),
        "member: balance 2024": (as_member, f"/mein-bereich/organisation/{org}/co2-bilanz/2024/"),
        "member: bill": (as_member, f"/mein-bereich/organisation/{org}/co2-bilanz/zeile/{activity}/beleg/"),
        "member: agreement PDF": (as_member, f"/mein-bereich/organisation/{org}/vereinbarung.pdf"),
        "office: start": (as_office, "/geschaeftsstelle/"),
        "office: pipeline": (as_office, "/geschaeftsstelle/organisationen/"),
        "office: organisation": (as_office, f"/geschaeftsstelle/organisationen/{org}/"),
        "office: reports": (as_office, "/geschaeftsstelle/berichte/"),
    }
    for document in documents:
        if document.file:
            name = document.file.name.rsplit("/", 1)[-1]
            requests["public: pact document"] = (as_public, f"/dokumente/{document.pk}/{name}")
            requests["public: documents page"] = (as_public, "/dokumente/")
    responses = {}
    for key, (client, url) in requests.items():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        responses[key] = {"url": url, "status": response.status_code, "bytes": len(body),
                          "sha256": fingerprint(body),
                          "text": normalised(body).decode() if response.get("Content-Type", "").startswith("text/")
                          else "",
                          "missing_page": "Datei nicht vorhanden" in body.decode("utf-8", "replace")}
    as_member.logout()   # the look leaves no sessions behind (they would be in the backup)
    as_office.logout()
    return {"responses": responses, "counts": counts}


# --------------------------------------------------------------------------- the drill


class Installation:
    """One database and its two media folders."""

    def __init__(self, name: str, admin_url: str | None):
        self.name = name
        self.folder = WORK / ("src" if name == SOURCE else "dst")
        self.admin_url = admin_url
        if admin_url:
            self.url = admin_url.rsplit("/", 1)[0] + f"/{name}"
        else:
            self.url = f"sqlite:///{self.folder / 'klimapakt.sqlite3'}"

    @property
    def sqlite_path(self) -> Path:
        return Path(self.url.split("sqlite:///", 1)[1])

    def env(self) -> dict:
        env = dict(os.environ, DATABASE_URL=self.url, MEDIA_ROOT=str(self.folder / "media"),
                   PRIVATE_MEDIA_ROOT=str(self.folder / "private"), MEDIA_STORAGE="local",
                   CACHE_DIR=str(self.folder / "cache"), DEBUG="0", HTTPS="0", SECRET_KEY=SECRET,
                   TASK_BACKEND="immediate", EMAIL_HOST="", LOG_LEVEL="CRITICAL",
                   DJANGO_SETTINGS_MODULE="config.settings")
        env.pop("KLIMAPAKT_TESTING", None)
        return env

    def create(self) -> None:
        self.drop()
        for sub in ("media", "private"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        if self.admin_url:
            _psql(self.admin_url, f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.admin_url:
            _psql(self.admin_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)

    def manage(self, *args: str) -> None:
        subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=self.env(), check=True,
                       stdout=subprocess.DEVNULL)

    def inside(self, step: str, seed: dict | None = None) -> dict:
        cmd = [str(PYTHON), str(Path(__file__)), "--inside", step]
        if seed is not None:
            cmd += ["--seed", json.dumps(seed)]
        out = subprocess.run(cmd, cwd=ROOT, env=self.env(), check=True, stdout=subprocess.PIPE, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])


SECRET = secrets.token_urlsafe(50)


def _psql(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(statement)


def backup(source: Installation, folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    if source.admin_url:
        dump = folder / "klimapakt.dump"
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), source.url], check=True)
    else:
        dump = folder / "klimapakt.sqlite3"
        with sqlite3.connect(source.sqlite_path) as live, sqlite3.connect(dump) as copy:
            live.backup(copy)   # consistent while the app writes, as `sqlite3 .backup`
    archive = folder / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for sub in ("media", "private"):
            tar.add(source.folder / sub, arcname=sub)
    return {"database": dump, "media": archive, "seconds": round(time.monotonic() - started, 1),
            "database_bytes": dump.stat().st_size, "media_bytes": archive.stat().st_size}


def restore(files: dict, target: Installation) -> float:
    started = time.monotonic()
    target.create()
    if target.admin_url:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", target.url, str(files["database"])],
                       check=True)
    else:
        shutil.copyfile(files["database"], target.sqlite_path)
    with tarfile.open(files["media"]) as tar:
        tar.extractall(target.folder, filter="data")
    return round(time.monotonic() - started, 1)


def run(admin_url: str | None, keep: bool) -> int:
    source, target = Installation(SOURCE, admin_url), Installation(TARGET, admin_url)
    failures = []
    try:
        log(f"source: {'PostgreSQL ' + source.name if admin_url else 'SQLite ' + str(source.sqlite_path)}")
        source.manage("collectstatic", "--noinput")  # DEBUG=0 pages need the static manifest
        source.create()
        source.manage("migrate", "--noinput")
        source.manage("load_demo")
        seed = source.inside("seed")
        log(f"seeded: bill {seed['bill']}, logo {seed['logo']}")
        before = source.inside("look", seed)
        broken = [f"{k}: {v['status']}" for k, v in before["responses"].items() if v["status"] != 200]
        if broken:
            failures.append("the source itself does not answer 200: " + ", ".join(broken))
        files = backup(source, WORK / "backup")
        log(f"backup in {files['seconds']} s: database {files['database_bytes'] // 1024} KB, "
            f"media {files['media_bytes'] // 1024} KB ({WORK / 'backup'})")
        seconds = restore(files, target)
        log(f"restored into {target.name} and {target.folder} in {seconds} s")
        after = target.inside("look", seed)
        differences = compare(before, after)
        failures += differences
        log(f"compared {len(before['responses'])} pages and downloads and {len(before['counts'])} tables "
            f"({sum(before['counts'].values())} rows): {len(differences)} differences")
        for name in ("bill", "logo"):
            target_storage = "private" if name == "bill" else "media"
            (target.folder / target_storage / seed[name]).unlink()
        log("removed the bill and the logo from the restored folders")
        missing = target.inside("look", seed)["responses"]
        expectations = {"member: bill": 404, "public: logo": 404, "public: partner page": 200,
                        "member: agreement PDF": 200, "office: organisation": 200, "member: balance 2024": 200}
        for key, status in expectations.items():
            got = missing[key]["status"]
            if got != status:
                failures.append(f"with media missing, {key} answered {got}, expected {status}")
        if not missing["member: bill"]["missing_page"]:
            failures.append("with the bill missing, its download does not show the page 'Datei nicht vorhanden'")
        server_errors = [k for k, v in missing.items() if v["status"] >= 500]
        failures += [f"with media missing, {k} answered 5xx" for k in server_errors]
        log("missing media: " + ", ".join(f"{k} {missing[k]['status']}" for k in expectations))
    finally:
        if not keep:
            source.drop()
            target.drop()
            shutil.rmtree(WORK, ignore_errors=True)
            log("dropped both databases and removed var/restore/")
    for failure in failures:
        print(f"FAILED: {failure}", flush=True)
    print("restore drill: " + ("FAILED" if failures else "passed"), flush=True)
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="leave the databases and var/restore/ for a look")
    parser.add_argument("--inside", choices=["seed", "look"], help=argparse.SUPPRESS)
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside == "seed":
        print(json.dumps(inside_seed()))
        return 0
    if args.inside == "look":
        print(json.dumps(inside_look(json.loads(args.seed))))
        return 0
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith(("postgres://", "postgresql://")) and not url.startswith("sqlite"):
        print("restore drill: DATABASE_URL must be a PostgreSQL admin URL or unset (SQLite)", file=sys.stderr)
        return 2
    admin_url = url if url.startswith(("postgres://", "postgresql://")) else None
    if admin_url and not shutil.which("pg_dump"):
        print("restore drill: pg_dump and pg_restore are needed (Debian: postgresql-client)", file=sys.stderr)
        return 2
    return run(admin_url, args.keep)


if __name__ == "__main__":
    sys.exit(main())
