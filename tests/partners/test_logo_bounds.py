"""Logos are bounded in pixels (issue 11, "Image bomb"): a 420 KB PNG of 12000 × 12000 px was
accepted, and each certificate PDF then took 3.2 s and 942 MB. Now an upload may have at most
4000 × 4000 px (read from the header, nothing decoded) and a copy of at most 800 px is stored."""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from klimapakt.core import images
from klimapakt.partners import services


def _png(size, mode="RGB") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, 1 if mode == "1" else (20, 120, 60)).save(out, format="PNG", optimize=True)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """12000 × 12000 px, a few dozen KB on disk (1 bit per pixel, all the same)."""
    return _png((12000, 12000), mode="1")


def test_a_logo_of_12000_by_12000_pixels_is_refused_without_decoding_it(journey, bomb):
    assert len(bomb) < 500_000
    upload = SimpleUploadedFile("logo.png", bomb, content_type="image/png")
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as caught:
            services.profile_update(organisation=journey.org, actor=journey.member, logo=upload)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "höchstens 4000 × 4000 Pixel" in " ".join(caught.value.messages)
    assert peak < 20 * 2**20, peak
    journey.org.refresh_from_db()
    assert not journey.org.logo


def test_a_large_logo_is_stored_as_a_copy_of_at_most_800_pixels(journey):
    from PIL import Image

    upload = SimpleUploadedFile("logo.png", _png((3000, 1500)), content_type="image/png")
    services.profile_update(organisation=journey.org, actor=journey.member, logo=upload)
    journey.org.refresh_from_db()
    with journey.org.logo.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (800, 400) and image.format == "PNG"
    assert journey.org.logo.name.startswith("logos/") and journey.org.logo.name.endswith(".png")


def test_a_large_jpeg_stays_a_jpeg(journey):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2000, 2000), (200, 10, 10)).save(out, format="JPEG")
    upload = SimpleUploadedFile("logo.jpg", out.getvalue(), content_type="image/jpeg")
    services.profile_update(organisation=journey.org, actor=journey.member, logo=upload)
    journey.org.refresh_from_db()
    with journey.org.logo.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (800, 800) and image.format == "JPEG"


def test_the_profile_page_refuses_the_bomb_with_a_german_message(journey, bomb, client_for):
    from django.urls import reverse

    client = client_for(journey.member)
    url = reverse("portal:profile", kwargs={"pk": journey.org.pk})
    response = client.post(url, {"logo": SimpleUploadedFile("logo.png", bomb, content_type="image/png"),
                                 "description": "Ökostrom", "listing_consent": "on"})
    assert response.status_code == 200
    assert "höchstens 4000 × 4000 Pixel" in response.content.decode()


def test_a_certificate_leaves_out_an_oversized_logo_stored_before_the_bound(journey, bomb, caplog):
    """A logo stored before the bound (or put into the storage by hand) is not inlined."""
    from klimapakt.partners.documents import certificate_pdf

    journey.active()
    org = journey.org
    org.logo.save("alt.png", ContentFile(bomb), save=True)
    started = time.monotonic()
    pdf = certificate_pdf(org)
    assert pdf.startswith(b"%PDF") and time.monotonic() - started < 3
    assert "too large" in caplog.text


def test_the_header_is_read_without_decoding_the_pixels(bomb):
    tracemalloc.start()
    try:
        assert images.header(io.BytesIO(bomb)) == images.Header("PNG", 12000, 12000)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 2**20


def test_a_small_logo_is_stored_as_a_fresh_copy_without_its_metadata(journey):
    """A photo's location (EXIF) must not reach a public page: every logo is stored re-encoded."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010E] = "Standort: Ostwall 104, Krefeld"  # ImageDescription
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 90, 40)).save(out, format="JPEG", exif=exif.tobytes())
    assert b"Ostwall" in out.getvalue()
    upload = SimpleUploadedFile("logo.jpg", out.getvalue(), content_type="image/jpeg")
    services.profile_update(organisation=journey.org, actor=journey.member, logo=upload)
    journey.org.refresh_from_db()
    with journey.org.logo.open("rb") as handle:
        stored = handle.read()
    assert b"Ostwall" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (300, 200) and image.format == "JPEG"
