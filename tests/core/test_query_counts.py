"""Pages keep a constant number of SQL queries as data grows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klimapakt.core.audit import log_action
from klimapakt.events.models import Event
from klimapakt.partners.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _grow(pact, user, n):
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Firma {i}", stage=Organisation.Stage.ACTIVE if i % 2 else Organisation.Stage.INTEREST)
         for i in range(n)])
    Membership.objects.bulk_create([Membership(organisation=o, user=user) for o in orgs[:n // 2]])
    start = timezone.now() + datetime.timedelta(days=3)
    Event.objects.bulk_create([Event(pact=pact, title_de=f"Treffen {i}", starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=1), status=Event.Status.PUBLISHED)
                               for i in range(n)])
    for org in orgs[:n]:
        log_action("partners.test", obj=org, actor=user)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role,url_name", [
    (None, "core:home"), ("member_a", "portal:dashboard"), ("office", "backoffice:start"),
    ("office", "backoffice:organisations"), ("office", "backoffice:audit"), (None, "core:documents"),
])
def test_query_count_does_not_grow(world, client_for, role, url_name):
    client = client_for(world["users"][role] if role else None)
    url = reverse(url_name)
    _count(client, url)  # warm caches (pact, content types)
    _grow(world["pact"], world["users"]["member_a"], 3)
    small = _count(client, url)
    _grow(world["pact"], world["users"]["member_a"], 40)
    large = _count(client, url)
    assert large == small, f"{url}: {small} queries with little data, {large} with more"
