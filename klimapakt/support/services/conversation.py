"""The conversation about a request: messages between the firm and the advisor (each side is
told by mail), private attachments, and internal notes the firm never sees."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.services import refuse
from klimapakt.ghg.services import validate_attachment

from ..models import (
    MAX_ATTACHMENTS_PER_REQUEST,
    MAX_MESSAGES_PER_REQUEST,
    Attachment,
    Message,
    Note,
    SupportRequest,
)
from ._base import advisor_recipients, answered, firm_recipients, tell

MAX_FILES_PER_UPLOAD = 5


def check_files(files, *, already: int = 0) -> None:
    """Refuse before anything is stored: too many files, or a file that is not a PDF, PNG or
    JPEG by its content, or too large."""
    if len(files) > MAX_FILES_PER_UPLOAD:
        refuse(_("Bitte hängen Sie höchstens %(n)s Dateien auf einmal an.") % {"n": MAX_FILES_PER_UPLOAD}, "files")
    if already + len(files) > MAX_ATTACHMENTS_PER_REQUEST:
        refuse(_("Eine Anfrage kann höchstens %(n)s Dateien haben.") % {"n": MAX_ATTACHMENTS_PER_REQUEST}, "files")
    for upload in files:
        try:
            validate_attachment(upload)
        except ValidationError as error:   # keyed "attachment" by ghg: shown on this form's field
            refuse(f"{upload.name}: {' '.join(error.messages)}", "files")


def stored_name(name: str, limit: int = 200) -> str:
    """The file's own name without any folder, at most `limit` characters, its extension kept
    (check_files accepted the upload by that extension)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "datei"
    if len(name) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        return name[:limit]
    return f"{stem[:limit - len(suffix) - 1]}.{suffix}"


def attach_files(*, support_request: SupportRequest, files, actor, message: Message | None = None) -> list[Attachment]:
    """Store the files on the request (checked first by check_files)."""
    files = list(files or [])
    if not files:
        return []
    check_files(files, already=support_request.attachments.count())
    stored = []
    for upload in files:
        name = stored_name(upload.name)
        attachment = Attachment(request=support_request, message=message, name=name, size=upload.size,
                                uploaded_by=actor)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def side_of(user, support_request: SupportRequest) -> str:
    if user.advisor_for_id and user.advisor_for_id == support_request.institution_id:
        return Message.Side.ADVISOR
    if user.is_pact_office or user.is_superuser:
        return Message.Side.OFFICE
    return Message.Side.FIRM


@transaction.atomic
def message_post(*, support_request: SupportRequest, actor, body: str, files=()) -> Message:
    """A message from the firm, the advisor or the office; the other side is told by mail. An
    answer of the institution counts as its first answer."""
    support_request = SupportRequest.objects.select_for_update(of=("self",)).select_related(
        "organisation", "institution", "created_by").get(pk=support_request.pk)
    if not support_request.is_open:
        refuse(_("Die Anfrage ist abgeschlossen; es können keine Nachrichten mehr geschrieben werden."))
    if not body.strip():
        refuse(_("Bitte schreiben Sie eine Nachricht."), "body")
    if support_request.messages.count() >= MAX_MESSAGES_PER_REQUEST:
        refuse(_("Diese Anfrage hat die höchste Zahl an Nachrichten erreicht. Bitte stellen Sie eine neue Anfrage."))
    check_files(list(files or []), already=support_request.attachments.count())
    now = timezone.now()
    side = side_of(actor, support_request)
    message = Message.objects.create(request=support_request, author=actor, side=side, body=body.strip(),
                                     institution_id=actor.advisor_for_id if side == Message.Side.ADVISOR else None,
                                     created_at=now)
    attach_files(support_request=support_request, files=files, actor=actor, message=message)
    if side != Message.Side.FIRM:
        answered(support_request, now=now)
    support_request.updated_at = now
    support_request.save(update_fields=["first_answer_at", "updated_at"])
    log_action("support.message.posted", obj=support_request, actor=actor, data={"side": side})
    if side == Message.Side.FIRM:
        recipients = [(support_request.advisor.email, support_request.advisor.language or "de")] \
            if support_request.advisor and support_request.advisor.is_active \
            else advisor_recipients(support_request.institution)
    else:
        recipients = firm_recipients(support_request)
    tell("message_posted", recipients, support_request, author_side=Message.Side(side).label, side=side)
    return message


@transaction.atomic
def note_add(*, support_request: SupportRequest, actor, body: str, appointment_on=None) -> Note:
    """An internal note (with an appointment date, when there is one) of the advisor's
    institution or of the office."""
    if not body.strip():
        refuse(_("Bitte schreiben Sie eine Notiz."), "body")
    # the request's row lock makes the bound hold for two notes written at once
    support_request = SupportRequest.objects.select_for_update(of=("self",)).get(pk=support_request.pk)
    if support_request.notes.count() >= MAX_MESSAGES_PER_REQUEST:
        refuse(_("Diese Anfrage hat die höchste Zahl an Notizen erreicht."))
    note = Note.objects.create(request=support_request, author=actor, body=body.strip(),
                               institution_id=None if actor.is_pact_office else actor.advisor_for_id,
                               appointment_on=appointment_on)
    log_action("support.note.added", obj=support_request, actor=actor,
               data={"appointment_on": appointment_on} if appointment_on else {})
    return note
