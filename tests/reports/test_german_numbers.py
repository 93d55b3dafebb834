"""German output: every figure of the demo reads "80,143 t", "−12,5 %", never with a decimal
point ("80.143 t" reads as eighty thousand tonnes). Walks the demo's partner and office pages,
the report PDF's HTML and the mails, and finds numbers written the English way."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from klimapakt.core.formatting import number, tonnes

pytestmark = pytest.mark.django_db

UNIT = r"(?:\u00a0| )?(?:t\b|t CO|%|kWh|MWh|kg|l\b|m³|km|pkm|€|Euro)"
# A decimal point before a unit: "12.50 %", "0.5 t", "80.143000"; a German grouped integer
# ("1.200 kWh") has exactly three digits after each point and never starts with 0.
ENGLISH = [
    re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.,])" + UNIT),   # "12.50 %", "3.5 kg"
    re.compile(r"(?<![\d.,])\d+\.\d{4,}"),                       # "80.143000" (a raw snapshot value)
    re.compile(r"(?<![\d.,])0\.\d+"),                             # "0.000", "0.363"
    re.compile(r"(?<![\d.,])\d+\.\d{3}(?![\d.,])(?:\u00a0| )?(?:t\b|t CO|%)"),  # "80.143 t": tonnes have decimals
]
# Table cells with a number only ("kp-num", "num"): an English decimal such as "80.143" or "−12.50"
NUM_CELL = re.compile(r'<td class="[^"]*\b(?:kp-num|num|kern-table__cell--numeric)\b[^"]*"[^>]*>([^<]*)<')
# (a German grouped integer "16.000" kWh is fine; tonnes cells always have decimals: "80,143")
ENGLISH_CELL = re.compile(r"^[−-]?(?![1-9]\d{0,2}(?:\.\d{3})+$)\d+\.\d+$")
DATE_OR_TIME = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{1,2}:\d{2}\b")


def visible_text(html: str) -> str:
    """What a person reads: the text without styles, scripts and tags, plus the values shown in
    the input fields (a form shows the stored figure for editing)."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    values = re.findall(r"<input\b[^>]*\bvalue=\"([^\"]*)\"", html)
    return " ".join([re.sub(r"<[^>]+>", " ", html), *(f"[{v}]" for v in values)])


def english_numbers(html: str) -> list[str]:
    found = [c.strip() for c in NUM_CELL.findall(html) if ENGLISH_CELL.match(c.strip().replace("\u00a0", ""))]
    text = DATE_OR_TIME.sub(" ", visible_text(html))
    found += [m.group(0) for pattern in ENGLISH for m in pattern.finditer(text)]
    found += [v for v in re.findall(r"\[([−-]?\d+\.\d+)\]", text)  # an input showing "5.50", "17000.00"
              if ENGLISH_CELL.match(v)]
    return found


def test_the_checker_finds_english_decimals_and_passes_german_ones():
    assert english_numbers("Gesamt 80.143 t") and english_numbers("−55.50 %") and english_numbers("0.000")
    assert english_numbers('<td class="kern-table__cell kp-num">80.143000</td>')
    assert english_numbers('<td class="num">−12.50</td>')
    assert not english_numbers("Gesamt 80,143\u00a0t, −12,5\u00a0%, 1.200\u00a0kWh, am 04.12.2026 um 14.30 Uhr")
    assert not english_numbers('<td class="kern-table__cell kp-num">1.234,567</td><td class="num">2.030,5</td>')
    assert english_numbers('<input type="text" name="x" value="17000.00">')
    assert not english_numbers('<input type="text" name="x" value="16.000">')  # German grouping
    assert not english_numbers('<style>td { border: 0.5pt }</style><input name="x" value="16,5" step="0.01">')


@pytest.fixture
def demo(settings):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    from klimapakt.core.models import User

    return {"office": User.objects.get(email="geschaeftsstelle@klimapakt.example"),
            "member": User.objects.get(email="mitglied@sonnenkorn.example")}


