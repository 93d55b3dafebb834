"""An event's picture: PNG or JPEG by content, at most 2 MB and 4000 px a side, with an alt text;
public under /media/event-images/ and shown on the event page and in the list."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from klimapakt.events.models import Event

pytestmark = pytest.mark.django_db


def image_bytes(fmt="PNG", size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format=fmt)
    return buffer.getvalue()


def _form(**extra):
    data = {"kind": "workshop", "title_de": "Mit Bild", "starts_at": "2031-05-06T16:00",
            "ends_at": "2031-05-06T18:00", "audience": "open", "capacity": "20", "venue_name": "Rathaus"}
    data.update(extra)
    return data


@pytest.fixture
def office(client_for, world):
    return client_for(world["users"]["office"])


@pytest.mark.parametrize("fmt, name", [("PNG", "bild.png"), ("JPEG", "foto.jpeg")])
def test_a_png_or_jpeg_with_alt_text_is_stored_and_shown_publicly(office, client, fmt, name):
    upload = SimpleUploadedFile(name, image_bytes(fmt), content_type="image/png")
    response = office.post(reverse("event_office:create"), _form(image=upload, image_alt="Solardach der VHS"))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title_de="Mit Bild")
    assert event.image.name.startswith("event-images/")
    event.status = Event.Status.PUBLISHED
    event.save()
    for url in (reverse("events:detail", args=[event.pk]), reverse("events:list")):
        page = client.get(url).content.decode()
        assert f'src="{event.image.url}"' in page and 'alt="Solardach der VHS"' in page, url
    media = client.get(event.image.url)
    assert media.status_code == 200 and b"".join(media.streaming_content) == event.image.open("rb").read()


def test_the_alt_text_is_required_with_an_image(office):
    upload = SimpleUploadedFile("bild.png", image_bytes(), content_type="image/png")
    response = office.post(reverse("event_office:create"), _form(image=upload, image_alt="  "))
    assert response.status_code == 200
    assert "Bitte beschreiben Sie, was auf dem Bild zu sehen ist" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize("content, name, message", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "bild.png",
     "PNG- oder JPEG-Datei"),
    (b"GIF89a" + b"\x00" * 100, "bild.jpg", "PNG- oder JPEG-Datei"),
    (b"%PDF-1.4 not an image", "bild.png", "PNG- oder JPEG-Datei"),
])
def test_files_that_are_not_png_or_jpeg_by_content_are_refused(office, content, name, message):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = office.post(reverse("event_office:create"), _form(image=upload, image_alt="Bild"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_a_gif_with_a_png_name_is_refused(office):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    upload = SimpleUploadedFile("bild.png", buffer.getvalue(), content_type="image/png")
    response = office.post(reverse("event_office:create"), _form(image=upload, image_alt="Bild"))
    assert "PNG- oder JPEG-Datei" in response.content.decode()


def test_too_large_files_and_images_are_refused(office, monkeypatch):
    from klimapakt.events import images

    upload = SimpleUploadedFile("gross.png", image_bytes(size=(4001, 10)), content_type="image/png")
    response = office.post(reverse("event_office:create"), _form(image=upload, image_alt="Bild"))
    assert "Das Bild ist zu groß: höchstens 4000 × 4000 Pixel" in response.content.decode()
    monkeypatch.setattr(images, "EVENT_IMAGE_MAX_BYTES", 100)
    upload = SimpleUploadedFile("bild.png", image_bytes(size=(200, 200)), content_type="image/png")
    response = office.post(reverse("event_office:create"), _form(image=upload, image_alt="Bild"))
    assert "Das Bild ist zu groß (höchstens 2 MB)" in response.content.decode()
    assert not Event.objects.exists()


def test_the_image_can_be_removed(office, make_event):
    event = make_event(image=SimpleUploadedFile("bild.png", image_bytes()), image_alt="Bild")
    assert event.image
    data = _form(title_de=event.title_de, starts_at=event.starts_at.strftime("%Y-%m-%dT%H:%M"),
                 ends_at=event.ends_at.strftime("%Y-%m-%dT%H:%M"), image_alt="Bild", **{"image-clear": "on"})
    data["capacity"] = "2"
    response = office.post(reverse("event_office:edit", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert not event.image


def test_only_registered_folders_are_public(client):
    assert client.get("/media/event-images/../private/x.pdf").status_code == 404
    assert client.get("/media/documents/2026/x.pdf").status_code == 404
