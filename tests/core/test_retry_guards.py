"""The back office's "Erneut versuchen" acts only on work that is stuck or failed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from klimapakt.core.mail import SENDING_LEASE
from klimapakt.core.models import OutboxMail

pytestmark = pytest.mark.django_db


def test_a_mail_a_worker_is_sending_right_now_is_not_queued_again(client_for, world):
    """A double click on "Erneut versuchen" (or a stale page) reached the mail while the worker
    was in the SMTP conversation: it went back to the queue with 0 attempts, and a second
    worker sent it again (the person got it twice)."""
    sending = OutboxMail.objects.create(to=["a@b.example"], subject="S", status=OutboxMail.Status.SENDING,
                                        attempts=1, next_attempt_at=timezone.now())
    response = client_for(world["users"]["office"]).post(reverse("backoffice:mail_retry", args=[sending.pk]),
                                                          follow=True)
    sending.refresh_from_db()
    assert sending.status == OutboxMail.Status.SENDING and sending.attempts == 1
    assert "Diese E-Mail wird gerade versendet." in [str(m) for m in response.context["messages"]]


def test_a_mail_stuck_in_sending_past_its_lease_can_be_retried(client_for, world):
    stuck = OutboxMail.objects.create(to=["a@b.example"], subject="S", status=OutboxMail.Status.SENDING, attempts=1,
                                      next_attempt_at=timezone.now() - SENDING_LEASE - datetime.timedelta(minutes=1))
    client_for(world["users"]["office"]).post(reverse("backoffice:mail_retry", args=[stuck.pk]))
    stuck.refresh_from_db()
    assert stuck.status == OutboxMail.Status.QUEUED and stuck.attempts == 0
