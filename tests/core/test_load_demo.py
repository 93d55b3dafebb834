"""`make run` loads the demo content: it must load, be idempotent, and queue nothing (no mails
to the invented people, no background work)."""

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)  # commits happen as in `make run`


def test_demo_loads_once_and_sends_nothing():
    from django_tasks import task_backends

    from klimapakt.events.models import Event, Registration
    from klimapakt.partners.models import Organisation

    call_command("load_demo", stdout=open("/dev/null", "w"))
    counts = (Organisation.objects.count(), Event.objects.count(), Registration.objects.count())
    assert counts[0] >= 40 and Event.objects.filter(title_de__icontains="Auftakt").exists()
    assert mail.outbox == []  # the test settings send immediately: nothing was queued
    from klimapakt.core.models import OutboxMail

    assert not OutboxMail.objects.exists()  # nor left in the outbox for the sweeper to send later
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (Organisation.objects.count(), Event.objects.count(), Registration.objects.count()) == counts
    assert mail.outbox == []
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"  # the override ended with the command
