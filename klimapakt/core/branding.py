"""The city's branding: its logo (or coat of arms), a signature image for the certificate and
the counter-signed agreement, and an accent colour from a fixed list of KERN UX colour tokens.

Images (see docs/branding.md): PNG or JPEG only, recognised by their content (Pillow reads the
header), at most MAX_BYTES and MAX_SIDE pixels per side; SVG is refused (it can carry scripts
and links). What is stored is always a fresh encoding made by Pillow, at most STORED_SIDE pixels
on the long side: no metadata (a photo's location), no trailing bytes of a polyglot file. The
logo is public (``pact/``, served by ``/media/``); the signature lives in the private storage and
only ever reaches a PDF, inlined."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import images

MAX_BYTES = 2 * 1024 * 1024   # an upload may have at most 2 MB
MAX_SIDE = 4000               # ... and at most 4000 pixels per side (read from the header)
STORED_SIDE = 800             # the stored copy's long side at most (pages, mails, PDFs)
FORMATS = ("PNG", "JPEG")    # recognised by content (Pillow), not by the file name


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


def validate_image(upload) -> None:
    """An uploaded logo or signature: PNG or JPEG by content, within the byte and pixel bounds."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": MAX_BYTES // 2**20},
                              code="too_large")
    found = images.header(upload)
    if found.width > MAX_SIDE or found.height > MAX_SIDE:
        raise ValidationError(
            _("Das Bild ist zu groß: höchstens %(max)s × %(max)s Pixel.") % {"max": MAX_SIDE}, code="too_many_pixels")
    if found.format not in FORMATS:
        raise ValidationError(_("Bitte laden Sie ein Bild im Format PNG oder JPEG hoch. SVG-Dateien werden aus "
                                "Sicherheitsgründen nicht angenommen."), code="invalid_type")
    if found.width < 16 or found.height < 16:
        raise ValidationError(_("Das Bild ist zu klein: mindestens 16 × 16 Pixel."), code="too_small")


def encoded_for_storage(upload, *, stem: str) -> ContentFile:
    """A fresh encoding of a validated image (PNG stays PNG, JPEG stays JPEG), at most
    STORED_SIDE pixels on its long side, without metadata."""
    validate_image(upload)
    return images.fresh_copy(upload, side=STORED_SIDE, stem=stem)


def image_bytes(field) -> tuple[bytes, str] | None:
    """A stored branding image's bytes and media type (a mail's logo); None when it cannot be read."""
    return images.read(field, formats=FORMATS, max_bytes=MAX_BYTES, max_side=MAX_SIDE)


def data_uri(field) -> str:
    """A stored branding image inlined for a PDF: "" when there is none or it cannot be read
    (logged), so a document still renders."""
    return images.data_uri(field, formats=FORMATS, max_bytes=MAX_BYTES, max_side=MAX_SIDE)
