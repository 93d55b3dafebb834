import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from klimapakt.core.models import Page

pytestmark = pytest.mark.django_db

INITIAL_PARTNERS = [
    "Stadt Krefeld",
    "Industrie- und Handelskammer Mittlerer Niederrhein",
    "Handwerkskammer Düsseldorf",
    "Kreishandwerkerschaft Niederrhein Krefeld | Viersen | Neuss",
    "Hochschule Niederrhein",
    "WFG Wirtschaftsförderungsgesellschaft Krefeld mbH",
]


def test_home_explains_the_pact(client, pact):
    from klimapakt.events.models import Event
    from klimapakt.partners.models import Organisation

    Organisation.objects.create(name="Aktiv GmbH", stage=Organisation.Stage.ACTIVE)
    Organisation.objects.create(name="Noch nicht GmbH", stage=Organisation.Stage.INTEREST)
    start = timezone.now() + datetime.timedelta(days=10)
    Event.objects.create(pact=pact, title_de="Netzwerktreffen Wärme", starts_at=start,
                         ends_at=start + datetime.timedelta(hours=2), status=Event.Status.PUBLISHED)
    Event.objects.create(pact=pact, title_de="Geheimer Entwurf", starts_at=start,
                         ends_at=start + datetime.timedelta(hours=2), status=Event.Status.DRAFT)
    html = " ".join(client.get("/").content.decode().split())
    assert "18.02.2021" in html and "2035" in html
    assert "Wärme- und Stromverbrauch" in html and "beruflichen Verkehr" in html
    for name in INITIAL_PARTNERS:
        assert name.replace("|", "|") in html
    assert '<p class="kp-figure" id="active-partner-count">1</p>' in html
    assert "Netzwerktreffen Wärme" in html
    assert "Geheimer Entwurf" not in html


def test_home_text_is_editable_not_hard_coded(client, pact):
    Page.objects.filter(pact=pact, slug="home").update(lead_de="Ein ganz neuer Einleitungstext.")
    assert "Ein ganz neuer Einleitungstext." in client.get("/").content.decode()


def test_english_home_under_en(client, pact):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Krefeld Climate Pact" in html and "climate-neutral by 2035" in html


def test_markdown_from_the_office_cannot_inject_script(client, pact):
    Page.objects.filter(pact=pact, slug="contact").update(body_de="Hallo <script>alert(1)</script> [x](javascript:alert(2))")
    html = client.get("/kontakt/").content.decode()
    assert "<script>alert(1)" not in html and "javascript:alert" not in html


@pytest.mark.parametrize("url", ["/kontakt/", "/impressum/", "/datenschutz/", "/en/kontakt/", "/en/datenschutz/"])
def test_service_pages(client, pact, url):
    assert client.get(url).status_code == 200


def test_join_page_is_rendered_from_configuration(client, pact):
    html = client.get(reverse("partners:join")).content.decode()
    assert "Orientierungsgespräch" in html and "Klimapartnerschaftsvereinbarung" in html
    assert "Innerhalb von 12 Monaten" in html
    assert "Alle 2 Jahre" in html
    assert "2025, 2027, 2029, 2031, 2033, 2035" in html
    assert "Im Zieljahr 2035" in html


def test_a_second_city_works_by_configuration_alone(client, db):
    """Essen: monitoring every 3 years, target 2040 — no code change, only a pact record."""
    from klimapakt.core.management.commands.load_default_pact import load_pact

    load_pact({
        "city": "Essen", "name_de": "Klimapakt Essen", "decided_on": datetime.date(2020, 5, 1),
        "target_year": 2040, "monitoring_interval_years": 3, "baseline_report_due_months": 6,
        "first_monitoring_year": 2026, "contact_email": "klimapakt@essen.example",
        "initial_partners": [{"name": "Stadt Essen", "short_name": "Stadt", "kind": "city", "website": ""}],
        "pages": {"home": {"title_de": "Klimapakt Essen"}, "join": {"title_de": "Mitmachen"}},
    })
    home = client.get("/").content.decode()
    assert "Klimapakt Essen" in home and "Stadt Essen" in home and "2040" in home
    join = client.get(reverse("partners:join")).content.decode()
    assert "Alle 3 Jahre" in join and "Innerhalb von 6 Monaten" in join
    assert "2026, 2029, 2032, 2035, 2038" in join
    api = client.get("/api/v1/pact").json()
    assert api["monitoring_interval_years"] == 3 and api["city"] == "Essen"
    assert api["monitoring_years"] == [2026, 2029, 2032, 2035, 2038]


def test_baseline_report_deadline_from_configuration(pact):
    assert pact.baseline_report_due(datetime.date(2024, 3, 15)) == datetime.date(2025, 3, 15)
    assert pact.baseline_report_due(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)
    pact.baseline_report_due_months = 18
    assert pact.baseline_report_due(datetime.date(2024, 8, 31)) == datetime.date(2026, 2, 28)


def test_api_pact(client, pact):
    data = client.get("/api/v1/pact").json()
    assert data["city"] == "Krefeld"
    assert data["decided_on"] == "2021-02-18"
    assert data["target_year"] == 2035
    assert data["monitoring_interval_years"] == 2
    assert data["baseline_report_due_months"] == 12
    assert data["contact_email"] == "klimapakt@krefeld.de"
    assert [p["name"] for p in data["initial_partners"]] == INITIAL_PARTNERS
    assert set(data["initial_partners"][0]) >= {"name", "short_name", "website"}


def test_openapi_document_lists_the_pact_endpoint(client, pact):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/pact" in spec["paths"]


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_healthz_503_when_the_database_does_not_answer(client, db, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] != "ok"
