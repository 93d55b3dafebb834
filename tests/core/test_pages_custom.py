"""Pages the office adds beside the five fixed ones: at /<slug>/ (and /en/<slug>/), linked in the
footer if the office says so, with slugs that never take an address of the platform; the fixed
pages cannot be deleted. And the legal page templates name what the platform really does."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from klimapakt.core import services
from klimapakt.core.models import AuditEntry, Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world, client_for):
    return client_for(world["users"]["office"])


def page_data(**fields) -> dict:
    return {"slug": "barrierefreiheit", "title_de": "Erklärung zur Barrierefreiheit",
            "title_en": "Accessibility statement", "in_footer": "on", "position": "1",
            "lead_de": "", "lead_en": "", "body_de": "## Stand der Vereinbarkeit\nTeilweise vereinbar.",
            "body_en": "## Compliance status\nPartially compliant."} | fields


def test_the_office_adds_a_page_that_is_public_and_linked_in_the_footer(world, office, client):
    response = office.post(reverse("backoffice:page_create"), page_data())
    assert response.status_code == 302, response.context["form"].errors
    page = Page.objects.get(slug="barrierefreiheit")
    assert not page.is_fixed

    html = client.get("/barrierefreiheit/").content.decode()
    assert "<h1 class=\"kern-heading-x-large\">Erklärung zur Barrierefreiheit</h1>" in html
    assert "<h2>Stand der Vereinbarkeit</h2>" in html
    english = client.get("/en/barrierefreiheit/").content.decode()
    assert "Accessibility statement</h1>" in english
    # The footer of every page links it, in the page's language.
    assert '<a class="kern-link" href="/barrierefreiheit/">Erklärung zur Barrierefreiheit</a>' in client.get(
        "/dokumente/").content.decode()
    assert '<a class="kern-link" href="/en/barrierefreiheit/">Accessibility statement</a>' in english
    entry = AuditEntry.objects.get(action="core.page.created")
    assert entry.actor == world["users"]["office"] and entry.data == {"slug": "barrierefreiheit"}


def test_a_page_without_footer_link_is_reachable_but_not_linked(world, office, client):
    data = page_data(slug="aktion-2026", title_de="Aktionswoche 2026")
    del data["in_footer"]
    assert office.post(reverse("backoffice:page_create"), data).status_code == 302
    assert client.get("/aktion-2026/").status_code == 200
    assert "/aktion-2026/" not in client.get("/").content.decode()


@pytest.mark.parametrize("slug, message", [
    ("veranstaltungen", "verwendet die Plattform selbst"),    # an app's address
    ("impressum", "verwendet die Plattform selbst"),          # a fixed page's address
    ("imprint", "verwendet die Plattform selbst"),            # a fixed page's key
    ("konto", "verwendet die Plattform selbst"),              # only /konto/login/ etc. exist
    ("geschaeftsstelle", "verwendet die Plattform selbst"),
    ("api", "verwendet die Plattform selbst"),
    ("media", "verwendet die Plattform selbst"),
    ("en", "verwendet die Plattform selbst"),                 # the English prefix
    ("neu", "verwendet die Plattform selbst"),                # the back office's "add" address
    ("Barrierefreiheit", None),                               # lower-cased, then fine
    ("große-seite", "Kleinbuchstaben, Ziffern"),
    ("a", "Kleinbuchstaben, Ziffern"),
    ("doppel--strich", "Kleinbuchstaben, Ziffern"),
    ("../etc", "Kleinbuchstaben, Ziffern"),
])
def test_slugs_that_clash_or_are_malformed_are_refused_on_the_field(world, office, slug, message):
    response = office.post(reverse("backoffice:page_create"), page_data(slug=slug))
    if message is None:
        assert response.status_code == 302
        assert Page.objects.filter(slug="barrierefreiheit").exists()
        return
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["slug"])
    assert not Page.objects.exclude(slug__in=Page.Slug.values).exists()


def test_a_slug_is_unique_per_pact(world, office):
    assert office.post(reverse("backoffice:page_create"), page_data()).status_code == 302
    response = office.post(reverse("backoffice:page_create"), page_data(title_de="Zweite"))
    assert "gibt es schon eine Seite" in " ".join(response.context["form"].errors["slug"])
    assert Page.objects.filter(slug="barrierefreiheit").count() == 1


def test_every_address_of_the_platform_is_taken():
    """Each first path segment of the URLconf is refused (an app's new address is, too)."""
    from klimapakt.core.pages import taken_segments, validate_page_slug

    segments = taken_segments()
    assert {"veranstaltungen", "klimapartner", "konto", "mein-bereich", "dokumente", "healthz"} <= segments
    for segment in segments:
        with pytest.raises(ValidationError):
            validate_page_slug(segment)


def test_the_office_edits_a_page_its_address_and_footer_place(world, office, client):
    office.post(reverse("backoffice:page_create"), page_data())
    data = page_data(slug="barrierefreie-nutzung", title_de="Barrierefreie Nutzung")
    del data["in_footer"]
    response = office.post(reverse("backoffice:page_edit", args=["barrierefreiheit"]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert client.get("/barrierefreiheit/").status_code == 404
    assert client.get("/barrierefreie-nutzung/").status_code == 200
    assert "barrierefreie-nutzung" not in client.get("/").content.decode()  # no longer in the footer


def test_a_fixed_page_keeps_its_key_and_offers_only_its_texts(world, office):
    form = office.get(reverse("backoffice:page_edit", args=["imprint"])).context["form"]
    assert "slug" not in form.fields and "in_footer" not in form.fields
    response = office.post(reverse("backoffice:page_edit", args=["imprint"]), page_data(
        slug="impressum-neu", title_de="Impressum"))
    assert response.status_code == 302
    assert Page.objects.filter(slug="imprint", title_de="Impressum").exists()
    with pytest.raises(ValidationError):
        services.page_update(page=Page.objects.get(slug="imprint"), actor=None, slug="anders")


def test_the_fixed_pages_cannot_be_deleted(world, office, client):
    for slug in Page.Slug.values:
        response = office.post(reverse("backoffice:page_delete", args=[slug]), follow=True)
        assert "lässt sich nicht löschen" in response.content.decode()
        assert Page.objects.filter(slug=slug).exists()
    with pytest.raises(ValidationError):
        services.page_delete(page=Page.objects.get(slug="privacy"), actor=None)
    # The page list offers no delete button for them.
    html = office.get(reverse("backoffice:pages")).content.decode()
    assert reverse("backoffice:page_delete", args=["imprint"]) not in html


def test_the_office_deletes_its_page(world, office, client):
    office.post(reverse("backoffice:page_create"), page_data())
    assert client.get("/barrierefreiheit/").status_code == 200
    html = office.get(reverse("backoffice:pages")).content.decode()
    assert reverse("backoffice:page_delete", args=["barrierefreiheit"]) in html
    response = office.post(reverse("backoffice:page_delete", args=["barrierefreiheit"]))
    assert response.status_code == 302
    assert client.get("/barrierefreiheit/").status_code == 404
    assert "/barrierefreiheit/" not in client.get("/").content.decode()
    assert AuditEntry.objects.filter(action="core.page.deleted").exists()


def test_the_fixed_pages_keys_are_no_addresses(world, client):
    assert client.get("/imprint/").status_code == 404
    assert client.get("/home/").status_code == 404


def test_a_page_body_is_sanitised(world, office, client):
    office.post(reverse("backoffice:page_create"), page_data(
        body_de="Hallo <script>alert(1)</script> [x](javascript:alert(2))"))
    html = client.get("/barrierefreiheit/").content.decode()
    assert "<script>alert(1)" not in html and "javascript:alert" not in html


def test_footer_links_cost_no_query_per_page(world, client, django_assert_max_num_queries, pact):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/dokumente/")  # warm the pact cache
    with CaptureQueriesContext(connection) as before:
        client.get("/dokumente/")
    baseline = len(before.captured_queries)  # now: each request empties the connection's query log
    for number in range(5):
        services.page_create(pact=pact, actor=None, slug=f"seite-{number}", title_de=f"Seite {number}",
                             in_footer=True)
    client.get("/dokumente/")
    with django_assert_max_num_queries(baseline):
        html = client.get("/dokumente/").content.decode()
    assert html.count('href="/seite-') == 5


def test_the_number_of_own_pages_is_bounded(world, pact, monkeypatch):
    from klimapakt.core import pages

    monkeypatch.setattr(pages, "MAX_CUSTOM_PAGES", 2)
    services.page_create(pact=pact, actor=None, slug="eins", title_de="Eins")
    services.page_create(pact=pact, actor=None, slug="zwei", title_de="Zwei")
    with pytest.raises(ValidationError, match="2 eigene Seiten"):
        services.page_create(pact=pact, actor=None, slug="drei", title_de="Drei")


# --------------------------------------------------------------------------- legal page templates


def test_the_demo_ships_the_accessibility_statement(world, pact, client):
    from klimapakt.core.demo import accessibility_statement
    from klimapakt.core.selectors import clear_pact_cache

    page = accessibility_statement(pact)
    clear_pact_cache()
    assert page.in_footer and not page.is_fixed
    html = client.get(f"/{page.slug}/").content.decode()
    for fact in ("Erklärung zur Barrierefreiheit", "teilweise mit der BITV 2.0 vereinbar",
                 "Nicht barrierefreie Inhalte", "Selbstbewertung", "Feedback-Stelle",
                 "Ombudsstelle für barrierefreie", "Schlichtungsverfahren", "Durchsetzungsverfahren"):
        assert fact in html, fact
    assert "Accessibility statement" in client.get(f"/en/{page.slug}/").content.decode()
    assert f'href="/{page.slug}/"' in client.get("/").content.decode()
    assert accessibility_statement(pact).pk == page.pk  # loading the demo twice adds no second page


def test_the_privacy_notice_names_what_the_code_does(world, pact):
    """When one of these facts changes in the code, the default text (core/legal_texts.py) must too."""
    from klimapakt.support.models import SupportSettings

    privacy = Page.objects.get(pact=pact, slug="privacy")
    assert settings.KLIMAPAKT_REGISTRATION_RETENTION_DAYS == 90 and "**90 Tage nach der Veranstaltung**" in privacy.body_de
    assert SupportSettings._meta.get_field("retention_years").default == 3
    assert "**drei Jahre nach dem Abschluss**" in privacy.body_de
    assert settings.SESSION_COOKIE_NAME in ("sessionid", "__Host-sessionid") and "`sessionid`" in privacy.body_de
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 3600 and "nach zwei Wochen" in privacy.body_de
    assert "`csrftoken`" in privacy.body_de and "`messages`" in privacy.body_de
    assert getattr(settings, "MESSAGE_STORAGE", "django.contrib.messages.storage.fallback.FallbackStorage").endswith(
        "FallbackStorage")
    assert "Karte laden" in privacy.body_de and "Load map" in privacy.body_en
    # the browser storage the scripts use, by the names in the scripts
    static = Path(settings.BASE_DIR) / "klimapakt" / "static" / "klimapakt"
    assert 'CONSENT_KEY = "kp-map-consent"' in (static / "partners-map.js").read_text()
    assert 'KEY = "kp-checkin-camera"' in (static / "checkin-scanner.js").read_text()
    for body in (privacy.body_de, privacy.body_en):
        assert "`kp-map-consent`" in body and "`kp-checkin-camera`" in body
    assert "bis Sie den Browser-Tab schließen" in privacy.body_de and "Geocoding-Dienst" in privacy.body_de
    from klimapakt.core.mail import LOGO_CID  # the logo is part of the mail: nothing loaded when opened

    assert LOGO_CID and "Beim Öffnen wird nichts" in privacy.body_de
    assert "Einlasszeit" in privacy.body_de
    assert "kein Cookie" in privacy.body_de  # the language lives in the address
    imprint = Page.objects.get(pact=pact, slug="imprint")
    assert "§ 5 Digitale-Dienste-Gesetz" in imprint.body_de and imprint.body_en
    from klimapakt.core.text import render_markdown

    assert "Stadt Krefeld<br>\nDer Oberbürgermeister<br>" in render_markdown(imprint.body_de)  # an address block


def test_a_page_row_with_a_broken_slug_does_not_break_the_footer(world, pact, client):
    """load_default_pact --file writes pages without the services; a bad key must not 500 every page."""
    Page.objects.create(pact=pact, slug="nicht/gültig", title_de="Kaputt", in_footer=True)
    response = client.get("/")
    assert response.status_code == 200 and "Kaputt" not in response.content.decode()


@pytest.mark.django_db
def test_page_form_previews_markdown_without_saving(client_for, world):
    from klimapakt.core.models import Page

    office = client_for(world["users"]["office"])
    page = Page.objects.filter(pact=world["pact"]).first()
    url = f"/geschaeftsstelle/seiten/{page.slug}/"
    form = office.get(url).content.decode()
    assert "data-markdown-preview" in form and 'name="_preview"' in form
    before = page.body_de
    response = office.post(url, {"title_de": page.title_de, "title_en": page.title_en, "lead_de": "",
                                 "lead_en": "", "body_de": "## Neu\n\n**fett**", "body_en": "", "_preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "<strong>fett</strong>" in html and 'id="markdown-preview"' in html
    page.refresh_from_db()
    assert page.body_de == before  # the preview saves nothing
