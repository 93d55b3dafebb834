"""The office's support settings and routing rules pages."""

import pytest
from django.urls import reverse

from klimapakt.support.models import RoutingRule, SupportSettings

from .test_workplace_world import make_desk, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world):
    return make_desk(world)


def test_settings_page_saves_through_the_service(desk, client_for):
    from klimapakt.core.models import AuditEntry

    c = client_for(desk["office"])
    url = reverse("support_office:settings")
    page = c.get(url).content.decode()
    assert "Die erste Regel, deren ausgefüllte Bedingungen alle passen" in page
    assert "an die Einrichtung dieses Angebots" in page
    sr = make_request(desk["org_a"], institution=desk["ihk"])
    response = c.post(url, {"answer_days": "10", "holiday_region": "BY", "retention_years": "5"})
    assert response.status_code == 302
    settings = SupportSettings.objects.get(pact=desk["pact"])
    assert (settings.answer_days, settings.holiday_region, settings.retention_years) == (10, "BY", 5)
    before = sr.answer_due_on
    sr.refresh_from_db()
    assert sr.answer_due_on > before      # the open, unanswered request's due date follows the target
    assert AuditEntry.objects.filter(action="support.settings.updated").exists()
    response = c.post(url, {"answer_days": "0", "holiday_region": "XX", "retention_years": "50"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_answer_days-error"' in text and 'id="id_holiday_region-error"' in text
    assert 'id="id_retention_years-error"' in text


def test_rules_create_edit_delete(desk, client_for):
    c = client_for(desk["office"])
    create = reverse("support_office:rule_create")
    assert c.get(create).status_code == 200
    # a rule needs a condition
    response = c.post(create, {"institution": desk["hwk"].pk, "position": "1", "is_active": "on"})
    assert response.status_code == 200 and "mindestens eine Bedingung" in response.content.decode()
    response = c.post(create, {"institution": desk["hwk"].pk, "topic": "buildings", "craft_business": "on",
                               "position": "1", "is_active": "on"})
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert (rule.institution, rule.topic, rule.craft_business) == (desk["hwk"], "buildings", True)
    page = c.get(reverse("support_office:settings")).content.decode()
    assert "Gebäude · nur Handwerksbetriebe" in page and "Handwerkskammer Düsseldorf" in page
    edit = reverse("support_office:rule_edit", args=[rule.pk])
    assert 'value="buildings" selected' in c.get(edit).content.decode()
    assert c.post(edit, {"institution": desk["ihk"].pk, "topic": "funding", "position": "2"}).status_code == 302
    rule.refresh_from_db()
    assert (rule.institution, rule.topic, rule.is_active, rule.position) == (desk["ihk"], "funding", False, 2)
    delete = reverse("support_office:rule_delete", args=[rule.pk])
    confirm = c.get(delete)
    assert confirm.status_code == 200 and "Ja, Regel löschen" in confirm.content.decode()
    assert c.post(delete).status_code == 200 and RoutingRule.objects.exists()   # not without confirmation
    assert c.post(delete, {"confirm": "1"}).status_code == 302
    assert not RoutingRule.objects.exists()


def test_settings_pages_are_the_offices(desk, client_for):
    rule = RoutingRule.objects.create(pact=desk["pact"], institution=desk["ihk"], topic="heat")
    for user in (desk["advisor"], desk["hwk_advisor"], desk["users"]["member_a"]):
        c = client_for(user)
        for url in (reverse("support_office:settings"), reverse("support_office:rule_create"),
                    reverse("support_office:rule_edit", args=[rule.pk])):
            assert c.get(url).status_code == 403
        assert c.post(reverse("support_office:rule_delete", args=[rule.pk]), {"confirm": "1"}).status_code == 403
    assert RoutingRule.objects.filter(pk=rule.pk).exists()
