"""Private file storage for evidence (bills), imports and archived report PDFs: never under
MEDIA_ROOT, never served by /media/. Files are handed out only by a view that checks permission
(see views.attachment). The storage is `STORAGES["private"]`: this folder by default, a prefix
of the S3 bucket with `MEDIA_STORAGE=s3` (see config.settings.media_storages)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

# The storage's callable lives in core (core's models use it too); the name stays importable here
# because migrations and models refer to `klimapakt.ghg.storage.private_storage`.
from klimapakt.core.private_storage import private_storage  # noqa: F401


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

