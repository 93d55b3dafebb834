"""Submitting a report writes its mails (to the organisation and the pact office) to the outbox in
the submission's transaction: exactly when the submission committed."""

import pytest
from django.db import transaction

from klimapakt.core.models import OutboxMail
from klimapakt.reports import services
from klimapakt.reports.models import Report

from .conftest import SIGNED, add_balance

pytestmark = pytest.mark.django_db


def _report(partner, member):
    add_balance(partner, 2023)
    return services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)


def test_a_committed_submission_writes_its_mails_once(partner, member):
    report = _report(partner, member)
    with transaction.atomic():
        services.report_submit(report=report, actor=member)
    templates = sorted(OutboxMail.objects.values_list("template", flat=True))
    assert templates and len(templates) == len(set(templates))
    assert all(t.startswith("reports/email/") for t in templates)


def test_a_rolled_back_submission_writes_none(partner, member):
    report = _report(partner, member)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.report_submit(report=report, actor=member)
        raise RuntimeError("the request failed after the submission")
    assert not OutboxMail.objects.exists()
    assert Report.objects.get(pk=report.pk).status == "draft"
