"""Demo content of the shared kernel: accounts for each role and the pact's documents."""

import datetime

from django.core.files.base import ContentFile

from . import legal_texts
from .models import Document, InitialPartner, Page, User

DEMO_PASSWORD = "klimapakt-demo"


def minimal_pdf(title: str) -> bytes:
    """A small valid one-page PDF with a title line (no external tool needed)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def ensure_user(email, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, **fields)
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def accessibility_statement(pact) -> Page:
    """The demo's Erklärung zur Barrierefreiheit (BITV 2.0), a page the office added, linked in
    the footer; the city fills in the placeholders in square brackets."""
    page, _created = Page.objects.get_or_create(pact=pact, slug=legal_texts.ACCESSIBILITY_SLUG, defaults={
        "title_de": legal_texts.ACCESSIBILITY_TITLE_DE, "title_en": legal_texts.ACCESSIBILITY_TITLE_EN,
        "lead_de": legal_texts.ACCESSIBILITY_LEAD_DE, "lead_en": legal_texts.ACCESSIBILITY_LEAD_EN,
        "body_de": legal_texts.ACCESSIBILITY_DE, "body_en": legal_texts.ACCESSIBILITY_EN, "in_footer": True})
    return page


def load(pact) -> None:
    accessibility_statement(pact)
    from .selectors import clear_pact_cache

    clear_pact_cache()
    ensure_user("geschaeftsstelle@klimapakt.example", first_name="Greta", last_name="Grün", is_pact_office=True)
    ihk = InitialPartner.objects.filter(pact=pact, short_name="IHK").first()
    ensure_user("beratung@ihk.example", first_name="Bernd", last_name="Berater", advisor_for=ihk)
    if not Document.objects.filter(pact=pact).exists():
        for title_de, title_en, date, desc_de, desc_en in [
            ("Entwurf der Rahmenvereinbarung Krefelder Klimapakt", "Draft framework agreement",
             datetime.date(2022, 6, 1), "Rahmenvereinbarung zwischen der Stadt Krefeld und den Initialpartnern "
             "(Entwurf, zur Vorlage im Rat).", "Framework agreement between the City and the initial partners (draft)."),
            ("Sachstand im Ausschuss für Umwelt, Klima, Nachhaltigkeit und Landwirtschaft",
             "Status report to the environment committee", datetime.date(2022, 6, 23),
             "Sachstandsbericht vom 23.06.2022.", "Status report of 23 June 2022."),
        ]:
            doc = Document(pact=pact, title_de=title_de, title_en=title_en, dated_on=date,
                           description_de=desc_de, description_en=desc_en)
            doc.file.save(f"{date:%Y%m%d}-dokument.pdf", ContentFile(minimal_pdf(title_de)), save=False)
            doc.save()
