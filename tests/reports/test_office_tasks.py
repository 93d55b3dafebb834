"""The reports' to-dos on the office's work list (issue 15, "The office's to-do inbox"):
reports to review and overdue reports, each with a link to its review page and its age, in a
constant number of queries however many are open."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klimapakt.core import registry
from klimapakt.partners.models import Organisation
from klimapakt.reports.models import Report

from ..partners.test_office_tasks import item, section

pytestmark = pytest.mark.django_db


def report(org, *, status, due_on, submitted_at=None, year=2025):
    return Report.objects.create(organisation=org, kind=Report.Kind.MONITORING, year=year, balance_year=year - 1,
                                 opens_on=datetime.date(year, 1, 1), due_on=due_on, status=status,
                                 submitted_at=submitted_at)


def start_page(client_for, office):
    response = client_for(office).get(reverse("backoffice:start"))
    assert response.status_code == 200
    return response.content.decode()


def test_report_to_review(partner, office, client_for):
    submitted = report(partner, status=Report.Status.SUBMITTED, due_on=timezone.localdate() + datetime.timedelta(30),
                       submitted_at=timezone.now() - datetime.timedelta(days=3))
    html = start_page(client_for, office)
    li = item(html, "reports_review", partner.name)
    assert f'href="{reverse("reports_office:review", args=[submitted.pk])}"' in li
    assert "Monitoringbericht 2025" in li and "seit 3 Tagen" in li
    assert "?status=submitted" in section(html, "reports_review")
    assert partner.name not in section(html, "reports_overdue")


def test_overdue_report(partner, office, client_for):
    due = timezone.localdate() - datetime.timedelta(days=9)
    late = report(partner, status=Report.Status.DRAFT, due_on=due)
    report(partner, status=Report.Status.ACCEPTED, due_on=due, year=2024)  # accepted: nothing to do
    html = start_page(client_for, office)
    li = item(html, "reports_overdue", partner.name)
    assert f'href="{reverse("reports_office:review", args=[late.pk])}"' in li
    assert "seit 9 Tagen" in li and f"fällig am {due:%d.%m.%Y}" in li
    assert section(html, "reports_overdue").count('class="kp-inbox__item"') == 1
    assert "?status=overdue" in section(html, "reports_overdue")


def _queries(kind, user):
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as ctx:
        tasks = kind.collect(request, 20)
        kind.count(request)
    return len(ctx.captured_queries), len(tasks)


@pytest.mark.parametrize("key,status,days", [("reports_review", Report.Status.SUBMITTED, 30),
                                             ("reports_overdue", Report.Status.RETURNED, -3)])
def test_each_kind_takes_a_constant_number_of_queries(partner, office, key, status, days):
    kind = registry.office_tasks.get(key)
    due = timezone.localdate() + datetime.timedelta(days)

    def make(n):
        for org in Organisation.objects.bulk_create([Organisation(name=f"Firma {i}") for i in range(n)]):
            report(org, status=status, due_on=due, submitted_at=timezone.now())

    make(1)
    small, shown = _queries(kind, office)
    assert shown == 1
    make(20)
    large, shown = _queries(kind, office)
    assert shown == 20 and large == small <= 2, (small, large)
