"""The office's start page as a work list (issue 15, "The office's to-do inbox"): core reads
the to-dos from ``core.registry.office_tasks`` (naming no app), shows each kind bounded with
its age and a link to the full list, and the navigation counts the open to-dos."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from klimapakt.core import registry
from klimapakt.core.formatting import age

pytestmark = pytest.mark.django_db


def test_age_counts_local_days():
    today = datetime.date(2026, 5, 10)
    assert age(today, today=today) == "seit heute"
    assert age(datetime.date(2026, 5, 9), today=today) == "seit gestern"
    assert age(datetime.date(2026, 5, 7), today=today) == "seit 3 Tagen"
    assert age(datetime.date(2022, 1, 1), today=today) == "seit 1.590 Tagen"
    assert age(timezone.now() - datetime.timedelta(days=2)) == "seit 2 Tagen"
    assert age(None) == ""


def _badge(html):
    nav = re.search(r'<nav class="kp-subnav".*?</nav>', html, re.S).group(0)
    link = re.search(r'<a class="kern-link" href="/geschaeftsstelle/"[^>]*>(.*?)</a>', nav, re.S).group(1)
    return re.sub(r"<[^>]+>", "", link).strip()


def test_navigation_shows_the_number_of_open_todos_on_every_office_page(world, client_for):
    office = client_for(world["users"]["office"])
    # The world's two organisations have just shown interest: two to-dos.
    assert _badge(office.get(reverse("backoffice:pages")).content.decode()) == "Aufgaben 2 offen"
    assert _badge(office.get(reverse("backoffice:start")).content.decode()) == "Aufgaben 2 offen"
    world["org_a"].delete()
    assert _badge(office.get(reverse("backoffice:audit")).content.decode()) == "Aufgaben 1 offen"


def test_nothing_to_do(world, client_for):
    from klimapakt.partners.models import Organisation

    Organisation.objects.all().delete()
    html = client_for(world["users"]["office"]).get(reverse("backoffice:start")).content.decode()
    assert "Zurzeit gibt es nichts zu erledigen." in html
    assert _badge(html) == "Aufgaben"


@pytest.fixture
def only_kind(monkeypatch):
    """Replace the registered kinds by one of core's own (core names no app)."""
    def install(count, permission=None):
        tasks = [registry.Task(title=f"Vorgang {i}", url=f"/vorgang/{i}/", detail="bitte erledigen",
                               since=timezone.localdate() - datetime.timedelta(days=i)) for i in range(count)]
        kind = registry.OfficeTasks("test", "Testvorgänge", collect=lambda request, limit: tasks[:limit],
                                    count=lambda request: len(tasks), more_url=lambda: "/alle-vorgaenge/",
                                    permission=permission)
        monkeypatch.setattr(registry.office_tasks, "_items", [kind])
    return install


def test_a_kind_is_bounded_with_its_age_and_a_link_to_all(world, client_for, only_kind):
    only_kind(25)
    html = client_for(world["users"]["office"]).get(reverse("backoffice:start")).content.decode()
    assert html.count('class="kp-inbox__item"') == 20
    assert '<a class="kern-link" href="/vorgang/3/">Vorgang 3</a>: bitte erledigen' in html
    assert "(seit 3 Tagen)" in html and "(seit heute)" in html
    assert 'href="/alle-vorgaenge/">Alle 25 anzeigen' in html
    assert _badge(html) == "Aufgaben 25 offen"


def test_a_kind_needs_its_permission(world, client_for, only_kind):
    only_kind(3, permission="core.manage_pact")
    advisor = client_for(world["users"]["advisor"]).get(reverse("backoffice:start")).content.decode()
    assert "Testvorgänge" not in advisor and _badge(advisor) == "Aufgaben"
    office = client_for(world["users"]["office"]).get(reverse("backoffice:start")).content.decode()
    assert "Testvorgänge" in office and 'href="/alle-vorgaenge/">Zur Liste' in office
