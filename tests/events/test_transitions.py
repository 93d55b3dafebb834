"""The event's status as a transition table (events.transitions): the rows, the service refusing
what the table does not allow, and the overview offering exactly the table's buttons."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from klimapakt.core.models import AuditEntry
from klimapakt.events import services
from klimapakt.events.models import Event
from klimapakt.events.transitions import EVENT_STATUS

Status = Event.Status
REFUSAL = "Dieser Statuswechsel ist nicht möglich."


def test_the_table_has_one_row_per_change_of_status_each_logged_under_the_same_key():
    manage = "events.manage_event"
    assert EVENT_STATUS.table() == [
        ("publish", ["draft"], "published", manage, "events.event.status"),
        ("close", ["published"], "closed", manage, "events.event.status"),
        ("reopen", ["closed"], "published", manage, "events.event.status"),
        ("unpublish", ["published"], "draft", manage, "events.event.status"),
        ("cancel", ["draft", "published", "closed"], "cancelled", manage, "events.event.status"),
    ]


@pytest.mark.parametrize(("state", "targets"), [
    (Status.DRAFT, {Status.PUBLISHED, Status.CANCELLED}),
    (Status.PUBLISHED, {Status.CLOSED, Status.CANCELLED, Status.DRAFT}),
    (Status.CLOSED, {Status.PUBLISHED, Status.CANCELLED}),
    (Status.CANCELLED, set()),
])
def test_the_table_allows_the_changes_the_service_always_allowed(state, targets):
    assert {t.target for t in EVENT_STATUS.actions_from(state)} == targets
    for target in set(Status.values) - targets:
        assert EVENT_STATUS.by_target(state, target) is None


def test_a_refused_action_names_the_rule():
    with translation.override("de"), pytest.raises(ValidationError) as error:
        EVENT_STATUS.check(Status.CANCELLED, "reopen")
    assert error.value.messages == [REFUSAL]


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "target"), [
    (Status.CANCELLED, Status.PUBLISHED), (Status.CLOSED, Status.CLOSED), (Status.DRAFT, Status.CLOSED),
    (Status.PUBLISHED, "bogus"),
])
def test_the_service_refuses_a_change_the_table_does_not_have(make_event, world, state, target):
    event = make_event(status=state)
    with translation.override("de"), pytest.raises(ValidationError) as error:
        services.event_set_status(event=event, status=target, actor=world["users"]["office"])
    assert error.value.messages == [REFUSAL]
    event.refresh_from_db()
    assert event.status == state and not AuditEntry.objects.filter(action="events.event.status").exists()


@pytest.mark.django_db
def test_an_allowed_change_is_logged_from_and_to(make_event, world):
    event = make_event(status=Status.DRAFT)
    services.event_set_status(event=event, status=Status.PUBLISHED, actor=world["users"]["office"])
    entry = AuditEntry.objects.get(action="events.event.status")
    assert entry.data == {"from": "draft", "to": "published"}


@pytest.mark.django_db
def test_back_to_draft_only_without_registrations(make_event, person, world):
    event = make_event()
    services.registration_create(event=event, person=person(1))
    with translation.override("de"), pytest.raises(ValidationError) as error:
        services.event_set_status(event=event, status=Status.DRAFT, actor=world["users"]["office"])
    assert error.value.messages == ["Eine Veranstaltung mit Anmeldungen kann nicht zurück in den Entwurf."]


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "buttons"), [
    (Status.DRAFT, {"published", "cancelled"}),
    (Status.PUBLISHED, {"closed", "cancelled"}),
    (Status.CLOSED, {"published", "cancelled"}),
    (Status.CANCELLED, set()),
])
def test_the_overview_offers_the_buttons_of_the_table(client_for, world, make_event, state, buttons):
    event = make_event(status=state)
    response = client_for(world["users"]["office"]).get(reverse("event_office:overview", args=[event.pk]))
    html = response.content.decode()
    offered = {value for value in Status.values if f'name="status" value="{value}"' in html}
    assert offered == buttons
    assert response.context["status_actions"] == {t.action for t in EVENT_STATUS.actions_from(state)}
