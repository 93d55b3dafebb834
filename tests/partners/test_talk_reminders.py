"""Follow-up of talk dates the organisation has not answered (`send_talk_reminders`): three days
before the talk its members are reminded and the pact office gets one summary; each step once
per talk and proposed date, never for answered talks, never once the talk has begun. The clock
is frozen with time-machine."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connections

from klimapakt.core.models import AuditEntry
from klimapakt.partners import services
from klimapakt.partners.models import Membership, Organisation, TalkReminder
from klimapakt.partners.services import talks

BERLIN = ZoneInfo("Europe/Berlin")
PROPOSED_ON = datetime.date(2026, 3, 2)       # a Monday, well before the change to summer time
TALK_DAY = datetime.date(2026, 3, 9)          # proposed a week ahead
OFFICE = "klimapakt@krefeld.de"


def at(day: datetime.date, hour: int = 6, minute: int = 30):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN),
                               tick=False)


def plan(journey, organisation=None, day=TALK_DAY, on=PROPOSED_ON, location="Rathaus, Raum 212"):
    with at(on, 10):
        return services.talk_plan(organisation=organisation or journey.org, actor=journey.office, location=location,
                                  scheduled_for=datetime.datetime(day.year, day.month, day.day, 14, tzinfo=BERLIN))


def run(day, capture, hour=6, minute=30):
    """The daily job at `day` `hour`:`minute`; returns the mails it sent."""
    mail.outbox.clear()
    with at(day, hour, minute), capture(execute=True):
        call_command("send_talk_reminders", stdout=open("/dev/null", "w"))
    return list(mail.outbox)


def days(n):
    return datetime.timedelta(days=n)


def test_reminded_once_three_days_before_with_one_summary_to_the_office(journey, world,
                                                                        django_capture_on_commit_callbacks):
    colleague = world["users"]["member_b"]  # a plain member of A too, who reads English
    Membership.objects.create(organisation=journey.org, user=colleague, role=Membership.Role.MEMBER)
    colleague.language = "en"
    colleague.save(update_fields=["language"])
    Organisation.objects.filter(pk=journey.org.pk).update(contact_email="Info@Alpha.example")
    plan(journey)
    for day in (PROPOSED_ON, PROPOSED_ON + days(1), TALK_DAY - days(4)):
        assert run(day, django_capture_on_commit_callbacks) == [], day

    sent = run(TALK_DAY - days(3), django_capture_on_commit_callbacks)
    by_to = {tuple(m.to): m for m in sent}
    assert set(by_to) == {("anna@alpha.example", "info@alpha.example"), ("bert@beta.example",), (OFFICE,)}
    german = by_to[("anna@alpha.example", "info@alpha.example")]
    assert german.subject == "Erinnerung: Orientierungsgespräch am 09.03.2026 14:00"
    assert "Alpha Bäckerei GmbH" in german.body and "Ort: Rathaus, Raum 212" in german.body
    assert "noch nicht erhalten" in german.body
    assert f"/mein-bereich/organisation/{journey.org.pk}/gespraech/" in german.body
    assert f"/mein-bereich/organisation/{journey.org.pk}/gespraech/" in german.alternatives[0][0]
    english = by_to[("bert@beta.example",)]
    assert english.subject == "Reminder: orientation talk on 09/03/2026 14:00"
    assert "have not received an answer" in english.body
    office = by_to[(OFFICE,)]
    assert office.subject == "Orientierungsgespräche: Terminvorschläge ohne Antwort"
    assert "Alpha Bäckerei GmbH: 09.03.2026 14:00" in office.body
    assert f"/geschaeftsstelle/organisationen/{journey.org.pk}/" in office.body
    assert "höchstens 3 Tagen" in office.body and "keine E-Mail-Adresse" not in office.body

    # Once: the same day again, the following days and on the talk day itself before it begins
    for day, hour in ((TALK_DAY - days(3), 9), (TALK_DAY - days(2), 6), (TALK_DAY - days(1), 6), (TALK_DAY, 6)):
        assert run(day, django_capture_on_commit_callbacks, hour=hour) == [], day
    assert sorted(TalkReminder.objects.values_list("step", flat=True)) == ["office", "organisation"]
    reminder = TalkReminder.objects.get(step="organisation")
    assert reminder.recipients == ["anna@alpha.example", "bert@beta.example", "info@alpha.example"]
    entries = AuditEntry.objects.filter(action__startswith="partners.talk.", object_id=str(journey.org.pk))
    assert list(entries.filter(action="partners.talk.reminder_sent").values_list("data__recipients", flat=True)) == [3]
    assert entries.filter(action="partners.talk.office_notified").count() == 1


def test_the_office_gets_one_mail_for_all_organisations_and_hears_who_cannot_be_reminded(
        journey, world, django_capture_on_commit_callbacks):
    silent = Organisation.objects.create(name="Delta Verein e. V.", stage=Organisation.Stage.INTEREST)
    plan(journey)
    plan(journey, organisation=world["org_b"], day=TALK_DAY + days(1))
    plan(journey, organisation=silent, day=TALK_DAY - days(1), location="")
    sent = run(TALK_DAY - days(2), django_capture_on_commit_callbacks)
    office = [m for m in sent if m.to == [OFFICE]]
    assert len(office) == 1 and len(sent) == 3  # Alpha, Beta, the office; Delta has no address
    body = office[0].body
    # the nearest talk first
    assert body.index("Delta Verein e. V.: 08.03.2026 14:00") < body.index("Alpha Bäckerei GmbH") \
        < body.index("Beta Metallbau KG: 10.03.2026 14:00")
    assert "Delta Verein e. V.: 08.03.2026 14:00 – keine E-Mail-Adresse zum Erinnern" in body
    assert TalkReminder.objects.get(talk__organisation=silent, step="organisation").recipients == []


def test_no_reminder_for_an_answered_talk(journey, world, django_capture_on_commit_callbacks):
    plan(journey)
    plan(journey, organisation=world["org_b"])
    with at(PROPOSED_ON, 12):
        services.talk_answer(organisation=journey.org, actor=journey.member, answer="accepted")
        services.talk_answer(organisation=world["org_b"], actor=world["users"]["member_b"], answer="declined",
                             message="Dienstags passt es besser.")
    for day in (TALK_DAY - days(3), TALK_DAY - days(1)):
        assert run(day, django_capture_on_commit_callbacks) == []
    assert not TalkReminder.objects.exists()


def test_no_reminder_once_the_talk_has_begun_or_passed(journey, django_capture_on_commit_callbacks):
    plan(journey)
    # the scheduler was down until the talk had begun
    assert run(TALK_DAY, django_capture_on_commit_callbacks, hour=14, minute=0) == []
    assert run(TALK_DAY + days(1), django_capture_on_commit_callbacks) == []
    assert not TalkReminder.objects.exists()
    # but the morning of the talk day still counts
    assert len(run(TALK_DAY, django_capture_on_commit_callbacks, hour=13, minute=59)) == 2


def test_a_date_proposed_today_is_followed_up_from_the_next_day(journey, django_capture_on_commit_callbacks):
    plan(journey, day=PROPOSED_ON + days(2))
    assert run(PROPOSED_ON, django_capture_on_commit_callbacks, hour=23, minute=0) == []
    assert len(run(PROPOSED_ON + days(1), django_capture_on_commit_callbacks)) == 2


def test_only_while_the_talk_is_planned(journey, django_capture_on_commit_callbacks):
    plan(journey)
    with at(PROPOSED_ON, 12):
        services.partnership_end(organisation=journey.org, actor=journey.office, reason="Kein Interesse mehr")
    assert run(TALK_DAY - days(3), django_capture_on_commit_callbacks) == []


def test_a_new_date_is_followed_up_again_a_corrected_location_is_not(journey, django_capture_on_commit_callbacks):
    talk = plan(journey)
    assert len(run(TALK_DAY - days(3), django_capture_on_commit_callbacks)) == 2
    plan(journey, on=TALK_DAY - days(3), location="Videokonferenz")  # same date, new place
    assert run(TALK_DAY - days(2), django_capture_on_commit_callbacks) == []
    new_day = TALK_DAY + days(7)
    assert plan(journey, on=TALK_DAY - days(2), day=new_day).pk == talk.pk
    assert run(new_day - days(4), django_capture_on_commit_callbacks) == []
    sent = run(new_day - days(3), django_capture_on_commit_callbacks)
    assert len(sent) == 2 and "16.03.2026 14:00" in sent[0].subject + sent[1].body
    assert TalkReminder.objects.filter(talk=talk).count() == 4


def test_a_step_is_recorded_once_even_if_two_runs_race(journey):
    talk = plan(journey)
    with at(TALK_DAY - days(3)):
        now = datetime.datetime.now(tz=BERLIN)
        first = talks._talk_reminder_send(talk=talk, now=now)
        second = talks._talk_reminder_send(talk=talk, now=now)
        listed = talks._talk_office_summary_send(now=now)
        assert talks._talk_office_summary_send(now=now) == []
    assert first is not None and second is None and len(listed) == 1
    assert TalkReminder.objects.count() == 2


def test_reminders_received_are_in_the_persons_export_and_leave_with_the_account(
        journey, django_capture_on_commit_callbacks):
    from klimapakt.core.privacy import person_data_export
    from klimapakt.partners import privacy

    plan(journey)
    run(TALK_DAY - days(3), django_capture_on_commit_callbacks)
    [received] = person_data_export(user=journey.member)["partners"]["talk_reminders_received"]
    assert received["organisation"] == "Alpha Bäckerei GmbH" and received["scheduled_for"].startswith("2026-03-09")
    privacy.erase(journey.member)
    assert TalkReminder.objects.get(step="organisation").recipients == []


@pytest.mark.django_db(transaction=True)
def test_simultaneous_runs_remind_and_tell_the_office_once(journey, world):
    plan(journey)
    plan(journey, organisation=world["org_b"])
    barrier = threading.Barrier(2)
    errors = []

    def job():
        try:
            barrier.wait(timeout=10)
            services.send_talk_reminders()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2026, 3, 6, 6, 30, tzinfo=BERLIN), tick=True):
        threads = [threading.Thread(target=job) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert not errors, errors
    assert sorted(TalkReminder.objects.values_list("talk__organisation__name", "step")) == [
        ("Alpha Bäckerei GmbH", "office"), ("Alpha Bäckerei GmbH", "organisation"),
        ("Beta Metallbau KG", "office"), ("Beta Metallbau KG", "organisation")]
    organisation_mails = sorted(m.to[0] for m in mail.outbox if m.to != [OFFICE])
    assert organisation_mails == ["anna@alpha.example", "bert@beta.example"]
    office_mails = [m.body for m in mail.outbox if m.to == [OFFICE]]
    # one summary, or two that split the list: each organisation is listed exactly once
    assert sum(body.count("Alpha Bäckerei GmbH") for body in office_mails) == 1
    assert sum(body.count("Beta Metallbau KG") for body in office_mails) == 1
