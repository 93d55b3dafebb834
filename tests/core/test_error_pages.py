"""404, 403, the CSRF failure and 500 come in the site's layout and language, with a sentence
and a way back home (the QA audit found bare English Django pages). Tests run with DEBUG=False,
so the client sees what a visitor sees."""

import pytest
from django.db import connection
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

pytestmark = pytest.mark.django_db


def in_language(language, msgid):
    with translation.override(language):
        return translation.gettext(msgid)


def assert_site_page(html, language, heading):
    assert f'<html lang="{language}">' in html
    assert 'class="kp-header"' in html and 'class="kp-footer"' in html  # the site's layout
    assert in_language(language, heading) in html
    home = "/" if language == "de" else "/en/"
    assert f'href="{home}"><span class="kern-label">{in_language(language, "Zur Startseite")}' in html
    assert "Not Found" not in html and "Forbidden" not in html


@pytest.mark.parametrize("language, prefix", [("de", ""), ("en", "/en")])
def test_unknown_url_and_unknown_event_render_the_sites_404(client, pact, settings, language, prefix):
    assert settings.DEBUG is False
    for path in (f"{prefix}/gibt-es-nicht/", f"{prefix}/veranstaltungen/999999/",
                 f"{prefix}/veranstaltungen/anmeldung/kein-token/"):
        response = client.get(path)
        assert response.status_code == 404, path
        html = response.content.decode()
        assert_site_page(html, language, "Seite nicht gefunden")
        assert in_language(language, "Prüfen Sie die Adresse oder beginnen Sie auf der Startseite.") in html
    assert "Skip to content" in client.get("/en/gibt-es-nicht/").content.decode()


def test_the_404_language_switch_leads_to_the_other_languages_home(client, pact):
    html = client.get("/en/gibt-es-nicht/").content.decode()
    assert 'href="/" lang="de"' in html  # not back to the English 404


@pytest.mark.parametrize("language, prefix", [("de", ""), ("en", "/en")])
def test_permission_denied_renders_the_sites_403(client_for, world, language, prefix):
    member = client_for(world["users"]["member_a"])
    response = member.get(f"{prefix}/geschaeftsstelle/")
    assert response.status_code == 403
    assert_site_page(response.content.decode(), language, "Kein Zugriff")


@pytest.mark.parametrize("language, prefix", [("de", ""), ("en", "/en")])
def test_csrf_failure_renders_the_sites_page(pact, language, prefix):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{prefix}/kontakt/", {"anything": "1"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_site_page(html, language, "Formular abgelaufen")
    assert "CSRF" not in html


@pytest.mark.parametrize("language, prefix", [("de", ""), ("en", "/en")])
def test_server_error_renders_the_static_500_page(pact, monkeypatch, language, prefix):
    def broken(**kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr("klimapakt.core.views.page_get", broken)
    client = Client(raise_request_exception=False)
    response = client.get(f"{prefix}/impressum/")
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert in_language(language, "Fehler auf dem Server") in html
    home = "/" if language == "de" else "/en/"
    assert f'href="{home}"><span class="kern-label">{in_language(language, "Zur Startseite")}' in html
    assert "kaputt" not in html and "Server Error" not in html


def test_the_500_page_needs_no_database_and_no_context():
    with CaptureQueriesContext(connection) as queries:
        html = loader.get_template("500.html").render()
    assert len(queries) == 0
    assert "Fehler auf dem Server" in html and 'href="/"' in html
