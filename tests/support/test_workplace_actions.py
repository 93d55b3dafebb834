"""Each action of the advisor's request page through its view: allowed for the holding
institution (and the office), refused for the wrong role (403) and in the wrong state (the
transition table's refusal, nothing changes)."""

import pytest
from django.urls import reverse

from .test_workplace_world import make_desk, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world):
    return make_desk(world)


def act(client, support_request, action, data=None):
    return client.post(reverse("support_office:request_action", args=[support_request.pk, action]), data or {})


def status_of(support_request):
    support_request.refresh_from_db()
    return support_request.status


def test_advisor_accepts_starts_and_completes(desk, client_for):
    c = client_for(desk["advisor"])
    sr = desk["at_ihk"]
    response = act(c, sr, "accept", {"accept-advisor": desk["colleague"].pk})
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.status == "accepted" and sr.advisor == desk["colleague"] and sr.first_answer_at is not None
    assert act(c, sr, "start").status_code == 302 and status_of(sr) == "in_progress"
    response = act(c, sr, "complete", {"complete-outcome": "measure_planned", "complete-reason": "Wärmepumpe geplant."})
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.status == "done" and sr.outcome == "measure_planned" and sr.close_reason == "Wärmepumpe geplant."


def test_accept_names_only_an_advisor_of_the_institution(desk, client_for):
    response = act(client_for(desk["advisor"]), desk["at_ihk"], "accept", {"accept-advisor": desk["hwk_advisor"].pk})
    assert response.status_code == 200 and 'id="id_accept-advisor-error"' in response.content.decode()
    assert status_of(desk["at_ihk"]) == "new"


def test_office_accepts_on_behalf_of_an_advisor(desk, client_for):
    response = act(client_for(desk["office"]), desk["at_ihk"], "accept", {"accept-advisor": desk["advisor"].pk})
    assert response.status_code == 302
    desk["at_ihk"].refresh_from_db()
    assert desk["at_ihk"].advisor == desk["advisor"]


def test_complete_needs_an_outcome(desk, client_for):
    c = client_for(desk["advisor"])
    sr = desk["at_ihk"]
    act(c, sr, "accept", {"accept-advisor": desk["advisor"].pk})
    response = act(c, sr, "complete", {"complete-outcome": ""})
    assert response.status_code == 200 and 'id="id_complete-outcome-error"' in response.content.decode()
    assert status_of(sr) == "accepted"


def test_wrong_state_is_refused_with_the_tables_message(desk, client_for):
    c = client_for(desk["advisor"])
    sr = desk["at_ihk"]
    response = act(c, sr, "start")
    assert response.status_code == 302
    assert status_of(sr) == "new"
    page = c.get(response["Location"]).content.decode()
    assert "Nur eine angenommene Anfrage kann in Bearbeitung gehen" in page
    response = act(c, sr, "complete", {"complete-outcome": "advice_given"})
    assert response.status_code == 302 and status_of(sr) == "new"


def test_wrong_role_is_refused(desk, client_for):
    sr = desk["at_ihk"]
    # the HWK's advisor may not touch the IHK's request, a member not at all
    assert act(client_for(desk["hwk_advisor"]), sr, "accept", {"accept-advisor": desk["hwk_advisor"].pk}) \
        .status_code == 403
    assert act(client_for(desk["users"]["member_a"]), sr, "decline", {"decline-reason": "x"}).status_code == 403
    # only the office assigns
    assert act(client_for(desk["advisor"]), sr, "assign", {"assign-institution": desk["hwk"].pk}).status_code == 403
    assert status_of(sr) == "new"


def test_unknown_action_is_404(desk, client_for):
    assert act(client_for(desk["office"]), desk["at_ihk"], "send").status_code == 404
    assert act(client_for(desk["office"]), desk["at_ihk"], "explode").status_code == 404


