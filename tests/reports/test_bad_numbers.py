"""Numbers in query strings: "²".isdigit() is true but int("²") fails, which answered 500
(attack pass, issue 11). Every such value goes through core.utils.parse_int."""

import pytest
from django.urls import reverse

from klimapakt.core.utils import parse_int
from klimapakt.reports import services

from .conftest import SIGNED, add_balance

BAD = ["²", "١٢", "①", " 1", "1_0", "-1", "+1", "1.0", "9" * 40, ""]


@pytest.mark.parametrize("text", BAD + [None, 12])
def test_parse_int_accepts_only_ascii_digits(text):
    assert parse_int(text) is None


def test_parse_int_reads_ascii_digits():
    assert parse_int("0") == 0 and parse_int("2035") == 2035 and parse_int("007") == 7


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "١٢", "9" * 40])
def test_directory_since_with_a_superscript_digit_is_ignored(client, pact, value):
    response = client.get(reverse("partners:directory"), {"since": value})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 40])
def test_measure_template_with_a_superscript_digit_is_ignored(partner, member, client_for, value):
    response = client_for(member).get(reverse("reports:measure_create", args=[partner.pk]), {"vorlage": value})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 40])
def test_report_version_with_a_superscript_digit_is_not_found(partner, member, office, client_for, value):
    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    services.report_submit(report=report, actor=member)
    pdf = client_for(member).get(reverse("reports:report_pdf", args=[partner.pk, report.pk]), {"fassung": value})
    assert pdf.status_code == 404
    review = client_for(office).get(reverse("reports_office:review", args=[report.pk]), {"fassung": value})
    assert review.status_code == 404
