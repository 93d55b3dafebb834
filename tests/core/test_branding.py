"""The city's branding (core.branding): logo, signature and accent colour, uploaded in the back
office, bounded and re-encoded, and seen on pages, in mails and in the PDFs."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klimapakt.core import branding
from klimapakt.core.models import AuditEntry, Pact

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def png(width=120, height=60, colour=(200, 30, 30), *, fmt="PNG", exif=None) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), colour)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def upload(content: bytes, name="wappen.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_branding(client, **data):
    fields = {"accent_colour": "standard", "signature_name": ""} | data
    return client.post(reverse("backoffice:branding"), fields)


@pytest.fixture
def office(world, client_for):
    return client_for(world["users"]["office"])


# --------------------------------------------------------------------------- the colour list


def _oklch_to_hex(lightness: float, chroma: float, hue: float) -> str:
    a, b = chroma * math.cos(math.radians(hue)), chroma * math.sin(math.radians(hue))
    l_ = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m_ = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s_ = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    linear = (4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
              -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
              -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_)

    def encode(x):
        x = min(max(x, 0.0), 1.0)
        return 12.92 * x if x <= 0.0031308 else 1.055 * x ** (1 / 2.4) - 0.055

    return "#" + "".join(f"{round(encode(v) * 255):02x}" for v in linear)


def _contrast_with_white(hex_colour: str) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_every_accent_is_its_kern_token_and_keeps_white_text_readable():
    css = (ROOT / "klimapakt/static/vendor/kern/kern.min.css").read_text(encoding="utf-8")
    site = (ROOT / "klimapakt/static/klimapakt/site.css").read_text(encoding="utf-8")
    for accent in branding.ACCENTS:
        assert _contrast_with_white(accent.hex) >= 4.5, accent.key
        if accent.token:
            match = re.search(re.escape(accent.token) + r": *oklch\(([\d.]+)% ([\d.]+) ([\d.]+)\)", css)
            assert match, f"{accent.token} is not a KERN token"
            assert _oklch_to_hex(float(match[1]) / 100, float(match[2]), float(match[3])) == accent.hex, accent.key
        assert f".kp-accent--{accent.key} {{ --kp-green: {accent.hex}; }}" in site
        assert f".kp-swatch--{accent.key} {{ background: {accent.hex}; }}" in site


def test_a_colour_outside_the_list_is_refused(world, office):
    response = post_branding(office, accent_colour="#ff00ff")
    assert response.status_code == 200
    assert response.context["form"].errors["accent_colour"]
    assert Pact.objects.get().accent_colour == "standard"

    from django.core.exceptions import ValidationError

    from klimapakt.core import services

    with pytest.raises(ValidationError) as error:
        services.pact_branding_update(pact=Pact.objects.get(), actor=None, accent_colour="pink", signature_name="")
    assert "accent_colour" in error.value.message_dict


def test_the_chosen_colour_reaches_the_page(world, office, client):
    assert post_branding(office, accent_colour="darkblue-700").status_code == 302
    html = client.get("/").content.decode()
    assert 'class="kp-body kp-accent--darkblue-700"' in html


# --------------------------------------------------------------------------- uploads


def test_the_office_uploads_a_logo_that_is_stored_re_encoded_and_public(world, office, client):
    response = post_branding(office, logo=upload(png(2000, 1000)), accent_colour="red-700")
    assert response.status_code == 302
    pact = Pact.objects.get()
    assert pact.logo.name.startswith("pact/wappen") and pact.logo.name.endswith(".png")
    from PIL import Image

    with pact.logo.open("rb") as handle, Image.open(handle) as stored:
        assert stored.size == (800, 400)  # at most STORED_SIDE on the long side
    served = client.get(pact.logo.url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert f'src="{pact.logo.url}"' in client.get("/").content.decode()
    entry = AuditEntry.objects.get(action="core.pact.branding_updated")
    assert entry.actor == world["users"]["office"] and "logo" in entry.data["changes"]


def test_a_jpeg_keeps_its_format_and_loses_its_metadata(world, office):
    from PIL import Image

    exif = Image.Exif()
    exif[0x010E] = "Geheime Ortsangabe"  # ImageDescription
    assert post_branding(office, logo=upload(png(300, 200, fmt="JPEG", exif=exif.tobytes()), "wappen.jpg",
                                                "image/jpeg")).status_code == 302
    pact = Pact.objects.get()
    assert pact.logo.name.endswith(".jpg")
    with pact.logo.open("rb") as handle:
        content = handle.read()
    assert b"Geheime Ortsangabe" not in content


@pytest.mark.parametrize("content, name, message", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "wappen.svg", "PNG oder JPEG"),
    (b"kein Bild, nur Text", "wappen.png", "PNG oder JPEG"),
    (b"%PDF-1.4\n%%EOF", "wappen.png", "PNG oder JPEG"),
    (png(5000, 10), "breit.png", "höchstens 4000 × 4000 Pixel"),
    (png(8, 8), "winzig.png", "mindestens 16 × 16 Pixel"),
])
def test_bad_images_are_refused_with_a_message_on_the_field(world, office, content, name, message):
    response = post_branding(office, logo=upload(content, name))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["logo"])
    assert not Pact.objects.get().logo
    assert not AuditEntry.objects.filter(action="core.pact.branding_updated").exists()


def test_a_file_over_two_megabytes_is_refused(world, office, monkeypatch):
    monkeypatch.setattr(branding, "MAX_BYTES", 1000)
    response = post_branding(office, logo=upload(png(400, 400, colour=(1, 2, 3)) + b"\0" * 2000))
    assert "zu groß" in " ".join(response.context["form"].errors["logo"])


def test_the_signature_is_private_and_reaches_the_certificate(world, office, client):
    response = post_branding(office, signature=upload(png(300, 80, colour=(10, 10, 10)), "unterschrift.png"),
                             signature_name="Frank Meyer, Oberbürgermeister")
    assert response.status_code == 302
    pact = Pact.objects.get()
    assert pact.signature.name.startswith("pact-signature/")
    assert pact.signature.storage is not pact.logo.storage
    with pytest.raises(ValueError):
        pact.signature.url  # noqa: B018 - private: no public address
    assert client.get(f"/media/{pact.signature.name}").status_code == 404
    assert not (Path(pact.logo.storage.location) / pact.signature.name).exists()

    from django.template.loader import render_to_string

    from klimapakt.partners import documents

    captured = {}
    original = documents.render_pdf

    def capture(template, context):
        captured[template] = render_to_string(template, context)
        return original(template, context)

    documents.render_pdf = capture
    try:
        pdf = documents.certificate_pdf(world["org_a"])
    finally:
        documents.render_pdf = original
    html = captured["partners/pdf/certificate.html"]
    assert 'class="signature-image" src="data:image/png;base64,' in html
    assert "Frank Meyer, Oberbürgermeister" in html
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" in pdf


def test_removing_the_logo_deletes_the_file(world, office, django_capture_on_commit_callbacks):
    post_branding(office, logo=upload(png()))
    pact = Pact.objects.get()
    path = Path(pact.logo.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_branding(office, remove_logo="on").status_code == 302
    assert not Pact.objects.get().logo
    assert not path.exists()


def test_replacing_the_logo_keeps_one_file(world, office, django_capture_on_commit_callbacks):
    post_branding(office, logo=upload(png()))
    first = Path(Pact.objects.get().logo.path)
    with django_capture_on_commit_callbacks(execute=True):
        post_branding(office, logo=upload(png(colour=(0, 0, 200))))
    assert not first.exists() and Path(Pact.objects.get().logo.path).exists()


# --------------------------------------------------------------------------- mails and PDFs


def test_a_mail_carries_the_logo_and_the_colour(world, office, settings, django_capture_on_commit_callbacks):
    """Through the outbox and the delivery task, as every mail goes (the layout mail/base.html)."""
    from django.core import mail

    from klimapakt.core.mail import queue_mail

    settings.SITE_URL = "https://klimapakt.example"
    post_branding(office, logo=upload(png()), accent_colour="violet-700")
    pact = Pact.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(to=["anna@alpha.example"], template="events/email/message", context={
            "first_name": "Anna", "last_name": "Alpha", "subject": "Hinweis", "body": "Bitte beachten Sie …",
            "event_title": "Workshop", "event_when": "morgen", "event_path": "/veranstaltungen/1/",
            "personal_path": "/veranstaltungen/x/"})
    sent = mail.outbox[-1]
    html = sent.alternatives[0][0]
    # the logo travels in the mail (no remote picture for the client to block or to report back)
    assert '<img src="cid:pakt-logo@klimapakt"' in html and "klimapakt.example/media" not in html
    assert "border-bottom: 4px solid #7e01a8" in html
    assert "<img" not in sent.body
    message = sent.message()
    assert message.get_content_type() == "multipart/related"
    alternative, logo = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert logo["Content-ID"] == "<pakt-logo@klimapakt>" and logo.get_content_type() == "image/png"
    with pact.logo.open("rb") as handle:
        assert logo.get_payload(decode=True) == handle.read()


def test_the_logo_sits_beside_the_text_and_attachments_stay_attachments(world, office,
                                                                        django_capture_on_commit_callbacks):
    """A confirmation with a calendar file and a QR code: mixed(related(alternative, logo), ics, png)."""
    import datetime

    from django.core import mail
    from django.utils import timezone

    from klimapakt.events import services
    from klimapakt.events.models import Event

    post_branding(office, logo=upload(png()), accent_colour="violet-700")
    start = timezone.now() + datetime.timedelta(days=14)
    event = Event.objects.create(pact=world["pact"], title_de="Netzwerktreffen", starts_at=start,
                                 ends_at=start + datetime.timedelta(hours=2), venue_name="Rathaus", capacity=5,
                                 status=Event.Status.PUBLISHED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, person=services.PersonData(
            first_name="Anna", last_name="Alpha", email="anna@alpha.example", organisation="Alpha GmbH",
            privacy_consent=True))
    message = mail.outbox[-1].message()
    assert message.get_content_type() == "multipart/mixed"
    parts = message.get_payload()
    assert parts[0].get_content_type() == "multipart/related"
    assert [p.get_content_type() for p in parts[0].get_payload()] == ["multipart/alternative", "image/png"]
    assert [p.get_filename() for p in parts[1:]] == [f"veranstaltung-{event.pk}.ics", "einlass-qr-code.png"]
    assert all(p.get("Content-Disposition", "").startswith("attachment") for p in parts[1:])


def test_a_mail_whose_logo_is_gone_is_still_sent(world, office, settings, django_capture_on_commit_callbacks):
    from django.core import mail

    from klimapakt.core.mail import queue_mail

    post_branding(office, logo=upload(png()))
    pact = Pact.objects.get()
    pact.logo.storage.delete(pact.logo.name)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(to=["anna@alpha.example"], subject="Hinweis", text="Text", html="<p>x</p>")
        queue_mail(to=["anna@alpha.example"], template="events/email/message", context={
            "first_name": "Anna", "last_name": "Alpha", "subject": "Hinweis", "body": "Bitte beachten Sie …",
            "event_title": "Workshop", "event_when": "morgen", "event_path": "/veranstaltungen/1/",
            "personal_path": "/veranstaltungen/x/"})
    assert len(mail.outbox) == 2
    assert mail.outbox[1].message().get_content_type() == "multipart/alternative"


def test_the_certificate_and_agreement_carry_the_logo_and_colour(world, office, monkeypatch):
    post_branding(office, logo=upload(png(400, 200)), accent_colour="orange-700")
    from django.template.loader import render_to_string

    from klimapakt.partners import documents

    pdf = documents.certificate_pdf(world["org_a"])
    assert pdf.count(b"/Subtype /Image") >= 1
    monkeypatch.setattr(documents, "render_pdf", lambda template, context: render_to_string(template, context))
    html = documents.certificate_pdf(world["org_a"])
    assert "#734000" in html and 'src="data:image/png;base64,' in html
    svg = documents.badge_svg(world["org_a"], Pact.objects.get())
    assert 'fill="#734000"' in svg
    from PIL import Image

    badge = Image.open(io.BytesIO(documents.badge_png(world["org_a"], Pact.objects.get(), size=100)))
    assert badge.convert("RGB").getpixel((50, 8))[:3] == (0x73, 0x40, 0x00)


def test_a_missing_or_oversized_stored_image_is_left_out(world, caplog):
    from django.core.files.base import ContentFile

    pact = Pact.objects.get()
    pact.logo.save("alt.png", ContentFile(png(5000, 10)), save=True)
    assert branding.data_uri(pact.logo) == ""
    pact.logo.name = "pact/gibt-es-nicht.png"
    assert branding.data_uri(pact.logo) == ""
    assert "missing" in caplog.text


def test_the_header_without_a_logo_keeps_the_mark(world, client):
    html = client.get("/").content.decode()
    assert "kp-brand__mark" in html and "kp-brand__logo" not in html
    assert "kp-accent--standard" in html


def test_the_branding_page_renders_for_the_office(world, office):
    response = office.get(reverse("backoffice:branding"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert html.count('type="radio" name="accent_colour"') == len(branding.ACCENTS)
    assert 'value="standard" checked' in html


def test_the_balance_pdf_and_the_report_pdf_carry_logo_and_colour(world, office):
    """The other PDFs of the platform: a CO₂ balance (ghg) and a report (reports)."""
    post_branding(office, logo=upload(png(400, 200)), accent_colour="lightblue-700")
    pact = Pact.objects.get()
    from klimapakt.ghg import calculation
    from klimapakt.ghg import documents as ghg_documents
    from klimapakt.ghg.selectors import factor_table

    result = calculation.calculate(factor_table(), 2024, [{"carrier": "electricity", "quantity": "1000", "unit": "kWh"}])
    html = ghg_documents.result_html(result, title="Bilanz", pact=pact)
    assert 'class="logo" src="data:image/png;base64,' in html and "#00536e" in html
    assert b"/Subtype /Image" in ghg_documents.result_pdf(result, title="Bilanz", pact=pact)
    without = ghg_documents.result_html(result, title="Bilanz")  # the calculator's PDF without a pact
    assert 'class="logo"' not in without and "#1b6e3a" in without

    from django.template.loader import render_to_string

    from klimapakt.reports.documents import _branding

    assert _branding(pact)["accent"] == "#00536e" and _branding(pact)["pact_logo"].startswith("data:image/png")
    head = render_to_string("reports/pdf/report.html", {
        **_branding(pact), "pact": pact, "report": None, "snapshot": {"measures": [], "targets": [], "notes": {}},
        "balances": [], "measures": [], "targets": [], "notes": [], "check": None})
    assert '<img src="data:image/png;base64,' in head and "border-left: 3pt solid #00536e" in head


def test_the_counter_signed_agreement_carries_the_signature(world, office, monkeypatch):
    import datetime

    from django.template.loader import render_to_string

    from klimapakt.partners import documents
    from klimapakt.partners.models import Agreement, AgreementVersion

    post_branding(office, signature=upload(png(300, 80, colour=(10, 10, 10)), "unterschrift.png"),
                  signature_name="Frank Meyer, Oberbürgermeister", logo=upload(png()))
    version = AgreementVersion.objects.create(pact=world["pact"], label="T-1", text_de="Text",
                                              valid_from=datetime.date(2022, 1, 1))
    agreement = Agreement.objects.create(organisation=world["org_a"], version=version,
                                         status=Agreement.Status.SUBMITTED, signatory_name="Anna Alpha",
                                         signatory_role="Inhaberin", accepts_obligations=True)
    assert documents.agreement_pdf(agreement).count(b"/Subtype /Image") >= 1  # the logo
    monkeypatch.setattr(documents, "render_pdf", lambda template, context: render_to_string(template, context))
    assert "class=\"signature-image\"" not in documents.agreement_pdf(agreement)  # not counter-signed yet
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.COUNTERSIGNED,
                                                     countersigned_on=datetime.date(2025, 3, 1))
    agreement.refresh_from_db()
    html = documents.agreement_pdf(agreement)
    assert 'class="signature-image" src="data:image/png;base64,' in html and "Frank Meyer, Oberbürgermeister" in html


def test_a_logo_that_cannot_be_read_leaves_the_pacts_name_not_a_broken_picture(world, office,
                                                                               django_capture_on_commit_callbacks):
    """Removed from the storage after the mail was queued (or broken): a template mail is rendered
    with the name, a mail rendered when queued (allauth's) gets the name instead of the picture."""
    from django.core import mail

    from klimapakt.core.mail import layout_context, queue_mail

    post_branding(office, logo=upload(png()))
    pact = Pact.objects.get()
    queued_html = ('<div><img src="cid:pakt-logo@klimapakt" alt="Krefelder Klimapakt" '
                   'style="max-height: 64px;"></div><p>Ihr Code</p>')
    assert layout_context("de")["mail_logo_src"] == "cid:pakt-logo@klimapakt"
    pact.logo.storage.delete(pact.logo.name)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(to=["anna@alpha.example"], subject="Code", text="Ihr Code", html=queued_html)
        queue_mail(to=["anna@alpha.example"], template="events/email/message", context={
            "first_name": "Anna", "last_name": "Alpha", "subject": "Hinweis", "body": "Bitte beachten Sie …",
            "event_title": "Workshop", "event_when": "morgen", "event_path": "/veranstaltungen/1/",
            "personal_path": "/veranstaltungen/x/"})
    for sent in mail.outbox:
        html = sent.alternatives[0][0]
        assert "cid:" not in html and "<strong" in html and "Klimapakt" in html
        assert sent.message().get_content_type() == "multipart/alternative"


def test_the_related_part_names_its_root_type(world, office, django_capture_on_commit_callbacks):
    from django.core import mail

    from klimapakt.core.mail import queue_mail

    post_branding(office, logo=upload(png()))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(to=["anna@alpha.example"], subject="Code", text="Ihr Code",
                   html='<img src="cid:pakt-logo@klimapakt" alt="Pakt"><p>Ihr Code</p>')
    message = mail.outbox[-1].message()
    assert message.get_content_type() == "multipart/related"
    assert message.get_param("type") == "multipart/alternative"
