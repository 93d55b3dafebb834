"""Wrong passwords from one address do not lock the account for its owner elsewhere (attack pass,
issue 11: five wrong passwords locked an account, the pact office's included, for everyone)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

OFFICE = "office@krefeld.example"


def login(email, password, ip):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_stranger_cannot_lock_the_office_out(world):
    for _ in range(10):
        client, _response = login(OFFICE, "falsch-geraten", "203.0.113.66")
        assert not logged_in(client)
    # the stranger is throttled, even with the right password ...
    client, response = login(OFFICE, "correct-horse-battery", "203.0.113.66")
    assert not logged_in(client)
    assert response.status_code == 429 or "Anmeldeversuche" in response.content.decode()
    # ... the office, from its own address, is not
    client, response = login(OFFICE, "correct-horse-battery", "198.51.100.10")
    assert response.status_code == 302 and logged_in(client)


def test_guessing_across_many_addresses_meets_the_limit_per_account(world, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "6/h/key"}
    for n in range(6):
        client, _response = login(OFFICE, "falsch-geraten", f"203.0.113.{n + 1}")
        assert not logged_in(client)
    client, response = login(OFFICE, "correct-horse-battery", "198.51.100.10")
    assert not logged_in(client)
    # other accounts are not affected
    client, response = login("anna@alpha.example", "correct-horse-battery", "198.51.100.10")
    assert logged_in(client)


def test_a_successful_login_does_not_count(world, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "3/h/key"}
    for _ in range(5):
        client, _response = login(OFFICE, "correct-horse-battery", "198.51.100.10")
        assert logged_in(client)
