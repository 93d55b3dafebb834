"""A partnership step writes its mails to the outbox in its own transaction: one mail per
committed change, none when the change is rolled back (e.g. a later step of the request fails)."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from klimapakt.core.models import OutboxMail
from klimapakt.partners import services

pytestmark = pytest.mark.django_db


def _plan(world):
    return services.talk_plan(organisation=world["org_a"], actor=world["users"]["office"],
                              scheduled_for=timezone.now() + datetime.timedelta(days=5))


def test_a_committed_step_writes_one_mail(world):
    with transaction.atomic():
        _plan(world)
    mails = list(OutboxMail.objects.all())
    assert len(mails) == 1 and mails[0].template == "partners/email/talk_planned"
    assert "anna@alpha.example" in mails[0].to


def test_a_rolled_back_step_writes_none(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        _plan(world)
        raise RuntimeError("the request failed after the step")
    assert not OutboxMail.objects.exists()
    world["org_a"].refresh_from_db()
    assert world["org_a"].stage == "interest"
