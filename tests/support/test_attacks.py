"""Attacks on support through the test client: other roles' objects guessed by id, bad input,
files, crashes of the background jobs. Each test names what it tries; a test that failed before
a fix says so in its docstring."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user

from .test_workplace_world import make_desk, make_request

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HUGE = 2**63 + 5


@pytest.fixture
def desk(world):
    return make_desk(world)


def firm_url(name, sr, *extra):
    return reverse(f"support:{name}", args=[sr.organisation_id, sr.pk, *extra])


def office_url(name, sr, *extra):
    return reverse(f"support_office:{name}", args=[sr.pk, *extra])


def attach(sr, name="a.pdf", content=PDF, message=None):
    from klimapakt.support.services.conversation import attach_files

    return attach_files(support_request=sr, files=[SimpleUploadedFile(name, content)], actor=None,
                        message=message)[0]


# --------------------------------------------------------------------------- other roles' objects

def test_member_b_cannot_reach_org_a_request_by_any_url(desk, client_for):
    """Member B guesses A's request id under A's pk (403) and under B's own pk (404), for every
    firm URL, reading and writing."""
    sr = desk["at_ihk"]
    item = attach(sr)
    c = client_for(desk["users"]["member_b"])
    org_b = desk["org_b"].pk
    for name, extra, method in [("request", (), "get"), ("message_post", (), "post"), ("grant", (), "post"),
                                ("withdraw", (), "get"), ("withdraw", (), "post"), ("request_send", (), "post"),
                                ("attachment", (item.pk,), "get")]:
        response = getattr(c, method)(firm_url(name, sr, *extra), {"body": "x", "freigeben": "1", "confirm": "on"})
        assert response.status_code == 403, name
        mismatched = reverse(f"support:{name}", args=[org_b, sr.pk, *extra])
        response = getattr(c, method)(mismatched, {"body": "x", "freigeben": "1", "confirm": "on"})
        assert response.status_code == 404, name
    sr.refresh_from_db()
    assert sr.status == "new" and sr.grant_given_at is None and not sr.messages.exists()


def test_attachment_of_another_request_of_the_same_org_is_404(desk, client_for):
    """A's member changes the attachment id to a file of another request (of B, and of A)."""
    mine = desk["at_ihk"]
    other_a = make_request(desk["org_a"], institution=desk["hwk"])
    foreign = attach(desk["at_hwk"])
    sibling = attach(other_a)
    c = client_for(desk["users"]["member_a"])
    assert c.get(firm_url("attachment", mine, foreign.pk)).status_code == 404
    assert c.get(firm_url("attachment", mine, sibling.pk)).status_code == 404
    assert c.get(office_url("attachment", desk["at_hwk"], foreign.pk)).status_code == 403


def test_advisor_of_another_institution_reaches_nothing(desk, client_for):
    sr = desk["at_ihk"]
    item = attach(sr)
    sr.grant_given_at = timezone.now()
    sr.save()
    c = client_for(desk["hwk_advisor"])
    assert c.get(office_url("request", sr)).status_code == 403
    assert c.get(office_url("granted_data", sr)).status_code == 403
    assert c.get(office_url("attachment", sr, item.pk)).status_code == 403
    assert c.post(office_url("message_post", sr), {"message-body": "hallo"}).status_code == 403
    assert c.post(office_url("note_add", sr), {"note-body": "intern"}).status_code == 403
    for action in ("accept", "start", "complete", "decline", "forward", "assign"):
        assert c.post(office_url("request_action", sr, action), {"accept-advisor": desk["hwk_advisor"].pk,
                                                                 "forward-institution": desk["hwk"].pk,
                                                                 "forward-reason": "x"}).status_code == 403
    sr.refresh_from_db()
    assert sr.status == "new" and sr.institution == desk["ihk"] and not sr.notes.exists()
    # the inbox never lists it, whatever the filter
    body = c.get(reverse("support_office:inbox") + f"?einrichtung={desk['ihk'].pk}").content.decode()
    assert "Alpha Bäckerei" not in body


