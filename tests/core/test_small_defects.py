"""Small defects from the browser walk: favicon, 403s logged without a traceback, wording
(one term each: "CO₂", "standortbasiert"/"marktbasiert"; a sentence that was broken)."""

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

KLIMAPAKT = Path(settings.BASE_DIR) / "klimapakt"


@pytest.mark.django_db
def test_every_page_links_an_existing_favicon(client, pact):
    html = client.get(reverse("core:home")).content.decode()
    icons = re.findall(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert {"klimapakt/favicon.svg", "klimapakt/favicon.png"} <= set(icons)
    assert all(finders.find(icon) for icon in icons)
    assert Path(finders.find("klimapakt/favicon.svg")).read_text().startswith("<svg")


def test_a_403_is_one_warning_line_without_traceback(world, client_for, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client_for(world["users"]["member_b"]).get(reverse("portal:organisation", args=[world["org_a"].pk]))
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING and record.getMessage().startswith("Forbidden")
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback():
    from klimapakt.core.accesslog import ForbiddenWithoutTracebackFilter

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", None,
                                   sys.exc_info())
    record.status_code = 500
    assert ForbiddenWithoutTracebackFilter().filter(record) and record.exc_info is not None


def _visible_sources():
    """Templates and the Python modules' strings (comments and docstrings aside, roughly: quoted
    strings given to a translation function or a template tag)."""
    for path in KLIMAPAKT.rglob("*"):
        if path.suffix not in (".html", ".txt", ".py") or "locale" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            text = "\n".join(re.findall(r'(?:_|gettext\w*|gettext_noop)\(\s*"([^"]*)"', text))
        yield path, text


def test_one_word_each_co2_and_location_based():
    bad = []
    for path, text in _visible_sources():
        if re.search(r"standortbezogen|marktbezogen", text):
            bad.append(f"{path}: standortbezogen/marktbezogen")
        # ASCII "CO2" only in file headers (spreadsheet columns) and the BAFA document's title
        for match in re.finditer(r".{0,30}CO2.{0,10}", text):
            snippet = match.group(0)
            if "Informationsblatt CO2-Faktoren" in snippet or str(path).endswith(("ghg/spreadsheet.py",
                                                                                    "ghg/documents.py")):
                continue
            bad.append(f"{path.relative_to(KLIMAPAKT)}: {snippet}")
    assert not bad, "\n".join(bad)


def test_the_interest_form_says_who_manages_the_organisation():
    text = (KLIMAPAKT / "partners/templates/partners/organisation_form.html").read_text()
    assert "automatisch Verwaltung der Organisation" not in text
    assert "Sie erhalten automatisch die Rolle „Verwaltung“ für die Organisation" in text
