"""Rules of reports and measures: savings from kWh, justifications, the report cycle (submit,
return, resubmit, accept), immutability, prefill, the target-path check and reminders."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from klimapakt.core.models import AuditEntry
from klimapakt.reports import selectors, services
from klimapakt.reports.models import Measure, Reminder, Report, ReportVersion, TargetProgress
from klimapakt.reports.selectors import target_path_check
from klimapakt.reports.services import reminders

from .conftest import SIGNED, add_balance

BERLIN = datetime.timezone(datetime.timedelta(hours=1))


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7, 0, tzinfo=BERLIN), tick=False)


# --- measures -----------------------------------------------------------------------------------


def test_savings_are_turned_into_co2e_with_the_factor_library(partner):
    t, note = services.saving_to_t(carrier="electricity", quantity=Decimal(10000), unit="kWh", year=2023)
    assert t == Decimal("3.860") and note == "0,386 kg je kWh, Faktor 2023"
    # Litres of diesel: 1000 l x 2.645 kg/l
    diesel, note = services.saving_to_t(carrier="diesel", quantity=Decimal(1000), unit="l", year=2023)
    assert diesel == Decimal("2.645") and note == "2,645 kg je Liter, Faktor für alle Jahre"
    # kWh of diesel cannot be converted: an error, never a number
    from klimapakt.ghg.calculation import CalculationError

    with pytest.raises(CalculationError):
        services.saving_to_t(carrier="diesel", quantity=Decimal(1000), unit="kWh", year=2023)


def test_measure_expected_savings_add_computed_and_manual_tonnes(partner, member):
    measure = services.measure_save(organisation=partner, actor=member, title="LED und Wärmepumpe",
                                    category="efficiency", status="planned", scopes=["2", 1],
                                    expected_t_manual=Decimal("1.5"),
                                    savings=[("electricity", Decimal(10000), None, "kWh"),
                                             ("diesel", Decimal(500), None, "l")])
    year = datetime.date.today().year - 1
    computed = services.saving_to_t(carrier="electricity", quantity=Decimal(10000), unit="kWh", year=year)[0]
    assert measure.expected_t_co2e == computed + Decimal("1.323") + Decimal("1.5")
    assert measure.scopes == [1, 2]
    assert measure.savings.count() == 2 and measure.savings.get(carrier="diesel").expected_t_co2e == Decimal("1.323")
    assert AuditEntry.objects.filter(action="reports.measure.created").exists()


@pytest.mark.parametrize("status", ["dropped", "postponed"])
def test_dropping_or_postponing_a_measure_needs_a_justification(partner, member, status):
    measure = services.measure_save(organisation=partner, actor=member, title="PV", category="generation",
                                    status="planned", savings=[])
    with pytest.raises(ValidationError) as info:
        services.measure_save(organisation=partner, actor=member, measure=measure, status=status, savings=None)
    assert "justification" in info.value.message_dict
    measure.refresh_from_db()
    assert measure.status == "planned"
    # The database refuses it too
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(status=status, justification="")
    saved = services.measure_save(organisation=partner, actor=member, measure=measure, status=status,
                                  justification="Dach muss erst saniert werden.", savings=None)
    assert saved.status == status


# --- periods and the cycle --------------------------------------------------------------------------


def test_report_periods_follow_the_pact(partner, pact):
    periods = selectors.report_periods(partner, pact)
    baseline = periods[0]
    assert baseline["kind"] == "baseline" and baseline["due_on"] == datetime.date(2025, 3, 1)
    monitoring = [p["year"] for p in periods if p["kind"] == "monitoring"]
    assert monitoring == [2025, 2027, 2029, 2031, 2033]  # 2035 is the Endbilanz
    assert periods[-1]["kind"] == "final" and periods[-1]["year"] == pact.target_year


def _baseline(partner, member):
    return services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)


def test_baseline_cannot_be_submitted_without_a_balance(partner, member):
    report = _baseline(partner, member)
    assert report.balance_year == 2023  # the base year of the target
    with pytest.raises(ValidationError) as info:
        services.report_submit(report=report, actor=member)
    assert "2023" in " ".join(info.value.messages)
    assert not ReportVersion.objects.exists()


def test_baseline_needs_scope_1_and_scope_2(partner, member):
    add_balance(partner, 2023, power=None)  # gas only: Scope 1
    report = _baseline(partner, member)
    with pytest.raises(ValidationError) as info:
        services.report_submit(report=report, actor=member)
    message = " ".join(info.value.messages)
    assert "Scope 1 und Scope 2" in message and "fehlt: Scope 2" in message
    report.refresh_from_db()
    assert report.status == "draft"


def test_submit_return_resubmit_accept(partner, member, office, django_capture_on_commit_callbacks):
    balance = add_balance(partner, 2023)
    report = _baseline(partner, member)
    services.report_update(report=report, actor=member, notes={"balance": "Laut Rechnungen."})
    with django_capture_on_commit_callbacks(execute=True):
        version = services.report_submit(report=report, actor=member)
    assert version.number == 1 and version.snapshot["balance"]["scope1"] == str(balance.scope1_t)
    assert version.snapshot["notes"]["balance"] == "Laut Rechnungen."
    report.refresh_from_db()
    assert report.status == "submitted" and report.scope2_location_t == balance.scope2_location_t
    assert {m.to[0] for m in mail.outbox} >= {"anna@alpha.example", partner.memberships.first().user.email}
    # Immutable: no more edits, and a stored version cannot be saved again
    with pytest.raises(ValidationError):
        services.report_update(report=report, actor=member, notes={"general": "später"})
    with pytest.raises(ValidationError):
        version.save()
    # Return needs a comment; then with comments per section
    with pytest.raises(ValidationError):
        services.report_return(report=report, actor=office, comments={"balance": "  "})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=report, actor=office, comments={"balance": "Heizöl fehlt.",
                                                                       "measures": "Bitte Zeiträume ergänzen."})
    report.refresh_from_db()
    assert report.status == "returned" and report.comments.count() == 2
    assert len(mail.outbox) == 1 and "Heizöl fehlt." in mail.outbox[0].body
    # Fixed and resubmitted: a second version; the first stays as it was
    services.report_update(report=report, actor=member, notes={"balance": "Heizöl ergänzt."})
    second = services.report_submit(report=report, actor=member)
    assert second.number == 2 and second.snapshot["notes"]["balance"] == "Heizöl ergänzt."
    assert ReportVersion.objects.get(report=report, number=1).snapshot["notes"]["balance"] == "Laut Rechnungen."
    assert AuditEntry.objects.filter(action="reports.report.resubmitted").exists()
    # Accept: the balance is frozen, the next deadline is the first monitoring report
    with django_capture_on_commit_callbacks(execute=True):
        services.report_accept(report=report, actor=office)
    balance.refresh_from_db()
    partner.refresh_from_db()
    assert balance.is_frozen
    assert partner.next_deadline_kind == "monitoring_report"
    with pytest.raises(ValidationError):
        services.report_accept(report=report, actor=office)


def test_monitoring_is_prefilled_from_the_last_report_and_needs_progress(partner, member, office):
    add_balance(partner, 2023)
    baseline = _baseline(partner, member)
    services.report_update(report=baseline, actor=member, notes={"measures": "Schwerpunkt Strom."})
    services.report_submit(report=baseline, actor=member)
    services.report_accept(report=baseline, actor=office)
    add_balance(partner, 2024, gas="90000", power="45000")
    monitoring = services.report_start(organisation=partner, kind="monitoring", year=2025, actor=member)
    assert monitoring.prefilled_from == baseline and monitoring.note("measures") == "Schwerpunkt Strom."
    assert monitoring.balance_year == 2024
    with pytest.raises(ValidationError) as info:
        services.report_submit(report=monitoring, actor=member)
    assert "Stand" in " ".join(info.value.messages)
    target = partner.targets.get()
    with pytest.raises(ValidationError):
        services.report_update(report=monitoring, actor=member, progress={target.pk: ("behind", "")})
    services.report_update(report=monitoring, actor=member,
                           progress={target.pk: ("behind", "Der neue Ofen kommt erst 2026.")})
    version = services.report_submit(report=monitoring, actor=member)
    assert version.snapshot["targets"][0]["progress"] == "behind"
    # The next monitoring report starts from this one, progress included
    with at(datetime.date(2027, 1, 2)):
        later = services.report_start(organisation=partner, kind="monitoring", year=2027, actor=member)
    assert later.prefilled_from == monitoring
    assert TargetProgress.objects.get(report=later).justification == "Der neue Ofen kommt erst 2026."


# --- target path ----------------------------------------------------------------------------------


def _bal(year, s1, s2):
    return SimpleNamespace(year=year, scope1_t=Decimal(s1), scope2_location_t=Decimal(s2), scope3_t=Decimal(0))


def test_target_path_check_in_plain_words():
    target = SimpleNamespace(base_year=2023, target_year=2035, reduction_percent=Decimal(50), reduction_t_co2e=None,
                             scopes="1+2", pk=1)
    measures = [SimpleNamespace(status="planned", expected_t_co2e=Decimal(20)),
                SimpleNamespace(status="in_progress", expected_t_co2e=Decimal(15)),
                SimpleNamespace(status="dropped", expected_t_co2e=Decimal(99))]
    check = target_path_check(target, [_bal(2023, 60, 40), _bal(2025, 50, 30)], measures)
    # Path in 2025: 100 - 50 * 2/12 = 91.67; 80 is 12.7 % below
    assert check.path_t.quantize(Decimal("0.01")) == Decimal("91.67")
    assert check.deviation_percent == -13 and check.is_below
    assert check.statement == "Sie liegen 13 % unter Ihrem Zielpfad."
    assert check.gap_t == 30 and check.planned_savings_t == 35 and check.closes_gap
    assert check.after_savings_t == 45 and "schließen Sie die verbleibende Lücke" in check.gap_statement
    above = target_path_check(target, [_bal(2023, 60, 40), _bal(2025, 70, 30)], measures[:1])
    assert above.statement == "Sie liegen 9 % über Ihrem Zielpfad." and not above.closes_gap
    assert "fehlen danach noch 30,0 t CO₂e" in above.gap_statement
    assert target_path_check(target, [_bal(2024, 1, 1)], []) is None  # no base-year balance, no path
    only_base = target_path_check(target, [_bal(2023, 60, 40)], [])
    assert "Basisjahres 2023" in only_base.statement


# --- reminders ------------------------------------------------------------------------------------


def _reminders(today, django_capture_on_commit_callbacks, kind="Ausgangsbericht"):
    """Run the command on `today`; the subjects of the mails about reports of `kind`."""
    mail.outbox.clear()
    with at(today), django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", stdout=open("/dev/null", "w"))
    return [m.subject for m in mail.outbox if kind in m.subject]


def test_reminders_exactly_once_per_step(partner, django_capture_on_commit_callbacks):
    due = datetime.date(2025, 3, 1)
    steps = [(SIGNED, "steht an"), (due - datetime.timedelta(weeks=8), "in 56 Tagen"),
             (due - datetime.timedelta(weeks=4), "in 28 Tagen"), (due - datetime.timedelta(weeks=1), "in 7 Tagen"),
             (due + datetime.timedelta(days=1), "überfällig")]
    for day, words in steps:
        sent = _reminders(day, django_capture_on_commit_callbacks)
        assert len(sent) == 1 and words in sent[0], (day, sent)
        assert _reminders(day, django_capture_on_commit_callbacks) == []  # second run that day
        assert _reminders(day + datetime.timedelta(days=2), django_capture_on_commit_callbacks) == []
    assert Reminder.objects.filter(report__kind="baseline").count() == 5
    assert _reminders(due + datetime.timedelta(days=30), django_capture_on_commit_callbacks) == []


def test_a_late_scheduler_sends_only_the_current_step_and_none_after_submission(
        partner, member, django_capture_on_commit_callbacks):
    due = datetime.date(2025, 3, 1)
    sent = _reminders(due - datetime.timedelta(days=5), django_capture_on_commit_callbacks)
    assert len(sent) == 1 and "in 5 Tagen" in sent[0]
    assert list(Reminder.objects.filter(report__kind="baseline").values_list("step", flat=True)) == ["w1"]
    add_balance(partner, 2023)
    services.report_submit(report=Report.objects.get(kind="baseline"), actor=member)
    assert _reminders(due + datetime.timedelta(days=3), django_capture_on_commit_callbacks) == []


def test_a_reminder_one_day_before_the_deadline_says_one_day(partner, django_capture_on_commit_callbacks):
    due = datetime.date(2025, 3, 1)
    sent = _reminders(due - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert len(sent) == 1 and sent[0].endswith("fällig in 1 Tag"), sent
    body = next(m.body for m in mail.outbox if "Ausgangsbericht" in m.subject)
    assert ", in 1 Tag.\n" in body, body
    assert "fällig am 1. März 2025, in 1 Tag." in body  # the date as people write it, not 2025-03-01


def test_monitoring_period_opens_for_partners_active_by_then(partner, world, django_capture_on_commit_callbacks):
    from klimapakt.partners.models import Organisation

    Organisation.objects.filter(pk=world["org_b"].pk).update(stage="active", partner_since=datetime.date(2025, 6, 1))
    sent = _reminders(datetime.date(2025, 1, 2), django_capture_on_commit_callbacks, kind="")
    reports = set(Report.objects.values_list("organisation_id", "kind", "year"))
    assert (partner.pk, "monitoring", 2025) in reports
    assert (world["org_b"].pk, "monitoring", 2025) not in reports  # signed later
    assert any("Monitoringbericht 2025" in s for s in sent)


def test_reminder_step_is_recorded_once_even_if_two_runs_race(partner):
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year)
    first = reminders._reminder_send(report=report, step="w4", today=datetime.date(2025, 2, 1))
    second = reminders._reminder_send(report=report, step="w4", today=datetime.date(2025, 2, 1))
    assert first is not None and second is None and Reminder.objects.count() == 1


def test_paused_partners_get_no_reminders(partner, django_capture_on_commit_callbacks):
    from klimapakt.partners.models import Organisation

    services.report_start(organisation=partner, kind="baseline", year=SIGNED.year)
    Organisation.objects.filter(pk=partner.pk).update(stage=Organisation.Stage.PAUSED)
    assert _reminders(datetime.date(2025, 2, 1), django_capture_on_commit_callbacks, kind="") == []


def test_person_export_and_erasure(partner, member, office):
    from klimapakt.core.privacy import person_data_export
    from klimapakt.reports import privacy

    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    services.report_submit(report=report, actor=member)
    reminders._reminder_send(report=report, step="w1", today=datetime.date(2025, 2, 22))
    data = person_data_export(user=member)
    text = str(data)
    assert "report_versions_submitted" in text and "'step': 'w1'" in text
    privacy.erase(member)
    assert Reminder.objects.get().recipients == []


def test_the_pipeline_deadline_moves_to_the_next_report_due(partner, member, office):
    add_balance(partner, 2023)
    baseline = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    services.report_submit(report=baseline, actor=member)
    partner.refresh_from_db()
    assert (partner.next_deadline, partner.next_deadline_kind) == (datetime.date(2025, 12, 31), "monitoring_report")
    services.report_accept(report=baseline, actor=office)
    add_balance(partner, 2024)
    monitoring = services.report_start(organisation=partner, kind="monitoring", year=2025, actor=member)
    target = partner.targets.get()
    services.report_update(report=monitoring, actor=member, progress={target.pk: ("on_track", "")})
    services.report_submit(report=monitoring, actor=member)
    partner.refresh_from_db()
    assert (partner.next_deadline, partner.next_deadline_kind) == (datetime.date(2027, 12, 31), "monitoring_report")


def test_gap_statement_without_planned_measures():
    target = SimpleNamespace(base_year=2023, target_year=2035, reduction_percent=Decimal(50), reduction_t_co2e=None,
                             scopes="1+2", pk=1)
    check = target_path_check(target, [_bal(2023, 60, 40)], [])
    assert check.gap_statement.startswith("Bis zu Ihrem Ziel fehlen 50,0 t CO₂e. Planen Sie Maßnahmen")
