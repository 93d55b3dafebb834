"""Demo balances: a few years of consumption for the demo member's organisation and some
active partners (idempotent: organisations that already have data are left alone)."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from .defaults import load_default_factor_set
from .models import ActivityLine
from .services import balance_compute

YEARS = (2021, 2022, 2023, 2024)


def _lines(rng: random.Random, year: int, shrink: Decimal) -> list[tuple]:
    gas = Decimal(rng.randint(60_000, 400_000)) * shrink
    power = Decimal(rng.randint(20_000, 150_000)) * shrink
    diesel = Decimal(rng.randint(1_000, 9_000)) * shrink
    rows = [("natural_gas", gas.quantize(Decimal(1)), "kWh_hs", None, "Gasrechnung der Stadtwerke"),
            ("electricity", power.quantize(Decimal(1)), "kWh", Decimal("0") if year >= 2023 else None,
             "Stromrechnung, ab 2023 Ökostrom-Vertrag" if year >= 2023 else "Stromrechnung"),
            ("diesel", diesel.quantize(Decimal(1)), "l", None, "Tankkarten-Abrechnung")]
    if rng.random() < 0.4:
        rows.append(("petrol", Decimal(rng.randint(300, 2500)), "l", None, "Tankkarten-Abrechnung"))
    return rows


def _second_contract_lines(year: int) -> list[dict]:
    """What the demo member's firm also enters from 2023 on: refrigerant refilled in the cold
    store, business trips by train and the commuting estimate (Scope 3), gas read in m³."""
    if year < 2023:
        return []
    return [
        {"carrier": "refrigerant", "refrigerant": "R-404A", "quantity": Decimal("3.5") if year == 2023 else
         Decimal("2.0"), "unit": "kg", "evidence_note": "Wartungsprotokoll Kühlzelle, nachgefüllte Menge"},
        {"carrier": "rail_long_distance", "quantity": Decimal(12_400 if year == 2023 else 15_800), "unit": "pkm",
         "category": "business_travel", "evidence_note": "Bahn-Buchungen laut Reisekostenabrechnung"},
        {"carrier": "car_pkm", "quantity": Decimal(63_360), "unit": "pkm", "category": "commuting",
         "evidence_note": "Pendeln geschätzt: 20 Beschäftigte × 220 Tage × (1 − 20 %) × 15 km × 2 × 60 % Pkw"},
        {"carrier": "natural_gas", "quantity": Decimal(1_850), "unit": "m3", "site": "Lager Uerdingen",
         "calorific_value_kwh_per_m3": Decimal("11.254"), "z_number": Decimal("0.9536"),
         "evidence_note": "Gasrechnung Lager: Zählerstand in m³, Brennwert und Zustandszahl laut Rechnung"},
    ]


@transaction.atomic
def load(pact) -> None:
    from klimapakt.partners.models import Organisation

    load_default_factor_set()
    orgs = list(Organisation.objects.filter(memberships__user__email="mitglied@sonnenkorn.example").distinct())
    orgs += list(Organisation.objects.filter(stage=Organisation.Stage.ACTIVE).exclude(
        pk__in=[o.pk for o in orgs]).order_by("pk")[:8])
    for index, org in enumerate(orgs):
        if ActivityLine.objects.filter(organisation=org).exists():
            continue
        rng = random.Random(f"ghg-{org.pk}-{org.name}")
        for i, year in enumerate(YEARS):
            shrink = Decimal(1) - Decimal(i) * Decimal("0.06")
            ActivityLine.objects.bulk_create([
                ActivityLine(organisation=org, year=year, carrier=c, quantity=q, unit=u, supplier_factor=s,
                             evidence_note=note)
                for c, q, u, s, note in _lines(rng, year, shrink)
            ] + [ActivityLine(organisation=org, year=year, **line)
                 for line in (_second_contract_lines(year) if index == 0 else [])])
            balance_compute(organisation=org, year=year)
