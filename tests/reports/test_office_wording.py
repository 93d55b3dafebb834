"""The office's review page speaks about the partner ("Der Partner liegt …"), not to it
("planen Sie weitere Maßnahmen"); the partner's own pages keep addressing the partner."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from klimapakt.reports import services
from klimapakt.reports.selectors import PathCheck

from .conftest import SIGNED, add_balance

SECOND_PERSON = re.compile(r"\b(Sie|Ihr\w*)\b")


def _check(latest_t, planned, latest_year=2024):
    target = SimpleNamespace(base_year=2022, target_year=2030)
    return PathCheck(target=target, base_t=Decimal(100), goal_t=Decimal(50), latest_year=latest_year,
                     latest_t=Decimal(latest_t), path_t=Decimal(90), planned_savings_t=Decimal(planned))


@pytest.mark.parametrize("check", [
    _check(95, 0), _check(95, 10), _check(95, 60), _check(40, 0), _check(90, 0), _check(80, 5),
    _check(100, 0, latest_year=2022)])
def test_every_office_statement_is_about_the_partner(check):
    for text in (check.office_statement, check.office_gap_statement):
        assert not SECOND_PERSON.search(text), text
        assert "Partner" in text or "Basisjahres" in text
    assert SECOND_PERSON.search(check.statement + check.gap_statement)  # the partner's own wording stays


def test_the_missing_measures_case_reads_in_the_third_person():
    check = _check(95, 10)
    assert "planen Sie weitere Maßnahmen" in check.gap_statement
    assert check.office_gap_statement.endswith("Der Partner braucht weitere Maßnahmen.")


def test_review_page_speaks_about_the_partner(partner, member, office, client_for):
    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    services.report_submit(report=report, actor=member)
    html = client_for(office).get(reverse("reports_office:review", args=[report.pk])).content.decode()
    statement = re.search(r'id="progress-statement">(.*?)</div></div>', html, re.S).group(1)
    assert "der Partner auf seinem Zielpfad liegt" in statement
    assert not SECOND_PERSON.search(re.sub(r"<[^>]+>", "", statement)), statement