def test_hwk_offers_are_not_the_ihk_advisors(desk, client_for, pact):
    from klimapakt.support.models import Offer

    offer = Offer.objects.create(pact=pact, institution=desk["hwk"], kind="first_advice", title_de="HWK Angebot",
                                 summary_de="x", contact_email="a@hwk.example")
    c = client_for(desk["advisor"])
    assert c.get(reverse("support_office:offer_edit", args=[offer.pk])).status_code == 403
    assert c.post(reverse("support_office:offer_delete", args=[offer.pk])).status_code == 403
    assert Offer.objects.filter(pk=offer.pk).exists()


def test_former_holder_reads_header_only_and_acts_nowhere(desk, client_for):
    from klimapakt.support.services.requests import request_forward

    sr = desk["at_ihk"]
    item = attach(sr)
    sr.grant_given_at = timezone.now()
    sr.save()
    request_forward(support_request=sr, actor=desk["advisor"], institution=desk["hwk"], reason="passt besser")
    c = client_for(desk["advisor"])
    assert c.get(office_url("request", sr)).status_code == 200
    assert c.get(office_url("granted_data", sr)).status_code == 403
    assert c.get(office_url("attachment", sr, item.pk)).status_code == 403
    assert c.post(office_url("message_post", sr), {"message-body": "hallo"}).status_code == 403
    assert c.post(office_url("note_add", sr), {"note-body": "intern"}).status_code == 403
    assert c.post(office_url("request_action", sr, "accept"), {"accept-advisor": desk["advisor"].pk}).status_code == 403
    sr.refresh_from_db()
    assert sr.status == "new" and sr.institution == desk["hwk"] and not sr.grant_active


def test_firm_and_advisor_on_office_only_pages(desk, client_for):
    member = client_for(desk["users"]["member_a"])
    advisor = client_for(desk["advisor"])
    sr = desk["at_ihk"]
    for name in ("inbox", "firms", "overview", "overview_xlsx", "event_needs", "settings", "offers"):
        assert member.get(reverse(f"support_office:{name}")).status_code == 403, name
    assert member.post(office_url("request_action", sr, "accept"), {}).status_code == 403
    assert member.post(office_url("message_post", sr), {"message-body": "x"}).status_code == 403
    assert member.post(office_url("note_add", sr), {"note-body": "x"}).status_code == 403
    for name in ("overview", "overview_xlsx", "event_needs", "settings", "rule_create"):
        assert advisor.get(reverse(f"support_office:{name}")).status_code == 403, name
    assert advisor.post(reverse("support_office:settings"),
                        {"answer_days": 1, "holiday_region": "NW", "retention_years": 1}).status_code == 403
    assert advisor.post(office_url("request_action", sr, "assign"), {"assign-institution": desk["hwk"].pk}).status_code == 403


def test_office_and_advisor_cannot_use_the_firm_pages(desk, client_for):
    sr = desk["at_ihk"]
    for user in (desk["office"], desk["advisor"]):
        assert client_for(user).get(firm_url("request", sr)).status_code == 403
        assert client_for(user).post(firm_url("withdraw", sr), {"confirm": "on"}).status_code == 403


def test_drafts_stay_out_of_the_inbox(desk, client_for):
    make_request(desk["org_a"], institution=desk["ihk"], status="draft", description="Geheimer Entwurf")
    body = client_for(desk["advisor"]).get(reverse("support_office:inbox")).content.decode()
    assert "Geheimer Entwurf" not in body and body.count("Alpha Bäckerei") == 1
    office = client_for(desk["office"]).get(reverse("support_office:inbox") + "?status=draft")
    assert office.status_code == 200


def test_no_message_on_a_closed_request(desk, client_for):
    sr = make_request(desk["org_a"], institution=desk["ihk"], status="done", closed_at=timezone.now())
    response = client_for(desk["users"]["member_a"]).post(firm_url("message_post", sr), {"body": "noch was"})
    assert response.status_code == 302
    response = client_for(desk["advisor"]).post(office_url("message_post", sr), {"message-body": "noch was"})
    assert response.status_code == 302
    assert not sr.messages.exists()


