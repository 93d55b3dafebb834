"""Writes of the shared kernel. Every function is atomic and writes the audit log."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

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


PAGE_FIXED_FIELDS = {"title_de", "title_en", "lead_de", "lead_en", "body_de", "body_en"}


@transaction.atomic
def page_update(*, page: Page, actor, **fields) -> Page:
    """Change a page's texts; a page the office added also its address and footer place (a
    fixed page keeps its key and its place)."""
    if page.is_fixed and set(fields) - PAGE_FIXED_FIELDS:
        refuse(_("Bei dieser Seite lassen sich nur die Texte ändern."))
    if not page.is_fixed and fields.get("slug", page.slug) in Page.Slug.values:
        refuse(_("Die Adresse „%(slug)s“ verwendet die Plattform selbst. Bitte wählen Sie eine andere.")
               % {"slug": fields["slug"]}, "slug")
    changes = _apply(page, fields)
    _full_clean_page(page)
    page.save()
    log_action("core.page.updated", obj=page, actor=actor, data={"fields": sorted(changes)})
    _pages_changed()
    return page


@transaction.atomic
def page_create(*, pact: Pact, actor, slug: str, **fields) -> Page:
    """The office adds a page at /<slug>/ (an accessibility statement, a page for a campaign)."""
    from .pages import MAX_CUSTOM_PAGES

    if slug in Page.Slug.values:
        refuse(_("Die Adresse „%(slug)s“ verwendet die Plattform selbst. Bitte wählen Sie eine andere.")
               % {"slug": slug}, "slug")
    if Page.objects.filter(pact=pact).exclude(slug__in=Page.Slug.values).count() >= MAX_CUSTOM_PAGES:
        refuse(_("Es gibt schon %(max)s eigene Seiten. Bitte löschen Sie zuerst eine, die Sie nicht mehr "
                 "brauchen.") % {"max": MAX_CUSTOM_PAGES})
    page = Page(pact=pact, slug=slug, **fields)
    _full_clean_page(page)
    page.save()
    log_action("core.page.created", obj=page, actor=actor, data={"slug": slug})
    _pages_changed()
    return page


@transaction.atomic
def page_delete(*, page: Page, actor) -> None:
    """Delete a page the office added; the five fixed pages stay (the platform links them)."""
    if page.is_fixed:
        refuse(_("Diese Seite gehört zur Plattform und lässt sich nicht löschen. Sie können ihre Texte ändern."))
    log_action("core.page.deleted", obj=page, actor=actor, data={"slug": page.slug, "title": page.title_de})
    page.delete()
    _pages_changed()


def _full_clean_page(page: Page) -> None:
    """full_clean, with the unique (pact, slug) constraint worded for the office."""
    if page.slug and Page.objects.filter(pact_id=page.pact_id, slug=page.slug).exclude(pk=page.pk).exists():
        refuse(_("Unter der Adresse „%(slug)s“ gibt es schon eine Seite.") % {"slug": page.slug}, "slug")
    page.full_clean()


def _pages_changed() -> None:
    """The footer's links travel with the cached pact."""
    clear_pact_cache()
    transaction.on_commit(clear_pact_cache)


@transaction.atomic
def pact_branding_update(*, pact: Pact, actor, accent_colour: str, signature_name: str,
                         logo: UploadedFile | None = None, signature: UploadedFile | None = None,
                         remove_logo: bool = False, remove_signature: bool = False) -> Pact:
    """The office's branding: the accent colour, the logo (public) and the signature (private).
    A new image is stored as a fresh encoding (core.branding); a replaced or removed one is
    deleted from its storage after commit."""
    from . import branding

    old_files = []
    changes = _apply(pact, {"accent_colour": accent_colour, "signature_name": signature_name})
    pact.full_clean()  # before any file is stored: a refused colour leaves no file behind
    encoded = {}
    for name, upload in (("logo", logo), ("signature", signature)):  # both checked before a file is stored
        if upload is not None:
            try:
                encoded[name] = branding.encoded_for_storage(upload, stem="wappen" if name == "logo" else "unterschrift")
            except ValidationError as error:
                raise ValidationError({name: error.messages}) from None
    for name, upload, remove in (("logo", logo, remove_logo), ("signature", signature, remove_signature)):
        field = getattr(pact, name)
        if upload is None and not remove:
            continue
        before = field.name or ""
        if before:
            old_files.append((field.storage, before))
        if upload is not None:
            content = encoded[name]
            field.save(content.name, content, save=False)
        else:
            setattr(pact, name, "")
        changes[name] = [before, getattr(pact, name).name or ""]
    pact.save()
    log_action("core.pact.branding_updated", obj=pact, actor=actor, data={"changes": changes})
    for storage, name in old_files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name), robust=True)
    clear_pact_cache()
    transaction.on_commit(clear_pact_cache)
    return pact


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
