"""The waits between mail attempts come from settings.MAIL_RETRY_DELAYS (env MAIL_RETRY_DELAYS,
seconds): unchanged by default (1 min, 5 min, 30 min, 2 h, 12 h), shorter for fault drills."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from klimapakt.core.mail import RETRY_DELAYS, deliver, queue_mail, retry_delays
from klimapakt.core.models import OutboxMail
from tests.settings_env import settings_under

CONTEXT = {"organisation": "Müller & Söhne", "inviter": "Ömer", "path": "/einladung/t/"}


def test_the_default_series_is_unchanged(tmp_path, monkeypatch):
    monkeypatch.delenv("MAIL_RETRY_DELAYS", raising=False)
    names = settings_under({}, tmp_path)
    assert names["MAIL_RETRY_DELAYS"] == [60, 300, 1800, 7200, 43200]
    assert [datetime.timedelta(seconds=s) for s in names["MAIL_RETRY_DELAYS"]] == RETRY_DELAYS


def test_the_environment_sets_the_series(tmp_path):
    assert settings_under({"MAIL_RETRY_DELAYS": "5, 10,20,40,80"}, tmp_path)["MAIL_RETRY_DELAYS"] == [5, 10, 20, 40, 80]
    for bad in ("5,x", "0,5", ",,"):
        with pytest.raises(ImproperlyConfigured):
            settings_under({"MAIL_RETRY_DELAYS": bad}, tmp_path)


def test_retry_delays_reads_the_setting(settings):
    settings.MAIL_RETRY_DELAYS = [60, 300, 1800, 7200, 43200]
    assert retry_delays() == RETRY_DELAYS
    settings.MAIL_RETRY_DELAYS = [5, 10]
    assert retry_delays() == [datetime.timedelta(seconds=5), datetime.timedelta(seconds=10)]


@pytest.mark.django_db(transaction=True)
def test_deliver_waits_the_configured_delays_then_fails(settings, monkeypatch):
    settings.MAIL_RETRY_DELAYS = [5, 10]
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send",
                        lambda self, *a, **k: (_ for _ in ()).throw(ConnectionRefusedError("down")))
    queued = queue_mail(template="partners/email/invitation", to=["a@b.example"], context=CONTEXT)
    queued.refresh_from_db()  # the first attempt ran at once (immediate backend in tests)
    assert queued.status == OutboxMail.Status.QUEUED and queued.attempts == 1
    now = timezone.now()
    assert deliver(queued.pk, now=now) == "retry"
    queued.refresh_from_db()
    assert queued.next_attempt_at == now + datetime.timedelta(seconds=10)
    assert deliver(queued.pk, now=now + datetime.timedelta(seconds=10)) == "failed"
    queued.refresh_from_db()
    assert queued.status == OutboxMail.Status.FAILED and queued.attempts == 3