def test_forward_to_same_or_foreign_or_missing_institution(desk, client_for):
    sr = desk["at_ihk"]
    c = client_for(desk["advisor"])
    for target in [desk["ihk"].pk, 999999, HUGE, "abc", "", "\u00b2"]:
        response = c.post(office_url("request_action", sr, "forward"),
                          {"forward-institution": target, "forward-reason": "weiter"})
        assert response.status_code == 200, target
    sr.refresh_from_db()
    assert sr.institution == desk["ihk"] and sr.holdings.count() == 1


def test_assign_only_a_new_request(desk, client_for):
    sr = desk["at_ihk"]
    sr.status = "accepted"
    sr.save()
    response = client_for(desk["office"]).post(office_url("request_action", sr, "assign"),
                                               {"assign-institution": desk["hwk"].pk})
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.institution == desk["ihk"] and sr.status == "accepted"


def test_accept_with_a_foreign_advisor_or_huge_id(desk, client_for):
    sr = desk["at_ihk"]
    c = client_for(desk["office"])
    for value in (desk["hwk_advisor"].pk, desk["users"]["member_a"].pk, HUGE, "abc", ""):
        response = c.post(office_url("request_action", sr, "accept"), {"accept-advisor": value})
        assert response.status_code == 200
    sr.refresh_from_db()
    assert sr.status == "new" and sr.advisor is None


def test_unknown_action_and_get_on_action(desk, client_for):
    c = client_for(desk["office"])
    assert c.post(office_url("request_action", desk["at_ihk"], "withdraw")).status_code == 404
    assert c.get(office_url("request_action", desk["at_ihk"], "accept")).status_code == 405


# --------------------------------------------------------------------------- bad input

def _step1(offer_pk="", **extra):
    data = {"offer": offer_pk, "description": "Wir brauchen Hilfe.", "topics": ["heat"], "schritt": "pruefen"}
    data.update(extra)
    return data


def test_request_form_refuses_bad_values(world, client_for, pact):
    from klimapakt.reports.models import Category, Measure
    from klimapakt.support.models import Offer, SupportRequest

    ihk = pact.initial_partners.get(short_name="IHK")
    hidden = Offer.objects.create(pact=pact, institution=ihk, kind="first_advice", title_de="Versteckt",
                                  summary_de="x", contact_email="a@ihk.example", is_published=False)
    partners = Offer.objects.create(pact=pact, institution=ihk, kind="first_advice", title_de="Nur Partner",
                                    summary_de="x", contact_email="a@ihk.example", audience="partners")
    org_a, org_b = world["org_a"], world["org_b"]
    foreign_measure = Measure.objects.create(organisation=org_b, title="Fremd", category=Category.values[0])
    c = client_for(world["users"]["member_a"])
    url = reverse("support:request_create", args=[org_a.pk])
    cases = [
        _step1(description=""), _step1(description="x" * 5001), _step1(description="a\x00b"),
        _step1(topics=["nuclear"]), _step1(topics=[]), _step1(offer_pk=hidden.pk), _step1(offer_pk=partners.pk),
        _step1(offer_pk=HUGE), _step1(offer_pk="abc"), _step1(report_section="targets"),
        _step1(measure=HUGE), _step1(report=HUGE), _step1(measure="abc"),
        _step1(measure=foreign_measure.pk),
    ]
    for data in cases:
        for step in ("pruefen", "senden"):
            response = c.post(url, {**data, "schritt": step, "consent": "on", "recipient": "office"})
            assert response.status_code == 200, data
            assert 'id="consent-form"' not in response.content.decode(), data
    assert not SupportRequest.objects.exists()
    for query in ("?angebot=abc", f"?angebot={hidden.pk}", f"?angebot={HUGE}", "?angebot=-1", "?angebot=²"):
        assert c.get(url + query).status_code == 200, query


