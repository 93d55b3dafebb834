"""allauth's mails speak as the pact in its layout (they said "Hallo von 127.0.0.1:18801! …
Vielen Dank, dass Sie 127.0.0.1:18801 nutzen!"), and every mail's sender is the pact."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from klimapakt.core.mail import render_mail, sender

PACT_NAME = {"de": "Krefelder Klimapakt", "en": "Krefeld Climate Pact"}
SITE_GREETINGS = ("Hallo von", "Hello from", "Vielen Dank, dass Sie", "Thank you for using", "example.com")


def assert_speaks_as_pact(message, language):
    name = PACT_NAME[language]
    html = dict((mimetype, content) for content, mimetype in message.alternatives)["text/html"]
    assert message.subject.startswith(f"{name}: ")
    assert name in message.from_email and "klimapakt@krefeld.de" in message.from_email
    for part in (message.body, html):
        assert name in part
        assert {"de": "Geschäftsstelle", "en": "office"}[language] in part  # signed by the office (mail/base.*)
        for phrase in SITE_GREETINGS:
            assert phrase not in part
        # the host only in links, never as the sender's name
        assert not re.search(r"(?<!//)(testserver|127\.0\.0\.1)", part), part
    assert message.body.startswith({"de": "Guten Tag,", "en": "Hello,"}[language])
    assert "<p>" in html and "<html" in html


@pytest.mark.parametrize("language", ["de", "en"])
def test_confirmation_mail_after_sign_up(client, pact, language, django_capture_on_commit_callbacks):
    with translation.override(language):
        url = reverse("account_signup")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {
            "email": "neu@firma.example", "password1": "ein-langes-Passwort-42", "password2": "ein-langes-Passwort-42",
            "first_name": "Nina", "last_name": "Neu", "privacy_consent": "on"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert_speaks_as_pact(message, language)
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in message.subject or language == "en"
    assert re.search(r"http://testserver/(en/)?konto/confirm-email/\S+", message.body)


@pytest.mark.parametrize("language", ["de", "en"])
def test_password_reset_mail(client, world, language, django_capture_on_commit_callbacks):
    with translation.override(language):
        url = reverse("account_reset_password")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "anna@alpha.example"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert_speaks_as_pact(message, language)
    assert re.search(r"http://testserver/(en/)?konto/password/reset/key/\S+", message.body)


def test_platform_mails_are_signed_by_the_office_and_sent_as_the_pact(pact):
    pact.office_name_de = "Amt für Klimaschutz"
    pact.save()
    from klimapakt.core.selectors import clear_pact_cache

    clear_pact_cache()
    _subject, text, html = render_mail("partners/email/talk_held", {"organisation": "Alpha"}, "de")
    assert "Amt für Klimaschutz\nKrefelder Klimapakt" in text
    assert "Amt für Klimaschutz<br>Krefelder Klimapakt" in html
    assert sender("de") == '"Krefelder Klimapakt" <klimapakt@krefeld.de>'
    assert sender("en") == '"Krefeld Climate Pact" <klimapakt@krefeld.de>'


@pytest.mark.django_db
def test_without_a_pact_the_configured_sender(settings):
    assert sender("de") == settings.DEFAULT_FROM_EMAIL
