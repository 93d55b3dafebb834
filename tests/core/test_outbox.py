"""The outbox (core.mail): a mail exists exactly when the change that caused it committed; the
worker sends it, records failures and gives up after the last retry."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from klimapakt.core.mail import RETRY_DELAYS, deliver, inline_attachment, queue_mail
from klimapakt.core.models import OutboxMail
from klimapakt.core.notifications import notify

pytestmark = pytest.mark.django_db(transaction=True)
CONTEXT = {"organisation": "Müller & Söhne", "inviter": "Ömer", "path": "/einladung/t/"}


def test_a_committed_change_sends_its_mail_once():
    with transaction.atomic():
        queue_mail(template="partners/email/invitation", to=["a@b.example"], context=CONTEXT)
        assert mail.outbox == []  # not before the commit
    assert len(mail.outbox) == 1 and "Müller & Söhne" in mail.outbox[0].subject
    sent = OutboxMail.objects.get()
    assert sent.status == OutboxMail.Status.SENT and sent.attempts == 1 and sent.sent_at
    assert deliver(sent.pk) == "skipped"  # a second worker finds it sent
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_leaves_no_mail():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail(template="partners/email/invitation", to=["a@b.example"], context=CONTEXT)
        raise RuntimeError
    assert not OutboxMail.objects.exists() and mail.outbox == []


def test_notify_writes_one_mail_per_language_and_each_address_once():
    with transaction.atomic():
        mails = notify("partners/email/invitation",
                       [("a@b.example", "de"), ("A@b.example", "en"), ("c@d.example", "en"), ("e@f.example", "xx")],
                       lambda language: {**CONTEXT, "path": f"/{language}/"})
    assert sorted((m.language, m.to) for m in mails) == [("de", ["a@b.example", "e@f.example"]),
                                                          ("en", ["c@d.example"])]
    english = next(m for m in mail.outbox if m.to == ["c@d.example"])
    assert "/en/" in english.body and "Guten Tag" not in english.body


def test_attachments_are_sent_with_the_mail():
    queue_mail(template="partners/email/invitation", to=["a@b.example"], context=CONTEXT,
               attachments=[inline_attachment("termin.ics", "BEGIN:VCALENDAR", "text/calendar")])
    [message] = mail.outbox
    assert message.attachments[0][0] == "termin.ics"


def test_a_failing_mail_is_retried_with_growing_waits_then_fails(monkeypatch):
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send",
                        lambda self, *a, **k: (_ for _ in ()).throw(ConnectionRefusedError("down")))
    queued = queue_mail(template="partners/email/invitation", to=["a@b.example"], context=CONTEXT)
    now = timezone.now()
    waits = []
    for attempt in range(2, len(RETRY_DELAYS) + 2):
        queued.refresh_from_db()
        assert queued.status == OutboxMail.Status.QUEUED and queued.attempts == attempt - 1
        waits.append(queued.next_attempt_at)
        now += datetime.timedelta(days=1)
        deliver(queued.pk, now=now)
    queued.refresh_from_db()
    assert queued.status == OutboxMail.Status.FAILED and queued.attempts == len(RETRY_DELAYS) + 1
    assert "ConnectionRefusedError: down" in queued.last_error


def test_no_address_no_mail():
    assert queue_mail(template="partners/email/invitation", to=["", None], context=CONTEXT) is None
    assert not OutboxMail.objects.exists()
