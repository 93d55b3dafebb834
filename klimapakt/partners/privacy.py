"""DSGVO export and erasure of what the partnership stores about a person (klimapakt.core.privacy).
Organisations keep their agreements and targets; the person's name stays only where they signed:
for their organisation (signatory) or, as the pact office's counter-signer, in the snapshot of
the signed agreement (a document of record). With the account go (`erase`): the person as an
organisation's contact (name, address, phone, where the contact's address is theirs, and the
name where it is exactly theirs in an organisation they belonged to), invitations to their
address, and their address in the log of talk-date reminders. An organisation left without
members is the pact office's to delete or anonymise (services.organisation_delete /
organisation_anonymise)."""

from __future__ import annotations

from django.db.models import Q

from .models import Agreement, Invitation, Membership, Organisation, OrientationTalk, TalkReminder, Target


def check_erasable(user) -> None:
    """The account may not go while it is the only admin of an organisation with other members."""
    from .services import ensure_admin_remains

    for membership in Membership.objects.filter(user=user, role=Membership.Role.ADMIN).select_related(
            "organisation", "user"):
        ensure_admin_remains(membership=membership)


def export(user) -> dict:
    email = user.email
    contacts = Organisation.objects.filter(contact_email__iexact=email).values(
        "name", "contact_name", "contact_email", "contact_phone")
    agreements = Agreement.objects.filter(Q(submitted_by=user) | Q(countersigned_by=user)).select_related(
        "organisation", "version")
    return {
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in user.memberships.select_related("organisation")
        ],
        "contact_person_for": list(contacts),
        "agreements": [{"organisation": a.organisation.name, "version": a.version.label, "status": a.status,
                        "signatory_name": a.signatory_name, "signatory_role": a.signatory_role,
                        "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
                        "submitted_by_you": a.submitted_by_id == user.pk,
                        "countersigned_by_you": a.countersigned_by_id == user.pk} for a in agreements],
        "targets_entered": list(Target.objects.filter(created_by=user).values(
            "organisation__name", "base_year", "target_year", "version")),
        "talk_answers": [{"organisation": t["organisation__name"], "scheduled_for": t["scheduled_for"].isoformat(),
                          "answer": t["answer"], "message": t["answer_message"],
                          "answered_at": t["answered_at"].isoformat()}
                         for t in OrientationTalk.objects.filter(answered_by=user).values(
                             "organisation__name", "scheduled_for", "answer", "answer_message", "answered_at")],
        "talk_reminders_received": [
            {"organisation": r.talk.organisation.name, "scheduled_for": r.scheduled_for.isoformat(),
             "sent_at": r.sent_at.isoformat()}
            for r in _reminders_to(email)],
    }


def _reminders_to(email: str):
    """Talk reminders that went to `email` (the JSON list is searched as text, then checked)."""
    email = email.lower()
    candidates = TalkReminder.objects.filter(recipients__icontains=email).select_related(
        "talk__organisation").order_by("sent_at", "pk")
    return [r for r in candidates if email in r.recipients]


def erase(user) -> None:
    email = user.email.lower()
    _erase_contact(user)
    Invitation.objects.filter(Q(email__iexact=email) | Q(accepted_by=user)).delete()
    for reminder in _reminders_to(email):
        reminder.recipients = [e for e in reminder.recipients if e != email]
        reminder.save(update_fields=["recipients"])


def _erase_contact(user) -> None:
    """The person stops being any organisation's contact: where the contact's address is
    theirs, name, address and phone go; in the organisations they belong to, a contact name
    that is exactly theirs goes too. The organisation's members (or the pact office) name a
    new contact."""
    from .services import directory_changed

    changed = Organisation.objects.filter(contact_email__iexact=user.email).update(
        contact_name="", contact_email="", contact_phone="")
    full_name = f"{user.first_name} {user.last_name}".strip()
    if full_name:
        changed += Organisation.objects.filter(memberships__user=user, contact_name__iexact=full_name).update(
            contact_name="")
    if changed:
        directory_changed()
