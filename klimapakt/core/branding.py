"""The city's branding: its logo (or coat of arms), a signature image for the certificate and
the counter-signed agreement, and an accent colour from a fixed list of KERN UX colour tokens.

Images (see docs/branding.md): PNG or JPEG only, recognised by their content (Pillow reads the
header), at most MAX_BYTES and MAX_SIDE pixels per side; SVG is refused (it can carry scripts
and links). What is stored is always a fresh encoding made by Pillow, at most STORED_SIDE pixels
on the long side: no metadata (a photo's location), no trailing bytes of a polyglot file. The
logo is public (``pact/``, served by ``/media/``); the signature lives in the private storage and
only ever reaches a PDF, inlined."""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

logger = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024   # an upload may have at most 2 MB
MAX_SIDE = 4000               # ... and at most 4000 pixels per side (read from the header)
STORED_SIDE = 800             # the stored copy's long side at most (pages, mails, PDFs)
FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg")}


@dataclass(frozen=True)
class Accent:
    key: str
    label: str
    token: str      # the KERN UX custom property the colour comes from ("" for the platform's own green)
    hex: str        # the token's value in sRGB, for mails and PDFs (WeasyPrint, mail clients)


# Every colour carries white text (header mark, badge) and is text on white (figures): all have a
# contrast of at least 4.5:1 against white (WCAG AA; tests/core/test_branding.py checks it, and that
# each hex is the value of its token in KERN's stylesheet). KERN's 700 steps are all above 8:1.
ACCENTS = [
    Accent("standard", _lazy("Klimapakt-Grün (Voreinstellung)"), "", "#1b6e3a"),
    Accent("green-700", _lazy("Grün"), "--kern-color-green-700", "#005916"),
    Accent("turquois-700", _lazy("Türkis"), "--kern-color-turquois-700", "#005741"),
    Accent("lightblue-700", _lazy("Hellblau"), "--kern-color-lightblue-700", "#00536e"),
    Accent("darkblue-700", _lazy("Dunkelblau"), "--kern-color-darkblue-700", "#2044aa"),
    Accent("violet-700", _lazy("Violett"), "--kern-color-violet-700", "#7e01a8"),
    Accent("red-700", _lazy("Rot"), "--kern-color-red-700", "#9e0000"),
    Accent("orange-700", _lazy("Orange"), "--kern-color-orange-700", "#734000"),
    Accent("limette-700", _lazy("Limette"), "--kern-color-limette-700", "#425300"),
    Accent("neutral-700", _lazy("Schiefergrau"), "--kern-color-neutral-700", "#454b6b"),
]
ACCENT_BY_KEY = {accent.key: accent for accent in ACCENTS}
ACCENT_CHOICES = [(accent.key, accent.label) for accent in ACCENTS]
DEFAULT_ACCENT = "standard"


def accent(key: str | None) -> Accent:
    """The accent of a key; the default for an unknown or empty one (a pact from before)."""
    return ACCENT_BY_KEY.get(key or "", ACCENT_BY_KEY[DEFAULT_ACCENT])


def validate_accent(value: str) -> None:
    if value not in ACCENT_BY_KEY:
        raise ValidationError(_("Bitte wählen Sie eine Farbe aus der Liste."), code="invalid_choice")


# --------------------------------------------------------------------------- images


def _header(upload) -> tuple[str, tuple[int, int]]:
    """(format, (width, height)) from the file's header; nothing decoded. Raises ValidationError
    for anything Pillow does not read as PNG or JPEG (SVG, PDF, text, a renamed file)."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            return image.format or "", image.size
    except Image.DecompressionBombError:
        return "bomb", (MAX_SIDE + 1, MAX_SIDE + 1)
    except (UnidentifiedImageError, OSError, ValueError):
        return "", (0, 0)
    finally:
        upload.seek(0)


def validate_image(upload) -> None:
    """An uploaded logo or signature: PNG or JPEG by content, within the byte and pixel bounds."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": MAX_BYTES // 2**20},
                              code="too_large")
    image_format, (width, height) = _header(upload)
    if image_format != "bomb" and image_format not in FORMATS:
        raise ValidationError(_("Bitte laden Sie ein Bild im Format PNG oder JPEG hoch. SVG-Dateien werden aus "
                                "Sicherheitsgründen nicht angenommen."), code="invalid_type")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ValidationError(
            _("Das Bild ist zu groß: höchstens %(max)s × %(max)s Pixel.") % {"max": MAX_SIDE}, code="too_many_pixels")
    if width < 16 or height < 16:
        raise ValidationError(_("Das Bild ist zu klein: mindestens 16 × 16 Pixel."), code="too_small")


def encoded_for_storage(upload, *, stem: str) -> ContentFile:
    """A fresh encoding of a validated image (PNG stays PNG, JPEG stays JPEG), at most
    STORED_SIDE pixels on its long side, without metadata."""
    from PIL import Image

    validate_image(upload)
    upload.seek(0)
    with Image.open(upload) as image:
        image_format = image.format
        image.draft(None, (STORED_SIDE, STORED_SIDE))  # JPEG: decode at a reduced scale
        image.load()
        image.thumbnail((STORED_SIDE, STORED_SIDE))
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif image_format == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        buffer = io.BytesIO()
        image.save(buffer, format=image_format, optimize=True)
    upload.seek(0)
    extension = FORMATS[image_format][0]
    return ContentFile(buffer.getvalue(), name=f"{stem}.{extension}")


def data_uri(field) -> str:
    """A stored branding image inlined for a PDF (WeasyPrint fetches nothing): "" when there is
    none or it cannot be read (logged), so a document still renders."""
    if not field:
        return ""
    try:
        with field.storage.open(field.name, "rb") as handle:
            content = handle.read(MAX_BYTES + 1)
    except Exception:  # noqa: BLE001 - missing on disk or in the bucket
        logger.warning("branding image %s is missing in the storage: left out", field.name)
        return ""
    if len(content) > MAX_BYTES:
        logger.warning("branding image %s is larger than %s bytes: left out", field.name, MAX_BYTES)
        return ""
    stream = io.BytesIO(content)
    stream.size = len(content)
    image_format, (width, height) = _header(stream)
    if image_format not in FORMATS or width > MAX_SIDE or height > MAX_SIDE:
        logger.warning("branding image %s is no bounded PNG or JPEG: left out", field.name)
        return ""
    return f"data:{FORMATS[image_format][1]};base64,{base64.b64encode(content).decode('ascii')}"


