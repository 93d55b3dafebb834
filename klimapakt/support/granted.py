"""What an institution may read of a firm while the firm's grant on a request is active: the
yearly balances, the targets in force, the measures and the reports, read only, through the
selectors of ghg, partners and reports. Every reading is written to the audit log
(`support.grant.read`, with what was read), so the firm can be told who looked when."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.ghg.models import Balance
from klimapakt.reports.models import Measure, Report

from .models import SupportRequest

MAX_MEASURES = 200
MAX_REPORTS = 50


def may_read(user, support_request: SupportRequest) -> bool:
    """The grant is active and the reader's institution holds the request (or the office reads)."""
    if not support_request.grant_active:
        return False
    return bool(user.is_pact_office or user.is_superuser
                or (user.advisor_for_id and user.advisor_for_id == support_request.institution_id))


def granted_data(*, support_request: SupportRequest, actor) -> dict:
    """The firm's data for the page, and the audit entry of this reading. The caller checks
    `may_read` first."""
    organisation = support_request.organisation
    balances = list(Balance.objects.filter(organisation=organisation).order_by("year")
                    .only("organisation_id", "year", "scope1_t", "scope2_location_t", "scope2_market_t", "scope3_t",
                          "total_location_t", "total_market_t", "exact_t", "is_frozen")[:60])
    balance_rows = [{"year": b.year, "is_frozen": b.is_frozen, **b.totals()} for b in balances]
    targets = list(organisation.targets.current()[:20])
    statuses = {k: str(v) for k, v in Measure.Status.choices}
    measures = list(organisation.measures.order_by("status", "planned_start", "pk")
                    .only("pk", "title", "category", "status", "planned_start", "planned_end", "expected_t_co2e",
                          "realised_t_co2e", "organisation_id")[:MAX_MEASURES])
    for measure in measures:
        measure.status_label = statuses.get(measure.status, measure.status)
    reports = list(Report.objects.filter(organisation=organisation).order_by("-year", "-pk")
                   .only("pk", "kind", "year", "status", "due_on", "submitted_at", "accepted_at",
                         "organisation_id")[:MAX_REPORTS])
    with translation.override("de"):   # the log keeps what was read in the pact's language
        read = ", ".join(f"{label} ({n})" for label, n in (
            (_("CO₂-Bilanzen"), len(balance_rows)), (_("Ziele"), len(targets)), (_("Maßnahmen"), len(measures)),
            (_("Berichte"), len(reports))))
    log_action("support.grant.read", obj=support_request, actor=actor,
               data={"organisation": organisation.name, "section": read})
    return {"balances": balance_rows, "targets": targets, "measures": measures, "reports": reports,
            "organisation": organisation}
