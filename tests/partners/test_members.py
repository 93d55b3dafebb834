import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from klimapakt.core.models import AuditEntry
from klimapakt.partners import services
from klimapakt.partners.models import Invitation, Membership, Organisation

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def test_creating_an_organisation_makes_the_creator_its_admin(world, client_for):
    user = make_user("neu@gamma.example")
    response = client_for(user).post(reverse("portal:organisation_create"), {
        "name": "Gamma Druckerei", "kind": "company", "legal_form": "GmbH", "street": "Ostwall 1",
        "postal_code": "47798", "city": "Krefeld", "website": "", "employees": "12", "sector": "C",
        "contact_name": "Gerd Gamma", "contact_email": "neu@gamma.example"})
    org = Organisation.objects.get(name="Gamma Druckerei")
    assert response.status_code == 302
    assert Membership.objects.get(organisation=org).role == Membership.Role.ADMIN
    assert AuditEntry.objects.filter(action__startswith="partners.", object_id=str(org.pk)).exists()


def test_missing_name_is_reported_on_the_field(world, client_for):
    response = client_for(world["users"]["member_a"]).post(reverse("portal:organisation_create"), {"kind": "company"})
    assert response.status_code == 200
    assert 'id="id_name-error"' in response.content.decode()


def test_admin_invites_a_colleague_who_accepts(world, client_for, django_capture_on_commit_callbacks):
    admin = client_for(world["users"]["member_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("portal:organisation", args=[world["org_a"].pk]),
                              {"email": "Kollegin@Alpha.example", "role": "member"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "kollegin@alpha.example"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kollegin@alpha.example"]
    assert "Alpha Bäckerei GmbH" in message.subject
    assert f"/einladung/{invitation.token}/" in message.body
    colleague = make_user("kollegin@alpha.example")
    response = client_for(colleague).post(reverse("invitation:accept", args=[invitation.token]))
    assert response.status_code == 302
    assert Membership.objects.filter(organisation=world["org_a"], user=colleague, role="member").exists()
    # used once
    response = client_for(colleague).post(reverse("invitation:accept", args=[invitation.token]))
    assert Membership.objects.filter(user=colleague).count() == 1


def test_english_invitation_mail(world, client_for, django_capture_on_commit_callbacks):
    admin = client_for(world["users"]["member_a"])
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/en{reverse('portal:organisation', args=[world['org_a'].pk])}",
                   {"email": "colleague@alpha.example", "role": "member"})
    invitation = Invitation.objects.get()
    assert f"/en/einladung/{invitation.token}/" in mail.outbox[0].body


def test_plain_member_cannot_invite(world, client_for):
    member = make_user("plain@alpha.example")
    Membership.objects.create(organisation=world["org_a"], user=member, role=Membership.Role.MEMBER)
    response = client_for(member).post(reverse("portal:organisation", args=[world["org_a"].pk]),
                                       {"email": "x@alpha.example", "role": "admin"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_last_admin_cannot_be_removed_while_colleagues_remain(world):
    membership = Membership.objects.get(organisation=world["org_a"])
    colleague = make_user("colleague@alpha.example")
    Membership.objects.create(organisation=world["org_a"], user=colleague, role=Membership.Role.MEMBER)
    with pytest.raises(ValidationError) as error:
        services.membership_remove(membership=membership, actor=world["users"]["office"])
    assert "niemanden mit Verwaltungsrechten" in " ".join(error.value.messages)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_person_of_an_organisation_may_go(world):
    """The same rule as for deleting one's account (core.privacy): only colleagues left without
    an admin stop it."""
    membership = Membership.objects.get(organisation=world["org_a"])
    services.membership_remove(membership=membership, actor=world["users"]["office"])
    assert not world["org_a"].memberships.exists()


def test_inviting_an_existing_member_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(organisation=world["org_a"], email="anna@alpha.example", role="member",
                                   invited_by=world["users"]["member_a"])
    assert "email" in error.value.message_dict


def test_member_of_b_cannot_see_organisation_a(world, client_for):
    response = client_for(world["users"]["member_b"]).get(reverse("portal:organisation", args=[world["org_a"].pk]))
    assert response.status_code == 403
