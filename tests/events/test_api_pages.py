"""GET /api/v1/events answers in pages: the list grows with the pact (the xl benchmark has 1,600
upcoming events), so one answer holds at most `limit` events and a Link header leads on."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_events(make_event):
    start = timezone.now() + datetime.timedelta(days=3)
    return [make_event(title_de=f"Treffen {i}", starts_at=start + datetime.timedelta(days=i),
                       ends_at=start + datetime.timedelta(days=i, hours=2)) for i in range(5)]


def test_the_list_is_paged_soonest_first_with_a_link_to_the_next_page(client, five_events,
                                                                       django_assert_max_num_queries):
    with django_assert_max_num_queries(4):   # the pact (with its initial partners and footer pages), the page; nothing per event
        first = client.get("/api/v1/events?limit=2")
    assert [e["title"] for e in first.json()] == ["Treffen 0", "Treffen 1"]
    assert first["Link"] == '<http://testserver/api/v1/events?limit=2&offset=2>; rel="next"'
    second = client.get("/api/v1/events?limit=2&offset=2")
    assert [e["title"] for e in second.json()] == ["Treffen 2", "Treffen 3"]
    last = client.get("/api/v1/events?limit=2&offset=4")
    assert [e["title"] for e in last.json()] == ["Treffen 4"] and "Link" not in last


def test_the_default_page_holds_100_events(client, make_event, pact):
    from klimapakt.events import api

    assert api.EVENTS_PAGE == 100
    response = client.get("/api/v1/events")
    assert response.status_code == 200 and "Link" not in response


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "offset=-1", "limit=abc"])
def test_a_bad_limit_or_offset_is_a_4xx_naming_the_field(client, pact, query):
    response = client.get(f"/api/v1/events?{query}")
    assert 400 <= response.status_code < 500
    assert query.split("=")[0] in response.content.decode()
