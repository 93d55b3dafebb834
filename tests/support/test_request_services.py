"""The request services' rules: routing, consent, topics and links, the status table, who may
be named advisor, forwarding with its holdings and the grant, reasons, mails (one per
recipient group, none on rollback), files by content, the bound on open requests, drafts from
events, the service level over holidays, reminders and retention."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from klimapakt.core.models import OutboxMail
from klimapakt.support.models import Attachment, Holding, Message, Offer, RoutingRule, SupportRequest
from klimapakt.support.service_level import add_working_days
from klimapakt.support.services import conversation, housekeeping, requests
from klimapakt.support.transitions import REQUEST_STATUS

pytestmark = pytest.mark.django_db

S = SupportRequest.Status
PDF = b"%PDF-1.4\n%%EOF\n"
BERLIN = datetime.timezone(datetime.timedelta(hours=1))


def ask(world, offer=None, **kwargs):
    data = dict(organisation=world["org_a"], actor=world["users"]["member_a"], offer=offer, topics=["heat"],
                description="Unsere Heizung ist alt.", consent=True)
    data.update(kwargs)
    return requests.request_create(**data)


# --- routing --------------------------------------------------------------------------------------


def test_a_request_for_an_offer_goes_to_the_offers_institution_whatever_the_rules(world, pact, offer, ihk, hwk):
    RoutingRule.objects.create(pact=pact, institution=hwk, topic="heat", position=0)
    r = ask(world, offer)
    assert r.institution == ihk and list(r.holdings.values_list("institution", flat=True)) == [ihk.pk]


def test_not_sure_takes_the_first_matching_rule_by_position(world, pact, ihk, hwk):
    org = world["org_a"]
    org.sector, org.employees = "C", 30      # manufacturing, small
    org.save()
    RoutingRule.objects.create(pact=pact, institution=hwk, topic="heat", sector="F", position=1)   # wrong sector
    RoutingRule.objects.create(pact=pact, institution=hwk, topic="heat", size_class="medium", position=2)
    RoutingRule.objects.create(pact=pact, institution=ihk, topic="heat", sector="C", size_class="small", position=3)
    RoutingRule.objects.create(pact=pact, institution=hwk, topic="heat", position=4)
    RoutingRule.objects.create(pact=pact, institution=hwk, topic="heat", position=0, is_active=False)
    assert ask(world).institution == ihk
    RoutingRule.objects.create(pact=pact, institution=hwk, craft_business=True, position=0)
    assert ask(world).institution == ihk            # not a craft business: the rule does not apply
    org.craft_business = True
    org.save()
    assert ask(world).institution == hwk


def test_no_matching_rule_goes_to_the_office(world, pact, ihk):
    RoutingRule.objects.create(pact=pact, institution=ihk, topic="funding")
    r = ask(world, topics=["mobility"])
    assert r.institution is None and r.status == S.NEW and not r.holdings.exists()
    from klimapakt.core.notifications import office_recipients

    received = OutboxMail.objects.get(template="support/email/request_received")
    assert received.to == [address for address, _language in office_recipients()]
    assert not OutboxMail.objects.filter(template="support/email/request_routed_office").exists()


# --- what a request needs -----------------------------------------------------------------------


@pytest.mark.parametrize("change, field", [
    ({"consent": False}, "consent"), ({"topics": []}, "topics"), ({"topics": ["weather"]}, "topics"),
    ({"description": "  "}, "description"), ({"report_section": "balance"}, "report"),
])
def test_consent_topics_and_a_description_are_required(world, offer, change, field):
    with pytest.raises(ValidationError) as info:
        ask(world, offer, **change)
    assert field in info.value.message_dict
    assert not SupportRequest.objects.exists() and not OutboxMail.objects.exists()


def test_another_organisations_measure_or_report_is_refused(world, offer):
    from klimapakt.reports.models import Report
    from klimapakt.reports.services import measure_save

    foreign = measure_save(organisation=world["org_b"], actor=world["users"]["member_b"], title="Fremd",
                           category="efficiency", status="planned", savings=[])
    with pytest.raises(ValidationError) as info:
        ask(world, offer, measure=foreign)
    assert "measure" in info.value.message_dict
    report = Report(organisation=world["org_b"], kind="baseline", year=2024)   # refused before anything is saved
    with pytest.raises(ValidationError) as info:
        ask(world, offer, report=report, report_section="balance")
    assert "report" in info.value.message_dict
    assert not SupportRequest.objects.exists()


def test_an_unpublished_or_partners_only_offer_is_refused(world, offer):
    offer.audience = Offer.Audience.PARTNERS
    offer.save()
    with pytest.raises(ValidationError):
        ask(world, offer)
    offer.audience, offer.is_published = Offer.Audience.EVERYONE, False
    offer.save()
    with pytest.raises(ValidationError):
        ask(world, offer)


def test_files_are_refused_by_content_and_by_number(world, offer):
    with pytest.raises(ValidationError) as info:
        ask(world, offer, files=[SimpleUploadedFile("rechnung.pdf", b"<html>no pdf</html>")])
    assert "files" in info.value.message_dict
    with pytest.raises(ValidationError):
        ask(world, offer, files=[SimpleUploadedFile("bild.gif", b"GIF89a")])
    with pytest.raises(ValidationError):
        ask(world, offer, files=[SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)])
    assert not SupportRequest.objects.exists() and not Attachment.objects.exists()
    r = ask(world, offer, files=[SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n")])
    assert r.attachments.count() == 2 and "die Dateien, die Sie anhängen" in r.consent_text


def test_an_organisation_has_at_most_20_open_requests(world, offer, member):
    for _ in range(requests.MAX_OPEN_REQUESTS):
        ask(world, offer)
    with pytest.raises(ValidationError):
        ask(world, offer)
    assert SupportRequest.objects.count() == requests.MAX_OPEN_REQUESTS
    requests.request_withdraw(support_request=SupportRequest.objects.first(), actor=member)
    ask(world, offer)   # a closed one makes room
    # another organisation is not affected
    requests.request_create(organisation=world["org_b"], actor=world["users"]["member_b"], offer=offer,
                            topics=["heat"], description="B", consent=True)


# --- the status table --------------------------------------------------------------------------------

ALLOWED = {   # status -> the actions REQUEST_STATUS lets through
    S.DRAFT: {"send", "withdraw"},
    S.NEW: {"assign", "accept", "decline", "forward", "withdraw"},
    S.ACCEPTED: {"start", "complete", "decline", "forward", "withdraw"},
    S.IN_PROGRESS: {"complete", "decline", "forward", "withdraw"},
    S.DONE: set(), S.DECLINED: set(), S.WITHDRAWN: set(),
}


def test_the_status_table_is_the_one_documented():
    actions = {"send", "assign", "accept", "start", "complete", "decline", "forward", "withdraw"}
    for status, allowed in ALLOWED.items():
        assert {a for a in actions if REQUEST_STATUS.allows(status, a)} == allowed, status


def _call(action, r, *, world, ihk, hwk):
    member, advisor, office = (world["users"][k] for k in ("member_a", "advisor", "office"))
    calls = {
        "send": lambda: requests.request_send(support_request=r, actor=member, consent=True, offer=None,
                                              topics=["heat"], description="x"),
        "assign": lambda: requests.request_assign(support_request=r, institution=hwk, actor=office),
        "accept": lambda: requests.request_accept(support_request=r, actor=advisor),
        "start": lambda: requests.request_start(support_request=r, actor=advisor),
        "complete": lambda: requests.request_complete(support_request=r, actor=advisor, outcome="advice_given"),
        "decline": lambda: requests.request_decline(support_request=r, actor=advisor, reason="Passt nicht."),
        "forward": lambda: requests.request_forward(support_request=r, actor=advisor, institution=hwk,
                                                    reason="Handwerk"),
        "withdraw": lambda: requests.request_withdraw(support_request=r, actor=member),
    }
    return calls[action]()


@pytest.mark.parametrize("status", list(ALLOWED))
@pytest.mark.parametrize("action", ["send", "assign", "accept", "start", "complete", "decline", "forward",
                                    "withdraw"])
def test_each_service_follows_the_status_table(world, offer, ihk, hwk, status, action):
    r = ask(world, offer)
    SupportRequest.objects.filter(pk=r.pk).update(status=status)
    r.refresh_from_db()
    if action in ALLOWED[status]:
        result = _call(action, r, world=world, ihk=ihk, hwk=hwk)
        expected = REQUEST_STATUS.target(status, action) or status
        assert result.status == expected
    else:
        with pytest.raises(ValidationError):
            _call(action, r, world=world, ihk=ihk, hwk=hwk)
        assert SupportRequest.objects.get(pk=r.pk).status == status


def test_only_an_advisor_of_the_institution_can_be_named(world, offer, ihk, hwk, member, office):
    from tests.conftest import make_user

    r = ask(world, offer)
    other = make_user("beraterin@hwk.example", advisor_for=hwk)
    for who in (other, member, office):
        with pytest.raises(ValidationError):
            requests.request_accept(support_request=r, actor=world["users"]["advisor"], advisor=who)
    colleague = make_user("kollegin@ihk.example", advisor_for=ihk)
    r = requests.request_accept(support_request=r, actor=world["users"]["advisor"], advisor=colleague)
    assert r.advisor == colleague and r.first_answer_at is not None
    mail = OutboxMail.objects.get(template="support/email/request_accepted")
    assert mail.context["advisor_email"] == "kollegin@ihk.example"


def test_forwarding_keeps_the_holding_and_revokes_the_grant(world, offer, ihk, hwk, advisor):
    r = ask(world, offer, grant_access=True)
    assert r.grant_active
    r = requests.request_accept(support_request=r, actor=advisor)
    with pytest.raises(ValidationError):    # a reason is needed
        requests.request_forward(support_request=r, actor=advisor, institution=hwk, reason=" ")
    with pytest.raises(ValidationError):    # not to itself
        requests.request_forward(support_request=r, actor=advisor, institution=ihk, reason="x")
    r = requests.request_forward(support_request=r, actor=advisor, institution=hwk, reason="Handwerk")
    assert r.status == S.NEW and r.institution == hwk and r.advisor is None
    assert not r.grant_active and r.grant_revoked_at is not None
    held = {h.institution_id: h for h in Holding.objects.filter(request=r)}
    assert set(held) == {ihk.pk, hwk.pk}
    assert held[ihk.pk].until is not None and held[hwk.pk].until is None and held[hwk.pk].reason == "Handwerk"
    # The former institution's advisor still sees the header; the new one handles it
    assert advisor.has_perm("support.view_request", r) and not advisor.has_perm("support.handle_request", r)
    mail = OutboxMail.objects.get(template="support/email/request_forwarded")
    assert mail.context["previous"] == ihk.name and mail.context["institution"] == hwk.name


def test_declining_needs_a_reason_and_tells_the_firm(world, offer, advisor):
    r = ask(world, offer)
    with pytest.raises(ValidationError) as info:
        requests.request_decline(support_request=r, actor=advisor, reason="  ")
    assert "reason" in info.value.message_dict
    r = requests.request_decline(support_request=r, actor=advisor, reason="Kein passendes Angebot.")
    assert r.status == S.DECLINED and r.closed_at and r.close_reason == "Kein passendes Angebot."
    assert OutboxMail.objects.get(template="support/email/request_declined").context["reason"] == r.close_reason


# --- mails --------------------------------------------------------------------------------------------


def _templates():
    return sorted(m.template.rsplit("/", 1)[-1] for m in OutboxMail.objects.all())


def test_one_mail_per_recipient_group_per_change(world, offer, advisor, member):
    r = ask(world, offer)
    assert _templates() == ["request_received", "request_routed_office", "request_sent"]
    received = OutboxMail.objects.get(template="support/email/request_received")
    assert received.to == ["berater@ihk.example"]
    sent = OutboxMail.objects.get(template="support/email/request_sent")
    assert sent.to == ["anna@alpha.example"]
    OutboxMail.objects.all().delete()
    r = requests.request_accept(support_request=r, actor=advisor)
    assert _templates() == ["request_accepted"]
    OutboxMail.objects.all().delete()
    conversation.message_post(support_request=r, actor=member, body="Frage")
    assert OutboxMail.objects.get().to == ["berater@ihk.example"]
    OutboxMail.objects.all().delete()
    conversation.message_post(support_request=r, actor=advisor, body="Antwort")
    assert OutboxMail.objects.get().to == ["anna@alpha.example"]
    OutboxMail.objects.all().delete()
    conversation.note_add(support_request=r, actor=advisor, body="intern")
    requests.request_start(support_request=r, actor=advisor)
    assert not OutboxMail.objects.exists()


def test_a_member_who_reads_english_gets_the_english_mail_separately(world, offer, member):
    from klimapakt.partners.models import Membership
    from tests.conftest import make_user

    colleague = make_user("colin@alpha.example", language="en")
    Membership.objects.create(organisation=world["org_a"], user=colleague, role=Membership.Role.ADMIN)
    ask(world, offer)
    sent = OutboxMail.objects.filter(template="support/email/request_sent").order_by("language")
    assert [(m.language, m.to) for m in sent] == [("de", ["anna@alpha.example"]), ("en", ["colin@alpha.example"])]
    assert sent[1].context["firm_path"].startswith("/en/")


def test_no_mail_when_the_change_rolls_back(world, offer, advisor):
    with pytest.raises(RuntimeError), transaction.atomic():
        ask(world, offer)
        raise RuntimeError("the page failed after the service")
    assert not OutboxMail.objects.exists() and not SupportRequest.objects.exists()
    r = ask(world, offer)
    OutboxMail.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        requests.request_accept(support_request=r, actor=advisor)
        raise RuntimeError
    assert not OutboxMail.objects.exists() and SupportRequest.objects.get().status == S.NEW


# --- drafts from events --------------------------------------------------------------------------------


def _answer(world, *, consent=True, user=None):
    from klimapakt.events.models import Answer, Event, Question, Registration

    event = Event.objects.create(pact=world["pact"], title_de="Energietag", starts_at=timezone.now(),
                                 ends_at=timezone.now(), status=Event.Status.PUBLISHED)
    need = Question.objects.create(event=event, label_de="Bedarf", role="support_need")
    agree = Question.objects.create(event=event, label_de="Einverstanden?", kind="yes_no", role="support_consent")
    user = user or world["users"]["member_a"]
    registration = Registration.objects.create(event=event, status="confirmed", first_name="A", last_name="B",
                                               email=user.email, organisation="x", user=user)
    answer = Answer.objects.create(registration=registration, question=need, text="Dämmung der Halle")
    Answer.objects.create(registration=registration, question=agree, boolean=consent)
    return answer


def test_a_draft_needs_the_consent_answer_and_the_membership(world, office, member, offer, ihk):
    with pytest.raises(ValidationError):
        requests.request_draft_from_answer(answer=_answer(world, consent=False), organisation=world["org_a"],
                                           actor=office)
    with pytest.raises(ValidationError):   # member_b is not a member of A
        requests.request_draft_from_answer(answer=_answer(world, user=world["users"]["member_b"]),
                                           organisation=world["org_a"], actor=office)
    assert not SupportRequest.objects.exists() and not OutboxMail.objects.exists()
    answer = _answer(world)
    draft = requests.request_draft_from_answer(answer=answer, organisation=world["org_a"], actor=office)
    assert draft.status == S.DRAFT and "Dämmung der Halle" in draft.description and draft.received_at is None
    assert _templates() == ["request_drafted"]
    with pytest.raises(ValidationError):   # once per answer
        requests.request_draft_from_answer(answer=answer, organisation=world["org_a"], actor=office)
    with pytest.raises(ValidationError):   # sending needs the consent too
        requests.request_send(support_request=draft, actor=member, consent=False, offer=offer, topics=["heat"],
                              description=draft.description)
    sent = requests.request_send(support_request=draft, actor=member, consent=True, offer=offer, topics=["heat"],
                                 description="Dämmung", grant_access=True)
    assert sent.status == S.NEW and sent.institution == ihk and sent.grant_active and sent.answer_due_on


# --- service level, reminders, retention -----------------------------------------------------------------


def test_the_due_date_skips_christmas_the_weekend_and_new_year(world, offer):
    assert add_working_days(datetime.date(2026, 12, 24), 5, "NW") == datetime.date(2027, 1, 4)
    with time_machine.travel(datetime.datetime(2026, 12, 24, 10, 0, tzinfo=BERLIN), tick=False):
        r = ask(world, offer)
    assert r.answer_due_on == datetime.date(2027, 1, 4)


def test_reminders_go_once_to_the_advisors_and_once_to_the_office(world, offer, advisor):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN), tick=False):   # a Monday
        r = ask(world, offer)
        answered = ask(world, offer)
    assert r.answer_due_on == datetime.date(2026, 3, 9)
    conversation.message_post(support_request=answered, actor=advisor, body="Wir melden uns.")
    OutboxMail.objects.all().delete()
    assert housekeeping.remind_unanswered(today=datetime.date(2026, 3, 9)) == (0, 0)     # due today: not late
    assert housekeeping.remind_unanswered(today=datetime.date(2026, 3, 10)) == (1, 0)
    mail = OutboxMail.objects.get()
    assert mail.template == "support/email/reminder_advisor" and mail.to == ["berater@ihk.example"]
    assert len(mail.context["requests"]) == 1
    assert housekeeping.remind_unanswered(today=datetime.date(2026, 3, 11)) == (0, 0)    # never twice
    # Twice the target: five more working days after the due date (16.3.), the office hears on the 17th
    assert housekeeping.remind_unanswered(today=datetime.date(2026, 3, 16)) == (0, 0)
    assert housekeeping.remind_unanswered(today=datetime.date(2026, 3, 17)) == (0, 1)
    assert OutboxMail.objects.filter(template="support/email/reminder_office").count() == 1
    assert housekeeping.remind_unanswered(today=datetime.date(2026, 4, 1)) == (0, 0)
    assert OutboxMail.objects.count() == 2


def test_retention_deletes_only_old_closed_requests_and_their_files(world, offer, member,
                                                                     django_capture_on_commit_callbacks):
    old_closed = ask(world, offer, files=[SimpleUploadedFile("alt.pdf", PDF)])
    requests.request_withdraw(support_request=old_closed, actor=member)
    young_closed = ask(world, offer)
    requests.request_withdraw(support_request=young_closed, actor=member)
    old_open = ask(world, offer)
    long_ago = timezone.now() - datetime.timedelta(days=365 * 3 + 30)
    SupportRequest.objects.filter(pk=old_closed.pk).update(closed_at=long_ago)
    SupportRequest.objects.filter(pk=old_open.pk).update(created_at=long_ago, received_at=long_ago)
    conversation.message_post(support_request=old_open, actor=member, body="noch offen")
    stored = Attachment.objects.get(request=old_closed)
    storage, name = stored.file.storage, stored.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        assert housekeeping.delete_expired_requests() == 1
    assert set(SupportRequest.objects.values_list("pk", flat=True)) == {young_closed.pk, old_open.pk}
    assert not Attachment.objects.filter(pk=stored.pk).exists() and not storage.exists(name)
    assert Message.objects.filter(request=old_open).exists()
    assert housekeeping.delete_expired_requests() == 0
