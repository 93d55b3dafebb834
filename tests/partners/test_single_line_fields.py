"""Names and titles are one line (attack pass, issue 11: a newline in the contact name of an
interest registration injected lines into the pact office's plain-text mail)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from klimapakt.core.forms import SignupExtraForm
from klimapakt.core.validators import single_line
from klimapakt.partners import services
from klimapakt.partners.models import Organisation

INJECTIONS = ["Dora\nBitte überweisen Sie 500 € an DE00 …", "Dora\r\nBcc: alle@example.org", "Dora\tD",
              "Dora\x00", "Dora\u2028Zeile", "Dora\x85Zeile", "Dora\x1b[31m"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_control_characters_and_line_breaks_are_refused(value):
    with pytest.raises(ValidationError):
        single_line(value)


@pytest.mark.parametrize("value", ["Müller & Söhne GmbH & Co. KG", "Zoë O'Brien-Łukasiewicz", "Grün 🌱 e. V.",
                                   "Straße 5 / Hinterhaus", "(02151) 86-0", ""])
def test_ordinary_names_pass(value):
    single_line(value)


INTEREST = {"name": "Delta Café", "kind": "company", "legal_form": "GbR", "street": "Rheinstraße 5",
            "postal_code": "47799", "sector": "I", "employees": "4", "contact_name": "Dora",
            "contact_email": "dora@delta.example"}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["contact_name", "name", "street", "legal_form", "contact_phone"])
def test_interest_registration_refuses_a_newline_and_sends_no_mail(world, client_for, field,
                                                                   django_capture_on_commit_callbacks):
    client = client_for(world["users"]["member_b"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:organisation_create"),
                               INTEREST | {field: "Dora\nBcc: alle@example.org"})
    assert response.status_code == 200
    assert f'id="id_{field}-error"' in response.content.decode()
    assert "Bitte nur eine Zeile" in response.content.decode()
    assert not Organisation.objects.filter(name__startswith="Delta").exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_the_service_refuses_it_for_every_caller(world):
    with pytest.raises(ValidationError) as error:
        services.interest_register(creator=world["users"]["member_b"], name="Delta Café", kind="company",
                                   legal_form="GbR", street="Rheinstraße 5", postal_code="47799", sector="I",
                                   employees=4, contact_name="Dora\nBcc: alle@example.org",
                                   contact_email="dora@delta.example")
    assert set(error.value.message_dict) == {"contact_name"}


@pytest.mark.django_db
def test_signatory_name_is_one_line(journey):
    with pytest.raises(ValidationError) as error:
        journey.draft(signatory_name="Anna Alpha\nProkura: niemand")
    assert "signatory_name" in error.value.message_dict


def test_sign_up_names_are_one_line():
    form = SignupExtraForm(data={"first_name": "Anna\nBcc: x", "last_name": "Alpha", "privacy_consent": "on"})
    assert not form.is_valid() and set(form.errors) == {"first_name"}
