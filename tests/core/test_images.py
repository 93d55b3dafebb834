"""core.images: the one fresh encoding of every stored picture (pact logo and signature, partner
logos, event pictures). Found by an attack pass: a truncated JPEG made each upload a 500, a
phone photo's orientation was dropped (the logo stood sideways), a 16-bit grey PNG came out
white."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from klimapakt.core import images


def _jpeg(size=(200, 100), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", **save)
    return out.getvalue()


def test_a_truncated_jpeg_is_refused_not_a_crash():
    import weasyprint  # noqa: F401 - it switches ImageFile.LOAD_TRUNCATED_IMAGES on for the process
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    whole = _jpeg((400, 300))
    with pytest.raises(ValidationError) as caught:
        images.fresh_copy(io.BytesIO(whole[: len(whole) // 2]), stem="logo", side=800)
    assert "unvollständig oder beschädigt" in caught.value.messages[0]
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # restored for WeasyPrint


def test_the_orientation_is_applied_then_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    stored = images.fresh_copy(io.BytesIO(_jpeg((200, 100), exif=exif.tobytes())), stem="logo", side=800)
    with Image.open(io.BytesIO(stored.read())) as image:
        assert image.size == (100, 200) and 0x0112 not in image.getexif()


def test_sixteen_bit_grey_keeps_its_grey():
    out = io.BytesIO()
    Image.new("I;16", (40, 40), 32768).save(out, format="PNG")
    stored = images.fresh_copy(io.BytesIO(out.getvalue()), stem="logo", side=800)
    with Image.open(io.BytesIO(stored.read())) as image:
        value = image.convert("L").getpixel((5, 5))
    assert 120 <= value <= 135, value


def test_the_colour_profile_is_kept():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    stored = images.fresh_copy(io.BytesIO(_jpeg(icc_profile=profile)), stem="logo")
    with Image.open(io.BytesIO(stored.read())) as image:
        assert image.info.get("icc_profile") == profile


@pytest.mark.django_db
def test_every_upload_form_answers_a_truncated_jpeg_on_its_field(client_for, world):
    from django.urls import reverse

    from klimapakt.core.services import pact_branding_update
    from klimapakt.events import services as events
    from klimapakt.partners import services as partners

    whole = _jpeg((400, 300))
    broken = lambda name: SimpleUploadedFile(name, whole[: len(whole) // 2], content_type="image/jpeg")  # noqa: E731
    org, member = world["org_a"], world["users"]["member_a"]
    page = client_for(member).post(reverse("portal:profile", kwargs={"pk": org.pk}), {
        "logo": broken("logo.jpg"), "description": "Ökostrom", "listing_consent": "on"})
    assert page.status_code == 200 and "unvollständig oder beschädigt" in page.content.decode()
    with pytest.raises(ValidationError) as caught:
        partners.profile_update(organisation=org, actor=member, logo=broken("logo.jpg"))
    assert "logo" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        pact_branding_update(pact=world["pact"], actor=world["users"]["office"], accent_colour="standard",
                             signature_name="", logo=broken("wappen.jpg"))
    assert "logo" in caught.value.message_dict
    assert not world["pact"].__class__.objects.get(pk=world["pact"].pk).logo
    with pytest.raises(ValidationError) as caught:
        events.event_create(pact=world["pact"], actor=world["users"]["office"], title_de="Treffen",
                            image=broken("bild.jpg"))
    assert "image" in caught.value.message_dict
