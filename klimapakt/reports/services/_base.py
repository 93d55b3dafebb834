"""What every reports service shares."""

from __future__ import annotations

from klimapakt.core.notifications import notify
from klimapakt.core.services import refuse as _refuse  # noqa: F401 - the services' refusal

from ..models import Report

K, S = Report.Kind, Report.Status
MEASURE_FIELDS = ("title", "description", "category", "scopes", "planned_start", "planned_end", "status",
                  "justification", "investment_eur", "expected_t_manual", "realised_t_manual", "is_public", "template")
# The kWh a partner saves is read as final energy: for electricity and district heat that is the
# factor's unit; for fuels it is taken as net calorific value (kWh_hi), the unit of the BAFA factors.
KWH_UNITS = ("kWh", "kWh_hi")


def _notify(template: str, recipients: list[tuple[str, str]], context: dict) -> None:
    notify(f"reports/email/{template}", recipients, context)


