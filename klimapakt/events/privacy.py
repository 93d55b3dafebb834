"""DSGVO export for events (klimapakt.core.privacy): the person's registrations with their
answers, consent and personal link.

Deleting the account does not delete registrations: they are the organiser's list of who is
coming, and were made with the personal link, which works without an account. The account's
link to them is cut (SET NULL); the person deletes a registration through its personal link
(listed in the export), and the retention job anonymises it after the event."""

from __future__ import annotations

from django.conf import settings

from .selectors import personal_path, registrations_of_person


def export(user) -> dict:
    return {"registrations": [
        {"event": r.event.title_de, "starts_at": r.event.starts_at.isoformat(), "status": r.status,
         "first_name": r.first_name, "last_name": r.last_name, "email": r.email, "organisation": r.organisation,
         "phone": r.phone, "language": r.language, "registered_at": r.created_at.isoformat(),
         "privacy_notice_version": r.consent_version,
         "consent_at": r.consent_at.isoformat() if r.consent_at else None, "attended": r.attended,
         "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
         "answers": [{"question": a.question.label_de, "answer": a.display()} for a in r.answers.all()],
         "personal_link": settings.SITE_URL + personal_path(r)}
        for r in registrations_of_person(user)]}
