"""DSGVO: a person can download what the platform stores about them and delete their account.
Apps contribute through ``core.registry.privacy`` (a PrivacyHandler with ``export(user) ->
dict``, optionally ``erase(user)`` for data that must go with the account and
``check_erasable(user)`` for a reason the account may not go yet). Core itself removes the
person's address from the outbox and from the audit log's details."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q
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
    _erase_from_audit(user)
    log_action("core.person.deleted", actor=None, data={"user_id": user.pk})
    user.delete()


# What stands in the audit log where a deleted person's address or name was: the entry keeps
# what happened, not who it was (stored data, so not translated).
ERASED_PERSON = "[gelöschte Person]"


def _erase_from_audit(user: User) -> None:
    """The person's address (and full name, where a value is exactly that) leaves the audit
    log's details and object names: e.g. {"email": ...} of an invitation or a removed member,
    a contact changed in an organisation's master data."""
    email = user.email.lower()
    if not email:
        return
    full_name = f"{user.first_name} {user.last_name}".strip().casefold()
    full_name = full_name if " " in full_name else ""  # one word alone is too common to replace

    def scrub(value):
        if isinstance(value, str):
            if email in value.lower():
                return ERASED_PERSON if value.strip().lower() == email else _replace_ci(value, email)
            return ERASED_PERSON if full_name and value.strip().casefold() == full_name else value
        if isinstance(value, list):
            return [scrub(item) for item in value]
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        return value

    candidates = AuditEntry.objects.filter(Q(data__icontains=email) | Q(object_repr__icontains=email))
    if full_name:
        candidates |= AuditEntry.objects.filter(data__icontains=f"{user.first_name} {user.last_name}".strip())
    for entry in candidates.only("pk", "data", "object_repr"):
        data, repr_ = scrub(entry.data), scrub(entry.object_repr)
        if data != entry.data or repr_ != entry.object_repr:
            AuditEntry.objects.filter(pk=entry.pk).update(data=data, object_repr=repr_)


def _replace_ci(text: str, needle: str) -> str:
    """`text` with every occurrence of `needle` (any case) replaced by the marker."""
    return re.sub(re.escape(needle), ERASED_PERSON, text, flags=re.IGNORECASE)


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
