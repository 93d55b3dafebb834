"""Every e-mail of the platform goes through one outbox (``core.models.OutboxMail``).

A service calls ``queue_mail`` (or ``core.notifications.notify``) inside its transaction: the
mail is a row written with the change, so it exists exactly when the change committed, and a
rolled-back change leaves no mail behind. The task worker sends it (``deliver_mail``), in the
mail's language, with the layout every mail extends (``templates/mail/base.html`` and
``base.txt``). A failed sending is recorded on the row (attempts, last error), never raised
into the person's request.

With the database task backend (the default) the delivery task is queued in the same
transaction too (it is a row in the same database); other backends (Redis, immediate in tests)
are called after commit, and a failure to queue leaves the mail waiting in the outbox.

Nothing depends on the first delivery task: ``retry_due_mails`` (a frequent job of the
scheduler, every minute) queues a delivery for every mail whose next attempt is due, for a
mail whose first task was lost (queue down, worker killed) and for a mail stuck in "sending"
longer than SENDING_LEASE (its worker died during the SMTP conversation)."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import OutboxMail
from .registry import mail_attachments

logger = logging.getLogger(__name__)

# Waiting times after the 1st, 2nd, ... failed attempt; after the last one the mail has failed.
# The default; settings.MAIL_RETRY_DELAYS (env MAIL_RETRY_DELAYS, seconds) is what `deliver` uses,
# so a fault drill can run the whole series in minutes (see retry_delays).
RETRY_DELAYS = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]
# A mail "sending" for longer than this lost its worker (an SMTP conversation times out after
# EMAIL_TIMEOUT, 20 s): it goes back to the queue. Its attempt counts.
SENDING_LEASE = datetime.timedelta(minutes=10)
# A new mail has its delivery task queued with it; the sweeper leaves it alone this long.
FIRST_DELIVERY_GRACE = datetime.timedelta(minutes=2)
# After queuing a delivery the sweeper waits this long before queuing another for the same mail
# (the first may still be waiting behind a long task in the queue).
DISPATCH_LEASE = datetime.timedelta(minutes=10)


LOGO_CID = "pakt-logo@klimapakt"  # the Content-ID of the pact's logo in a mail


def retry_delays() -> list[datetime.timedelta]:
    """The waits between attempts: settings.MAIL_RETRY_DELAYS (seconds), RETRY_DELAYS if unset."""
    seconds = getattr(settings, "MAIL_RETRY_DELAYS", None)
    if not seconds:
        return list(RETRY_DELAYS)
    return [datetime.timedelta(seconds=int(s)) for s in seconds]


def layout_context(language: str, *, logo: bool = True) -> dict:
    """What the mail layout (``templates/mail/base.*``) signs with: the site and the pact
    (``logo``: whether the mail will carry the pact's logo; without it the pact's name stands
    at the top)."""
    from .selectors import current_pact

    pact = current_pact()
    # The logo travels in the mail itself (a related part, see _build), not as an address of the
    # site: mail clients block remote pictures, and loading one would tell the site when and
    # where a mail was opened.
    logo_src = f"cid:{LOGO_CID}" if logo and pact is not None and pact.logo else ""
    return {"site_url": settings.SITE_URL, "language": language, "mail_pact": pact, "mail_logo_src": logo_src}


def sender(language: str = "de") -> str:
    """The From of every mail: the pact's name with the sending address of DEFAULT_FROM_EMAIL
    (the address the mail server may send for), so a mail speaks as the pact even after the
    office renamed it. Without a pact, DEFAULT_FROM_EMAIL as configured."""
    from .selectors import current_pact

    pact = current_pact()
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if pact is None or not address:
        return settings.DEFAULT_FROM_EMAIL
    with translation.override(language):
        name = str(pact.name).replace("\\", "").replace('"', "")
    return f'"{name}" <{address}>' if name else address


def reply_to() -> list[str]:
    """Answers go to the pact office's address where it differs from the sending address."""
    from .selectors import current_pact

    pact = current_pact()
    if pact is None or not pact.contact_email:
        return []
    return [] if parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower() == pact.contact_email.lower() else [pact.contact_email]


def render_mail(template: str, context: dict, language: str, *, logo: bool = True) -> tuple[str, str, str]:
    """Render ``<template>_subject.txt``, ``_body.txt`` and ``_body.html`` in `language`."""
    with translation.override(language):
        ctx = {**layout_context(language, logo=logo), **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx, using="text").split())
        text = render_to_string(f"{template}_body.txt", ctx, using="text")
        html = render_to_string(f"{template}_body.html", ctx)
    return subject, text, html


