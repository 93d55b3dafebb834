"""Uploads in an S3-compatible bucket (`MEDIA_STORAGE=s3`, see `config.settings.media_storages`).

One private bucket, two prefixes: `media/` for the default storage (logos, pact and organisation
documents) and `private/` for evidence, imports and archived report PDFs. No object gets a
public ACL and no URL of the bucket reaches a browser: public logos are served by the app's
`/media/` view (`core.views.public_media`), every other file by its permission-checked view,
both reading through the storage."""

from django.conf import settings
from storages.backends.s3 import S3Storage


class MediaS3Storage(S3Storage):
    """The default storage: its URLs point to the app (`/media/...`) as FileSystemStorage's do,
    so templates stay the same and the bucket stays private."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{name.lstrip('/')}"


class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no public URL; use the permission-checked download view.")
