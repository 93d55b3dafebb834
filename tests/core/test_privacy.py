import json

import pytest
from django.urls import reverse

from klimapakt.core.audit import log_action
from klimapakt.core.models import AuditEntry, User
from klimapakt.partners.models import Membership

pytestmark = pytest.mark.django_db


def test_person_downloads_their_data(world, client_for):
    user = world["users"]["member_a"]
    log_action("partners.organisation.updated", obj=world["org_a"], actor=user)
    response = client_for(user).get(reverse("core:my_data"), {"format": "json"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "anna@alpha.example"
    assert data["partners"]["memberships"][0]["organisation"] == "Alpha Bäckerei GmbH"
    assert data["actions"][0]["action"] == "partners.organisation.updated"


def test_deleting_needs_the_email_as_confirmation(world, client_for):
    user = world["users"]["member_b"]
    response = client_for(user).post(reverse("core:my_data"), {"confirm": "falsch@example"})
    assert response.status_code == 200 and User.objects.filter(pk=user.pk).exists()


def test_person_deletes_the_account_and_the_log_keeps_the_action_without_them(world, client_for):
    user = world["users"]["member_b"]
    log_action("partners.organisation.updated", obj=world["org_b"], actor=user)
    response = client_for(user).post(reverse("core:my_data"), {"confirm": user.email})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    entry = AuditEntry.objects.get(action="partners.organisation.updated")
    assert entry.actor is None and entry.object_repr == "Beta Metallbau KG"
    assert world["org_b"].__class__.objects.filter(pk=world["org_b"].pk).exists()


def test_the_only_admin_of_an_organisation_with_colleagues_must_hand_over_first(world, client_for):
    user = world["users"]["member_a"]
    colleague = User.objects.create_user(email="c@alpha.example", password="x" * 12)
    Membership.objects.create(organisation=world["org_a"], user=colleague)
    response = client_for(user).post(reverse("core:my_data"), {"confirm": user.email})
    assert response.status_code == 200 and "niemanden mit Verwaltungsrechten" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_sign_up_requires_the_privacy_notice_and_stores_the_consent(client, pact):
    data = {"email": "neu@example.org", "password1": "Ein-gutes-Passwort-1", "password2": "Ein-gutes-Passwort-1",
            "first_name": "Nora", "last_name": "Neu"}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200 and not User.objects.filter(email="neu@example.org").exists()
    assert "Bitte bestätigen Sie die Datenschutzhinweise." in response.content.decode()
    response = client.post(reverse("account_signup"), data | {"privacy_consent": "on"})
    user = User.objects.get(email="neu@example.org")
    assert user.privacy_consented_at is not None and user.first_name == "Nora"


def test_the_export_lists_event_registrations_by_account_and_verified_address(world, client_for, pact):
    import datetime

    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from klimapakt.events.models import Answer, Event, Question, Registration

    user = world["users"]["member_a"]
    start = timezone.now() + datetime.timedelta(days=10)
    event = Event.objects.create(pact=pact, title_de="Netzwerktreffen", starts_at=start,
                                 ends_at=start + datetime.timedelta(hours=2), status=Event.Status.PUBLISHED)
    question = Question.objects.create(event=event, kind="short_text", label_de="Ihre Frage?")
    by_address = Registration.objects.create(event=event, status="confirmed", first_name="Anna", last_name="A",
                                             email=user.email.lower(), organisation="Alpha")
    Answer.objects.create(registration=by_address, question=question, text="Wie fördert die Stadt PV?")
    EmailAddress.objects.create(user=user, email="anna.privat@example.org", verified=False)
    Registration.objects.create(event=event, status="waitlisted", waitlist_order=1, first_name="X", last_name="Y",
                                email="anna.privat@example.org", organisation="-")  # unverified: not hers
    data = json.loads(client_for(user).get(reverse("core:my_data"), {"format": "json"}).content)
    [entry] = data["events"]["registrations"]
    assert entry["event"] == "Netzwerktreffen" and entry["status"] == "confirmed"
    assert entry["answers"] == [{"question": "Ihre Frage?", "answer": "Wie fördert die Stadt PV?"}]
    assert entry["personal_link"].endswith(f"{by_address.token}/")
