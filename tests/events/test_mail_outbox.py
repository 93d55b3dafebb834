"""One mail per committed change, none for a rolled-back one: the events services write their
mails to core.mail's outbox in the transaction of the change (no mail is sent from inside it)."""

import pytest
from django.core import mail
from django.db import transaction

from klimapakt.core.models import OutboxMail
from klimapakt.events import services
from klimapakt.events.models import Event, Registration

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


def test_a_rolled_back_registration_leaves_no_mail(make_event, person):
    event = make_event(capacity=5)
    with pytest.raises(Rollback), transaction.atomic():
        services.registration_create(event=event, person=person(1))
        assert OutboxMail.objects.count() == 1  # written inside the transaction ...
        raise Rollback
    # ... and gone with it: no row, nothing delivered, no registration.
    assert not OutboxMail.objects.exists() and mail.outbox == []
    assert not Registration.objects.exists()


def test_a_committed_registration_sends_exactly_one_mail_to_the_participant(make_event, person):
    event = make_event(capacity=5)
    with transaction.atomic():
        registration = services.registration_create(event=event, person=person(1))
        assert mail.outbox == []  # not before the commit
    [queued] = OutboxMail.objects.all()
    assert queued.to == [registration.email] and queued.template == "events/email/registration"
    assert queued.status == OutboxMail.Status.SENT
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [registration.email]


def test_a_registration_outside_any_transaction_also_sends_one_mail(make_event, person):
    event = make_event(capacity=5)
    registration = services.registration_create(event=event, person=person(1))
    assert list(OutboxMail.objects.values_list("to", flat=True)) == [[registration.email]]
    assert len(mail.outbox) == 1


def test_a_rolled_back_cancellation_leaves_no_mail_a_committed_one_one(make_event, person):
    event = make_event(capacity=5)
    registration = services.registration_create(event=event, person=person(1))
    OutboxMail.objects.all().delete()
    mail.outbox.clear()
    with pytest.raises(Rollback), transaction.atomic():
        services.registration_cancel(registration=registration)
        raise Rollback
    assert not OutboxMail.objects.exists() and mail.outbox == []
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED
    services.registration_cancel(registration=registration)
    assert list(OutboxMail.objects.values_list("template", flat=True)) == ["events/email/cancelled"]
    assert len(mail.outbox) == 1


def test_a_cancelled_event_mails_each_registered_person_once_and_not_at_all_when_rolled_back(
        make_event, person, world):
    event = make_event(capacity=1)
    people = [services.registration_create(event=event, person=person(n)) for n in (1, 2)]  # one waits
    OutboxMail.objects.all().delete()
    mail.outbox.clear()
    office = world["users"]["office"]
    with pytest.raises(Rollback), transaction.atomic():
        services.event_set_status(event=event, status=Event.Status.CANCELLED, actor=office)
        raise Rollback
    assert not OutboxMail.objects.exists() and mail.outbox == []
    services.event_set_status(event=event, status=Event.Status.CANCELLED, actor=office)
    assert sorted(m.to[0] for m in OutboxMail.objects.all()) == sorted(r.email for r in people)
    assert len(mail.outbox) == 2
