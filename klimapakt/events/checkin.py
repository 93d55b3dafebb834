"""The check-in code of a registration: what its QR code holds.

A separate secret from the personal link's token (which can cancel and delete the
registration): the code only lets an organiser of the same event mark the person present.
It is ``KP1.<event id>.<registration id>`` signed with Django's signing (HMAC-SHA256 over the
SECRET_KEY with its own salt), so it is computed, not stored, and nobody can make one for
another registration or another event without the secret. A registration cancelled and made
again has a new id and so a new code. The QR image is made on the server (library ``qrcode``)."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from django.core import signing

SALT = "klimapakt.events.checkin"
PREFIX = "KP1"
MAX_CODE_LENGTH = 200  # a typed or scanned code longer than this is refused before it is checked


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def checkin_code(*, event_id: int, registration_id: int) -> str:
    return _signer().sign(f"{PREFIX}.{event_id}.{registration_id}")


def code_for(registration) -> str:
    return checkin_code(event_id=registration.event_id, registration_id=registration.pk)


@dataclass(frozen=True)
class CheckinCode:
    event_id: int
    registration_id: int


def read_code(code: str) -> CheckinCode | None:
    """The event and registration a code names, or None for anything not signed by us."""
    code = "".join((code or "").split())  # a pasted code may carry a line break or spaces
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    try:
        value = _signer().unsign(code)
    except signing.BadSignature:
        return None
    parts = value.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or not (parts[1].isascii() and parts[1].isdigit()
                                                      and parts[2].isascii() and parts[2].isdigit()):
        return None
    return CheckinCode(event_id=int(parts[1]), registration_id=int(parts[2]))


def qr_png(code: str, *, box_size: int = 8) -> bytes:
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(code: str) -> str:
    """For the personal page (CSP allows data: images); mails get the PNG as an attachment."""
    return "data:image/png;base64," + base64.b64encode(qr_png(code, box_size=6)).decode("ascii")


def qr_attachment(*, language: str, event: int, registration: int) -> tuple[str, bytes, str]:
    """The mail attachment builder (core.registry.register_mail_attachment "events.checkin_qr"):
    made when the mail is sent, from the ids alone (no database), so the outbox stores no image."""
    return ("einlass-qr-code.png" if language == "de" else "check-in-qr-code.png",
            qr_png(checkin_code(event_id=event, registration_id=registration)), "image/png")
