"""One request through its whole life with the services, and the rules of routing and working days."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from klimapakt.core.models import OutboxMail
from klimapakt.support.models import Holding, RoutingRule, SupportRequest
from klimapakt.support.routing import rule_matches
from klimapakt.support.service_level import add_working_days, working_days_between
from klimapakt.support.services import conversation, requests

pytestmark = pytest.mark.django_db


def test_a_request_for_an_offer_goes_to_its_institution_and_through_its_life(world, offer, ihk):
    member, advisor = world["users"]["member_a"], world["users"]["advisor"]
    before = OutboxMail.objects.count()
    r = requests.request_create(organisation=world["org_a"], actor=member, offer=offer, topics=["heat"],
                                description="Unsere Heizung ist alt.", consent=True, grant_access=True)
    assert r.institution == ihk and r.status == "new" and r.consented_at and ihk.name in r.consent_text
    assert r.answer_due_on > r.received_at.date()
    assert Holding.objects.filter(request=r, institution=ihk, until__isnull=True).exists()
    assert OutboxMail.objects.count() > before
    r = requests.request_accept(support_request=r, actor=advisor)
    assert r.status == "accepted" and r.advisor == advisor and r.first_answer_at
    conversation.message_post(support_request=r, actor=member, body="Wann passt es Ihnen?")
    conversation.note_add(support_request=r, actor=advisor, body="Kunde ruft zurück.")
    r = requests.request_start(support_request=r, actor=advisor)
    hwk = world["pact"].initial_partners.exclude(pk=ihk.pk).first()
    r = requests.request_forward(support_request=r, actor=advisor, institution=hwk, reason="Handwerk")
    assert r.status == "new" and r.institution == hwk and r.advisor is None and not r.grant_active
    assert Holding.objects.get(request=r, institution=ihk).until is not None
    with pytest.raises(ValidationError):
        requests.request_complete(support_request=r, actor=advisor, outcome="advice_given")
    with pytest.raises(ValidationError):   # an IHK advisor cannot accept for the HWK
        requests.request_accept(support_request=r, actor=advisor)
    office = world["users"]["office"]
    with pytest.raises(ValidationError):
        requests.request_decline(support_request=r, actor=office, reason=" ")
    r = requests.request_decline(support_request=r, actor=office, reason="Kein passendes Angebot.")
    assert r.status == "declined" and r.closed_at


def test_not_sure_goes_through_the_rules_or_to_the_office(world, pact, ihk):
    org = world["org_a"]
    org.craft_business = True
    org.save()
    khs = pact.initial_partners.exclude(pk=ihk.pk).last()
    RoutingRule.objects.create(pact=pact, institution=khs, craft_business=True, position=2)
    RoutingRule.objects.create(pact=pact, institution=ihk, topic="funding", position=1)
    member = world["users"]["member_a"]
    assert requests.recipient_of(organisation=org, offer=None, topics=["funding"]) == ihk
    assert requests.recipient_of(organisation=org, offer=None, topics=["heat"]) == khs
    org.craft_business = False
    assert requests.recipient_of(organisation=org, offer=None, topics=["heat"]) is None
    r = requests.request_create(organisation=org, actor=member, offer=None, topics=["heat"], description="Hilfe",
                                consent=True)
    assert r.institution is None and "Geschäftsstelle" in r.consent_text
    r = requests.request_assign(support_request=r, institution=ihk, actor=world["users"]["office"])
    assert r.institution == ihk and r.status == "new"


def test_consent_and_topics_are_required(world, offer):
    member = world["users"]["member_a"]
    for kwargs in ({"consent": False, "topics": ["heat"]}, {"consent": True, "topics": []},
                   {"consent": True, "topics": ["weather"]}):
        with pytest.raises(ValidationError):
            requests.request_create(organisation=world["org_a"], actor=member, offer=offer, description="x", **kwargs)
    assert not SupportRequest.objects.exists()


def test_rule_conditions_all_have_to_match(pact, ihk):
    rule = RoutingRule(pact=pact, institution=ihk, topic="heat", sector="C", size_class="small")
    assert rule_matches(rule, topics=["heat", "other"], sector="C", size_class="small", craft_business=False)
    assert not rule_matches(rule, topics=["other"], sector="C", size_class="small", craft_business=False)
    assert not rule_matches(rule, topics=["heat"], sector="F", size_class="small", craft_business=False)
    assert not rule_matches(rule, topics=["heat"], sector="C", size_class="medium", craft_business=False)


def test_working_days_skip_weekends_and_nrw_holidays():
    # Thu 24.12.2026: 25. and 26.12. are holidays, then a weekend: five working days end on Fri 1.1.? No:
    # 1.1. is a holiday too. Mon 28, Tue 29, Wed 30, Thu 31.12., Mon 4.1.2027.
    assert add_working_days(datetime.date(2026, 12, 24), 5, "NW") == datetime.date(2027, 1, 4)
    # Fronleichnam (4.6.2026) is a holiday in NRW, not in Berlin.
    assert add_working_days(datetime.date(2026, 6, 3), 1, "NW") == datetime.date(2026, 6, 5)
    assert add_working_days(datetime.date(2026, 6, 3), 1, "BE") == datetime.date(2026, 6, 4)
    assert working_days_between(datetime.date(2026, 12, 24), datetime.date(2027, 1, 4), "NW") == 5


def test_the_organisation_page_links_to_support(world, client_for):
    from django.urls import reverse

    org = world["org_a"]
    page = client_for(world["users"]["member_a"]).get(reverse("portal:organisation", args=[org.pk])).content.decode()
    assert reverse("support:requests", args=[org.pk]) in page


def test_a_request_without_institution_is_assigned_not_forwarded(world, pact):
    r = requests.request_create(organisation=world["org_a"], actor=world["users"]["member_a"], offer=None,
                                topics=["other"], description="Hilfe", consent=True)
    assert r.institution is None
    with pytest.raises(ValidationError):
        requests.request_forward(support_request=r, actor=world["users"]["office"],
                                 institution=pact.initial_partners.first(), reason="weiter")


def test_a_new_target_re_dates_waiting_requests_and_their_reminders(world, pact, ihk):
    from django.utils import timezone

    from klimapakt.support.services.settings import settings_update

    made = [requests.request_create(organisation=world["org_a"], actor=world["users"]["member_a"], offer=None,
                                    topics=["heat"], description=f"Hilfe {n}", consent=True) for n in range(2)]
    SupportRequest.objects.filter(pk__in=[r.pk for r in made]).update(advisor_reminded_at=timezone.now())
    settings_update(pact=pact, actor=world["users"]["office"], answer_days=10, retention_years=3,
                    holiday_region="NW")
    day = timezone.localdate(made[0].received_at)
    for r in SupportRequest.objects.filter(pk__in=[r.pk for r in made]):
        assert r.answer_due_on == add_working_days(day, 10, "NW") and r.advisor_reminded_at is None


def test_the_office_is_not_marked_reminded_without_an_address(world, pact, ihk):
    from klimapakt.support.services.housekeeping import remind_unanswered

    r = requests.request_create(organisation=world["org_a"], actor=world["users"]["member_a"], offer=None,
                                topics=["heat"], description="Hilfe", consent=True)
    SupportRequest.objects.filter(pk=r.pk).update(answer_due_on=datetime.date(2020, 1, 6))
    pact.contact_email = ""
    pact.save()
    assert remind_unanswered(today=datetime.date(2020, 3, 2))[1] == 0
    assert SupportRequest.objects.get(pk=r.pk).office_reminded_at is None
