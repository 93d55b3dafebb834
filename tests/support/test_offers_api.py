"""GET /api/v1/support/offers: shape, language, caching; the OpenAPI document; the demo;
the public list's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klimapakt.support.models import Offer

from .test_offers import make_offer, partner

pytestmark = pytest.mark.django_db
URL = "/api/v1/support/offers"


def test_api_lists_published_offers(client, pact):
    offer = make_offer(pact, "WFG", kind="funding", title_de="Fördermittellotse", title_en="Funding pilot",
                       is_free=False, price_de="50 Euro", price_en="50 euros", audience="partners")
    make_offer(pact, title_de="Entwurf", is_published=False)
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    wfg = partner(pact, "WFG")
    assert response.json() == [{
        "id": offer.pk, "title": "Fördermittellotse", "kind": "funding", "kind_label": "Fördermittelberatung",
        "summary": "Ein Gespräch.", "institution": {"id": wfg.pk, "name": wfg.name}, "audience": "partners",
        "cost": {"free": False, "text": "50 Euro"},
        "url": f"http://testserver/unterstuetzung/angebote/{offer.pk}/"}]
    assert response["Content-Language"] == "de"


@pytest.mark.parametrize("kwargs", [{"path": URL + "?lang=en"}, {"path": URL, "HTTP_ACCEPT_LANGUAGE": "en-GB,en"}])
def test_api_in_english(client, pact, kwargs):
    offer = make_offer(pact, title_de="Erstberatung", title_en="First consultation", is_free=False,
                       price_de="Eigenanteil", price_en="")
    response = client.get(**kwargs)
    item = response.json()[0]
    assert item["title"] == "First consultation"
    assert item["cost"] == {"free": False, "text": "Eigenanteil"}  # German where no English text exists
    assert item["url"] == f"http://testserver/en/unterstuetzung/angebote/{offer.pk}/"
    assert response["Content-Language"] == "en" and "Accept-Language" in response["Vary"]


def test_api_caching_headers_and_etag(client, pact):
    offer = make_offer(pact)
    response = client.get(URL)
    assert response["Cache-Control"] == "public, max-age=300" and response["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    # A change is visible at once: the cache key follows the offers.
    from klimapakt.support.services.offers import offer_update

    offer_update(offer=offer, actor=None, title_de="Neuer Titel")
    changed = client.get(URL, HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200 and changed.json()[0]["title"] == "Neuer Titel"
    assert changed["ETag"] != response["ETag"]


def test_api_rejects_an_unknown_language(client, pact):
    assert client.get(URL + "?lang=xx").status_code == 400


def test_openapi_documents_the_offers(client, pact):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/support/offers"]["get"]
    assert "ETag" in operation["description"] and operation["tags"] == ["support"]
    schema = spec["components"]["schemas"]["OfferOut"]
    assert set(schema["properties"]) >= {"id", "title", "kind", "institution", "audience", "cost", "url"}
    assert "description" in schema["properties"]["url"]
    assert set(schema["properties"]["kind"]["enum"]) == set(Offer.Kind.values)


def count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(pact, n, start=0):
    institutions = list(pact.initial_partners.all())
    Offer.objects.bulk_create([
        Offer(pact=pact, institution=institutions[i % len(institutions)], kind="first_advice",
              title_de=f"Angebot {start + i}", summary_de="x", size_classes=",small,", sectors=",C,")
        for i in range(n)])


@pytest.mark.parametrize("path", ["/unterstuetzung/", "/unterstuetzung/?groesse=small&branche=C&kostenfrei=1",
                                  "/en/unterstuetzung/"])
def test_public_list_keeps_a_constant_number_of_queries(client, pact, path):
    grow(pact, 3)
    few = count(client, path)
    grow(pact, 40, start=3)
    assert count(client, path) == few <= 4


def test_offer_page_and_office_list_keep_a_constant_number_of_queries(client_for, world):
    from klimapakt.partners.models import Membership, Organisation

    pact, member = world["pact"], world["users"]["member_a"]
    offer = make_offer(pact)
    grow(pact, 3)
    detail = reverse("support:offer", args=[offer.pk])
    member_client, office = client_for(member), client_for(world["users"]["office"])
    few = (count(member_client, detail), count(office, reverse("support_office:offers")))
    grow(pact, 40, start=3)
    for i in range(5):
        Membership.objects.create(organisation=Organisation.objects.create(name=f"Org {i}"), user=member)
    assert (count(member_client, detail), count(office, reverse("support_office:offers"))) == few


def test_api_keeps_a_constant_number_of_queries(client, pact):
    from django.core.cache import cache

    def uncached():
        client.get(URL)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            items = client.get(URL).json()
        return len(items), len(ctx.captured_queries)

    grow(pact, 3)
    few = uncached()
    grow(pact, 40, start=3)
    assert uncached() == (43, few[1])
    assert count(client, URL) == 1  # cached: only the version of the offers


def test_demo_is_idempotent(pact):
    from klimapakt.events.demo import load as load_events
    from klimapakt.events.models import Question
    from klimapakt.support.demo_offers import load
    from klimapakt.support.models import RoutingRule

    load_events(pact)
    load(pact)
    counts = (Offer.objects.count(), RoutingRule.objects.count(), Question.objects.count())
    load(pact)
    assert (Offer.objects.count(), RoutingRule.objects.count(), Question.objects.count()) == counts
    assert {o.institution.short_name for o in Offer.objects.select_related("institution")} == {
        "Stadt", "IHK", "HWK", "KH", "HSNR", "WFG"}
    assert all(o.title_en and o.summary_en for o in Offer.objects.all())
    assert [(r.institution.short_name, r.topic, r.craft_business) for r in RoutingRule.objects.all()] == [
        ("KH", "", True), ("WFG", "funding", False), ("Stadt", "reporting", False)]
    roles = set(Question.objects.filter(event__title_de="Auftaktworkshop Krefelder Klimapakt")
                .values_list("role", "kind"))
    assert {("support_need", "multiple_choice"), ("support_consent", "yes_no")} <= roles
