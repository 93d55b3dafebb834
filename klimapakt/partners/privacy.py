"""DSGVO export of what the partnership stores about a person (klimapakt.core.privacy).
Nothing is erased with the account: organisations keep their agreements and targets, the
person's name stays only where they signed: for their organisation (signatory) or, as the
pact office's counter-signer, in the snapshot of the signed agreement (a document of record)."""

from __future__ import annotations

from django.db.models import Q

from .models import Agreement, Organisation, OrientationTalk, Target


def export(user) -> dict:
    email = user.email
    contacts = Organisation.objects.filter(contact_email__iexact=email).values(
        "name", "contact_name", "contact_email", "contact_phone")
    agreements = Agreement.objects.filter(Q(submitted_by=user) | Q(countersigned_by=user)).select_related(
        "organisation", "version")
    return {
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
    }
