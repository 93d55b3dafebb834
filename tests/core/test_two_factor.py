"""Optional two-factor login (allauth.mfa, TOTP): once a staff member turned it on, the
password alone does not log in."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_staff_with_totp_needs_the_code(world, client):
    office = world["users"]["office"]
    secret = generate_totp_secret()
    TOTP.activate(office, secret)
    response = client.post(reverse("account_login"), {"login": office.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and reverse("mfa_authenticate") in response["Location"]
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == office.pk


def test_two_factor_settings_page_is_reachable(world, client_for):
    response = client_for(world["users"]["office"]).get(reverse("mfa_index"))
    assert response.status_code == 200
    assert "Zwei-Faktor" in response.content.decode()