def test_html_in_texts_is_escaped_in_pages_and_mails(desk, client_for):
    from klimapakt.core.mail import render_mail
    from klimapakt.core.models import OutboxMail
    from klimapakt.support.services.requests import request_decline

    script = "<script>alert(1)</script>"
    sr = make_request(desk["org_a"], institution=desk["ihk"], description=f"Heizung {script}",
                      created_by=desk["users"]["member_a"])
    c = client_for(desk["users"]["member_a"])
    c.post(firm_url("message_post", sr), {"body": f"Hallo {script}"})
    client_for(desk["advisor"]).post(office_url("note_add", sr), {"note-body": f"Notiz {script}"})
    for page in (c.get(firm_url("request", sr)), client_for(desk["advisor"]).get(office_url("request", sr))):
        body = page.content.decode()
        assert script not in body and "&lt;script&gt;" in body
    OutboxMail.objects.all().delete()
    request_decline(support_request=sr, actor=desk["advisor"], reason=f"Nein {script}")
    mail = OutboxMail.objects.get()
    subject, text, html = render_mail(mail.template, mail.context, mail.language)
    assert script not in html and "&lt;script&gt;" in html
    assert script in text and "&lt;" not in text      # plain text is not HTML-escaped


def test_inbox_and_lists_take_any_query_string(desk, client_for):
    office = client_for(desk["office"])
    advisor = client_for(desk["advisor"])
    queries = ["?page=-1", "?page=abc", f"?page={HUGE}", "?einrichtung=999999", f"?einrichtung={HUGE}",
               "?einrichtung=abc", "?einrichtung=-1", "?status=draft", "?thema=x", "?ansicht=frueher&page=0",
               "?einrichtung=%C2%B2", "?einrichtung=%D9%A1"]
    for query in queries:
        for c in (office, advisor):
            assert c.get(reverse("support_office:inbox") + query).status_code == 200, query
            assert c.get(reverse("support_office:firms") + query).status_code == 200, query
            assert c.get(reverse("support_office:offers") + query).status_code == 200, query
        assert office.get(reverse("support_office:event_needs") + query).status_code == 200, query
        assert office.get(reverse("support:offers") + query).status_code == 200, query
    for query in ("?jahr=abc", f"?jahr={HUGE}", "?jahr=1999", "?jahr=²"):
        assert office.get(reverse("support_office:overview") + query).status_code == 404, query


def test_huge_ids_in_urls(desk, client_for):
    office = client_for(desk["office"])
    member = client_for(desk["users"]["member_a"])
    org = desk["org_a"].pk
    assert office.get(reverse("support_office:request", args=[HUGE])).status_code == 404
    assert office.get(reverse("support_office:granted_data", args=[HUGE])).status_code == 404
    assert office.get(reverse("support_office:attachment", args=[desk["at_ihk"].pk, HUGE])).status_code == 404
    assert office.get(reverse("support_office:rule_edit", args=[HUGE])).status_code == 404
    assert office.get(reverse("support_office:offer_edit", args=[HUGE])).status_code == 404
    assert member.get(reverse("support:request", args=[org, HUGE])).status_code == 404
    assert member.get(reverse("support:requests", args=[HUGE])).status_code == 404
    assert member.get(reverse("support:attachment", args=[org, desk["at_ihk"].pk, HUGE])).status_code == 404
    assert client_for(None).get(reverse("support:offer", args=[HUGE])).status_code == 404
    response = office.post(reverse("support_office:event_needs"), {"answer": HUGE, "organisation": HUGE})
    assert response.status_code in (302, 404)


def test_note_with_invalid_dates(desk, client_for):
    c = client_for(desk["advisor"])
    sr = desk["at_ihk"]
    for value in ("31.02.2026", "abc", "2026-13-01", "00.00.0000", "99999-01-01"):
        response = c.post(office_url("note_add", sr), {"note-body": "Termin", "note-appointment_on": value})
        assert response.status_code == 200, value
    assert not sr.notes.exists()
    response = c.post(office_url("note_add", sr), {"note-body": "Termin", "note-appointment_on": "24.03.2026"})
    assert response.status_code == 302
    assert sr.notes.get().appointment_on == datetime.date(2026, 3, 24)


