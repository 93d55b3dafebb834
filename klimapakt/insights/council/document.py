"""The council report as a document: its content (content.py) put together with the office's
texts, the plain-words statement and the BISKO note, rendered to PDF with WeasyPrint (title page
with the pact's logo, table of contents with page numbers, tagged PDF)."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from klimapakt.core.formatting import number, percent
from klimapakt.core.text import render_markdown

from .. import figures
from ..figures import Progress
from ..models import CouncilReport
from . import content as c


def statement(p: Progress) -> list[str]:
    """The pact's progress in plain words, from the public figures (nothing hidden is revealed:
    a suppressed comparison is said to have too few figures)."""
    out = [text for text in [figures.statement(p)] if text]  # the public page's sentence
    cohort = p.cohort
    change = None if cohort.suppressed else cohort.change_percent
    if change is None:
        out.append(_("Für einen Vergleich derselben Partner über die Jahre liegen noch zu wenige Angaben vor."))
    else:
        values = {"n": number(cohort.organisations, 0), "before": number(c.t(cohort.base), c.PLACES),
                  "after": number(c.t(cohort.latest), c.PLACES), "percent": percent(abs(change))}
        if change < 0:
            out.append(_("Die %(n)s Partner, die ihr Basisjahr und ein späteres Jahr bilanziert haben, haben ihre "
                         "Emissionen (Scope 1 + 2 standortbasiert) um %(percent)s gesenkt: von %(before)s t auf "
                         "%(after)s t CO₂e.") % values)
        elif change > 0:
            out.append(_("Die %(n)s Partner, die ihr Basisjahr und ein späteres Jahr bilanziert haben, haben "
                         "zusammen %(percent)s mehr ausgestoßen (Scope 1 + 2 standortbasiert): %(after)s t statt "
                         "%(before)s t CO₂e.") % values)
        else:
            out.append(_("Die Emissionen der %(n)s Partner, die ihr Basisjahr und ein späteres Jahr bilanziert "
                         "haben, sind gleich geblieben (%(after)s t CO₂e).") % values)
    path = p.path
    if not path.suppressed and path.latest is not None and path.goal is not None:
        gap, remaining = path.gap, path.gap_after_measures
        values = {"gap": number(c.t(gap), c.PLACES), "year": path.target_year}
        if gap == 0:
            out.append(_("Zusammen haben die Partner ihre Ziele für %(year)s bereits erreicht.") % values)
        elif remaining is not None:
            values["remaining"] = number(c.t(remaining), c.PLACES)
            out.append(_("Bis zu ihren Zielen für %(year)s fehlen ihnen noch %(gap)s t CO₂e im Jahr; nach den "
                         "geplanten Maßnahmen blieben %(remaining)s t CO₂e.") % values)
        else:
            out.append(_("Bis zu ihren Zielen für %(year)s fehlen ihnen noch %(gap)s t CO₂e im Jahr.") % values)
    return out


def bisko_note(city: str) -> str:
    """The public page's note (insights/progress.html), in the words of a report."""
    return _("Die Bilanzen der Unternehmen folgen dem Greenhouse Gas Protocol: Sie zählen die Emissionen eines "
             "Unternehmens, wo immer sie entstehen. Die Stadt %(city)s bilanziert ihr Stadtgebiet nach der "
             "BISKO-Methode (Territorialprinzip). Beide Methoden zählen anders; die Zahlen dieses Berichts lassen "
             "sich deshalb nicht zur städtischen Bilanz addieren oder von ihr abziehen.") % {"city": city}


def _text_section(key: str, title: str, text: str) -> c.Section | None:
    return c.Section(key, title, html=render_markdown(text)) if text.strip() else None


def council_document(report: CouncilReport, progress: Progress, *, version: int | None,
                     generated_at: datetime.datetime | None = None, texts: dict | None = None,
                     logo: bool = True) -> c.CouncilContent:
    """The whole report: the office's texts (``texts`` overrides the saved ones, for a preview)
    around the sections of the pact's figures up to the report's year."""
    texts = texts or {"introduction": report.introduction, "highlights": report.highlights,
                      "outlook": report.outlook}
    year = report.year
    progress = c.cut(progress, year)
    sections = [
        _text_section("introduction", _("Einleitung"), texts["introduction"]),
        _text_section("highlights", _("Höhepunkte des Jahres"), texts["highlights"]),
        c.Section("statement", _("Das Wichtigste in Kürze"), paragraphs=statement(progress)),
        c.partners_section(progress, year),
        c.targets_section(progress),
        c.reporting_section(progress, year),
        c.emissions_section(progress, year),
        c.cohort_section(progress),
        c.path_section(progress, year),
        c.measures_section(progress),
        c.events_section(progress, year),
        c.support_section(progress, year),
        c.Section("bisko", _("Einordnung: Partnerbilanzen und Stadtbilanz"), paragraphs=[bisko_note(report.pact.city)]),
        _text_section("outlook", _("Ausblick"), texts["outlook"]),
    ]
    pact = report.pact
    return c.CouncilContent(
        title=report.title, pact_name=pact.name_de, year=year, version=version,
        generated_at=generated_at or timezone.now(), sections=[s for s in sections if s is not None],
        logo=_logo(pact) if logo else "", threshold=progress.threshold)


def _logo(pact) -> str:
    from klimapakt.core.branding import data_uri  # the pact's logo, as every other document reads it

    return data_uri(pact.logo)


def file_stem(report: CouncilReport, number: int) -> str:
    return f"sachstandsbericht-{slugify(report.pact.name_de)[:60]}-{report.year}-fassung-{number}"


def render_html(content: c.CouncilContent) -> str:
    return render_to_string("insights/council/pdf.html", {"doc": content})


def council_pdf(content: c.CouncilContent) -> bytes:
    """The PDF as PDF/UA-1 (WeasyPrint's variant: tagged structure of headings, paragraphs, tables
    and lists for screen readers, document title and language in the metadata); only inline data
    is fetched (the logo)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=render_html(content), url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")