def tasks_in_database() -> bool:
    """Whether the task queue is a table of this database (django-tasks-db)."""
    try:
        from django_tasks import task_backends
        from django_tasks_db import DatabaseBackend
    except ImportError:  # pragma: no cover
        return False
    return isinstance(task_backends[deliver_mail.backend], DatabaseBackend)


def attachment(builder: str, **arguments) -> dict:
    """An attachment built when the mail is sent by a registered builder (see core.registry)."""
    return {"builder": builder, "args": arguments}


def inline_attachment(name: str, content: str, mimetype: str) -> dict:
    """A text attachment stored with the mail (e.g. a calendar file)."""
    return {"name": name, "content": content, "mimetype": mimetype}


def queue_mail(*, to: Iterable[str], template: str = "", context: dict | None = None, language: str = "de",
               attachments: list[dict] | None = None, subject: str = "", text: str = "",
               html: str = "") -> OutboxMail | None:
    """Write one mail to the outbox and see that the worker sends it. Call it inside the
    transaction of the change the mail tells about. Returns None when there is no address."""
    addresses = [address for address in dict.fromkeys(to) if address]
    if not addresses:
        return None
    mail = OutboxMail.objects.create(
        template=template, to=addresses, context=context or {}, language=language if language in ("de", "en")
        else "de", attachments=attachments or [], subject=subject[:300], text=text, html=html)
    if tasks_in_database() and transaction.get_connection().in_atomic_block:
        _enqueue(mail.pk)
    else:
        transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int) -> None:
    try:
        deliver_mail.enqueue(mail_id)
    except Exception:  # noqa: BLE001 - the queue is down: the mail waits in the outbox
        logger.exception("could not queue mail %s; it stays in the outbox", mail_id)


@task()
def deliver_mail(mail_id: int) -> str:
    return deliver(mail_id)


class _Mail(EmailMultiAlternatives):
    """A mail whose HTML part may show pictures of its own (``related``): multipart/mixed of
    multipart/related (the text and HTML alternatives, then the pictures) and the attachments,
    so that mail clients show the logo in the text and the calendar file and QR code as
    attachments."""

    related: list = []

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.related:
            return msg
        from django.core.mail.message import SafeMIMEMultipart

        wrapper = SafeMIMEMultipart(_subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET)
        wrapper.set_param("type", msg.get_content_type())  # RFC 2387: the type of the root part
        wrapper.attach(msg)
        for part in self.related:
            wrapper.attach(part)
        return wrapper


def _logo_part():
    """The pact's logo as the related picture ``LOGO_CID``; None when it cannot be read."""
    from email.mime.image import MIMEImage

    from . import branding
    from .selectors import current_pact

    pact = current_pact()
    found = branding.image_bytes(pact.logo) if pact is not None else None
    if found is None:
        return None
    content, media_type = found
    part = MIMEImage(content, _subtype=media_type.split("/")[1])
    part.add_header("Content-ID", f"<{LOGO_CID}>")
    part.add_header("Content-Disposition", "inline", filename=f"logo.{media_type.split('/')[1]}")
    return part


LOGO_IMG = re.compile(r'<img src="cid:' + re.escape(LOGO_CID) + r'" alt="([^"]*)"[^>]*>')


def _build(mail: OutboxMail) -> EmailMultiAlternatives:
    # The logo is read when the mail is sent; if it cannot be read (removed, broken), the mail
    # goes with the pact's name where the logo would be, never with a picture that is not there.
    logo = _logo_part() if mail.template or f"cid:{LOGO_CID}" in mail.html else None
    if mail.template:
        subject, text, html = render_mail(mail.template, mail.context, mail.language, logo=logo is not None)
    else:
        subject, text, html = mail.subject, mail.text, mail.html
        if logo is None:  # rendered when queued (allauth's mails)
            html = LOGO_IMG.sub(r'<strong>\1</strong>', html)
    message = _Mail(subject, text, sender(mail.language), list(mail.to), reply_to=reply_to())
    if html:
        message.attach_alternative(html, "text/html")
        message.related = [logo] if logo is not None and f"cid:{LOGO_CID}" in html else []
    for item in mail.attachments:
        if "builder" in item:
            with translation.override(mail.language):
                name, content, mimetype = mail_attachments[item["builder"]](language=mail.language, **item["args"])
        else:
            name, content, mimetype = item["name"], item["content"], item["mimetype"]
        message.attach(name, content, mimetype)
    return message


