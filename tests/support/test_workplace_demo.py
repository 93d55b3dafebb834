"""The demo requests: every status, several institutions, idempotent."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_requests(pact):
    from klimapakt.core import demo as core_demo
    from klimapakt.partners import demo as partners_demo
    from klimapakt.support import demo
    from klimapakt.support.models import Holding, Message, Note, SupportRequest

    core_demo.load(pact)
    partners_demo.load(pact)
    demo.load(pact)
    count = SupportRequest.objects.count()
    assert count == 9
    assert set(SupportRequest.objects.values_list("status", flat=True)) == set(SupportRequest.Status.values)
    assert SupportRequest.objects.filter(institution__short_name="IHK").count() >= 4
    assert SupportRequest.objects.filter(institution__isnull=True, status="new").count() == 1
    assert len({i for i in SupportRequest.objects.values_list("institution", flat=True) if i}) >= 4
    assert any(r.is_overdue() for r in SupportRequest.objects.all())
    assert any(r.grant_active for r in SupportRequest.objects.all())
    assert Message.objects.filter(side="firm").exists() and Message.objects.filter(side="advisor").exists()
    assert Note.objects.filter(appointment_on__isnull=False).exists()
    assert Holding.objects.filter(until__isnull=False, request__status="new").exists()   # forwarded
    sonnenkorn = SupportRequest.objects.filter(organisation__name__startswith="Musterbäckerei Sonnenkorn")
    assert sonnenkorn.filter(created_by__email="mitglied@sonnenkorn.example").count() == 3
    demo.load(pact)
    assert SupportRequest.objects.count() == count
