"""GET /api/v1/pact/progress on the real selector (the fixed data set of conftest.py): the same
figures as the public page, in a constant number of queries however many organisations report."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klimapakt.insights.open_data import progress_payload
from klimapakt.insights.selectors.progress import pact_progress

from .conftest import add_report, make_partner

pytestmark = pytest.mark.django_db

URL = "/api/v1/pact/progress"


def count(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_progress_api_queries_do_not_grow_with_the_organisations(client, pact, progress_data):
    client.get(URL)  # warm per-process caches (ContentTypes and the like)
    few = count(client)
    for i in range(25):
        add_report(make_partner(f"Weitere {i}"), 2023, 1, 1, measures=(1, 1), savings=("1.000", "1.000"))
        add_report(make_partner(f"Andere {i}", sector="F"), 2024, 2, 1, kind="monitoring")
    many = count(client)
    assert many == few <= 20, (few, many)
    with CaptureQueriesContext(connection) as cached:
        assert client.get(URL).status_code == 200
    assert len(cached) <= 2  # the snapshot and the body come from the cache


def test_progress_api_shows_the_public_figures(client, pact, progress_data):
    answer = client.get(URL).json()
    assert answer == progress_payload(pact_progress(pact, public=True))
    y2024 = next(y for y in answer["years"] if y["year"] == 2024)
    # computed by hand in test_progress.py: eight organisations, headline 69 t
    assert y2024["organisations_reporting"] == 8 and y2024["suppressed"] is False
    assert y2024["total_scope12_location"] == "69.000" and y2024["scope2_location"] == "10.000"
    assert next(m for m in answer["measures"] if m["year"] == 2024) == {
        "year": 2024, "measures_total": 18, "measures_implemented": 12, "expected_savings": "12.000",
        "realised_savings": "6.000"}
    assert {"year": 2025, "joined": 1, "left": 1, "active": 8} in answer["partners"]


def test_a_year_under_the_threshold_is_null_in_the_api(client, pact, progress_data, settings):
    settings.PUBLIC_MIN_ORGANISATIONS = 9  # both years have eight organisations
    years = client.get(URL).json()["years"]
    assert [y["suppressed"] for y in years] == [True, True]
    assert {y["total_location"] for y in years} == {None}
    assert [y["organisations_reporting"] for y in years] == [8, 8]
    rows = client.get(URL, {"format": "csv"}).content.decode().splitlines()
    assert rows[0].startswith("year,organisations_reporting,scope1,")
    assert any(r.startswith("2024,8,,,,,,,,true,,,,,") for r in rows), rows


def test_the_progress_page_points_to_its_open_data(client, pact, progress_data):
    html = client.get("/fortschritt/").content.decode()
    assert 'href="/offene-daten/#progress"' in html
