"""A small fixed data set for the pact's progress, with figures computed by hand in the tests.

Nine organisations (all Klimapartner):
- A1..A6: sector C, 20 employees, partners since 2024-03-01, target: base 2023, -50 % of
  Scope 1+2 by 2035. Balance 2023: Scope 1 = i + 1/3 t (exact), Scope 2 location 2 t, market
  1 t; balance 2024: Scope 1 = i t, Scope 2 location 1 t, market 0 t. A1 also reports 0.5 t
  Scope 3 in 2023.
- F7: sector F (the only one), no target; 2023: 10 + 5; 2024: 8 + 4.
- J8 (joiner, partner since 2025-02-01, sector C): only 2024, Scope 1 = 30 t, no Scope 2.
- L9 (leaver: partner since 2024, left 2025-06-30, sector C): only 2023, 4 + 1.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest


def add_report(org, balance_year, scope1, scope2_location, scope2_market=0, scope3=0, *, kind="baseline",
               status="accepted", measures=(0, 0), savings=("0", "0")):
    from klimapakt.ghg.calculation.totals import Emissions
    from klimapakt.reports.models import Report

    exact = Emissions.from_mapping({"scope1": Fraction(scope1), "scope2_location": Fraction(scope2_location),
                                    "scope2_market": Fraction(scope2_market), "scope3": Fraction(scope3)})
    rounded = exact.rounded()
    year = balance_year + 1
    return Report.objects.create(
        organisation=org, kind=kind, year=year, balance_year=balance_year, status=status,
        opens_on=datetime.date(year, 1, 1), due_on=datetime.date(year, 6, 30),
        scope1_t=rounded["scope1"], scope2_location_t=rounded["scope2_location"],
        scope2_market_t=rounded["scope2_market"], scope3_t=rounded["scope3"], exact_t=exact.encode(),
        measures_total=measures[0], measures_implemented=measures[1], expected_savings_t=savings[0],
        realised_savings_t=savings[1],
        accepted_at=datetime.datetime(year, 7, 1, tzinfo=datetime.UTC) if status == "accepted" else None)


def make_partner(name, *, sector="C", since=datetime.date(2024, 3, 1), employees=20, stage="active", kind="company"):
    from klimapakt.partners.models import Organisation

    return Organisation.objects.create(name=name, sector=sector, partner_since=since, employees=employees,
                                       stage=stage, kind=kind, postal_code="47798", city="Krefeld")


@pytest.fixture
def progress_data(pact):
    from django.utils import timezone

    from klimapakt.partners.models import Organisation, StageChange, Target
    from klimapakt.reports.models import Measure

    orgs = {}
    for i in range(1, 7):
        org = orgs[f"A{i}"] = make_partner(f"Alpha {i} GmbH")
        Target.objects.create(organisation=org, base_year=2023, target_year=2035, reduction_percent=50,
                              scopes="1+2", neutral_by=2040 if i <= 2 else None, signed=True)
        add_report(org, 2023, Fraction(3 * i + 1, 3), 2, 1, Fraction(1, 2) if i == 1 else 0,
                   measures=(2, 1), savings=("1.000", "0.500"))
        add_report(org, 2024, i, 1, 0, kind="monitoring", measures=(3, 2), savings=("2.000", "1.000"))
        Measure.objects.create(organisation=org, title="Wärmepumpe", category="heat", status="planned",
                               expected_t_co2e=1)
    orgs["F7"] = make_partner("Fabrik Sieben", sector="F")
    add_report(orgs["F7"], 2023, 10, 5)
    add_report(orgs["F7"], 2024, 8, 4, kind="monitoring")
    Measure.objects.create(organisation=orgs["F7"], title="Photovoltaik", category="generation",
                           status="implemented", expected_t_co2e=3, realised_t_co2e=2)
    orgs["J8"] = make_partner("Junior Acht", since=datetime.date(2025, 2, 1))
    add_report(orgs["J8"], 2024, 30, 0)
    orgs["L9"] = make_partner("Leaver Neun", stage=Organisation.Stage.LEFT)
    add_report(orgs["L9"], 2023, 4, 1)
    StageChange.objects.create(organisation=orgs["L9"], from_stage="active", to_stage="left",
                               created_at=timezone.make_aware(datetime.datetime(2025, 6, 30, 12)))
    # Not counted: a submitted (not accepted) report, and an organisation that is not a partner.
    add_report(make_partner("Kandidat", since=None, stage="interest"), 2024, 999, 999)
    add_report(orgs["A1"], 2025, 999, 999, kind="monitoring", status="submitted")
    return orgs