def test_settings_refuse_bad_values(desk, client_for):
    from klimapakt.support.models import SupportSettings

    c = client_for(desk["office"])
    for data in ({"answer_days": 0}, {"answer_days": 999}, {"answer_days": "abc"}, {"holiday_region": "XX"},
                 {"retention_years": 0}, {"retention_years": HUGE}, {"answer_days": HUGE}):
        response = c.post(reverse("support_office:settings"),
                          {"answer_days": 5, "holiday_region": "NW", "retention_years": 3, **data})
        assert response.status_code == 200, data
    assert not SupportSettings.objects.exists()


def test_routing_rules_refuse_bad_values(desk, client_for):
    from klimapakt.support.models import RoutingRule

    c = client_for(desk["office"])
    url = reverse("support_office:rule_create")
    for data in ({"institution": desk["ihk"].pk}, {"institution": 999999, "topic": "heat"},
                 {"institution": HUGE, "topic": "heat"}, {"institution": desk["ihk"].pk, "topic": "nuclear"},
                 {"institution": desk["ihk"].pk, "topic": "heat", "position": HUGE}):
        response = c.post(url, {"position": 0, "is_active": "on", **data})
        assert response.status_code == 200, data
    assert not RoutingRule.objects.exists()


# --------------------------------------------------------------------------- files

def _message(client, sr, files):
    return client.post(firm_url("message_post", sr), {"body": "Anbei", "files": files})


def test_files_refused_by_content_size_and_number(desk, client_for, settings):
    sr = desk["at_ihk"]
    c = client_for(desk["users"]["member_a"])
    assert _message(c, sr, [SimpleUploadedFile("x.pdf", b"<html>")]).status_code == 200
    assert _message(c, sr, [SimpleUploadedFile("x.pdf", b"")]).status_code == 200
    assert _message(c, sr, [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)]).status_code == 200
    settings.KLIMAPAKT_MAX_UPLOAD_BYTES = 100
    assert _message(c, sr, [SimpleUploadedFile("big.pdf", PDF + b"0" * 200)]).status_code == 200
    settings.KLIMAPAKT_MAX_UPLOAD_BYTES = 20 * 2**20
    assert not sr.attachments.exists() and not sr.messages.exists()
    for n in range(4):
        assert _message(c, sr, [SimpleUploadedFile(f"{n}-{k}.pdf", PDF) for k in range(5)]).status_code == 302
    assert sr.attachments.count() == 20
    assert _message(c, sr, [SimpleUploadedFile("21.pdf", PDF)]).status_code == 200
    assert sr.attachments.count() == 20


def test_long_or_pathy_file_names_keep_their_type(desk, client_for):
    """Before the fix a name longer than 200 characters lost its ".pdf" when it was cut (the
    stored file had no type: served as octet-stream, named without extension), or the upload
    failed outright when the cut name ended in a long pseudo-extension."""
    sr = desk["at_ihk"]
    c = client_for(desk["users"]["member_a"])
    names = ["../../etc/passwd.pdf", "..\\..\\win.pdf", "a" * 500 + ".pdf", "b." + "c" * 300 + ".pdf"]
    for name in names:
        response = _message(c, sr, [SimpleUploadedFile(name, PDF)])
        assert response.status_code == 302, name
    for item in sr.attachments.all():
        assert "/" not in item.name and "\\" not in item.name and ".." not in item.name.replace(".pdf", "")
        assert item.name.endswith(".pdf") and len(item.name) <= 200, item.name
        assert item.file.name.endswith(".pdf") and item.file.name.startswith(f"support/{sr.pk}/")
        response = c.get(firm_url("attachment", sr, item.pk))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
        b"".join(response.streaming_content)


def test_attachment_headers_with_quotes_and_umlauts(desk, client_for):
    sr = desk["at_ihk"]
    item = attach(sr, name='Rech"nung; ä.pdf')
    response = client_for(desk["advisor"]).get(office_url("attachment", sr, item.pk))
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"] and "filename*=utf-8''" in response["Content-Disposition"]
    b"".join(response.streaming_content)


