"""GET /api/v1/partners/{id} (issue 15, "A complete public API"): one listed partner with its
targets and published report figures, the same item as in the list (which links to it); 404
for every organisation that is not listed; cacheable with an ETag; ?lang= like every endpoint."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from klimapakt.partners.models import Organisation, Target
from klimapakt.partners.services import directory_changed
from klimapakt.reports.models import PublicationConsent, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    org = world["org_a"]
    Organisation.objects.filter(pk=org.pk).update(stage=Organisation.Stage.ACTIVE, listing_consent=True,
                                                  partner_since=datetime.date(2024, 3, 1), website="https://alpha.example")
    Target.objects.create(organisation=org, base_year=2023, target_year=2035, reduction_percent=Decimal("42.5"),
                          scopes="1+2", signed=True)
    PublicationConsent.objects.create(organisation=org, publish_figures=True)
    Report.objects.create(organisation=org, kind="baseline", year=2024, balance_year=2023,
                          opens_on=datetime.date(2024, 3, 1), due_on=datetime.date(2024, 12, 31),
                          status=Report.Status.ACCEPTED, accepted_at=timezone.now(), scope1_t=Decimal("80.143"),
                          scope2_location_t=Decimal("12.5"), scope2_market_t=Decimal("10"), scope3_t=Decimal("0"))
    org.refresh_from_db()
    return org


def url(pk):
    return f"/api/v1/partners/{pk}"


def test_one_partner_is_the_list_item_with_its_figures(client, listed):
    response = client.get(url(listed.pk))
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == listed.pk and data["name"] == "Alpha Bäckerei GmbH"
    assert data["partner_since"] == "2024-03-01" and data["website"] == "https://alpha.example"
    assert data["targets"] == [{"base_year": 2023, "target_year": 2035, "reduction_percent": "42.5",
                                "reduction_t_co2e": None, "scopes": "1+2", "neutral_by": None}]
    [report] = data["reports"]
    assert report["kind"] == "baseline" and report["year"] == 2024 and report["scope1"] == "80.143"
    assert data["url"] == f"http://testserver{url(listed.pk)}"
    listed_items = client.get("/api/v1/partners").json()
    assert listed_items == [data]  # the list links to it, and says the same


@pytest.mark.parametrize("change", [
    {"stage": Organisation.Stage.INTEREST}, {"stage": Organisation.Stage.PAUSED},
    {"stage": Organisation.Stage.LEFT}, {"listing_consent": False},
])
def test_404_for_anyone_not_listed(client, listed, change, django_capture_on_commit_callbacks):
    assert client.get(url(listed.pk)).status_code == 200
    Organisation.objects.filter(pk=listed.pk).update(**change)
    with django_capture_on_commit_callbacks(execute=True):
        directory_changed()
    response = client.get(url(listed.pk))
    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": None, "message": "Klimapartner nicht gefunden."}]}


def test_404_for_an_unknown_id(client, listed):
    assert client.get(url(999999)).status_code == 404
    assert client.get("/api/v1/partners/abc").status_code in (400, 404, 422)


def test_etag_and_304(client, listed, django_capture_on_commit_callbacks):
    first = client.get(url(listed.pk))
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=300" and first["Access-Control-Allow-Origin"] == "*"
    again = client.get(url(listed.pk), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert client.get(url(listed.pk), HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    Organisation.objects.filter(pk=listed.pk).update(name="Alpha Backstube GmbH")
    with django_capture_on_commit_callbacks(execute=True):
        directory_changed()  # as every service that changes public partner data does
    changed = client.get(url(listed.pk), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["name"] == "Alpha Backstube GmbH"


def test_language_by_query(client, listed):
    german = client.get(url(listed.pk))
    english = client.get(url(listed.pk) + "?lang=en")
    assert english.status_code == 200 and english["Content-Language"] == "en"
    assert english.json() == german.json()  # codes and figures: nothing in words to translate
    assert client.get(url(999999) + "?lang=en").json()["errors"][0]["message"] != ""


def test_documented_in_openapi(client, pact):
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/partners/{partner_id}", "/api/v1/events/{event_id}"):
        operation = spec["paths"][path]["get"]
        assert {"200", "304", "404"} <= set(operation["responses"]), path
        assert "ETag" in operation["description"]
    schemas = spec["components"]["schemas"]
    assert {"id", "kind", "label", "required", "choices"} <= set(schemas["QuestionOut"]["properties"])
    assert {"id", "label"} == set(schemas["ChoiceOut"]["properties"])
    assert "url" in schemas["EventOut"]["properties"] and "reports" in schemas["PartnerOut"]["properties"]
