import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("KLIMAPAKT_TESTING", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(HTTPS="1", DEBUG="0", SECRET_KEY="x" * 20 + "production-secret-for-the-check-0123456789abcdef",
               ALLOWED_HOSTS="klimapakt.krefeld.example", VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("KLIMAPAKT_TESTING", "SECRET_KEY")}
    env.update(HTTPS="1", VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_send_a_content_security_policy(client, pact):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_forms_require_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["member_a"])
    response = client.post(reverse("portal:organisation_create"), {"name": "X", "kind": "company"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(client, world):
    for _ in range(6):
        client.post(reverse("account_login"), {"login": "anna@alpha.example", "password": "falsch"})
    # while throttled, even the right password does not log in, and the person is told why
    response = client.post(reverse("account_login"), {"login": "anna@alpha.example",
                                                      "password": "correct-horse-battery"})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429 or "Anmeldeversuche" in response.content.decode()
    other = client.post(reverse("account_login"), {"login": "bert@beta.example", "password": "falsch"})
    assert other.status_code in (200, 429)
