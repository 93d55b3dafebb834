"""What every reports service shares."""

from __future__ import annotations

from klimapakt.core.notifications import notify
from klimapakt.core.services import refuse as _refuse  # noqa: F401 - the services' refusal

from ..models import Report

K, S = Report.Kind, Report.Status
MEASURE_FIELDS = ("title", "description", "category", "scopes", "planned_start", "planned_end", "status",
                  "justification", "investment_eur", "expected_t_manual", "realised_t_manual", "is_public", "template")
# The unit of every saving stored before a saving carried its unit (migration 0006). Such a row of a
# fuel whose factor is per kWh_hi keeps the old reading as net calorific value (services/measures.py).
LEGACY_UNIT = "kWh"


def _notify(template: str, recipients: list[tuple[str, str]], context: dict) -> None:
    notify(f"reports/email/{template}", recipients, context)