# --------------------------------------------------------------------------- killed processes, background

def test_sending_succeeds_when_mail_delivery_fails(world, client_for, pact, monkeypatch):
    """The mails go to the outbox in the request's transaction; delivery failing (SMTP down)
    does not undo the request."""
    from django.core import mail as django_mail

    from klimapakt.core.models import OutboxMail
    from klimapakt.support.models import SupportRequest

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(django_mail.EmailMultiAlternatives, "send", broken)
    c = client_for(world["users"]["member_a"])
    url = reverse("support:request_create", args=[world["org_a"].pk])
    response = c.post(url, {**_step1(), "schritt": "senden", "consent": "on", "recipient": "office"})
    assert response.status_code == 302
    assert SupportRequest.objects.filter(organisation=world["org_a"], status="new").count() == 1
    assert OutboxMail.objects.exists()


def test_reminders_run_twice_and_roll_back_when_killed(desk, monkeypatch):
    from klimapakt.core.models import OutboxMail
    from klimapakt.support.services import housekeeping

    late = make_request(desk["org_a"], institution=desk["ihk"], days_ago=30, due_in=-20)
    OutboxMail.objects.all().delete()
    calls = {"n": 0}
    real = housekeeping.notify

    def dies_on_office(template, *args, **kwargs):
        calls["n"] += 1
        if "reminder_office" in template:
            raise RuntimeError("killed")
        return real(template, *args, **kwargs)

    monkeypatch.setattr(housekeeping, "notify", dies_on_office)
    with pytest.raises(RuntimeError):
        housekeeping.remind_unanswered()
    late.refresh_from_db()
    assert late.advisor_reminded_at is None and not OutboxMail.objects.exists()
    monkeypatch.setattr(housekeeping, "notify", real)
    assert housekeeping.remind_unanswered() == (1, 1)
    assert housekeeping.remind_unanswered() == (0, 0)
    assert OutboxMail.objects.count() == 2


def test_retention_goes_on_when_the_storage_cannot_delete_a_file(desk, monkeypatch, django_capture_on_commit_callbacks):
    """Before the fix one file the storage could not delete raised out of the commit hook:
    the other files of the chunk stayed on disk for ever (their rows were gone) and the job
    stopped before the next chunks and the audit entry."""
    from django.core.files.storage import FileSystemStorage

    from klimapakt.core.models import AuditEntry
    from klimapakt.support.models import SupportRequest
    from klimapakt.support.services.housekeeping import delete_expired_requests

    old = timezone.now() - datetime.timedelta(days=365 * 5)
    requests = [make_request(desk["org_a"], institution=desk["ihk"], status="done", closed_at=old) for _ in range(2)]
    files = [attach(r, name=f"{n}.pdf") for n, r in enumerate(requests) for _k in range(2)]
    names = [f.file.name for f in files]
    real = FileSystemStorage.delete
    failing = names[0]

    def delete(self, name):
        if name == failing:
            raise OSError("storage down")
        return real(self, name)

    monkeypatch.setattr(FileSystemStorage, "delete", delete)
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_expired_requests() == 2
    assert not SupportRequest.objects.filter(pk__in=[r.pk for r in requests]).exists()
    storage = files[0].file.storage
    assert [n for n in names if storage.exists(n)] == [failing]
    assert AuditEntry.objects.filter(action="support.requests.deleted").exists()


# --------------------------------------------------------------------------- logic

def test_withdrawal_is_not_the_institutions_first_answer(desk, client_for):
    """Before the fix withdrawing set first_answer_at, so a request the institution never
    answered counted as "answered within target" in the city's overview."""
    from klimapakt.core.selectors import current_pact
    from klimapakt.support.selectors.workplace import institution_overview

    sr = desk["at_ihk"]
    response = client_for(desk["users"]["member_a"]).post(firm_url("withdraw", sr), {"confirm": "on"})
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.status == "withdrawn" and sr.first_answer_at is None and not sr.answered_in_time
    row = next(r for r in institution_overview(current_pact(), timezone.localdate().year)["rows"]
               if r["institution"] == desk["ihk"])
    assert row["answered_in_time"] == 0 and row["withdrawn"] == 1


