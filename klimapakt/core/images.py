"""Uploaded images (the pact's logo and signature, partners' logos): one place for the rules
every picture the platform stores and inlines follows.

- Its header is read, nothing decoded (``header``): the format Pillow recognises by content, and
  the size. A decompression bomb reads as larger than any bound.
- What is stored is a fresh encoding by Pillow (``fresh_copy``), at most ``side`` pixels on its
  long side, in its own format: no metadata (a photo's location), no trailing bytes of a polyglot.
- A stored image reaches a PDF inlined (``data_uri``), read through its storage (a folder or S3)
  with a byte bound; one that is missing, too large or no longer a picture of an allowed format
  is left out and logged, so the document still renders."""

from __future__ import annotations

import base64
import contextlib
import io
import logging
import threading
from dataclasses import dataclass

from django.core.files.base import ContentFile

logger = logging.getLogger(__name__)

# Pillow's format name → (file extension, media type)
KNOWN = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp")}
BOMB = 10**9  # the side a decompression bomb reads as: larger than any bound


@dataclass(frozen=True)
class Header:
    format: str   # Pillow's name ("PNG", "JPEG", ...); "" when Pillow does not read it as a picture
    width: int
    height: int

    def within(self, formats, max_side: int) -> bool:
        return self.format in formats and self.width <= max_side and self.height <= max_side


def header(source) -> Header:
    """The picture's format and size from its header; the file position is kept at 0."""
    from PIL import Image, UnidentifiedImageError

    source.seek(0)
    try:
        with Image.open(source) as image:
            return Header(image.format or "", *image.size)
    except Image.DecompressionBombError:
        return Header("", BOMB, BOMB)
    except (UnidentifiedImageError, OSError, ValueError):
        return Header("", 0, 0)
    finally:
        source.seek(0)


_STRICT = threading.Lock()


@contextlib.contextmanager
def _strict_decoding():
    """Pillow refuses a truncated file, whatever another library set: WeasyPrint switches
    ``ImageFile.LOAD_TRUNCATED_IMAGES`` on for the whole process when it is imported, and a
    truncated upload would then be stored half grey."""
    from PIL import ImageFile

    with _STRICT:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def fresh_copy(upload, *, stem: str, side: int | None = None) -> ContentFile:
    """A new encoding of a validated picture in its own format, named ``<stem>.<extension>``:
    turned upright first (a phone photo's EXIF orientation), at most ``side`` pixels on its long
    side (None: as it is), its colour profile kept, nothing else of its metadata (a photo's GPS
    position, camera and author) and no bytes after the image (polyglot files). A file Pillow
    cannot decode to the end (a truncated upload) is refused with a ValidationError."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _
    from PIL import Image, ImageOps

    upload.seek(0)
    try:
        with _strict_decoding(), Image.open(upload) as original:
            image_format = original.format
            icc_profile = original.info.get("icc_profile")
            if side:
                original.draft(None, (side, side))  # JPEG: decode at a reduced scale
            image = ImageOps.exif_transpose(original)  # a copy, upright, without the orientation tag
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Die Bilddatei ist unvollständig oder beschädigt. Bitte laden Sie sie noch einmal "
                                "hoch."), code="broken") from error
    finally:
        upload.seek(0)
    if side:
        image.thumbnail((side, side))
    if image.mode.startswith("I"):  # 16-bit (or 32-bit) greyscale: scaled to 8 bits, not clipped
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    options: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options |= {"quality": 90, "optimize": True}
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
            image = image.convert("RGBA")
        options |= {"optimize": True}
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)  # no exif= argument: no metadata written
    return ContentFile(buffer.getvalue(), name=f"{stem}.{KNOWN[image_format][0]}")


def read(field, *, formats, max_bytes: int, max_side: int) -> tuple[bytes, str] | None:
    """A stored picture's bytes and media type, read through its storage; None when there is
    none, or it is missing in the storage, too large, or not a picture of ``formats`` (logged)."""
    if not field:
        return None
    try:
        with field.storage.open(field.name, "rb") as handle:
            content = handle.read(max_bytes + 1)
    except Exception:  # noqa: BLE001 - missing on disk or in the bucket, or a name the storage refuses
        logger.warning("image %s is missing in the storage: left out", field.name)
        return None
    if len(content) > max_bytes:
        logger.warning("image %s is too large (more than %s bytes): left out", field.name, max_bytes)
        return None
    found = header(io.BytesIO(content))
    if not found.within(formats, max_side):
        logger.warning("image %s is too large (pixels) or no %s picture: left out", field.name, "/".join(formats))
        return None
    return content, KNOWN[found.format][1]


def data_uri(field, *, formats, max_bytes: int, max_side: int) -> str:
    """A stored picture inlined for a PDF (WeasyPrint fetches nothing); "" where ``read`` finds
    none."""
    found = read(field, formats=formats, max_bytes=max_bytes, max_side=max_side)
    if found is None:
        return ""
    content, media_type = found
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"
