"""The pure helpers of scripts/restore_drill.py (the drill itself builds, dumps and restores a
whole installation and is not part of the test suite: `make restore-drill`)."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "restore_drill.py"
spec = importlib.util.spec_from_file_location("restore_drill", SCRIPT)
drill = importlib.util.module_from_spec(spec)
spec.loader.exec_module(drill)


def test_fingerprints_ignore_csrf_tokens_nonces_and_pdf_timestamps_only():
    page = b'<form><input type="hidden" name="csrfmiddlewaretoken" value="%s"><script nonce="%s"></script>'
    assert drill.fingerprint(page % (b"abc", b"n1")) == drill.fingerprint(page % (b"xyz", b"n2"))
    pdf = b"%%PDF-1.7 /CreationDate (D:%s) /ModDate (D:%s) /Title (Vereinbarung)"
    assert drill.fingerprint(pdf % (b"20261204", b"20261204")) == drill.fingerprint(pdf % (b"20270101", b"20270101"))
    stamp = "<p>Stand der Zahlen: 4. Dezember 2026, 18:0%d</p>"
    assert drill.fingerprint((stamp % 3).encode()) == drill.fingerprint((stamp % 4).encode())
    assert drill.fingerprint(b"<p>12 Klimapartner</p>") != drill.fingerprint(b"<p>13 Klimapartner</p>")


def look(status=200, sha="a", rows=3):
    return {"responses": {"home": {"status": status, "sha256": sha, "bytes": 10}}, "counts": {"t": rows}}


def test_compare_names_every_difference():
    assert drill.compare(look(), look()) == []
    assert drill.compare(look(), look(status=404)) == ["home: status 200 before, 404 after"]
    assert drill.compare(look(), look(sha="b")) == ["home: content differs (10 bytes before, 10 after)"]
    assert drill.compare(look(), look(rows=2)) == ["table t: 3 rows before, 2 after"]
    assert drill.compare(look(), {"responses": {}, "counts": {"t": 3}}) == ["home: only in one look"]
