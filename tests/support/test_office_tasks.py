"""Support's to-dos on the office's work list: requests to assign and requests whose first
answer is overdue, each linking to the request, in a constant number of queries."""


import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klimapakt.core import registry

from ..partners.test_office_tasks import item, section
from .test_workplace_world import make_request

pytestmark = pytest.mark.django_db


def test_unassigned_and_overdue_requests_are_on_the_office_list(world, client_for):
    ihk = world["pact"].initial_partners.get(short_name="IHK")
    waiting = make_request(world["org_a"], days_ago=2)
    late = make_request(world["org_b"], institution=ihk, days_ago=12, due_in=-5)
    html = client_for(world["users"]["office"]).get(reverse("backoffice:start")).content.decode()
    li = item(html, "support_unassigned", world["org_a"].name)
    assert f'href="{reverse("support_office:request", args=[waiting.pk])}"' in li and "seit 2 Tagen" in li
    assert "einrichtung=ohne" in section(html, "support_unassigned")
    li = item(html, "support_overdue", world["org_b"].name)
    assert f'href="{reverse("support_office:request", args=[late.pk])}"' in li and ihk.name in li
    advisor_page = client_for(world["users"]["advisor"]).get(reverse("backoffice:start")).content.decode()
    assert 'id="tasks-support_unassigned"' not in advisor_page and "support_unassigned" not in advisor_page


@pytest.mark.parametrize("kind", ["support_unassigned", "support_overdue"])
def test_constant_queries(world, kind):
    ihk = world["pact"].initial_partners.get(short_name="IHK")
    tasks = registry.office_tasks.get(kind)

    def queries():
        request = RequestFactory().get("/")
        request.user = world["users"]["office"]
        with CaptureQueriesContext(connection) as ctx:
            tasks.collect(request, 20)
            tasks.count(request)
        return len(ctx)

    make_request(world["org_a"], institution=None if kind == "support_unassigned" else ihk, due_in=-3)
    one = queries()
    for _ in range(10):
        make_request(world["org_b"], institution=None if kind == "support_unassigned" else ihk, due_in=-3)
    assert queries() == one <= 3   # the list, and two indexed counts
