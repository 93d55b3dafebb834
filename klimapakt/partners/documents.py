"""Documents of the partnership: the agreement and the certificate as PDF (WeasyPrint), the
Klimapartner badge as SVG (template) and PNG (Pillow, which WeasyPrint already depends on)."""

from __future__ import annotations

import base64
import datetime
import io
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from klimapakt.core import branding
from klimapakt.core.models import Pact
from klimapakt.core.text import render_markdown

from .logos import logo_data_uri
from .models import Agreement, Organisation, Target
from .selectors import agreement_snapshot

GREEN = (27, 110, 58)  # the badge's colour where a pact has no accent colour (core.branding)


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    # Only inline data (the logos, the badge): nothing is fetched from disk or the network.
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def pdf_filename(kind: str, organisation: Organisation, ext: str = "pdf") -> str:
    return f"{kind}-{slugify(organisation.name)[:60] or organisation.pk}.{ext}"


class _AgreementTarget:
    """A target as the agreement states it (from the snapshot), shaped like `Target` for templates."""

    def __init__(self, data: dict):
        self.pk, self.version = data["id"], data["version"]
        self.base_year, self.target_year, self.scopes = data["base_year"], data["target_year"], data["scopes"]
        self.reduction_percent = Decimal(data["reduction_percent"]) if data["reduction_percent"] is not None else None
        self.reduction_t_co2e = Decimal(data["reduction_t_co2e"]) if data["reduction_t_co2e"] is not None else None
        self.neutral_by, self.comment = data["neutral_by"], data["comment"]

    def get_scopes_display(self):
        return dict(Target.Scopes.choices).get(self.scopes, self.scopes)


def _translated(data: dict, base: str) -> str:
    """As `core.models.Translated`: the English text in English when there is one, else German."""
    language = (get_language() or "de")[:2]
    return (language != "de" and data.get(f"{base}_{language}")) or data[f"{base}_de"]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def agreement_document(agreement: Agreement, pact: Pact) -> SimpleNamespace:
    """The content of the agreement as the PDF and the portal show it, in the active language:
    a counter-signed agreement from its snapshot (the document of record), a draft or one
    under review from live data."""
    data = agreement.snapshot or agreement_snapshot(agreement, pact=pact)
    version, pact_data = data["version"], data["pact"]
    return SimpleNamespace(
        pact_name=_translated(pact_data, "name"), office_name=_translated(pact_data, "office_name"),
        contact_email=pact_data["contact_email"], target_year=pact_data["target_year"],
        baseline_report_due_months=pact_data["baseline_report_due_months"],
        organisation=SimpleNamespace(**data["organisation"]),
        version=SimpleNamespace(label=version["label"], valid_from=_date(version["valid_from"]),
                                title=_translated(version, "title"),
                                text=render_markdown(_translated(version, "text"))),
        signatory_name=data["signatory_name"], signatory_role=data["signatory_role"],
        consents_publication=data["consents_publication"], submitted_on=_date(data["submitted_on"]),
        countersigned_on=_date(data["countersigned_on"]), countersigned_by=data["countersigned_by"],
        countersigned_by_role=data.get("countersigned_by_role", ""),  # snapshots before 2025-12 have none
        baseline_due=_date(data["baseline_report_due"]), monitoring_years=data["monitoring_years"],
        targets=[_AgreementTarget(t) for t in data["targets"]],
    )


def _branding(pact: Pact) -> dict:
    """The city's branding for a document (core.branding): accent colour, logo and signature
    inlined; the signature only ever reaches a PDF this way (it is stored privately)."""
    return {"accent": pact.accent.hex, "pact_logo": branding.data_uri(pact.logo),
            "signature": branding.data_uri(pact.signature), "signature_name": pact.signature_name}


def agreement_pdf(agreement: Agreement) -> bytes:
    pact = Pact.objects.current()
    return render_pdf("partners/pdf/agreement.html", {
        "doc": agreement_document(agreement, pact), **_branding(pact), "generated": timezone.localdate(),
    })


def agreement_attachment(*, agreement_id: int, language: str) -> tuple[str, bytes, str]:
    """The counter-signed agreement as a mail attachment, rendered when the mail is sent (the
    builder "partners.agreement_pdf" of core.registry.mail_attachments)."""
    agreement = Agreement.objects.select_related("organisation", "version").get(pk=agreement_id)
    return pdf_filename("vereinbarung", agreement.organisation), agreement_pdf(agreement), "application/pdf"


def certificate_pdf(organisation: Organisation) -> bytes:
    pact = Pact.objects.current()
    badge = "data:image/svg+xml;base64," + base64.b64encode(badge_svg(organisation, pact).encode()).decode()
    return render_pdf("partners/pdf/certificate.html", {
        "pact": pact, **_branding(pact), "organisation": organisation, "badge": badge,
        "org_logo": logo_data_uri(organisation.logo), "generated": timezone.localdate(),
    })


def badge_texts(organisation: Organisation, pact: Pact) -> dict:
    year = organisation.partner_since.year if organisation.partner_since else timezone.localdate().year
    return {
        "title": _("KLIMAPARTNER"),
        "year": str(year),
        "since": _("seit %(year)s") % {"year": year},
        "pact": pact.name,
        "goal": _("klimaneutral bis %(year)s") % {"year": pact.target_year},
        "alt": _("Klimapartner im %(pact)s seit %(year)s") % {"pact": pact.name, "year": year},
        "accent": pact.accent.hex,
    }


def badge_svg(organisation: Organisation, pact: Pact) -> str:
    return render_to_string("partners/badge.svg", badge_texts(organisation, pact))


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = True):
    from PIL import ImageFont

    for name in (("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf") if bold
                 else ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _fit(draw, text: str, max_width: int, size: int, bold: bool = True):
    while size > 8:
        font = _font(size, bold)
        if draw.textlength(text, font=font) <= max_width:
            return font
        size -= 1
    return _font(8, bold)


def badge_png(organisation: Organisation, pact: Pact, *, size: int = 400) -> bytes:
    """The same design as the SVG, drawn with Pillow (supersampled for smooth edges)."""
    from PIL import Image, ImageDraw

    texts = badge_texts(organisation, pact)
    scale = 2
    s = size * scale
    image = Image.new("RGBA", (s, s), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    colour = tuple(int(texts["accent"][i:i + 2], 16) for i in (1, 3, 5)) if texts.get("accent") else GREEN
    draw.ellipse((0, 0, s - 1, s - 1), fill=colour + (255,))
    inset = int(s * 0.045)
    draw.ellipse((inset, inset, s - 1 - inset, s - 1 - inset), outline=(255, 255, 255, 255), width=max(2, s // 100))
    white = (255, 255, 255, 255)
    center = s // 2
    lines = [
        (texts["title"], 0.34, 0.085, True),
        (texts["since"], 0.50, 0.14, True),
        (texts["pact"], 0.64, 0.055, False),
        (texts["goal"], 0.73, 0.05, False),
    ]
    for text, y, rel, bold in lines:
        font = _fit(draw, text, int(s * 0.72), int(s * rel), bold)
        draw.text((center, int(s * y)), text, font=font, fill=white, anchor="mm")
    image = image.resize((size, size), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
