"""An event's picture (public, shown on the event page and in the list) and the meeting link's
rule. The picture is checked by its content, not its name: a real PNG or JPEG (decoded by
Pillow), at most EVENT_IMAGE_MAX_BYTES and EVENT_IMAGE_MAX_SIDE pixels per side. No SVG (it can
carry scripts) and no WebP (mail clients and older PDF readers do not all show it)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

EVENT_IMAGE_MAX_BYTES = 2 * 1024 * 1024
EVENT_IMAGE_MAX_SIDE = 4000
EVENT_IMAGE_FOLDER = "event-images/"  # served publicly by core's /media/ view (registered in apps.py)
_EXTENSIONS = {"PNG": "png", "JPEG": "jpg"}


def _format_of(upload) -> str | None:
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            size = image.size
            image.verify()
    except Image.DecompressionBombError:
        raise ValidationError(_("Das Bild ist zu groß: höchstens %(max)s × %(max)s Pixel.")
                              % {"max": EVENT_IMAGE_MAX_SIDE}) from None
    except Exception:  # noqa: BLE001 - anything Pillow cannot read is not an image we take
        return None
    finally:
        upload.seek(0)
    if max(size) > EVENT_IMAGE_MAX_SIDE:
        raise ValidationError(_("Das Bild ist zu groß: höchstens %(max)s × %(max)s Pixel (dieses hat %(width)s × "
                                "%(height)s).") % {"max": EVENT_IMAGE_MAX_SIDE, "width": size[0], "height": size[1]})
    return image_format


def validate_event_image(upload) -> None:
    if upload.size > EVENT_IMAGE_MAX_BYTES:
        raise ValidationError(_("Das Bild ist zu groß (höchstens 2 MB)."))
    if _format_of(upload) not in _EXTENSIONS:
        raise ValidationError(_("Das Bild muss eine PNG- oder JPEG-Datei sein."))


def fresh_encoding(upload) -> ContentFile:
    """What is stored of a validated upload (core.images.fresh_copy): upright, without metadata
    and trailing bytes, in its own format, because the picture is public under /media/."""
    from klimapakt.core import images

    return images.fresh_copy(upload, stem="bild")


def event_image_path(instance, filename: str) -> str:
    """A random name under the public folder; the extension from the content's format."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    ext = {"jpeg": "jpg"}.get(ext, ext)
    if ext not in ("png", "jpg"):
        ext = "png"
    return f"{EVENT_IMAGE_FOLDER}{secrets.token_hex(8)}.{ext}"


def validate_https(value: str) -> None:
    """A meeting link must be an https address (a video conference room)."""
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("Der Zugangslink muss mit https:// beginnen."))