def deliver(mail_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send one queued mail. The row is claimed first (one sender per mail, also with several
    workers), the SMTP conversation happens outside any transaction, and the outcome is
    recorded: sent, or waiting for its next attempt, or failed after the last one."""
    now = now or timezone.now()
    claimed = OutboxMail.objects.filter(pk=mail_id, status=OutboxMail.Status.QUEUED).update(
        status=OutboxMail.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    if not claimed:
        return "skipped"
    mail = OutboxMail.objects.get(pk=mail_id)
    delays = retry_delays()
    try:
        _build(mail).send()
    except Exception as error:  # noqa: BLE001 - recorded on the row, retried later
        logger.warning("mail %s failed (attempt %s): %s", mail_id, mail.attempts, error)
        failed = mail.attempts > len(delays)
        OutboxMail.objects.filter(pk=mail_id).update(
            status=OutboxMail.Status.FAILED if failed else OutboxMail.Status.QUEUED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=now if failed else now + delays[mail.attempts - 1])
        return "failed" if failed else "retry"
    OutboxMail.objects.filter(pk=mail_id).update(status=OutboxMail.Status.SENT, sent_at=timezone.now(),
                                                 last_error="")
    return "sent"


def mails_stuck_sending(now: datetime.datetime | None = None):
    now = now or timezone.now()
    return OutboxMail.objects.filter(status=OutboxMail.Status.SENDING, next_attempt_at__lte=now - SENDING_LEASE)


def mails_due(now: datetime.datetime | None = None):
    """Queued mails whose attempt is due and whose delivery no task is known to carry."""
    now = now or timezone.now()
    return OutboxMail.objects.filter(status=OutboxMail.Status.QUEUED, next_attempt_at__lte=now).filter(
        Q(attempts__gt=0) | Q(created_at__lte=now - FIRST_DELIVERY_GRACE))


def retry_due_mails(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Queue a delivery for each mail that is due (see the module's docstring); returns how many.
    Safe with several schedulers: each mail is taken by a conditional update, and `deliver`
    claims the row again, so a second task for the same mail does nothing."""
    now = now or timezone.now()
    for pk in list(mails_stuck_sending(now).values_list("pk", flat=True)[:limit]):
        if OutboxMail.objects.filter(pk=pk, status=OutboxMail.Status.SENDING,
                                     next_attempt_at__lte=now - SENDING_LEASE).update(
                status=OutboxMail.Status.QUEUED, next_attempt_at=now):
            logger.warning("mail %s was stuck in sending; queued again", pk)
    queued = 0
    for pk, next_attempt_at in list(mails_due(now).values_list("pk", "next_attempt_at")[:limit]):
        taken = OutboxMail.objects.filter(pk=pk, status=OutboxMail.Status.QUEUED,
                                          next_attempt_at=next_attempt_at).update(
            next_attempt_at=now + DISPATCH_LEASE)
        if taken:
            _enqueue(pk)
            queued += 1
    return queued


def mail_retry(*, mail: OutboxMail, actor) -> OutboxMail:
    """The office sends a failed or stuck mail again: back to the queue with a fresh series of
    attempts, delivered by the worker now."""
    from .audit import log_action

    with transaction.atomic():
        mail = OutboxMail.objects.select_for_update().get(pk=mail.pk)
        if mail.status == OutboxMail.Status.SENT:
            raise ValidationError(_("Diese E-Mail wurde bereits versendet."))
        if mail.status == OutboxMail.Status.SENDING and mail.next_attempt_at > timezone.now() - SENDING_LEASE:
            # a worker is in the SMTP conversation: queuing it again would send it twice
            raise ValidationError(_("Diese E-Mail wird gerade versendet."))
        previous = {"status": mail.status, "attempts": mail.attempts}
        OutboxMail.objects.filter(pk=mail.pk).update(status=OutboxMail.Status.QUEUED, attempts=0,
                                                     next_attempt_at=timezone.now() + DISPATCH_LEASE)
        # no addresses in the log: it outlives the mail's recipients' accounts
        log_action("core.mail.retried", actor=actor, data={"mail_id": mail.pk, **previous})
        transaction.on_commit(lambda: _enqueue(mail.pk))
    mail.refresh_from_db()
    return mail
