"""Uploads in an S3 bucket (MEDIA_STORAGE=s3), with moto's mocked S3: private files go in and
out through the permission-checked views, logos through the app's /media/ view; nothing is
public in the bucket and nothing touches the local folders."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klimapakt.core.demo import minimal_pdf
from klimapakt.partners.models import OrganisationDocument

BUCKET = "klimapakt-test"


def png_bytes(size=(40, 20)):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def s3(settings):
    """The settings a deployment gets from MEDIA_STORAGE=s3, against a mocked bucket."""
    import boto3
    from moto import mock_aws

    from config.settings import media_storages

    with mock_aws():
        client = boto3.client("s3", region_name="eu-central-1")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        settings.STORAGES = settings.STORAGES | media_storages({
            "MEDIA_STORAGE": "s3", "S3_BUCKET": BUCKET, "S3_REGION": "eu-central-1",
            "S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing"})
        yield client


def _object(s3, key) -> bytes:
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def _assert_private(s3, key):
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only, no public-read
    assert all("URI" not in g["Grantee"] for g in grants)


def _no_local_files(settings):
    from pathlib import Path

    media = Path(settings.MEDIA_ROOT)
    for folder in (media, media.parent / "private"):
        assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*")), folder


def test_organisation_document_goes_through_the_views_into_the_bucket(s3, settings, journey, client_for, world):
    content = minimal_pdf("Unterschriebene Vereinbarung")
    office = client_for(journey.office)
    response = office.post(reverse("backoffice:organisation_document_add", args=[journey.org.pk]),
                           {"title": "Scan", "shared_with_organisation": "on",
                            "file": SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")})
    assert response.status_code == 302
    document = OrganisationDocument.objects.get()
    key = f"media/{document.file.name}"
    assert _object(s3, key) == content
    _assert_private(s3, key)
    _no_local_files(settings)

    url = reverse("portal:document", args=[journey.org.pk, document.pk])
    response = client_for(journey.member).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf" and "no-store" in response["Cache-Control"]
    assert client_for(world["users"]["member_b"]).get(url).status_code == 403
    # The /media/ view serves logos only, also from the bucket.
    assert client_for(journey.member).get(f"/media/logos/../{document.file.name}").status_code == 404


def test_bill_lands_in_the_private_prefix_and_only_its_view_serves_it(s3, settings, world, client_for):
    org, member = world["org_a"], world["users"]["member_a"]
    content = minimal_pdf("Rechnung")
    client = client_for(member)
    response = client.post(reverse("ghg:activity_add", args=[org.pk, 2024]), {
        "carrier": "electricity", "quantity": "1000", "unit": "kWh",
        "attachment": SimpleUploadedFile("rechnung.pdf", content, content_type="application/pdf")})
    assert response.status_code == 302
    activity = org.activity_lines.get()
    key = f"private/{activity.attachment.name}"
    assert _object(s3, key) == content
    _assert_private(s3, key)
    _no_local_files(settings)
    with pytest.raises(ValueError):
        activity.attachment.url  # noqa: B018 - a private file has no URL, not even a signed one

    url = reverse("ghg:attachment", args=[org.pk, activity.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert client_for(world["users"]["member_b"]).get(url).status_code == 403


def test_logo_is_stored_in_the_bucket_and_served_by_the_app(s3, settings, journey, client_for, client):
    journey.active()
    logo = png_bytes((200, 100))
    member = client_for(journey.member)
    response = member.post(reverse("portal:profile", args=[journey.org.pk]), {
        "logo": SimpleUploadedFile("logo.png", logo, content_type="image/png"), "description": "Ökostrom",
        "listing_consent": "on"})
    assert response.status_code == 302
    journey.org.refresh_from_db()
    name = journey.org.logo.name
    stored = _object(s3, f"media/{name}")  # a fresh copy of the upload (core.images), same picture
    assert name.startswith("logos/") and stored.startswith(b"\x89PNG") and stored != b""
    from PIL import Image

    assert Image.open(io.BytesIO(stored)).size == Image.open(io.BytesIO(logo)).size
    _assert_private(s3, f"media/{name}")  # public through the app, not through the bucket
    _no_local_files(settings)

    url = journey.org.logo.url
    assert url == f"/media/{name}"  # the app's URL: no bucket host, no signature that expires
    assert url in client.get(reverse("partners:directory")).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored
    assert response["Content-Type"] == "image/png" and response["Cache-Control"].startswith("public")
    assert client.get("/media/logos/missing.png").status_code == 404

    # The certificate PDF reads the logo through the storage too.
    pdf = member.get(reverse("portal:certificate_pdf", args=[journey.org.pk])).content
    assert pdf[:5] == b"%PDF-" and b"/Image" in pdf