def _pages(demo):
    from klimapakt.ghg.models import Balance
    from klimapakt.partners.models import Organisation
    from klimapakt.reports.models import Report

    member_orgs = list(Organisation.objects.filter(memberships__user=demo["member"]))
    reports = list(Report.objects.select_related("organisation").order_by("pk"))
    office, pages = [], []
    for report in reports:
        office.append(reverse("reports_office:review", args=[report.pk]))
        office.append(reverse("backoffice:organisation", args=[report.organisation_id]))
    for year in sorted({r.year for r in reports}):
        office.append(reverse("reports_office:overview") + f"?jahr={year}")
    office.append(reverse("reports_office:inbox"))
    for org in member_orgs:
        pages += [reverse("reports:dashboard", args=[org.pk]), reverse("reports:measures", args=[org.pk]),
                  reverse("portal:organisation", args=[org.pk]), reverse("portal:targets", args=[org.pk]),
                  reverse("ghg:overview", args=[org.pk])]
        pages += [reverse("ghg:balance_year", args=[org.pk, b.year]) for b in Balance.objects.filter(organisation=org)]
        pages += [reverse("reports:report", args=[org.pk, r.pk]) for r in reports if r.organisation_id == org.pk]
        pages += [reverse("reports:measure_edit", args=[org.pk, m.pk]) for m in org.measures.all()]
    public = [reverse("partners:detail", args=[org.pk]) for org in Organisation.objects.filter(
        reports__status=Report.Status.ACCEPTED).distinct()] + [reverse("core:home"), reverse("partners:directory")]
    return office, pages, public, reports


def test_demo_pages_pdfs_and_mails_write_numbers_the_german_way(demo, client_for,
                                                                django_capture_on_commit_callbacks):
    from klimapakt.core.models import Pact
    from klimapakt.reports.documents import report_pdf_context
    from klimapakt.reports.models import Report, ReportVersion

    office_pages, member_pages, public_pages, reports = _pages(demo)
    assert len(office_pages) > 10 and len(member_pages) > 10
    problems = {}
    seen_tonnes = 0
    for user, urls in ((demo["office"], office_pages), (demo["member"], member_pages), (None, public_pages)):
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            if found := english_numbers(html):
                problems[url] = found[:5]
            seen_tonnes += html.count(",")
    # The review page shows the submitted balance's totals as the German house format does
    version = ReportVersion.objects.filter(snapshot__balance__isnull=False).order_by("pk").first()
    review = client_for(demo["office"]).get(reverse("reports_office:review", args=[version.report_id])).content.decode()
    total = Decimal(version.snapshot["balance"]["scope1"])
    assert total != total.to_integral_value(), "the demo's figures have decimals"
    assert number(total, 3) in review and "." not in number(total, 3)[-4:]
    # The report PDF: the HTML WeasyPrint prints, for every version and every draft
    pact = Pact.objects.current()
    for report in Report.objects.order_by("pk"):
        for v in list(report.versions.all()) or [None]:
            snapshot = v.snapshot if v else None
            if snapshot is None:
                from klimapakt.reports.snapshots import build_snapshot

                snapshot = build_snapshot(report)
            html = render_to_string("reports/pdf/report.html",
                                    report_pdf_context(report, snapshot, version=v, pact=pact))
            if found := english_numbers(html):
                problems[f"PDF {report.pk}/{v.number if v else 'Entwurf'}"] = found[:5]
            if snapshot.get("balance"):
                assert tonnes(snapshot["balance"]["total_location"]) in html
    # Mails with figures: a recomputed balance (before → after), report decisions and reminders
    with django_capture_on_commit_callbacks(execute=True):
        _mails_with_figures(demo, reports)
    assert mail.outbox, "the walk sends mails"
    for message in mail.outbox:
        bodies = [message.subject, message.body] + [content for content, _t in getattr(message, "alternatives", [])]
        for body in bodies:
            if found := english_numbers(body):
                problems[f"Mail {message.subject}"] = found[:5]
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def _mails_with_figures(demo, reports):
    from klimapakt.ghg.models import EmissionFactor, FactorSet
    from klimapakt.ghg.services.recalculation import recompute_stale_balances
    from klimapakt.reports import services
    from klimapakt.reports.models import Report

    factor_set = FactorSet.objects.get(is_default=True)
    electricity = EmissionFactor.objects.filter(factor_set=factor_set, carrier="electricity").order_by("pk")
    electricity.update(value=Decimal("0.123457"))
    FactorSet.objects.filter(pk=factor_set.pk).update(version=factor_set.version + 1)
    recompute_stale_balances()
    submitted = Report.objects.filter(status=Report.Status.SUBMITTED).order_by("pk").first()
    if submitted is not None:
        services.report_accept(report=submitted, actor=demo["office"])
    call_command("send_report_reminders", stdout=open("/dev/null", "w"))
