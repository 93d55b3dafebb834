"""Reads for the VSME export: one year's balance, lines, key figures and the targets in force,
in a constant number of queries."""

from __future__ import annotations

from klimapakt.ghg.models import ActivityLine, Balance
from klimapakt.ghg.selectors import factor_table

from . import mapping


def vsme_values(*, organisation, year: int) -> dict[str, mapping.Value]:
    """Every datapoint of B3 and C3 for the organisation's year (see mapping.py)."""
    return mapping.compute(vsme_inputs(organisation=organisation, year=year))


def vsme_inputs(*, organisation, year: int) -> mapping.Inputs:
    targets = [{"base_year": t.base_year, "target_year": t.target_year, "scopes": t.scopes,
                "reduction_percent": t.reduction_percent, "reduction_t_co2e": t.reduction_t_co2e}
               for t in organisation.targets.current()]
    years = {year} | {t["base_year"] for t in targets}
    balances = {b.year: b for b in Balance.objects.filter(organisation=organisation, year__in=years)}
    balance = balances.get(year)
    lines = list(ActivityLine.objects.filter(organisation=organisation, year=year).values(
        "carrier", "quantity", "unit", "calorific_value_kwh_per_m3", "z_number"))
    return mapping.Inputs(
        year=year,
        emissions=balance.emissions if balance is not None and lines else None,
        lines=lines, table=factor_table() if lines else None,
        turnover_meur=balance.turnover_meur if balance else None,
        renewable_electricity_percent=balance.renewable_electricity_percent if balance else None,
        targets=targets,
        base_emissions={y: b.emissions for y, b in balances.items()},
    )


def all_targets(inputs: mapping.Inputs) -> list[dict]:
    return [mapping.target_summary(t, inputs.base_emissions) for t in inputs.targets]
