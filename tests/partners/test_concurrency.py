"""Two members of the pact office counter-sign the same agreement at the same moment: the
organisation becomes a partner once (one stage change, one audit entry). SQLite and PostgreSQL."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from klimapakt.core.models import AuditEntry
from klimapakt.partners import services
from klimapakt.partners.models import Organisation, StageChange


@pytest.mark.django_db(transaction=True)
def test_simultaneous_countersignatures_sign_once(journey):
    agreement = journey.submitted()
    barrier = threading.Barrier(2)
    results = []

    def sign():
        try:
            barrier.wait(timeout=10)
            services.agreement_countersign(agreement=agreement, actor=journey.office)
            results.append("signed")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["refused", "signed"]
    assert StageChange.objects.filter(organisation=journey.org, to_stage=Organisation.Stage.ACTIVE).count() == 1
    assert AuditEntry.objects.filter(action="partners.agreement.signed").count() == 1
