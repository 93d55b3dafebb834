"""DSGVO export, erasure and organisation removal for support (core.registry.privacy).

A person's export holds the requests they asked and the messages they wrote. When their
account goes, their messages and requests stay with the organisation (the foreign keys are
SET NULL). An organisation deleted by the office loses its requests (cascade) and their files
(after commit); an anonymised one loses the requests' texts, messages, notes and files but its
counts (requests, outcomes per institution) keep counting in the city's report. Closed
requests are deleted after the retention period by the daily `support_retention` job."""

from __future__ import annotations

from .models import Attachment, Message, Note, SupportRequest
from .services.housekeeping import delete_files


def export(user) -> dict:
    return {
        "support_requests": [
            {"organisation": r.organisation.name, "status": r.status, "topics": r.topic_list,
             "description": r.description, "institution": r.institution.name if r.institution else "",
             "consent": r.consent_text, "consented_at": r.consented_at.isoformat() if r.consented_at else None,
             "created_at": r.created_at.isoformat()}
            for r in SupportRequest.objects.filter(created_by=user).select_related("organisation", "institution")[:1000]],
        "support_messages": [
            {"request": m.request_id, "body": m.body, "created_at": m.created_at.isoformat()}
            for m in Message.objects.filter(author=user)[:5000]],
    }


def delete_organisation(organisation) -> None:
    delete_files(list(Attachment.objects.filter(request__organisation=organisation)))


def anonymise_organisation(organisation) -> None:
    requests = SupportRequest.objects.filter(organisation=organisation)
    delete_files(list(Attachment.objects.filter(request__organisation=organisation)))
    Attachment.objects.filter(request__organisation=organisation).delete()
    Message.objects.filter(request__organisation=organisation).delete()
    Note.objects.filter(request__organisation=organisation).delete()
    requests.update(description="", consent_text="", close_reason="", created_by=None, measure=None, report=None,
                    source_answer=None)
