"""The report's status as one transition table (core.transitions): which action moves a report
from which status to which, who may take it and under which audit key it is logged. The review
services (services/review.py) ask the table instead of comparing statuses by hand; the office's
review page asks it which actions to offer.

"reopen" is the correction of an accepted report: the pact office opens it again with a reason,
its balance is unfrozen (ghg.services.balance_unfreeze), the partner corrects the lines and
submits a new version; the accepted version's snapshot stays as it was."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from klimapakt.core.transitions import Transition, TransitionTable

from .models import Report

S = Report.Status
REVIEW = "reports.review_reports"

REPORT_STATUS = TransitionTable("report", [
    # The audit key depends on the status it came from (submitted / resubmitted): the service logs it.
    Transition("submit", sources=[S.DRAFT, S.RETURNED], target=S.SUBMITTED, permission="reports.change_reports",
               audit=None, refusal=_("Dieser Bericht ist bereits eingereicht.")),
    Transition("return", sources=[S.SUBMITTED], target=S.RETURNED, permission=REVIEW,
               audit="reports.report.returned",
               refusal=_("Nur ein eingereichter Bericht kann zurückgegeben werden.")),
    Transition("accept", sources=[S.SUBMITTED], target=S.ACCEPTED, permission=REVIEW,
               audit="reports.report.accepted",
               refusal=_("Nur ein eingereichter Bericht kann angenommen werden.")),
    Transition("reopen", sources=[S.ACCEPTED], target=S.RETURNED, permission=REVIEW,
               audit="reports.report.reopened",
               refusal=_("Nur ein angenommener Bericht kann zur Korrektur geöffnet werden.")),
], labels=S)
