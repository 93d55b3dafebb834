"""Query counts of the directory, partner page, map, pipeline, staff page and API do not grow
with the number of organisations, targets or history."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klimapakt.partners.models import Agreement, Organisation, StageChange, Target


def make_partners(n, version, start=0):
    orgs = Organisation.objects.bulk_create([
        Organisation(name=f"Partner {start + i:04d}", stage=Organisation.Stage.ACTIVE, listing_consent=True,
                     partner_since=datetime.date(2024, 1, 1) + datetime.timedelta(days=i), sector="C",
                     employees=10 + i, latitude="51.3", longitude="6.5", show_location=True,
                     next_deadline=datetime.date(2020, 1, 1), next_deadline_kind="baseline_report")
        for i in range(n)])
    Target.objects.bulk_create([Target(organisation=o, base_year=2020, target_year=2035, reduction_percent=40,
                                       neutral_by=2040 if i % 2 else None)
                                for i, o in enumerate(orgs) for _ in range(2)])
    Agreement.objects.bulk_create([Agreement(organisation=o, version=version, status="countersigned") for o in orgs])
    StageChange.objects.bulk_create([StageChange(organisation=o, to_stage="active") for o in orgs])
    return orgs


def count(client, url):
    client.get(url)  # warm per-process caches (content types, pact)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def counts(client, urls):
    return [count(client, u) for u in urls]


def test_public_pages_and_api_have_constant_queries(pact, version, client_for):
    first = make_partners(3, version)[0]
    client = client_for(None)
    urls = [reverse("partners:directory"), reverse("partners:directory") + "?neutral=1&sort=since&sector=C",
            reverse("partners:detail", args=[first.pk]), reverse("partners:map"), "/api/v1/partners",
            "/api/v1/partners?format=csv"]
    small = counts(client, urls)
    make_partners(40, version, start=100)
    Target.objects.bulk_create([Target(organisation=first, base_year=2019, target_year=2030 + i, reduction_percent=10)
                                for i in range(5)])
    assert counts(client, urls) == small
    assert small[4] <= 3  # the API: partners + targets (+ nothing else)


def test_back_office_pages_have_constant_queries(world, version, client_for):
    office = client_for(world["users"]["office"])
    org = world["org_a"]
    urls = [reverse("backoffice:organisations"), reverse("backoffice:organisations") + "?overdue=1&stage=active",
            reverse("backoffice:organisation", args=[org.pk]), reverse("backoffice:organisations_export", args=["csv"])]
    make_partners(3, version)
    small = counts(office, urls)
    make_partners(40, version, start=100)
    Target.objects.bulk_create([Target(organisation=org, base_year=2019, target_year=2030 + i, reduction_percent=10)
                                for i in range(5)])
    StageChange.objects.bulk_create([StageChange(organisation=org, to_stage="interest") for _ in range(5)])
    Agreement.objects.bulk_create([Agreement(organisation=org, version=version) for _ in range(3)])
    big = counts(office, urls)
    assert big == small, (small, big)


def test_pipeline_exports_with_talk_answers_have_constant_queries(world, client_for):
    from django.utils import timezone

    from klimapakt.partners.models import OrientationTalk

    office = client_for(world["users"]["office"])
    urls = [reverse("backoffice:organisations_export", args=[fmt]) for fmt in ("csv", "xlsx")]

    def add(n, start):
        orgs = Organisation.objects.bulk_create([Organisation(name=f"Org {start + i}", stage="talk_planned")
                                                 for i in range(n)])
        OrientationTalk.objects.bulk_create([
            OrientationTalk(organisation=o, scheduled_for=timezone.now() + datetime.timedelta(days=3),
                            answer=["proposed", "accepted", "declined"][i % 3], answer_message=f"Nachricht {i}")
            for i, o in enumerate(orgs)])

    add(3, 0)
    small = counts(office, urls)
    add(30, 100)
    assert counts(office, urls) == small
    body = office.get(urls[0]).content.decode("utf-8-sig")
    assert body.count(";Abgelehnt;Nachricht ") == 11 and body.count(";Noch offen;") == 11


def test_dashboard_with_talk_proposals_has_constant_queries(world, client_for):
    from django.utils import timezone

    from klimapakt.partners.models import Membership, OrientationTalk

    user = world["users"]["member_a"]
    client = client_for(user)

    def add(n, start):
        orgs = Organisation.objects.bulk_create([Organisation(name=f"Org {start + i}", stage="talk_planned")
                                                 for i in range(n)])
        Membership.objects.bulk_create([Membership(organisation=o, user=user) for o in orgs])
        OrientationTalk.objects.bulk_create([
            OrientationTalk(organisation=o, scheduled_for=timezone.now() + datetime.timedelta(days=3),
                            answer=["proposed", "accepted", "declined"][i % 3]) for i, o in enumerate(orgs)])

    add(2, 0)
    url = reverse("portal:dashboard")
    small = count(client, url)
    add(20, 100)
    assert count(client, url) == small
    page = client.get(url).content.decode()
    assert page.count("Terminvorschlag für das Orientierungsgespräch") == 8  # 22 organisations, every third
