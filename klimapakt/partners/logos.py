"""Logos are shown on public pages and inlined into every certificate PDF, so their pixels are
bounded: an upload may have at most LOGO_MAX_SIDE pixels per side (read from the header,
nothing decoded), and what is stored is a copy of at most LOGO_STORED_SIDE pixels on its long
side. A 420 KB PNG of 12000 × 12000 px once made each certificate take 3.2 s and 942 MB."""

from __future__ import annotations

import io
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

LOGO_MAX_SIDE = 4000       # pixels per side an uploaded logo may have
LOGO_STORED_SIDE = 800     # the stored copy's long side at most (pages and PDFs use it)
_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def _open(source):
    """The image with its header read, not decoded. Pillow's own decompression-bomb guard stays
    on; its limit is far above ours, so ours answers first."""
    from PIL import Image

    return Image.open(source)


def logo_size(source) -> tuple[int, int]:
    """(width, height) from the image's header; no pixel is decoded."""
    from PIL import Image

    try:
        with _open(source) as image:
            return image.size
    except Image.DecompressionBombError:
        return (LOGO_MAX_SIDE + 1, LOGO_MAX_SIDE + 1)


def validate_logo_dimensions(upload) -> None:
    upload.seek(0)
    try:
        width, height = logo_size(upload)
    finally:
        upload.seek(0)
    if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
        raise ValidationError(
            _("Das Logo ist zu groß: höchstens %(max)s × %(max)s Pixel (dieses hat %(width)s × %(height)s).")
            % {"max": LOGO_MAX_SIDE, "width": width, "height": height})


def logo_for_storage(upload) -> ContentFile | None:
    """A copy of a validated logo at most LOGO_STORED_SIDE pixels on its long side, in its own
    format; None when it is small enough already (then the upload is stored as it is)."""
    upload.seek(0)
    with _open(upload) as image:
        if max(image.size) <= LOGO_STORED_SIDE:
            upload.seek(0)
            return None
        image_format = image.format
        image.draft(None, (LOGO_STORED_SIDE, LOGO_STORED_SIDE))  # JPEG: decode at a reduced scale
        image.thumbnail((LOGO_STORED_SIDE, LOGO_STORED_SIDE))
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format=image_format, optimize=True)
    upload.seek(0)
    name = (getattr(upload, "name", "") or "logo").rsplit(".", 1)[0]
    return ContentFile(buffer.getvalue(), name=f"{name}.{_FORMATS.get(image_format, 'png')}")


def logo_fits_documents(content: bytes) -> bool:
    """Whether a stored logo may be inlined into a PDF: logos stored before the bound (or
    placed in storage by hand) larger than LOGO_MAX_SIDE are left out and logged."""
    try:
        width, height = logo_size(io.BytesIO(content))
    except Exception:  # noqa: BLE001 - not an image Pillow reads: WeasyPrint would fail on it too
        return False
    return width <= LOGO_MAX_SIDE and height <= LOGO_MAX_SIDE