def test_a_draft_sent_without_the_grant_has_none(desk, client_for):
    """Before the fix a grant given on the draft (POST to the grant URL) survived sending the
    draft with "Einsicht gewähren" unticked: the review said "Nein", the institution could read."""
    from klimapakt.support.models import Offer

    offer = Offer.objects.create(pact=desk["pact"], institution=desk["ihk"], kind="first_advice", title_de="Beratung",
                                 summary_de="x", contact_email="a@ihk.example")
    draft = make_request(desk["org_a"], status="draft", description="Entwurf")
    c = client_for(desk["users"]["member_a"])
    c.post(firm_url("grant", draft), {"freigeben": "1"})
    data = {"offer": offer.pk, "description": "Entwurf", "topics": ["heat"], "schritt": "senden", "consent": "on",
            "recipient": str(desk["ihk"].pk)}
    response = c.post(firm_url("request_send", draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "new" and draft.institution == desk["ihk"]
    assert not draft.grant_active
    assert client_for(desk["advisor"]).get(office_url("granted_data", draft)).status_code == 403


def test_grant_read_only_by_holder_of_an_open_request(desk, client_for):
    sr = desk["at_ihk"]
    c = client_for(desk["users"]["member_a"])
    assert c.post(firm_url("grant", sr), {"freigeben": "1"}).status_code == 302
    advisor = client_for(desk["advisor"])
    assert advisor.get(office_url("granted_data", sr)).status_code == 200
    assert client_for(desk["hwk_advisor"]).get(office_url("granted_data", sr)).status_code == 403
    c.post(firm_url("withdraw", sr), {"confirm": "on"})
    assert advisor.get(office_url("granted_data", sr)).status_code == 403
    assert c.post(firm_url("grant", sr), {"freigeben": "1"}).status_code == 302
    sr.refresh_from_db()
    assert not sr.grant_active


def test_forward_restarts_the_clock_and_ends_the_grant(desk, client_for):
    sr = desk["at_ihk"]
    sr.grant_given_at = timezone.now()
    sr.advisor_reminded_at = timezone.now()
    sr.save()
    response = client_for(desk["advisor"]).post(office_url("request_action", sr, "forward"),
                                                {"forward-institution": desk["hwk"].pk, "forward-reason": "HWK"})
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.institution == desk["hwk"] and sr.advisor_reminded_at is None and sr.first_answer_at is None
    assert sr.received_at.date() == timezone.now().date() and sr.answer_due_on > timezone.localdate()
    assert not sr.grant_active
    assert list(sr.holdings.order_by("since").values_list("institution_id", flat=True)) == [desk["ihk"].pk,
                                                                                           desk["hwk"].pk]
    assert sr.holdings.filter(until__isnull=True).count() == 1


def test_office_assigns_an_unassigned_request_with_one_holding(desk, client_for):
    sr = make_request(desk["org_a"])
    c = client_for(desk["office"])
    assert c.post(office_url("request_action", sr, "assign"), {"assign-institution": desk["ihk"].pk}).status_code == 302
    assert c.post(office_url("request_action", sr, "assign"), {"assign-institution": desk["hwk"].pk}).status_code == 302
    sr.refresh_from_db()
    assert sr.institution == desk["hwk"]
    assert sr.holdings.filter(until__isnull=True).get().institution == desk["hwk"]
    assert sr.holdings.count() == 2


def test_advisor_without_institution_flag_is_not_office(desk, client_for):
    """A plain user (no advisor_for, no office) gets nothing from the back office."""
    plain = make_user("plain@example.org")
    c = client_for(plain)
    assert c.get(reverse("support_office:inbox")).status_code == 403
    assert c.get(office_url("request", desk["at_ihk"])).status_code == 403
