"""The partnership's to-dos on the office's work list (issue 15, "The office's to-do inbox"):
each kind shows its items with a link to the organisation and their age, bounded, with a link
to the pipeline's list, in a constant number of queries however many are open."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klimapakt.core import registry
from klimapakt.partners.models import Agreement, Organisation, OrientationTalk

pytestmark = pytest.mark.django_db
Stage = Organisation.Stage


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


def section(html, key):
    """The work list's section of one kind of to-do."""
    match = re.search(rf'<section class="kp-inbox__group" aria-labelledby="inbox-{key}">(.*?)</section>', html, re.S)
    return match.group(1) if match else ""


def item(html, key, name):
    """The list item of `name` in the section `key` (its link, detail and age)."""
    match = re.search(rf"<li class=\"kp-inbox__item\">((?:(?!</li>).)*{re.escape(name)}(?:(?!</li>).)*)</li>",
                      section(html, key), re.S)
    assert match, f"{name} not in {key}: {section(html, key)}"
    return match.group(1)


@pytest.fixture
def start(world, client_for):
    office = client_for(world["users"]["office"])

    def get():
        response = office.get(reverse("backoffice:start"))
        assert response.status_code == 200
        return response.content.decode()

    return get


def org_url(org):
    return reverse("backoffice:organisation", args=[org.pk])


def test_new_interest_is_listed_with_link_and_age(world, start):
    org = world["org_a"]
    Organisation.objects.filter(pk=org.pk).update(created_at=days_ago(3))
    li = item(start(), "partners_interest", org.name)
    assert f'href="{org_url(org)}"' in li
    assert "seit 3 Tagen" in li and "Orientierungsgespräch vereinbaren" in li
    assert "seit heute" in item(start(), "partners_interest", world["org_b"].name)
    assert '?stage=interest"' in section(start(), "partners_interest")  # "alle anzeigen": the pipeline


def test_talks_to_schedule_or_confirm(world, start):
    declined, past = world["org_a"], world["org_b"]
    waiting = Organisation.objects.create(name="Gamma Druck GmbH")
    Organisation.objects.filter(pk__in=[declined.pk, past.pk, waiting.pk]).update(stage=Stage.TALK_PLANNED)
    OrientationTalk.objects.create(organisation=declined, scheduled_for=timezone.now() + datetime.timedelta(days=5),
                                   answer=OrientationTalk.Answer.DECLINED, answered_at=days_ago(2))
    OrientationTalk.objects.create(organisation=past, scheduled_for=days_ago(5))
    OrientationTalk.objects.create(organisation=waiting, scheduled_for=timezone.now() + datetime.timedelta(days=5))
    html = start()
    li = item(html, "partners_talks", declined.name)
    assert f'href="{org_url(declined)}"' in li and "abgelehnt" in li and "seit 2 Tagen" in li
    li = item(html, "partners_talks", past.name)
    assert f'href="{org_url(past)}"' in li and "als geführt vermerken" in li and "seit 5 Tagen" in li
    # A proposed date the organisation has not answered yet is not the office's to-do.
    assert waiting.name not in section(html, "partners_talks")
    assert "Orientierungsgespräche planen oder bestätigen" in html


def test_agreement_to_countersign(world, journey, start):
    agreement = journey.submitted()
    Agreement.objects.filter(pk=agreement.pk).update(submitted_at=days_ago(4))
    li = item(start(), "partners_agreements", world["org_a"].name)
    assert f'href="{org_url(world["org_a"])}"' in li and "gegenzeichnen" in li and "seit 4 Tagen" in li


def test_overdue_organisation(world, start):
    org = world["org_b"]
    due = timezone.localdate() - datetime.timedelta(days=6)
    Organisation.objects.filter(pk=org.pk).update(next_deadline=due, next_deadline_kind="arrange_talk")
    li = item(start(), "partners_overdue", org.name)
    assert f'href="{org_url(org)}"' in li and "seit 6 Tagen" in li
    assert f"fällig am {due:%d.%m.%Y}" in li
    assert "?overdue=1&amp;sort=deadline" in section(start(), "partners_overdue")


def test_lists_are_bounded_and_link_to_all(world, start):
    Organisation.objects.bulk_create([Organisation(name=f"Firma {i:02}") for i in range(25)])
    html = section(start(), "partners_interest")
    assert html.count('class="kp-inbox__item"') == 20
    assert "Alle 27 anzeigen" in html


def _make(kind, n):
    """n open to-dos of `kind`."""
    orgs = Organisation.objects.bulk_create([Organisation(name=f"{kind} {i}") for i in range(n)])
    ids = [o.pk for o in orgs]
    if kind == "partners_talks":
        Organisation.objects.filter(pk__in=ids).update(stage=Stage.TALK_PLANNED)
        OrientationTalk.objects.bulk_create([OrientationTalk(organisation=o, scheduled_for=days_ago(1)) for o in orgs])
    elif kind == "partners_agreements":
        from klimapakt.core.models import Pact
        from klimapakt.partners.models import AgreementVersion

        version = AgreementVersion.objects.first() or AgreementVersion.objects.create(
            pact=Pact.objects.current(), label="1", valid_from=datetime.date(2022, 1, 1))
        Organisation.objects.filter(pk__in=ids).update(stage=Stage.AGREEMENT_SUBMITTED)
        Agreement.objects.bulk_create([Agreement(organisation=o, version=version, status=Agreement.Status.SUBMITTED,
                                                 submitted_at=days_ago(1)) for o in orgs])
    elif kind == "partners_overdue":
        Organisation.objects.filter(pk__in=ids).update(next_deadline=timezone.localdate() - datetime.timedelta(1))
    return ids


def _queries(kind, user):
    cache.clear()  # the counts as computed, not as kept (bulk_create moves no version on)
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as ctx:
        tasks = kind.collect(request, 20)
        kind.count(request)
    return len(ctx.captured_queries), len(tasks)


@pytest.mark.parametrize("key", ["partners_interest", "partners_talks", "partners_agreements", "partners_overdue"])
def test_each_kind_takes_a_constant_number_of_queries(world, key):
    kind = registry.office_tasks.get(key)
    office = world["users"]["office"]
    Organisation.objects.all().delete()
    _make(key, 1)
    small, shown = _queries(kind, office)
    assert shown == 1
    _make(key, 20)
    large, shown = _queries(kind, office)
    assert shown == 20
    assert large == small <= 2, (small, large)


def test_advisors_and_members_see_none_of_them(world, client_for):
    advisor = client_for(world["users"]["advisor"])
    html = advisor.get(reverse("backoffice:start")).content.decode()
    assert "inbox-partners_" not in html
    assert client_for(world["users"]["member_a"]).get(reverse("backoffice:start")).status_code == 403


def test_the_start_block_counts_organisations_like_the_pipeline(world, client_for):
    """The back office's block reads the pipeline's stage counts: total, active, new interest."""

    Organisation.objects.filter(pk=world["org_b"].pk).update(stage=Stage.ACTIVE)
    Organisation.objects.create(name="Gamma GmbH", stage=Stage.INTEREST)
    total = Organisation.objects.count()
    active = Organisation.objects.filter(stage=Stage.ACTIVE).count()
    interest = Organisation.objects.filter(stage=Stage.INTEREST).count()
    assert (total, active, interest) == (3, 1, 2)
    page = client_for(world["users"]["office"]).get(reverse("backoffice:start")).content.decode()
    for label, n in (("Organisationen", total), ("Aktive Klimapartner", active), ("Neue Interessenten", interest)):
        assert f'{label}</h2><p class="kp-figure">{n}</p>' in page
