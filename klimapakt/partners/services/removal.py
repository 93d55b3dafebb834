"""The pact office removes an organisation that has no members left (its last person deleted
their account): deleted with everything and all its files, or anonymised, so that its figures
go on counting in the pact's totals and its archived report versions stay.

Every app removes its own part through the privacy registry (core.registry.PrivacyHandler's
``delete_organisation`` / ``anonymise_organisation``: reports its reports and PDFs, ghg its
bills and spreadsheets), so partners imports none of them. Files leave the storage after
commit; a rollback keeps everything."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from klimapakt.core import registry
from klimapakt.core.audit import log_action
from klimapakt.core.models import AuditEntry

from ..models import Agreement, Invitation, Organisation, OrganisationDocument, OrientationTalk, TalkReminder
from ._base import _lock, directory_changed

ANONYMISED_NAME = "Anonymisierte Organisation {n}"   # stored data: German, like every name
ERASED = "[entfernt]"
# Keys in audit details that name a person of the organisation (an invitation's address, a
# removed member, the contact in master-data changes, the signatory).
PERSONAL_KEYS = {"email", "contact", "contact_name", "contact_email", "contact_phone", "signatory",
                 "signatory_name", "signatory_role", "participants", "message"}


def ensure_orphaned(organisation: Organisation) -> None:
    """Only an organisation without members may be deleted or anonymised by the office: one
    with members is theirs to keep (or to leave, member by member)."""
    if organisation.memberships.exists():
        raise ValidationError(_("„%(name)s“ hat noch Mitglieder. Löschen oder anonymisieren lässt sich nur eine "
                                "Organisation ohne Mitglieder.") % {"name": organisation.name})


@transaction.atomic
def organisation_delete(*, organisation: Organisation, actor) -> None:
    """Delete an organisation without members, its records and all its files."""
    organisation = _lock(organisation)
    ensure_orphaned(organisation)
    files = _own_files(organisation)
    for handler in registry.privacy:
        if handler.delete_organisation is not None:
            handler.delete_organisation(organisation)
    label = _scrub_audit(organisation, f"#{organisation.pk}")
    log_action("partners.organisation.deleted", actor=actor, data={"organisation": organisation.pk, "name": label})
    organisation.delete()
    _delete_after_commit(files)
    directory_changed()


@transaction.atomic
def organisation_anonymise(*, organisation: Organisation, actor) -> Organisation:
    """Anonymise an organisation without members: its name becomes "Anonymisierte Organisation
    <n>", its contact, address line, website, description, logo and location go, it leaves the
    directory; documents, notes and invitations go, talks and agreements lose the people's names.
    Kind, sector, postal code, size, stage, targets, balances and reports stay: its figures keep
    counting in the pact's totals, and its archived report versions stay as submitted."""
    organisation = _lock(organisation)
    ensure_orphaned(organisation)
    files = _own_files(organisation)
    name = ANONYMISED_NAME.format(n=organisation.pk)
    for field, value in {"name": name, "legal_form": "", "street": "", "website": "", "contact_name": "",
                         "contact_email": "", "contact_phone": "", "description": "", "logo": "",
                         "latitude": None, "longitude": None, "show_location": False,
                         "listing_consent": False}.items():
        setattr(organisation, field, value)
    organisation.save()
    OrganisationDocument.objects.filter(organisation=organisation).delete()
    organisation.notes.all().delete()
    Invitation.objects.filter(organisation=organisation).delete()
    OrientationTalk.objects.filter(organisation=organisation).update(participants="", notes="", answer_message="")
    TalkReminder.objects.filter(talk__organisation=organisation).update(recipients=[])
    organisation.stage_changes.update(reason="")
    for agreement in Agreement.objects.filter(organisation=organisation).only("pk", "snapshot"):
        snapshot = agreement.snapshot
        if snapshot:
            snapshot = snapshot | {"signatory_name": "", "signatory_role": ""}
            if isinstance(snapshot.get("organisation"), dict):
                snapshot["organisation"] = snapshot["organisation"] | {"name": name, "legal_form": "", "street": ""}
        Agreement.objects.filter(pk=agreement.pk).update(signatory_name="", signatory_role="", review_comment="",
                                                         snapshot=snapshot)
    for handler in registry.privacy:
        if handler.anonymise_organisation is not None:
            handler.anonymise_organisation(organisation)
    _scrub_audit(organisation, name)
    log_action("partners.organisation.anonymised", obj=organisation, actor=actor, data={"name": name})
    _delete_after_commit(files)
    directory_changed()
    return organisation


def _own_files(organisation: Organisation) -> list[tuple[object, str]]:
    """(storage, name) of partners' own files of the organisation: its logo and documents."""
    files = [(OrganisationDocument._meta.get_field("file").storage, name) for name in
             OrganisationDocument.objects.filter(organisation=organisation).values_list("file", flat=True) if name]
    if organisation.logo:
        files.append((organisation.logo.storage, organisation.logo.name))
    return files


def _delete_after_commit(files) -> None:
    for storage, name in files:
        # robust: a storage hiccup is logged; the removal the office asked for has happened.
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name), robust=True)


def _scrub_audit(organisation: Organisation, label: str) -> str:
    """The audit entries about the organisation keep what happened, when and by whom, but name
    it by `label` and lose the people in their details. Returns `label`."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Organisation)
    entries = AuditEntry.objects.filter(content_type=content_type, object_id=str(organisation.pk))
    for entry in entries.only("pk", "data"):
        AuditEntry.objects.filter(pk=entry.pk).update(data=_scrub(entry.data, organisation), object_repr=label)
    return label


def _scrub(value, organisation, key=None):
    if isinstance(value, dict):
        return {k: _scrub(v, organisation, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, organisation, key) for v in value]
    if key in PERSONAL_KEYS and value not in (None, "", [], {}):
        return ERASED
    if key == "name" and isinstance(value, str):
        return ERASED
    return value
