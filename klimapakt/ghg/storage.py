"""Private file storage for evidence (bills): never under MEDIA_ROOT, never served by /media/.
Files are handed out only by a view that checks permission (see views.attachment_download)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Location: PRIVATE_MEDIA_ROOT, or a `private` folder next to MEDIA_ROOT. Read from the
    settings at each access so tests (which move MEDIA_ROOT) stay isolated."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or os.environ.get("PRIVATE_MEDIA_ROOT")
        return str(configured or Path(settings.MEDIA_ROOT).parent / "private")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; use the permission-checked download view.")


_storage = PrivateStorage()


def private_storage():
    return _storage
