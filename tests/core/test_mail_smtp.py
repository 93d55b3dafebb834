"""One integration test through a real local SMTP server (aiosmtpd): encoding, headers, links."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from klimapakt.core.mail import queue_mail
from klimapakt.core.models import OutboxMail

pytestmark = pytest.mark.django_db


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://klimapakt.krefeld.example"
    yield sink
    controller.stop()


def test_invitation_mail_through_real_smtp(smtp_server, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(template="partners/email/invitation", to=["jürgen@bäckerei.example"],
                   context={"organisation": "Bäckerei Müßig & Söhne", "inviter": "Ömer Öztürk",
                            "path": "/einladung/abc123/"}, language="de")
    assert len(smtp_server.messages) == 1
    assert OutboxMail.objects.get().status == OutboxMail.Status.SENT
    envelope = smtp_server.messages[0]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert "Bäckerei Müßig & Söhne" in message["Subject"]
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["To"] in ("jürgen@bäckerei.example", "jürgen@xn--bckerei-5wa.example")  # IDNA
    assert message["Message-ID"] and message["Date"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Ömer Öztürk lädt Sie ein" in text
    assert "https://klimapakt.krefeld.example/einladung/abc123/" in text
    assert 'href="https://klimapakt.krefeld.example/einladung/abc123/"' in html
    assert "&amp;" in html  # escaped in HTML, not double-escaped in text
    assert "Müßig & Söhne" in text


def test_english_mail(smtp_server, django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        queue_mail(template="partners/email/invitation", to=["a@b.example"],
                   context={"organisation": "X", "inviter": "Y", "path": "/en/einladung/t/"}, language="en")
    message = email.message_from_bytes(smtp_server.messages[0].content, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Guten Tag" not in text and "/en/einladung/t/" in text


def test_a_mail_server_that_is_down_leaves_the_mail_waiting_for_its_next_attempt(settings,
                                                                                  django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_mail(template="partners/email/invitation", to=["a@b.example"],
                          context={"organisation": "X", "inviter": "Y", "path": "/einladung/t/"})
    mail.refresh_from_db()
    assert mail.status == OutboxMail.Status.QUEUED and mail.attempts == 1
    assert "ConnectionRefusedError" in mail.last_error and mail.next_attempt_at > mail.created_at
