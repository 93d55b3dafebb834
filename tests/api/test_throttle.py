"""The API throttle keys on the client's address (attack pass, issue 11): with NINJA_NUM_PROXIES
unset, django-ninja keyed on the whole X-Forwarded-For header, so a random header per request
reset the limit. The header counts only behind the operator's own proxy (BEHIND_PROXY=1)."""

import datetime
import uuid

import pytest
from django.utils import timezone

from ..settings_env import settings_under

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(pact):
    from klimapakt.events.models import Event

    start = timezone.now() + datetime.timedelta(days=14)
    return Event.objects.create(pact=pact, title_de="Netzwerktreffen", title_en="Network meeting", starts_at=start,
                                ends_at=start + datetime.timedelta(hours=2), venue_name="Rathaus", capacity=5,
                                status=Event.Status.PUBLISHED)


def statuses(client, event, forwarded_for: list[str], remote_addr="203.0.113.7"):
    return [client.post(f"/api/v1/events/{event.pk}/registrations", "{}", content_type="application/json",
                        HTTP_X_FORWARDED_FOR=xff, REMOTE_ADDR=remote_addr).status_code for xff in forwarded_for]


def random_addresses(n):
    return [f"10.{i}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}" for i in range(n)]


def test_a_random_forwarded_for_per_request_does_not_reset_the_limit(client, event, settings):
    settings.API_THROTTLE_RATE = "3/m"
    assert statuses(client, event, random_addresses(5)) == [400, 400, 400, 429, 429]


def test_behind_the_proxy_the_address_it_appended_counts(client, event, settings):
    settings.API_THROTTLE_RATE = "3/m"
    settings.NINJA_NUM_PROXIES = 1  # what BEHIND_PROXY=1 sets
    # The client forges the first entries; the proxy appends the real address last.
    forged = [f"{spoof}, 198.51.100.4" for spoof in random_addresses(5)]
    assert statuses(client, event, forged, remote_addr="127.0.0.1") == [400, 400, 400, 429, 429]
    # another client behind the same proxy has its own limit
    assert statuses(client, event, ["198.51.100.5"], remote_addr="127.0.0.1") == [400]


@pytest.mark.parametrize(("env", "proxies"), [({}, 0), ({"BEHIND_PROXY": "1"}, 1),
                                              ({"BEHIND_PROXY": "1", "TRUSTED_PROXIES": "2"}, 2),
                                              ({"TRUSTED_PROXIES": "2"}, 0)])
def test_forwarded_for_is_trusted_only_behind_the_proxy(env, proxies, tmp_path):
    module = settings_under(env, tmp_path)
    assert module["NINJA_NUM_PROXIES"] == proxies
    assert module["ALLAUTH_TRUSTED_PROXY_COUNT"] == proxies
