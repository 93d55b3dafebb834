"""The year overview and the report inbox count the same reports: "Überfällig" on the overview
of a year is the number of reports the inbox lists as overdue for that year (it said 0 while
the inbox said 13, because one counted all years and the other one year by its own rule)."""

import pytest
from django.urls import reverse

from klimapakt.reports import selectors, services

from .conftest import SIGNED

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_baseline(partner, member):
    return services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)


def test_overview_and_inbox_agree_per_year(overdue_baseline):
    year = overdue_baseline.year
    assert overdue_baseline.is_overdue
    listed = selectors.inbox(status="overdue", year=year).count()
    assert listed == 1
    assert selectors.year_overview(year)["counts"]["overdue"] == listed == selectors.inbox_counts(year=year)["overdue"]
    assert selectors.year_overview(year + 1)["counts"]["overdue"] == 0 == selectors.inbox_counts(year=year + 1)["overdue"]


def test_inbox_tabs_keep_the_year_and_count_what_they_list(client_for, office, overdue_baseline):
    client = client_for(office)
    year = overdue_baseline.year
    page = client.get(reverse("reports_office:inbox"), {"jahr": year + 1}).content.decode()
    assert f'href="?jahr={year + 1}&amp;status=overdue"' in page
    assert "Überfällig (0)" in page
    page = client.get(reverse("reports_office:inbox"), {"jahr": year}).content.decode()
    assert "Überfällig (1)" in page
    overview = client.get(reverse("reports_office:overview"), {"jahr": year}).content.decode()
    assert f'?jahr={year}&amp;status=overdue">1</a>' in overview


def test_overview_inbox_and_work_list_follow_a_submission_at_once(partner, member, office, client_for):
    """The figures are kept until a report changes (core.derived, issue 18): a submission shows
    on the next view of the inbox, the year overview and the office's work list."""
    from klimapakt.core import derived
    from klimapakt.partners.models import Organisation
    from klimapakt.partners.office_tasks import PIPELINE

    from .conftest import add_balance

    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    client = client_for(office)
    assert selectors.inbox_counts()["submitted"] == 0 == selectors.year_overview(SIGNED.year)["counts"]["submitted"]
    assert "Berichte prüfen" not in client.get(reverse("backoffice:start")).content.decode()
    services.report_submit(report=report, actor=member)
    assert selectors.inbox_counts()["submitted"] == 1 == selectors.year_overview(SIGNED.year)["counts"]["submitted"]
    assert selectors.inbox_page(1, status="submitted").paginator.count == 1
    start = client.get(reverse("backoffice:start")).content.decode()
    assert "Berichte prüfen" in start and partner.name in start
    assert selectors.inbox_page(1, q="Umbenannt").paginator.count == 0
    Organisation.objects.filter(pk=partner.pk).update(name="Umbenannt GmbH")  # update(): no signal
    assert selectors.inbox_page(1, q="Umbenannt").paginator.count == 0  # kept, as documented
    derived.changed(PIPELINE)  # what a service does after an update()
    assert selectors.inbox_page(1, q="Umbenannt").paginator.count == 1
