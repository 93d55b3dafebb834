"""Private file storage for evidence (bills), imports and archived report PDFs: never under
MEDIA_ROOT, never served by /media/. Files are handed out only by a view that checks permission
(see views.attachment). The storage is `STORAGES["private"]`: this folder by default, a prefix
of the S3 bucket with `MEDIA_STORAGE=s3` (see config.settings.media_storages)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


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


class _PrivateStorage(LazyObject):
    """`STORAGES["private"]`, looked up on first use (and again after a test changes STORAGES),
    like Django's `default_storage`."""

    def _setup(self):
        self._wrapped = storages["private"]


_storage = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _storage._wrapped = empty


def private_storage():
    return _storage
