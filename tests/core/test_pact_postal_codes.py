"""Postal codes "abc, 4780x" were accepted in the pact settings: each must be five digits."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _post(client, **changes):
    form = client.get(reverse("backoffice:pact")).context["form"]
    data = {k: v for k, v in form.initial.items() if k in form.fields} | {"decided_on": "2021-02-18"} | changes
    return client.post(reverse("backoffice:pact"), data)


def test_postal_codes_must_have_five_digits(world, client_for, pact):
    office = client_for(world["users"]["office"])
    response = _post(office, postal_codes="47798, abc, 4780x")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="id_postal_codes-error"' in body
    assert "Eine Postleitzahl hat fünf Ziffern. Bitte korrigieren Sie: „abc“, „4780x“." in body
    pact.refresh_from_db()
    assert "abc" not in pact.postal_codes
    assert _post(office, postal_codes="47798,\n47799").status_code == 302
    pact.refresh_from_db()
    assert pact.postal_code_list() == ["47798", "47799"]


def test_the_service_refuses_them_too(world, pact):
    from klimapakt.core import services

    with pytest.raises(ValidationError) as error:
        services.pact_update(pact=pact, actor=world["users"]["office"], postal_codes="4779８")  # a full-width 8
    assert "postal_codes" in error.value.message_dict


def test_pact_years_and_counts_are_bounded(world, client_for, pact):
    office = client_for(world["users"]["office"])
    response = _post(office, target_year="99999999999", monitoring_interval_years="99999999999",
                     first_monitoring_year="99999999999")
    assert response.status_code == 200
    partner = client_for(world["users"]["office"]).post(reverse("backoffice:initial_partner_create"), {
        "name": "Kreishandwerkerschaft", "short_name": "KH", "kind": "chamber", "website": "",
        "position": "99999999999"})
    assert partner.status_code == 200 and "höchstens 32.767" in partner.content.decode()
