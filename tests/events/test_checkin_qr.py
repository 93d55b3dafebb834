"""QR check-in: a signed check-in code per registration, separate from the personal link's token,
accepted only by the check-in page of the registration's own event (office, the event's
organisers), once; forged, foreign and unconfirmed codes are refused with a clear message."""

import base64

import pytest
from django.core import mail, signing
from django.urls import reverse

from klimapakt.core.models import AuditEntry, InitialPartner
from klimapakt.events import checkin, services
from klimapakt.events.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client_for, world):
    return client_for(world["users"]["office"])


def _scan(client, event, code):
    return client.post(reverse("event_office:check_in_scan", args=[event.pk]), {"code": code})


def _registration(event, n=1, status="confirmed"):
    return Registration.objects.create(event=event, status=status, first_name=f"Vorname{n}",
                                       last_name=f"Nachname{n}", email=f"p{n}@firma.example",
                                       organisation=f"Firma {n}", waitlist_order=n if status == "waitlisted" else None)


def test_the_code_is_signed_and_not_the_personal_token(make_event):
    event = make_event()
    registration = _registration(event)
    code = checkin.code_for(registration)
    assert code != registration.token and registration.token not in code
    assert checkin.read_code(code) == checkin.CheckinCode(event.pk, registration.pk)
    assert checkin.read_code(registration.token) is None
    # Signed with its own salt: a value signed for anything else is not a check-in code.
    assert checkin.read_code(signing.Signer().sign(f"KP1.{event.pk}.{registration.pk}")) is None
    assert checkin.read_code(signing.Signer(salt="other").sign(f"KP1.{event.pk}.{registration.pk}")) is None
    other = _registration(event, 2)
    assert checkin.code_for(other) != code


def test_a_confirmed_code_checks_in_once_then_says_when(make_event, office):
    event = make_event()
    registration = _registration(event)
    response = _scan(office, event, checkin.code_for(registration))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Eingecheckt: Vorname1 Nachname1 (Firma 1)." in page
    registration.refresh_from_db()
    assert registration.attended and registration.checked_in_at is not None
    page = _scan(office, event, checkin.code_for(registration)).content.decode()
    assert "Vorname1 Nachname1 ist bereits eingecheckt um" in page
    assert AuditEntry.objects.filter(action="events.registration.checked_in",
                                     object_id=str(registration.pk)).count() == 1
    assert "Als anwesend markiert: 1 von 1" in page


@pytest.mark.parametrize("kind", ["forged", "tampered", "token", "garbage", "too_long"])
def test_forged_codes_are_refused(make_event, office, kind):
    event = make_event()
    registration = _registration(event)
    code = checkin.code_for(registration)
    value, signature = code.split(":", 1)
    codes = {
        "forged": f"KP1.{event.pk}.{registration.pk}:{'A' * len(signature)}",
        "tampered": f"KP1.{event.pk}.{registration.pk + 1}:{signature}",
        "token": registration.token,
        "garbage": "hallo welt",
        "too_long": code + "x" * 300,
    }
    page = _scan(office, event, codes[kind]).content.decode()
    assert "Dieser Code ist ungültig." in page
    registration.refresh_from_db()
    assert not registration.attended
    if kind != "too_long":  # over the field's length: refused by the form, before the service
        assert AuditEntry.objects.filter(action="events.checkin.refused", object_id=str(event.pk),
                                         data__reason="invalid").exists()


def test_a_code_of_another_event_is_refused(make_event, office):
    event, other = make_event(), make_event(title_de="Anderes Treffen")
    foreign = _registration(other)
    page = _scan(office, event, checkin.code_for(foreign)).content.decode()
    assert "Dieser Code gehört zu einer anderen Veranstaltung." in page
    foreign.refresh_from_db()
    assert not foreign.attended
    assert AuditEntry.objects.filter(action="events.checkin.refused", data__reason="other_event").exists()


@pytest.mark.parametrize("status, label", [("waitlisted", "Warteliste"), ("cancelled", "Abgesagt"),
                                           ("declined", "Abgelehnt")])
def test_unconfirmed_registrations_are_refused(make_event, office, status, label):
    event = make_event()
    registration = _registration(event, status=status)
    page = _scan(office, event, checkin.code_for(registration)).content.decode()
    assert f"ist nicht bestätigt (Status: {label})" in page
    registration.refresh_from_db()
    assert not registration.attended


def test_a_code_of_a_cancelled_event_is_refused(make_event, office):
    """Cancelling an event leaves its registrations confirmed (people get the cancellation mail);
    their codes must not let anyone in."""
    event = make_event()
    registration = _registration(event)
    event.status = event.Status.CANCELLED
    event.save(update_fields=["status"])
    page = _scan(office, event, checkin.code_for(registration)).content.decode()
    assert "Diese Veranstaltung ist abgesagt. Es gibt keinen Einlass." in page
    registration.refresh_from_db()
    assert not registration.attended
    assert AuditEntry.objects.filter(action="events.checkin.refused", data__reason="cancelled").exists()


def test_the_name_list_marks_nobody_present_at_a_cancelled_event(make_event, office):
    event = make_event()
    registration = _registration(event)
    event.status = event.Status.CANCELLED
    event.save(update_fields=["status"])
    office.post(reverse("event_office:check_in_toggle", args=[event.pk, registration.pk]), {"attended": "1"})
    registration.refresh_from_db()
    assert not registration.attended


