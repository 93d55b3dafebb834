"""DSGVO: a person can download what the platform stores about them and delete their account.
Apps contribute through ``klimapakt/<app>/privacy.py`` with ``export(user) -> dict`` (and
optionally ``erase(user)`` for data that must go with the account)."""

from __future__ import annotations

import importlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import log_action
from .models import AuditEntry, User

PRIVACY_APPS = ["partners", "events", "ghg", "reports", "support"]


def _app_modules():
    for app in PRIVACY_APPS:
        try:
            yield app, importlib.import_module(f"klimapakt.{app}.privacy")
        except ModuleNotFoundError as exc:
            if exc.name != f"klimapakt.{app}.privacy":
                raise


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
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in user.memberships.select_related("organisation")
        ],
        "actions": [
            {"at": e.created_at.isoformat(), "action": e.action, "object": e.object_repr, "details": e.data}
            for e in AuditEntry.objects.filter(actor=user).order_by("created_at")[:5000]
        ],
    }
    for app, module in _app_modules():
        if hasattr(module, "export"):
            data[app] = module.export(user)
    return data


@transaction.atomic
def person_delete(*, user: User) -> None:
    """Delete the account. Organisations keep their data; the audit log keeps the actions
    without the person (actor becomes empty). Refused while the person is the last admin of
    an organisation that has other members."""
    from klimapakt.partners.models import Membership

    for membership in user.memberships.filter(role=Membership.Role.ADMIN).select_related("organisation"):
        org = membership.organisation
        admins = org.memberships.filter(role=Membership.Role.ADMIN).count()
        others = org.memberships.exclude(user=user).count()
        if admins == 1 and others:
            raise ValidationError(
                _("Sie verwalten „%(name)s“ als einzige Person. Übertragen Sie die Verwaltung zuerst an eine "
                  "Kollegin oder einen Kollegen.") % {"name": org.name})
    for _app, module in _app_modules():
        if hasattr(module, "erase"):
            module.erase(user)
    log_action("core.person.deleted", actor=None, data={"user_id": user.pk})
    user.delete()
