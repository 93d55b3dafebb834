"""Seats and the waitlist: the counters, moving people up into free seats, and the organiser's
decisions (confirm, move to the waitlist, reorder it, decline). Nobody jumps the queue."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from .. import selectors
from ..models import Event, Registration
from .locking import locked_registration
from .mails import mail_registrant


def recount_events(event_ids=None) -> int:
    """Set the counters seats_taken / waitlist_length from the registrations (after bulk
    imports, demo data, and nightly as a safety net). Returns the number of events updated."""
    def counted(status):
        return Coalesce(Subquery(Registration.objects.filter(event=OuterRef("pk"), status=status).order_by()
                                 .values("event").annotate(n=Count("pk")).values("n")), 0)

    qs = Event.objects.all() if event_ids is None else Event.objects.filter(pk__in=list(event_ids))
    return qs.update(seats_taken=counted(Registration.Status.CONFIRMED),
                     waitlist_length=counted(Registration.Status.WAITLISTED))


def fill_free_seats(event: Event, *, actor=None) -> list[Registration]:
    """Promote the first waitlisted people into free seats (inside the caller's lock)."""
    if event.capacity is None:
        free = None
    else:
        confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
        free = event.capacity - confirmed
        if free <= 0:
            return []
    waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).order_by(
        "waitlist_order", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.waitlist_order = None
        registration.save(update_fields=["status", "waitlist_order", "updated_at"])
        log_action("events.registration.promoted", obj=registration, actor=actor,
                   data={"event": event.pk, "automatic": True})
        mail_registrant(registration, event, "events/email/promoted")
    return promoted


@transaction.atomic
def registration_promote(*, registration: Registration, actor, message: str = "") -> Registration:
    """The organiser confirms a waitlisted person (only while a seat is free)."""
    event, registration = locked_registration(registration)
    if registration.status == Registration.Status.CONFIRMED:
        return registration
    if registration.anonymised_at:
        raise ValidationError(_("Diese Anmeldung ist anonymisiert."))
    if event.capacity is not None and Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED).count() >= event.capacity:
        raise ValidationError(_("Es ist kein Platz frei. Erhöhen Sie die Platzzahl oder verschieben Sie zuerst "
                                "eine bestätigte Person auf die Warteliste."))
    old = registration.status
    registration.status = Registration.Status.CONFIRMED
    registration.waitlist_order = None
    registration.save(update_fields=["status", "waitlist_order", "updated_at"])
    log_action("events.registration.promoted", obj=registration, actor=actor,
               data={"event": event.pk, "automatic": False, "from": old, "message": bool(message)})
    mail_registrant(registration, event, "events/email/promoted", extra={"message": message})
    recount_events([event.pk])
    return registration


@transaction.atomic
def registration_to_waitlist(*, registration: Registration, actor, message: str = "",
                             front: bool = True) -> Registration:
    """The organiser moves a person to the waitlist (first place by default)."""
    event, registration = locked_registration(registration)
    if registration.status == Registration.Status.WAITLISTED or registration.anonymised_at:
        return registration
    orders = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).aggregate(
        low=Min("waitlist_order"), high=Max("waitlist_order"))
    if front:
        if orders["low"] is not None and orders["low"] <= 1:
            # make room at the front
            Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).update(
                waitlist_order=F("waitlist_order") + 1)
            order = 1
        else:
            order = (orders["low"] or 2) - 1
    else:
        order = (orders["high"] or 0) + 1
    old = registration.status
    registration.status = Registration.Status.WAITLISTED
    registration.waitlist_order = order
    registration.save(update_fields=["status", "waitlist_order", "updated_at"])
    log_action("events.registration.moved_to_waitlist", obj=registration, actor=actor,
               data={"event": event.pk, "from": old, "message": bool(message)})
    mail_registrant(registration, event, "events/email/waitlisted",
                    extra={"message": message, "waitlist_position": selectors.waitlist_position(registration)},
                    ics=False)
    recount_events([event.pk])
    return registration


@transaction.atomic
def waitlist_move(*, registration: Registration, actor, direction: str) -> Registration:
    """Swap a waitlisted person with the neighbour before ("up") or after ("down")."""
    event, registration = locked_registration(registration)
    if registration.status != Registration.Status.WAITLISTED:
        raise ValidationError(_("Nur Personen auf der Warteliste können verschoben werden."))
    waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
    if direction == "up":
        other = waiting.filter(waitlist_order__lt=registration.waitlist_order).order_by("-waitlist_order").first()
    else:
        other = waiting.filter(waitlist_order__gt=registration.waitlist_order).order_by("waitlist_order").first()
    if other is None:
        return registration
    registration.waitlist_order, other.waitlist_order = other.waitlist_order, registration.waitlist_order
    Registration.objects.bulk_update([registration, other], ["waitlist_order"])
    log_action("events.registration.waitlist_moved", obj=registration, actor=actor,
               data={"event": event.pk, "direction": direction, "position": selectors.waitlist_position(registration)})
    return registration


@transaction.atomic
def registration_decline(*, registration: Registration, actor, message: str = "") -> Registration:
    """The organiser declines a registration (told by e-mail); a freed seat is filled."""
    event, registration = locked_registration(registration)
    if registration.status == Registration.Status.DECLINED:
        return registration
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.DECLINED
    registration.waitlist_order = None
    registration.save(update_fields=["status", "waitlist_order", "updated_at"])
    log_action("events.registration.declined", obj=registration, actor=actor,
               data={"event": event.pk, "was_confirmed": was_confirmed, "message": bool(message)})
    mail_registrant(registration, event, "events/email/declined", extra={"message": message}, ics=False)
    if was_confirmed and not event.is_past:
        fill_free_seats(event, actor=actor)
    recount_events([event.pk])
    return registration