def test_decline_needs_a_reason_and_tells_the_firm(desk, client_for):
    c = client_for(desk["advisor"])
    sr = desk["at_ihk"]
    assert act(c, sr, "decline", {"decline-reason": ""}).status_code == 200
    assert status_of(sr) == "new"
    assert act(c, sr, "decline", {"decline-reason": "Dafür sind wir nicht zuständig."}).status_code == 302
    assert status_of(sr) == "declined"


def test_forward_hands_the_request_on_and_the_former_holder_reads_only(desk, client_for):
    c = client_for(desk["advisor"])
    sr = desk["at_ihk"]
    c.post(reverse("support_office:note_add", args=[sr.pk]), {"note-body": "Notiz der IHK", "note-appointment_on": ""})
    response = act(c, sr, "forward", {"forward-institution": desk["hwk"].pk, "forward-reason": "Handwerk."})
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.institution == desk["hwk"] and sr.status == "new" and sr.advisor is None
    page = c.get(reverse("support_office:request", args=[sr.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Notiz der IHK" in text and "lag früher bei Ihrer Einrichtung" in text
    assert 'id="thread"' not in text and "request_action" not in text and "Anfrage annehmen" not in text
    # no actions, no messages, no notes for the former holder
    assert act(c, sr, "decline", {"decline-reason": "x"}).status_code == 403
    assert c.post(reverse("support_office:message_post", args=[sr.pk]), {"message-body": "Hallo"}).status_code == 403
    assert c.post(reverse("support_office:note_add", args=[sr.pk]), {"note-body": "Noch eine"}).status_code == 403
    # the new holder does not read the IHK's note
    hwk_page = client_for(desk["hwk_advisor"]).get(reverse("support_office:request", args=[sr.pk])).content.decode()
    assert "Notiz der IHK" not in hwk_page and "Anfrage annehmen" in hwk_page


def test_office_assigns_an_unassigned_request(desk, client_for):
    sr = make_request(desk["org_a"])
    c = client_for(desk["office"])
    page = c.get(reverse("support_office:request", args=[sr.pk])).content.decode()
    assert "Einer Einrichtung zuordnen" in page and "Anfrage annehmen" not in page
    assert act(c, sr, "assign", {"assign-institution": ""}).status_code == 200
    assert act(c, sr, "assign", {"assign-institution": desk["ihk"].pk}).status_code == 302
    sr.refresh_from_db()
    assert sr.institution == desk["ihk"] and sr.holdings.count() == 1


def test_message_and_note_through_the_views(desk, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from klimapakt.core.demo import minimal_pdf

    c = client_for(desk["advisor"])
    sr = desk["at_ihk"]
    pdf = SimpleUploadedFile("angebot.pdf", minimal_pdf("Angebot"), content_type="application/pdf")
    response = c.post(reverse("support_office:message_post", args=[sr.pk]),
                      {"message-body": "Guten Tag, wir melden uns.", "message-files": [pdf]})
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.first_answer_at is not None
    message = sr.messages.get()
    assert message.side == "advisor" and message.attachments.count() == 1
    response = c.post(reverse("support_office:note_add", args=[sr.pk]),
                      {"note-body": "Termin vereinbart", "note-appointment_on": "24.03.2031"})
    assert response.status_code == 302
    note = sr.notes.get()
    assert str(note.appointment_on) == "2031-03-24" and note.institution == desk["ihk"]
    assert c.post(reverse("support_office:message_post", args=[sr.pk]), {"message-body": " "}).status_code == 200
    # the file: for the holder and the office, private and not cached; never for the HWK
    attachment = message.attachments.get()
    url = reverse("support_office:attachment", args=[sr.pk, attachment.pk])
    download = c.get(url)
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_for(desk["office"]).get(url).status_code == 200
    assert client_for(desk["hwk_advisor"]).get(url).status_code == 403
    assert client_for(desk["users"]["member_b"]).get(url).status_code == 403
    other = reverse("support_office:attachment", args=[desk["at_hwk"].pk, attachment.pk])
    assert client_for(desk["office"]).get(other).status_code == 404
