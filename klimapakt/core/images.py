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
import io
import logging
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


def fresh_copy(upload, *, side: int, stem: str) -> ContentFile:
    """A new encoding of a validated picture in its own format, at most ``side`` pixels on its
    long side, named ``<stem>.<extension>``."""
    from PIL import Image

    upload.seek(0)
    with Image.open(upload) as image:
        image_format = image.format
        image.draft(None, (side, side))  # JPEG: decode at a reduced scale
        image.load()
        image.thumbnail((side, side))
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        buffer = io.BytesIO()
        image.save(buffer, format=image_format, optimize=True)
    upload.seek(0)
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
