"""The peer benchmark on the partner's reports dashboard in a real browser: no serious or
critical accessibility violation, and the band chart's labels keep 16px without horizontal
scrolling on a phone."""

import datetime
from decimal import Decimal

import pytest

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def compared(world):
    from klimapakt.partners.models import Organisation
    from klimapakt.reports.models import Report

    def accepted(org, headline):
        Report.objects.create(organisation=org, kind="baseline", year=2026, balance_year=2025, status="accepted",
                              opens_on=datetime.date(2026, 1, 1), due_on=datetime.date(2026, 12, 31),
                              scope1_t=Decimal(headline), scope2_location_t=Decimal(0),
                              scope2_market_t=Decimal(0), scope3_t=Decimal(0))

    org = world["org_a"]
    Organisation.objects.filter(pk=org.pk).update(sector="C", employees=20, stage=Organisation.Stage.ACTIVE)
    for i in range(12):
        accepted(Organisation.objects.create(name=f"Peer {i}", sector="C", employees=20), 20 * (i + 1))
    accepted(org, "130")
    return org


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_benchmark_on_the_dashboard(page, compared, width, height):
    page.set_viewport_size({"width": width, "height": height})
    login(page, "anna@alpha.example")
    page.goto(f"/mein-bereich/organisation/{compared.pk}/berichte/")
    assert page.locator("#benchmark-table").is_visible()
    assert "im zweiten Viertel" in page.locator("#benchmark").inner_text()
    assert_accessible(page, f"insights-benchmark-{width}")
    labels = page.evaluate("""() => [...document.querySelectorAll('svg.kp-benchmark-chart text')].map(
        t => [t.textContent, t.getBoundingClientRect().height, parseFloat(getComputedStyle(t).fontSize)])""")
    assert labels
    for text, box_height, font_size in labels:
        assert font_size >= 14 and box_height >= 14, (text, box_height, font_size)
    rights = page.evaluate("() => [...document.querySelectorAll('svg.kp-benchmark-chart')].map(s => s.getBoundingClientRect().right)")
    assert all(right <= width for right in rights)
