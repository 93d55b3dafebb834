"""The pact office's notes and documents about an organisation."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from ..models import (
    Organisation,
    OrganisationDocument,
    OrganisationNote,
)
from ._base import (
    _lock,
    _refuse,
)

# --- staff notes and documents -----------------------------------------------------------

@transaction.atomic
def note_add(*, organisation: Organisation, actor, text: str) -> OrganisationNote:
    if not text.strip():
        _refuse(_("Die Notiz ist leer."), "text")
    note = OrganisationNote.objects.create(organisation=organisation, author=actor, text=text.strip())
    log_action("partners.note.added", obj=organisation, actor=actor, data={"note": note.pk})
    return note


@transaction.atomic
def document_add(*, organisation: Organisation, actor, title: str, file, shared_with_organisation: bool = False
                 ) -> OrganisationDocument:
    document = OrganisationDocument(organisation=organisation, uploaded_by=actor, title=title, file=file,
                                    shared_with_organisation=shared_with_organisation)
    document.full_clean()
    document.save()
    log_action("partners.document.added", obj=organisation, actor=actor,
               data={"document": document.pk, "title": title, "shared": shared_with_organisation})
    return document


@transaction.atomic
def document_delete(*, document: OrganisationDocument, actor) -> None:
    """The pact office deletes a document of an organisation. The row goes now; the file leaves the
    storage after commit (a rollback keeps both)."""
    organisation = _lock(document.organisation)
    document = OrganisationDocument.objects.filter(pk=document.pk, organisation=organisation).first()
    if document is None:
        _refuse(_("Dieses Dokument gibt es nicht mehr."))
    name, storage = document.file.name, document.file.storage
    log_action("partners.document.deleted", obj=organisation, actor=actor,
               data={"document": document.pk, "title": document.title, "file": name,
                     "shared": document.shared_with_organisation})
    document.delete()
    if name:
        # robust: a storage hiccup is logged; the deletion the user asked for has happened.
        transaction.on_commit(lambda: storage.delete(name), robust=True)
