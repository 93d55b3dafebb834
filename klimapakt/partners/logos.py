"""Logos are shown on public pages and inlined into every certificate PDF, so their pixels are
bounded: an upload may have at most LOGO_MAX_SIDE pixels per side (read from the header,
nothing decoded), and what is stored is a fresh copy of at most LOGO_STORED_SIDE pixels on its
long side, without the upload's metadata (core.images). A 420 KB PNG of 12000 × 12000 px once
made each certificate take 3.2 s and 942 MB."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from klimapakt.core import images

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000       # pixels per side an uploaded logo may have
LOGO_STORED_SIDE = 800     # the stored copy's long side at most (pages and PDFs use it)
LOGO_FORMATS = ("PNG", "JPEG", "WEBP")


def validate_logo_dimensions(upload) -> None:
    found = images.header(upload)
    if found.width == images.BOMB:
        raise ValidationError(_("Das Logo ist zu groß: höchstens %(max)s × %(max)s Pixel.") % {"max": LOGO_MAX_SIDE})
    if found.width > LOGO_MAX_SIDE or found.height > LOGO_MAX_SIDE:
        raise ValidationError(
            _("Das Logo ist zu groß: höchstens %(max)s × %(max)s Pixel (dieses hat %(width)s × %(height)s).")
            % {"max": LOGO_MAX_SIDE, "width": found.width, "height": found.height})


def logo_for_storage(upload) -> ContentFile:
    """The copy of a validated logo that is stored: its own format, at most LOGO_STORED_SIDE
    pixels on its long side."""
    return images.fresh_copy(upload, side=LOGO_STORED_SIDE, stem="logo")


def logo_data_uri(field) -> str:
    """A stored logo inlined into a certificate or agreement: one stored before the bounds (or
    put into the storage by hand) that is larger is left out and logged."""
    return images.data_uri(field, formats=LOGO_FORMATS, max_bytes=LOGO_MAX_BYTES, max_side=LOGO_MAX_SIDE)
