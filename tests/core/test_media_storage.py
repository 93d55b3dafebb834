"""Where uploads go (MEDIA_STORAGE) and how the public ones are served (/media/)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from config.settings import media_storages

S3_ENV = {"MEDIA_STORAGE": "s3", "S3_BUCKET": "klimapakt", "S3_ENDPOINT_URL": "http://minio.internal:9000",
          "S3_REGION": "eu-central-1", "S3_ACCESS_KEY_ID": "key", "S3_SECRET_ACCESS_KEY": "secret"}


def test_uploads_stay_in_local_folders_by_default():
    assert media_storages({}) == media_storages({"MEDIA_STORAGE": "local"}) == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "klimapakt.ghg.storage.PrivateStorage"},
    }


def test_s3_puts_both_storages_in_one_private_bucket():
    common = {"bucket_name": "klimapakt", "default_acl": None, "querystring_auth": True, "file_overwrite": False,
              "endpoint_url": "http://minio.internal:9000", "region_name": "eu-central-1",
              "access_key": "key", "secret_key": "secret"}
    assert media_storages(S3_ENV) == {
        "default": {"BACKEND": "klimapakt.core.storage.MediaS3Storage", "OPTIONS": common | {"location": "media"}},
        "private": {"BACKEND": "klimapakt.core.storage.PrivateS3Storage",
                    "OPTIONS": common | {"location": "private"}},
    }
    # Without keys, endpoint and region boto3 finds them itself (AWS_* variables, instance role).
    minimal = media_storages({"MEDIA_STORAGE": "S3", "S3_BUCKET": "b", "S3_ACCESS_KEY_ID": ""})["default"]["OPTIONS"]
    assert set(minimal) == {"bucket_name", "default_acl", "querystring_auth", "file_overwrite", "location"}


@pytest.mark.parametrize("environ", [{"MEDIA_STORAGE": "s3"}, {"MEDIA_STORAGE": "nfs"}])
def test_a_wrong_media_storage_stops_the_start(environ):
    with pytest.raises(ImproperlyConfigured):
        media_storages(environ)


def test_settings_take_media_storage_from_the_environment(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "MEDIA_STORAGE"))}
    code = "import json, config.settings as s; print(json.dumps(s.STORAGES))"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=environ | S3_ENV | {"VAR_DIR": str(tmp_path)},
                         capture_output=True, text=True, check=True).stdout
    storages = json.loads(out)
    assert storages["default"] == media_storages(S3_ENV)["default"]
    assert storages["private"]["OPTIONS"]["location"] == "private" and "staticfiles" in storages


def test_media_serves_public_logos_through_the_storage_and_nothing_else(db, client):
    logo = default_storage.save("logos/abc.png", ContentFile(b"\x89PNG logo"))
    document = default_storage.save("documents/2022/intern.pdf", ContentFile(b"%PDF- intern"))
    response = client.get(f"/media/{logo}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\x89PNG logo"
    assert response["Content-Type"] == "image/png"
    for path in (f"logos/../{document}", "logos/..", "pact/", "logos/missing.png"):
        assert client.get(f"/media/{path}").status_code == 404, path
    assert client.post(f"/media/{logo}").status_code == 405
