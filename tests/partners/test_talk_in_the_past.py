"""An orientation talk proposed for 01.01.2020 was accepted and mailed: a proposed date must lie
in the future (a corrected location of a date already proposed is still saved)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from klimapakt.partners import services
from klimapakt.partners.models import OrientationTalk

pytestmark = pytest.mark.django_db
PAST = "Der Termin liegt in der Vergangenheit. Bitte schlagen Sie einen Termin in der Zukunft vor."


def test_the_service_refuses_a_date_in_the_past(journey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.talk_plan(organisation=journey.org, actor=journey.office,
                           scheduled_for=timezone.make_aware(datetime.datetime(2020, 1, 1, 10)))
    assert error.value.message_dict == {"scheduled_for": [PAST]}
    assert not OrientationTalk.objects.exists() and mail.outbox == []


def test_the_office_form_names_the_field(journey, client_for, django_capture_on_commit_callbacks):
    office = client_for(journey.office)
    url = reverse("backoffice:talk_plan", args=[journey.org.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(url, {"scheduled_for": "2020-01-01T10:00"})
    assert response.status_code == 200 and PAST in response.content.decode()
    assert 'id="id_scheduled_for-error"' in response.content.decode()
    assert not OrientationTalk.objects.exists() and mail.outbox == []


def test_a_past_date_already_proposed_keeps_its_corrections(journey, time_machine):
    talk = services.talk_plan(organisation=journey.org, actor=journey.office,
                              scheduled_for=timezone.now() + datetime.timedelta(days=2))
    time_machine.move_to(timezone.now() + datetime.timedelta(days=3))
    services.talk_plan(organisation=journey.org, actor=journey.office, scheduled_for=talk.scheduled_for,
                       location="Videokonferenz")
    talk.refresh_from_db()
    assert talk.location == "Videokonferenz"
