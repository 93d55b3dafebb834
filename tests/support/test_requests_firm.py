"""The firm's request pages: the list, asking in two steps (the review names the recipient and
the data; files and consent go on the second step), the request with its thread, messages,
the grant, withdrawing, a draft from an event, the files, and another organisation's pk."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klimapakt.core.models import OutboxMail
from klimapakt.support.models import Attachment, Message, Note, Offer, RoutingRule, SupportRequest
from klimapakt.support.services import conversation, requests

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def client_a(client_for, member):
    return client_for(member)


def _url(name, org, *args):
    return reverse(f"support:{name}", args=[org.pk, *args])


def _ask(org, member, offer=None, **kwargs):
    data = dict(organisation=org, actor=member, offer=offer, topics=["heat"], description="Unsere Heizung ist alt.",
                consent=True)
    data.update(kwargs)
    return requests.request_create(**data)


def _step1(offer=None, **overrides):
    data = {"offer": str(offer.pk) if offer else "", "description": "Wir möchten die Halle dämmen.",
            "topics": ["buildings", "funding"], "schritt": "pruefen"}
    data.update(overrides)
    return data


def test_the_list_shows_the_organisations_requests_and_the_button(world, client_a, offer, member):
    _ask(world["org_a"], member, offer)
    _ask(world["org_b"], world["users"]["member_b"], offer, description="Fremde Anfrage")
    page = client_a.get(_url("requests", world["org_a"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Unterstützung anfragen" in html and "Erstberatung Energie" in html and "Neu" in html
    assert offer.institution.name in html
    assert html.count(f'href="/mein-bereich/organisation/{world["org_a"].pk}/unterstuetzung/') >= 2
    assert "Fremde Anfrage" not in html and html.count('<tr>') == 2   # the header and its one request


def test_the_list_runs_a_constant_number_of_queries(world, client_a, offer, member, ihk):
    _ask(world["org_a"], member, offer)
    client_a.get(_url("requests", world["org_a"]))   # warm: the session, the cached pact
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(_url("requests", world["org_a"])).status_code == 200
    for _ in range(6):
        _ask(world["org_a"], member, None, topics=["other"])
    with CaptureQueriesContext(connection) as many:
        assert client_a.get(_url("requests", world["org_a"])).status_code == 200
    assert len(many) == len(few)


def test_the_detail_runs_a_constant_number_of_queries(world, client_a, offer, member, ihk):
    r = _ask(world["org_a"], member, offer, files=[SimpleUploadedFile("a.pdf", PDF)])
    advisor = world["users"]["advisor"]
    requests.request_accept(support_request=r, actor=advisor)
    conversation.message_post(support_request=r, actor=member, body="Erste Frage",
                              files=[SimpleUploadedFile("b.pdf", PDF)])
    client_a.get(_url("request", world["org_a"], r.pk))
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(_url("request", world["org_a"], r.pk)).status_code == 200
    for n in range(5):
        conversation.message_post(support_request=r, actor=advisor if n % 2 else member, body=f"Nachricht {n}",
                                  files=[SimpleUploadedFile(f"c{n}.pdf", PDF)])
    with CaptureQueriesContext(connection) as many:
        assert client_a.get(_url("request", world["org_a"], r.pk)).status_code == 200
    assert len(many) == len(few)


def test_the_form_preselects_the_offer_and_groups_offers_by_institution(world, client_a, offer, ihk):
    html = client_a.get(_url("request_create", world["org_a"]) + f"?angebot={offer.pk}").content.decode()
    assert f'<optgroup label="{ihk.name}">' in html
    assert re.search(rf'<option value="{offer.pk}" selected>', html)
    assert "Ich bin nicht sicher" in html
    # An unknown or foreign value preselects nothing
    html = client_a.get(_url("request_create", world["org_a"]) + "?angebot=abc").content.decode()
    assert "selected>Erstberatung" not in html


def test_partners_only_offers_are_not_offered_to_a_firm_that_is_not_a_partner(world, client_a, pact, ihk):
    Offer.objects.create(pact=pact, institution=ihk, kind=Offer.Kind.NETWORK, title_de="Partnernetzwerk",
                         summary_de="Nur für Partner.", audience=Offer.Audience.PARTNERS)
    html = client_a.get(_url("request_create", world["org_a"])).content.decode()
    assert "Partnernetzwerk" not in html


def test_two_steps_name_the_recipient_and_send_with_a_file(world, client_a, offer, ihk):
    org = world["org_a"]
    review = client_a.post(_url("request_create", org), _step1(offer, grant_access="on"))
    html = review.content.decode()
    assert review.status_code == 200
    assert f"Ihre Anfrage geht an: {ihk.name}" in html
    assert "Name und Anschrift Ihrer Organisation" in html and "Ich bin damit einverstanden" in html
    assert 'type="file"' in html and "multipart/form-data" in html
    assert not SupportRequest.objects.exists()
    # Without the consent nothing is sent
    data = _step1(offer, grant_access="True", schritt="senden", recipient=str(ihk.pk))
    refused = client_a.post(_url("request_create", org), data)
    assert refused.status_code == 200 and "Bitte stimmen Sie der Übermittlung zu" in refused.content.decode()
    assert not SupportRequest.objects.exists()
    data |= {"consent": "on", "files": [SimpleUploadedFile("angebot.pdf", PDF, content_type="application/pdf")]}
    sent = client_a.post(_url("request_create", org), data)
    r = SupportRequest.objects.get()
    assert sent.status_code == 302 and sent["Location"] == _url("request", org, r.pk)
    assert r.institution == ihk and r.offer == offer and r.topic_list == ["buildings", "funding"]
    assert r.grant_active and "die Dateien, die Sie anhängen" in r.consent_text and ihk.name in r.consent_text
    assert r.attachments.get().name == "angebot.pdf"
    assert OutboxMail.objects.filter(template="support/email/request_sent").exists()


def test_step_one_errors_stay_on_step_one_and_back_keeps_the_values(world, client_a, offer):
    org = world["org_a"]
    page = client_a.post(_url("request_create", org), _step1(offer, topics=[], description=""))
    html = page.content.decode()
    assert "Bitte wählen Sie mindestens ein Thema." in html and 'id="request-form"' in html
    back = client_a.post(_url("request_create", org), _step1(offer, schritt="aendern"))
    assert "Wir möchten die Halle dämmen." in back.content.decode() and 'id="request-form"' in back.content.decode()


def test_not_sure_shows_the_office_or_the_rule_institution(world, client_a, pact, ihk):
    org = world["org_a"]
    html = client_a.post(_url("request_create", org), _step1()).content.decode()
    assert "Ihre Anfrage geht an die Geschäftsstelle" in html
    RoutingRule.objects.create(pact=pact, institution=ihk, topic="funding")
    html = client_a.post(_url("request_create", org), _step1()).content.decode()
    assert f"Ihre Anfrage geht an: {ihk.name}" in html


def test_a_changed_routing_between_the_steps_asks_again(world, client_a, pact, ihk):
    org = world["org_a"]
    RoutingRule.objects.create(pact=pact, institution=ihk, topic="funding")
    data = _step1(schritt="senden", recipient="office", consent="on")
    page = client_a.post(_url("request_create", org), data)
    assert page.status_code == 200 and "inzwischen an eine andere Stelle" in page.content.decode()
    assert not SupportRequest.objects.exists()


def test_a_file_that_is_not_what_it_says_is_refused_on_the_review(world, client_a, offer, ihk):
    data = _step1(offer, schritt="senden", recipient=str(ihk.pk), consent="on",
                  files=[SimpleUploadedFile("rechnung.pdf", b"MZ not a pdf")])
    page = client_a.post(_url("request_create", world["org_a"]), data)
    assert page.status_code == 200 and "passt nicht zu ihrer Endung" in page.content.decode()
    assert not SupportRequest.objects.exists() and not Attachment.objects.exists()


def test_a_foreign_measure_cannot_be_chosen(world, client_a, offer):
    from klimapakt.reports.services import measure_save

    foreign = measure_save(organisation=world["org_b"], actor=world["users"]["member_b"], title="Fremd",
                           category="efficiency", status="planned", savings=[])
    page = client_a.post(_url("request_create", world["org_a"]), _step1(offer, measure=str(foreign.pk)))
    assert page.status_code == 200 and 'id="request-form"' in page.content.decode()
    assert "Fremd" not in page.content.decode()


def test_the_detail_shows_the_thread_but_never_notes(world, client_a, offer, member):
    r = _ask(world["org_a"], member, offer)
    advisor = world["users"]["advisor"]
    requests.request_accept(support_request=r, actor=advisor)
    conversation.message_post(support_request=r, actor=advisor, body="Wann passt es Ihnen?")
    Note.objects.create(request=r, author=advisor, body="Geheime interne Notiz", institution=advisor.advisor_for)
    html = client_a.get(_url("request", world["org_a"], r.pk)).content.decode()
    assert "Wann passt es Ihnen?" in html and "Geheime interne Notiz" not in html
    assert "berater@ihk.example" in html and "Angenommen" in html
    assert "übernommen" in html  # the plain explanation of the status


def test_posting_a_message_with_a_file_and_downloading_it(world, client_a, offer, member):
    r = _ask(world["org_a"], member, offer)
    done = client_a.post(_url("message_post", world["org_a"], r.pk),
                         {"body": "Hier die Rechnung.", "files": [SimpleUploadedFile("rechnung.pdf", PDF)]})
    assert done.status_code == 302
    message = Message.objects.get(request=r)
    assert message.side == "firm" and message.attachments.count() == 1
    attachment = message.attachments.get()
    response = client_a.get(_url("attachment", world["org_a"], r.pk, attachment.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf" and "rechnung.pdf" in response["Content-Disposition"]
    empty = client_a.post(_url("message_post", world["org_a"], r.pk), {"body": " "})
    assert empty.status_code == 200 and "Bitte schreiben Sie eine Nachricht." in empty.content.decode()


def test_another_organisations_pk_never_reaches_the_request(world, client_for, offer, member):
    r = _ask(world["org_a"], member, offer, files=[SimpleUploadedFile("a.pdf", PDF)])
    attachment = r.attachments.get()
    client_b = client_for(world["users"]["member_b"])
    org_b = world["org_b"]
    for name, args in (("request", [r.pk]), ("withdraw", [r.pk]), ("attachment", [r.pk, attachment.pk])):
        assert client_b.get(_url(name, org_b, *args)).status_code == 404
        assert client_b.get(_url(name, world["org_a"], *args)).status_code == 403
    for name in ("message_post", "grant", "withdraw", "request_send"):
        assert client_b.post(_url(name, org_b, r.pk), {"body": "x", "freigeben": "1", "confirm": "on"}).status_code \
            == 404
    assert not Message.objects.exists() and SupportRequest.objects.get().status == "new"


def test_grant_toggle_and_withdraw_with_confirmation(world, client_a, offer, member):
    r = _ask(world["org_a"], member, offer)
    org = world["org_a"]
    client_a.post(_url("grant", org, r.pk), {"freigeben": "1"})
    r.refresh_from_db()
    assert r.grant_active
    html = client_a.get(_url("request", org, r.pk)).content.decode()
    assert "darf Ihre CO₂-Bilanz" in html and "Einsicht widerrufen" in html
    client_a.post(_url("grant", org, r.pk), {"freigeben": "0"})
    r.refresh_from_db()
    assert not r.grant_active and r.grant_revoked_at
    confirm = client_a.get(_url("withdraw", org, r.pk))
    assert confirm.status_code == 200 and "Ja, ich möchte diese Anfrage zurückziehen." in confirm.content.decode()
    assert client_a.post(_url("withdraw", org, r.pk), {}).status_code == 200
    assert SupportRequest.objects.get().status == "new"
    assert client_a.post(_url("withdraw", org, r.pk), {"confirm": "on"}).status_code == 302
    r.refresh_from_db()
    assert r.status == "withdrawn"
    assert OutboxMail.objects.filter(template="support/email/request_withdrawn").exists()
    html = client_a.get(_url("request", org, r.pk)).content.decode()
    assert 'id="message-form"' not in html and 'id="withdraw-link"' not in html


def _draft(world):
    from klimapakt.events.models import Answer, Event, Question, Registration

    org, member = world["org_a"], world["users"]["member_a"]
    from django.utils import timezone

    event = Event.objects.create(pact=world["pact"], title_de="Energietag", starts_at=timezone.now(),
                                 ends_at=timezone.now(), status=Event.Status.PUBLISHED)
    need = Question.objects.create(event=event, label_de="Wobei brauchen Sie Hilfe?", role="support_need")
    agree = Question.objects.create(event=event, label_de="Dürfen wir eine Anfrage vorbereiten?", kind="yes_no",
                                    role="support_consent")
    registration = Registration.objects.create(event=event, status="confirmed", first_name="Anna", last_name="Alpha",
                                               email=member.email, organisation=org.name, user=member)
    answer = Answer.objects.create(registration=registration, question=need, text="Fördermittel für eine PV-Anlage")
    Answer.objects.create(registration=registration, question=agree, boolean=True)
    return requests.request_draft_from_answer(answer=answer, organisation=org, actor=world["users"]["office"])


def test_a_draft_from_an_event_is_checked_reviewed_and_sent(world, client_a, offer, ihk):
    draft = _draft(world)
    org = world["org_a"]
    html = client_a.get(_url("request", org, draft.pk)).content.decode()
    assert "Entwurf prüfen und senden" in html and "Fördermittel für eine PV-Anlage" in html
    data = {"offer": str(offer.pk), "description": draft.description, "topics": ["funding"], "schritt": "pruefen"}
    review = client_a.post(_url("request_send", org, draft.pk), data)
    assert f"Ihre Anfrage geht an: {ihk.name}" in review.content.decode()
    assert 'type="file"' not in review.content.decode()
    sent = client_a.post(_url("request_send", org, draft.pk), data | {"schritt": "senden", "recipient": str(ihk.pk),
                                                                      "consent": "on"})
    assert sent.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "new" and draft.institution == ihk and draft.consented_at
    again = client_a.post(_url("request_send", org, draft.pk), data | {"schritt": "senden", "consent": "on"})
    assert again.status_code == 302 and SupportRequest.objects.get().status == "new"


def test_english_pages_use_english_addresses(world, client_a, offer, member):
    r = _ask(world["org_a"], member, offer)
    page = client_a.get("/en" + _url("request", world["org_a"], r.pk))
    assert page.status_code == 200
