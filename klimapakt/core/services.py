"""Writes of the shared kernel. Every function is atomic and writes the audit log."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from .audit import log_action
from .models import Document, InitialPartner, Pact, Page, User
from .selectors import clear_pact_cache


def refuse(message: str, field: str | None = None) -> NoReturn:
    """Refuse a write with a message for the person, on a form field when `field` is given
    (every app's services refuse this way; forms show it with core.forms.apply_validation_error)."""
    raise ValidationError({field: [message]} if field else message)

def _apply(obj, fields: dict[str, Any]) -> dict[str, Any]:
    """Set fields on obj, return {field: [old, new]} for those that changed."""
    before = model_to_dict(obj, fields=list(fields))
    changes = {}
    for name, value in fields.items():
        setattr(obj, name, value)
        if before.get(name) != value:
            changes[name] = [str(before.get(name)), str(value)]
    return changes


@transaction.atomic
def person_signed_up(*, user: User, first_name: str, last_name: str, language: str) -> User:
    """A person created an account (allauth's sign-up): their name, language and the moment they
    confirmed the privacy notice."""
    user.first_name, user.last_name = first_name, last_name
    user.language = language if language in ("de", "en") else "de"
    user.privacy_consented_at = timezone.now()
    user.save(update_fields=["first_name", "last_name", "language", "privacy_consented_at"])
    log_action("core.person.signed_up", obj=user, actor=user, data={"language": user.language})
    return user


@transaction.atomic
def pact_update(*, pact: Pact, actor, **fields) -> Pact:
    changes = _apply(pact, fields)
    pact.full_clean()
    pact.save()
    log_action("core.pact.updated", obj=pact, actor=actor, data={"changes": changes})
    clear_pact_cache()
    transaction.on_commit(clear_pact_cache)
    return pact


@transaction.atomic
def initial_partner_save(*, partner: InitialPartner, actor, **fields) -> InitialPartner:
    created = partner.pk is None
    changes = _apply(partner, fields)
    partner.full_clean()
    partner.save()
    log_action("core.initial_partner.created" if created else "core.initial_partner.updated",
               obj=partner, actor=actor, data={"changes": changes})
    clear_pact_cache()
    transaction.on_commit(clear_pact_cache)
    return partner


@transaction.atomic
def page_update(*, page: Page, actor, **fields) -> Page:
    changes = _apply(page, fields)
    page.full_clean()
    page.save()
    log_action("core.page.updated", obj=page, actor=actor, data={"fields": sorted(changes)})
    return page


@transaction.atomic
def document_create(*, pact: Pact, actor, **fields) -> Document:
    document = Document(pact=pact, **fields)
    document.full_clean()
    document.save()
    log_action("core.document.created", obj=document, actor=actor, data={"file": document.file.name})
    return document


@transaction.atomic
def document_update(*, document: Document, actor, **fields) -> Document:
    changes = _apply(document, fields)
    document.full_clean()
    document.save()
    log_action("core.document.updated", obj=document, actor=actor, data={"fields": sorted(changes)})
    return document


@transaction.atomic
def document_delete(*, document: Document, actor) -> None:
    log_action("core.document.deleted", obj=document, actor=actor, data={"file": document.file.name})
    name = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
