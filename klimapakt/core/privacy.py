"""DSGVO: a person can download what the platform stores about them and delete their account.
Apps contribute through ``core.registry.privacy`` (a PrivacyHandler with ``export(user) ->
dict``, optionally ``erase(user)`` for data that must go with the account and
``check_erasable(user)`` for a reason the account may not go yet)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import registry
from .audit import log_action
from .models import AuditEntry, OutboxMail, User


def person_data_export(*, user: User) -> dict:
    """Everything stored about `user`, as JSON-serialisable data."""
    from allauth.account.models import EmailAddress

    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
            "language": user.language, "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_pact_office": user.is_pact_office,
            "advisor_for": str(user.advisor_for) if user.advisor_for_id else None,
        },
        "email_addresses": list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary")),
        "actions": [
            {"at": e.created_at.isoformat(), "action": e.action, "object": e.object_repr, "details": e.data}
            for e in AuditEntry.objects.filter(actor=user).order_by("created_at")[:5000]
        ],
        "mails": [
            {"created_at": m.created_at.isoformat(), "about": m.template or m.subject, "status": m.status,
             "sent_at": m.sent_at.isoformat() if m.sent_at else None}
            for m in OutboxMail.objects.filter(to__icontains=user.email.lower()).order_by("-created_at")[:1000]
            if user.email.lower() in [address.lower() for address in m.to]
        ],
    }
    for handler in registry.privacy:
        if handler.export is not None:
            data[handler.key] = handler.export(user)
    return data


@transaction.atomic
def person_delete(*, user: User) -> None:
    """Delete the account. Organisations keep their data; the audit log keeps the actions
    without the person (actor becomes empty). Refused (ValidationError) while an app says the
    account may not go yet, e.g. while the person is the last admin of an organisation that has
    other members (partners)."""
    for handler in registry.privacy:
        if handler.check_erasable is not None:
            handler.check_erasable(user)
    for handler in registry.privacy:
        if handler.erase is not None:
            handler.erase(user)
    _erase_mails(user)
    log_action("core.person.deleted", actor=None, data={"user_id": user.pk})
    user.delete()


def _erase_mails(user: User) -> None:
    """The person's address leaves the outbox: mails only to them go, others lose the address."""
    email = user.email.lower()
    for mail in OutboxMail.objects.filter(to__icontains=email).only("pk", "to"):
        remaining = [address for address in mail.to if address.lower() != email]
        if len(remaining) == len(mail.to):
            continue
        if remaining:
            OutboxMail.objects.filter(pk=mail.pk).update(to=remaining)
        else:
            mail.delete()
