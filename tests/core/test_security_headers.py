"""Permissions-Policy, Cross-Origin-Resource-Policy and "__Host-" cookies under HTTPS=1 (attack
pass, issue 11)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from klimapakt.core.middleware import permissions_policy

from ..settings_env import settings_under

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/en/", "/api/v1/pact", "/api/v1/docs", "/healthz", "/konto/login/"])
def test_every_response_denies_browser_features_and_cross_origin_embedding(client, pact, url):
    response = client.get(url)
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_open_data_may_be_used_by_other_sites(client, pact):
    response = client.get("/api/v1/partners")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_a_page_may_allow_itself_a_feature():
    assert permissions_policy({"camera": ["self"], "usb": []}) == "camera=(self), usb=()"


def test_cookie_names_carry_the_host_prefix_under_https(tmp_path):
    production = settings_under({"HTTPS": "1", "SECRET_KEY": "x" * 50}, tmp_path)
    assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    # what the browser requires of a __Host- cookie: Secure, Path=/, no Domain
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production.get("SESSION_COOKIE_PATH", "/") == "/" and production.get("CSRF_COOKIE_PATH", "/") == "/"
    assert production.get("SESSION_COOKIE_DOMAIN") is None and production.get("CSRF_COOKIE_DOMAIN") is None
    development = settings_under({}, tmp_path)  # http://127.0.0.1: a __Host- cookie would be dropped
    assert "SESSION_COOKIE_NAME" not in development and "CSRF_COOKIE_NAME" not in development


def test_login_over_https_sets_host_prefixed_cookies(client, world, tmp_path):
    production = settings_under({"HTTPS": "1", "SECRET_KEY": "x" * 50}, tmp_path)
    names = {k: production[k] for k in ("SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE",
                                        "CSRF_COOKIE_SECURE")}
    with override_settings(**names):
        client.get(reverse("account_login"), secure=True)
        response = client.post(reverse("account_login"), {"login": "anna@alpha.example",
                                                          "password": "correct-horse-battery"}, secure=True)
    assert response.status_code == 302
    for name in ("__Host-sessionid", "__Host-csrftoken"):
        cookie = response.cookies[name] if name in response.cookies else client.cookies[name]
        assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"], cookie.output()
    assert "sessionid" not in response.cookies and "csrftoken" not in client.cookies


@pytest.mark.django_db
def test_a_nul_character_in_the_query_is_a_bad_request(client):
    for path in ("/geschaeftsstelle/organisationen/?q=%00", "/veranstaltungen/?q=a%00b", "/?x=%00"):
        assert client.get(path).status_code == 400
    assert client.get("/healthz?q=abc").status_code == 200


@pytest.mark.django_db
def test_only_a_clear_yes_asks_for_the_deep_health_check(client):
    assert "backend" not in client.get("/healthz?deep=false").json()
    assert "backend" not in client.get("/healthz?deep=²").json()
    assert "backend" in client.get("/healthz?deep=1").json()