def test_the_check_in_code_opens_no_personal_page(make_event, client):
    """The code in the QR image is no key to the personal page (which can cancel or delete)."""
    event = make_event()
    registration = _registration(event)
    code = checkin.code_for(registration)
    for value in (code, code.split(":")[0], code.replace(":", "")):
        assert client.get(reverse("events:registration", args=[value])).status_code == 404
        assert client.post(reverse("events:registration_cancel", args=[value])).status_code == 404
    assert client.get(reverse("events:registration", args=[registration.token])).status_code == 200


def test_a_deleted_registration_is_refused(make_event, office):
    event = make_event()
    registration = _registration(event)
    code = checkin.code_for(registration)
    registration.delete()
    assert "keine Anmeldung mehr" in _scan(office, event, code).content.decode()


def test_only_the_events_organisers_may_scan(make_event, client_for, world, pact):
    event = make_event()
    event.organisers.set([InitialPartner.objects.get(pact=pact, short_name="HWK")])  # not the advisor's IHK
    registration = _registration(event)
    advisor = client_for(world["users"]["advisor"])
    assert advisor.get(reverse("event_office:check_in_scan", args=[event.pk])).status_code == 403
    assert _scan(advisor, event, checkin.code_for(registration)).status_code == 403
    assert _scan(client_for(None), event, checkin.code_for(registration)).status_code == 302
    registration.refresh_from_db()
    assert not registration.attended


def test_the_camera_is_allowed_on_the_scanner_page_only(make_event, office):
    event = make_event()
    scan = office.get(reverse("event_office:check_in_scan", args=[event.pk]))
    assert "camera=(self)" in scan["Permissions-Policy"]
    assert "microphone=()" in scan["Permissions-Policy"]
    assert 'src="/static/vendor/jsqr/jsQR.js"' in scan.content.decode()
    other = office.get(reverse("event_office:check_in", args=[event.pk]))
    assert "camera=()" in other["Permissions-Policy"]


def test_the_personal_page_shows_the_qr_code_to_the_confirmed_only(make_event, client):
    event = make_event(capacity=5)
    confirmed, waiting = _registration(event), _registration(event, 2, status="waitlisted")
    page = client.get(reverse("events:registration", args=[confirmed.token])).content.decode()
    code = checkin.code_for(confirmed)
    expected = base64.b64encode(checkin.qr_png(code, box_size=6)).decode()
    assert f'src="data:image/png;base64,{expected}"' in page
    assert code in page and "Ihr QR-Code für den Einlass" in page
    page = client.get(reverse("events:registration", args=[waiting.token])).content.decode()
    assert "data:image/png" not in page and checkin.code_for(waiting) not in page


def test_the_confirmation_mail_carries_the_qr_code_as_a_png_attachment(
        make_event, person, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.registration_create(event=event, person=person(1))
        waiting = services.registration_create(event=event, person=person(2))
    to_confirmed = next(m for m in mail.outbox if m.to == [confirmed.email])
    png = [a for a in to_confirmed.attachments if a[2] == "image/png"]
    assert len(png) == 1 and png[0][0] == "einlass-qr-code.png"
    assert png[0][1] == checkin.qr_png(checkin.code_for(confirmed))
    assert png[0][1].startswith(b"\x89PNG")
    assert "QR-Code für den Einlass" in to_confirmed.body
    assert confirmed.token not in checkin.code_for(confirmed)
    to_waiting = next(m for m in mail.outbox if m.to == [waiting.email])
    assert not [a for a in to_waiting.attachments if a[2] == "image/png"]


def test_the_outbox_stores_no_image_and_no_code(make_event, person):
    from klimapakt.core.models import OutboxMail

    event = make_event()
    registration = services.registration_create(event=event, person=person(1))
    row = OutboxMail.objects.get(to=[registration.email])
    assert {"builder": "events.checkin_qr", "args": {"event": event.pk, "registration": registration.pk}} \
        in row.attachments
    assert checkin.code_for(registration) not in str(row.context) + str(row.attachments)


def test_an_online_only_event_has_no_qr_code(make_event, client):
    event = make_event(format="online", venue_name="", venue_address="")
    registration = _registration(event)
    assert "data:image/png" not in client.get(reverse("events:registration", args=[registration.token])).content.decode()


def test_an_empty_code_is_a_field_error_and_the_name_list_records_the_time(make_event, office):
    event = make_event()
    page = _scan(office, event, "  ").content.decode()
    assert 'id="id_code-error"' in page and "Dieser Code ist ungültig." not in page
    registration = _registration(event)
    office.post(reverse("event_office:check_in_toggle", args=[event.pk, registration.pk]), {"attended": "1"})
    registration.refresh_from_db()
    assert registration.attended and registration.checked_in_at is not None
    page = _scan(office, event, checkin.code_for(registration)).content.decode()
    assert "ist bereits eingecheckt um" in page
    office.post(reverse("event_office:check_in_toggle", args=[event.pk, registration.pk]), {"attended": "0"})
    registration.refresh_from_db()
    assert not registration.attended and registration.checked_in_at is None
