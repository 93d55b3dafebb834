"""An invitation link works only for the invited address (attack pass, issue 11: it worked for
whoever opened it, so a forwarded or leaked link let anyone join the organisation)."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse

from klimapakt.partners import services
from klimapakt.partners.models import Invitation, Membership

from ..conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(world):
    return services.invitation_create(organisation=world["org_a"], email="kollegin@alpha.example", role="member",
                                      invited_by=world["users"]["member_a"])


def url(invitation, prefix=""):
    return prefix + reverse("invitation:accept", args=[invitation.token])


def test_someone_else_with_the_link_cannot_join(world, client_for, invitation):
    stranger = world["users"]["member_b"]
    client = client_for(stranger)
    page = client.get(url(invitation))
    html = page.content.decode()
    assert page.status_code == 200
    assert "gilt nur für die E-Mail-Adresse, an die sie geschickt wurde (k…@alpha.example)" in html
    assert "Einladung annehmen" not in html and "kollegin@alpha.example" not in html
    response = client.post(url(invitation), follow=True)
    assert not Membership.objects.filter(organisation=world["org_a"], user=stranger).exists()
    assert Invitation.objects.get().accepted_at is None
    assert "gilt nur für die E-Mail-Adresse" in response.content.decode()


def test_the_service_refuses_another_address(world, invitation):
    with pytest.raises(ValidationError, match="andere E-Mail-Adresse"):
        services.invitation_accept(invitation=invitation, user=world["users"]["advisor"])
    assert Invitation.objects.get().is_open


def test_the_invited_address_joins_in_any_spelling(world, client_for, invitation):
    colleague = make_user("Kollegin@Alpha.Example")
    response = client_for(colleague).post(url(invitation))
    assert response.status_code == 302
    assert Membership.objects.filter(organisation=world["org_a"], user=colleague, role="member").exists()


def test_a_verified_second_address_of_the_account_counts(world, client_for, invitation):
    person = make_user("privat@example.org")
    EmailAddress.objects.create(user=person, email="kollegin@alpha.example", verified=True, primary=False)
    client_for(person).post(url(invitation))
    assert Membership.objects.filter(organisation=world["org_a"], user=person).exists()


def test_an_unverified_address_does_not_count(world, client_for, invitation):
    person = make_user("privat@example.org")
    EmailAddress.objects.create(user=person, email="kollegin@alpha.example", verified=False, primary=False)
    client_for(person).post(url(invitation))
    assert not Membership.objects.filter(organisation=world["org_a"], user=person).exists()


def test_the_message_is_in_english_on_english_pages(world, client_for, invitation):
    html = client_for(world["users"]["member_b"]).get(url(invitation, "/en")).content.decode()
    assert "only valid for the e-mail address it was sent to (k…@alpha.example)" in html
    assert "You are signed in as bert@beta.example" in html


def test_the_sign_in_page_names_the_invited_address(client, invitation):
    html = client.get(url(invitation)).content.decode()
    assert "gilt nur für die E-Mail-Adresse, an die sie geschickt wurde (k…@alpha.example)" in html
