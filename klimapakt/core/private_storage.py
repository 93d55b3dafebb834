"""The private storage (``STORAGES["private"]``: a folder outside MEDIA_ROOT, or the private
prefix of the bucket) as a callable for ``FileField(storage=...)``: looked up on first use, and
again after a test changes STORAGES, like Django's ``default_storage``. Its files are never
served under /media/; each reaches a person through a permission-checked view
(``core.responses.private_file``) or inlined into a PDF."""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


_storage = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _storage._wrapped = empty


def private_storage():
    return _storage
