"""Every mail of support, as the services queue it: each renders in German and English with no
missing variable, names no internal id and no English word on the German side, and never
carries the text of a message."""

import datetime
import re

import pytest
from django.template import engines
from django.utils import timezone

from klimapakt.core.mail import render_mail
from klimapakt.core.models import OutboxMail
from klimapakt.support.models import Offer, SupportRequest
from klimapakt.support.services import conversation, housekeeping, requests

pytestmark = pytest.mark.django_db

TEMPLATES = {
    "request_received", "request_routed_office", "request_sent", "request_drafted", "request_assigned",
    "request_accepted", "request_completed", "request_declined", "request_forwarded", "request_withdrawn",
    "message_posted", "reminder_advisor", "reminder_office",
}
MISSING = "§MISSING§"
ENGLISH = re.compile(r"\b(None|True|False|request|requests|support|institution|organisation|advisor|topics|"
                     r"outcome|reason|draft|office|firm|path)\b")
SECRET = "Vertrauliche Zahl 4711 aus dem Angebot"


@pytest.fixture
def strict_templates():
    """A missing variable shows up as a marker instead of an empty string."""
    changed = []
    for name in ("django", "text"):
        try:
            engine = engines[name].engine
        except KeyError:   # pragma: no cover
            continue
        changed.append((engine, engine.string_if_invalid))
        engine.string_if_invalid = MISSING + "%s"
    yield
    for engine, before in changed:
        engine.string_if_invalid = before


def _draft(world):
    from klimapakt.events.models import Answer, Event, Question, Registration

    org, member = world["org_a"], world["users"]["member_a"]
    event = Event.objects.create(pact=world["pact"], title_de="Energietag", starts_at=timezone.now(),
                                 ends_at=timezone.now(), status=Event.Status.PUBLISHED)
    need = Question.objects.create(event=event, label_de="Bedarf", role="support_need")
    agree = Question.objects.create(event=event, label_de="Einverstanden?", kind="yes_no", role="support_consent")
    registration = Registration.objects.create(event=event, status="confirmed", first_name="Anna",
                                               last_name="Alpha", email=member.email, organisation=org.name,
                                               user=member)
    answer = Answer.objects.create(registration=registration, question=need, text="PV-Anlage")
    Answer.objects.create(registration=registration, question=agree, boolean=True)
    return requests.request_draft_from_answer(answer=answer, organisation=org, actor=world["users"]["office"])


def _every_mail(world):
    """Run each service that mails once; returns the outbox."""
    pact = world["pact"]
    ihk = pact.initial_partners.get(short_name="IHK")
    hwk = pact.initial_partners.exclude(pk=ihk.pk).first()
    member, advisor, office = (world["users"][k] for k in ("member_a", "advisor", "office"))
    member.language = "en"
    member.save()
    offer = Offer.objects.create(pact=pact, institution=ihk, kind=Offer.Kind.FUNDING, title_de="Förderberatung",
                                 summary_de="Förderung.")
    org = world["org_a"]
    direct = requests.request_create(organisation=org, actor=member, offer=offer, topics=["funding", "heat"],
                                     description="PV", consent=True)
    requests.request_accept(support_request=direct, actor=advisor)
    conversation.message_post(support_request=direct, actor=member, body=SECRET)
    conversation.message_post(support_request=direct, actor=advisor, body=SECRET)
    conversation.message_post(support_request=direct, actor=office, body=SECRET)
    requests.request_complete(support_request=direct, actor=advisor, outcome="funding_applied",
                              reason="Antrag gestellt.")
    unsure = requests.request_create(organisation=org, actor=member, offer=None, topics=["other"],
                                     description="Hilfe", consent=True)
    requests.request_assign(support_request=unsure, institution=ihk, actor=office)
    requests.request_forward(support_request=unsure, actor=advisor, institution=hwk, reason="Handwerk")
    requests.request_decline(support_request=unsure, actor=office, reason="Kein Angebot.")
    third = requests.request_create(organisation=org, actor=member, offer=offer, topics=["heat"], description="x",
                                    consent=True)
    requests.request_withdraw(support_request=third, actor=member)
    _draft(world)
    late = requests.request_create(organisation=org, actor=member, offer=None, topics=["heat"], description="y",
                                   consent=True)
    SupportRequest.objects.filter(pk=late.pk).update(answer_due_on=datetime.date(2026, 1, 5))
    housekeeping.remind_unanswered(today=datetime.date(2026, 3, 2))
    return list(OutboxMail.objects.order_by("pk"))


def test_every_support_mail_renders_in_german_and_english(world, strict_templates):
    mails = _every_mail(world)
    names = {m.template.rsplit("/", 1)[-1] for m in mails}
    assert names == TEMPLATES
    languages = {m.language for m in mails}
    assert languages == {"de", "en"}     # the member reads English, the office German
    for mail in mails:
        for language in ("de", "en"):
            subject, text, html = render_mail(mail.template, mail.context, language)
            for part in (subject, text, html):
                assert MISSING not in part, (mail.template, language, part)
                assert SECRET not in part
                assert "{{" not in part and "{%" not in part
            assert subject.strip() and "\n" not in subject
            if language == "de":
                words = re.sub(r"https?://\S+|<[^>]+>", " ", subject + " " + text + " " + html)
                assert not ENGLISH.search(words), (mail.template, ENGLISH.search(words))
                assert "Nr." not in words and f"#{mail.context.get('number')}" not in words


def test_mail_links_point_to_the_right_side(world):
    mails = _every_mail(world)
    firm = [m for m in mails if m.template.endswith(("request_sent", "request_accepted", "request_declined"))]
    for mail in firm:
        _subject, text, _html = render_mail(mail.template, mail.context, mail.language)
        assert mail.context["firm_path"] in text and mail.context["office_path"] not in text
    english = [m for m in firm if m.language == "en"]
    assert english and all(m.context["firm_path"].startswith("/en/") for m in english)
    posted = [m for m in mails if m.template.endswith("message_posted")]
    to_advisor = next(m for m in posted if "berater@ihk.example" in m.to)
    to_firm = [m for m in posted if "anna@alpha.example" in m.to]
    assert len(to_firm) == 2   # from the advisor and from the office; the firm's own message goes to the advisor
    _subject, text, _html = render_mail(to_advisor.template, to_advisor.context, "de")
    assert to_advisor.context["office_path"] in text and "hat Ihnen zur Anfrage" in text
    for mail in to_firm:
        _subject, text, _html = render_mail(mail.template, mail.context, "de")
        assert mail.context["firm_path"] in text


def test_reminders_list_the_requests_and_the_inbox(world):
    mails = _every_mail(world)
    advisor = next(m for m in mails if m.template.endswith("reminder_advisor"))
    office = next(m for m in mails if m.template.endswith("reminder_office"))
    for mail in (advisor, office):
        subject, text, html = render_mail(mail.template, mail.context, "de")
        assert world["org_a"].name in text and "05.01.2026" in text and mail.context["inbox_path"] in text
    assert "Arbeitstage" in render_mail(office.template, office.context, "de")[1]
