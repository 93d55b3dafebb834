"""Writes for organisations, their members and the Klimapartnerschaft, by sub-domain. Every
transition of the partnership is one function here: atomic, checked against the lifecycle
table (`partners.lifecycle`), audited, and its mails written to the outbox in the same
transaction."""

from ._base import directory_changed, directory_version
from .agreements import (
    agreement_countersign,
    agreement_request_changes,
    agreement_save,
    agreement_submit,
    agreement_version_save,
)
from .organisations import (
    MASTER_FIELDS,
    PROFILE_FIELDS,
    check_postal_code,
    ensure_admin_remains,
    interest_register,
    invitation_accept,
    invitation_create,
    membership_remove,
    organisation_create,
    organisation_update,
    profile_update,
)
from .partnership import partnership_end, partnership_leave, partnership_pause, partnership_resume
from .records import document_add, document_delete, note_add
from .removal import ensure_orphaned, organisation_anonymise, organisation_delete
from .talks import TALK_REMINDER_DAYS_BEFORE, send_talk_reminders, talk_answer, talk_mark_held, talk_plan
from .targets import TARGET_FIELDS, target_delete, target_save

__all__ = [
    "MASTER_FIELDS", "PROFILE_FIELDS", "TALK_REMINDER_DAYS_BEFORE", "TARGET_FIELDS",
    "agreement_countersign", "agreement_request_changes", "agreement_save", "agreement_submit",
    "agreement_version_save", "check_postal_code", "directory_changed", "directory_version", "document_add",
    "document_delete", "ensure_admin_remains", "interest_register", "invitation_accept", "invitation_create",
    "membership_remove", "note_add", "ensure_orphaned", "organisation_anonymise", "organisation_create",
    "organisation_delete", "organisation_update", "partnership_end",
    "partnership_leave", "partnership_pause", "partnership_resume", "profile_update", "send_talk_reminders",
    "talk_answer", "talk_mark_held", "talk_plan", "target_delete", "target_save",
]
