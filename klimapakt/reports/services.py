"""Every write of reports and measures. Keyword-only, atomic, audit-logged; mails go out after
commit through the task queue."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.models import Pact
from klimapakt.core.notifications import mail_path as _path
from klimapakt.core.notifications import notify, office_recipients
from klimapakt.ghg import calculation
from klimapakt.ghg.models import Balance, BalanceLine
from klimapakt.ghg.selectors import factor_table
from klimapakt.ghg.services import balance_freeze
from klimapakt.partners.deadlines import deadline_refresh
from klimapakt.partners.models import Organisation
from klimapakt.partners.selectors import organisation_recipients

from .models import (
    Measure,
    MeasureSaving,
    MeasureTemplate,
    PublicationConsent,
    Reminder,
    Report,
    ReportVersion,
    ReviewComment,
    Section,
    TargetProgress,
)
from .selectors import report_periods

K, S = Report.Kind, Report.Status
MEASURE_FIELDS = ("title", "description", "category", "scopes", "planned_start", "planned_end", "status",
                  "justification", "investment_eur", "expected_t_manual", "realised_t_manual", "is_public", "template")
# The kWh a partner saves is read as final energy: for electricity and district heat that is the
# factor's unit; for fuels it is taken as net calorific value (kWh_hi), the unit of the BAFA factors.
KWH_UNITS = ("kWh", "kWh_hi")


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: [message]} if field else message)


def _notify(template: str, recipients: list[tuple[str, str]], context: dict) -> None:
    notify(f"reports/email/{template}", recipients, context)


# --- Measures ---------------------------------------------------------------------------


def kwh_to_t(carrier: str, kwh: Decimal | None, year: int, table: calculation.FactorTable | None = None
             ) -> tuple[Decimal | None, str]:
    """t CO2e of `kwh` of `carrier` in `year` with the factor library, and a note which factor
    was used; (None, reason) when the library cannot turn kWh of this carrier into CO2e."""
    if kwh is None:
        return None, ""
    table = table or factor_table()
    if not table.has_carrier(carrier):
        return None, _("Unbekannter Energieträger")
    try:
        factor, _fallback = table.factor_for(carrier, year)
    except LookupError:
        return None, _("Kein Faktor für dieses Jahr")
    for unit in KWH_UNITS:
        ratio = table.ratio(carrier, unit, factor.unit)
        if ratio is not None:
            kg = Fraction(kwh) * ratio * Fraction(factor.value)
            note = f"{factor.value.normalize():f} kg/{factor.unit} ({factor.year or _('alle Jahre')})"
            return calculation.round_t(kg / 1000), note
    return None, _("Nicht aus kWh berechenbar (z. B. Liter): bitte t CO₂e selbst angeben.")


def _measure_totals(measure: Measure, savings: list[MeasureSaving]) -> None:
    computed = [s.expected_t_co2e for s in savings if s.expected_t_co2e is not None]
    measure.expected_t_co2e = (sum(computed, Decimal(0)) + (measure.expected_t_manual or 0)) if computed \
        else (measure.expected_t_manual or Decimal(0))
    realised = [s.realised_t_co2e for s in savings if s.realised_t_co2e is not None]
    if realised or measure.realised_t_manual is not None:
        measure.realised_t_co2e = sum(realised, Decimal(0)) + (measure.realised_t_manual or 0)
    else:
        measure.realised_t_co2e = None


@transaction.atomic
def measure_save(*, organisation: Organisation, actor, measure: Measure | None = None,
                 savings: list[tuple[str, Decimal | None, Decimal | None]] | None = None, **fields) -> Measure:
    """Create or change a measure with its savings per carrier (kWh); t CO2e is computed from the
    kWh with the factor library where possible. Postponing or dropping needs a justification."""
    created = measure is None
    if created:
        measure = Measure(organisation=organisation, created_by=actor)
    elif measure.organisation_id != organisation.pk:
        _refuse(_("Diese Maßnahme gehört zu einer anderen Organisation."))
    old_status = None if created else Measure.objects.filter(pk=measure.pk).values_list("status", flat=True).first()
    for name, value in fields.items():
        if name not in MEASURE_FIELDS:
            raise TypeError(name)
        setattr(measure, name, value)
    measure.scopes = sorted({int(s) for s in (measure.scopes or [])})
    if measure.status not in Measure.NEEDS_JUSTIFICATION and measure.status != Measure.Status.IMPLEMENTED:
        pass
    if old_status != measure.status:
        measure.status_changed_at = timezone.now()
    year = timezone.localdate().year - 1
    table = factor_table()
    rows: list[MeasureSaving] = []
    seen = set()
    for carrier, expected, realised in savings or []:
        if not carrier or (expected is None and realised is None):
            continue
        if carrier in seen:
            _refuse(_("Jeder Energieträger darf nur einmal vorkommen."), "savings")
        seen.add(carrier)
        if not table.has_carrier(carrier):
            _refuse(_("Unbekannter Energieträger: %(carrier)s") % {"carrier": carrier}, "savings")
        t_exp, note = kwh_to_t(carrier, expected or Decimal(0), year, table)
        t_real, _n = kwh_to_t(carrier, realised, year, table)
        rows.append(MeasureSaving(carrier=carrier, expected_kwh=expected or Decimal(0), realised_kwh=realised,
                                  expected_t_co2e=t_exp, realised_t_co2e=t_real, factor_note=note[:300]))
    _measure_totals(measure, rows)
    measure.full_clean(exclude=["organisation", "template", "created_by"])
    measure.save()
    if savings is not None:
        measure.savings.all().delete()
        for row in rows:
            row.measure = measure
        MeasureSaving.objects.bulk_create(rows)
    log_action("reports.measure.created" if created else "reports.measure.changed", obj=measure, actor=actor,
               data={"organisation": organisation.pk, "status": measure.status,
                     "expected_t_co2e": measure.expected_t_co2e, "from_status": old_status})
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, actor) -> None:
    """A measure that was part of a submitted report stays in that report's snapshot."""
    log_action("reports.measure.deleted", obj=measure.organisation, actor=actor,
               data={"measure": measure.pk, "title": measure.title})
    measure.delete()


@transaction.atomic
def measure_template_save(*, actor, template: MeasureTemplate | None = None, **fields) -> MeasureTemplate:
    created = template is None
    template = template or MeasureTemplate()
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean()
    template.save()
    log_action("reports.template.created" if created else "reports.template.changed", obj=template, actor=actor,
               data={"title": template.title_de, "active": template.is_active})
    return template


@transaction.atomic
def consent_update(*, organisation: Organisation, actor, publish_figures: bool) -> PublicationConsent:
    consent, _created = PublicationConsent.objects.select_for_update().get_or_create(organisation=organisation)
    consent.publish_figures = publish_figures
    consent.changed_at = timezone.now()
    consent.changed_by = actor
    consent.save()
    log_action("reports.consent.changed", obj=organisation, actor=actor, data={"publish_figures": publish_figures})
    from klimapakt.partners.services import directory_changed

    directory_changed()
    return consent


# --- Report periods ---------------------------------------------------------------------


def _baseline_year(organisation: Organisation) -> int:
    target = organisation.targets.current().order_by("base_year", "pk").first()
    if target is not None:
        return target.base_year
    return organisation.partner_since.year - 1


def _last_report(organisation: Organisation, *, before: Report | None = None) -> Report | None:
    qs = organisation.reports.filter(status__in=[S.SUBMITTED, S.ACCEPTED])
    if before is not None and before.pk:
        qs = qs.exclude(pk=before.pk)
    return qs.order_by("-year", "-pk").first()


def _prefill(report: Report) -> None:
    """Monitoring and final reports start from the last report: notes and target progress."""
    last = _last_report(report.organisation, before=report)
    if last is None:
        return
    report.prefilled_from = last
    report.notes = {k: v for k, v in (last.notes or {}).items() if k in Section.values}
    report.save(update_fields=["prefilled_from", "notes"])
    current = set(report.organisation.targets.current().values_list("pk", flat=True))
    TargetProgress.objects.bulk_create([
        TargetProgress(report=report, target_id=p.target_id, status=p.status, justification=p.justification)
        for p in last.progress.all() if p.target_id in current
    ])


@transaction.atomic
def report_start(*, organisation: Organisation, kind: str, year: int, actor=None, pact: Pact | None = None) -> Report:
    """Open the report of one period (idempotent): baseline with the base year of the targets;
    monitoring and final prefilled from the last report."""
    pact = pact or Pact.objects.current()
    period = next((p for p in report_periods(organisation, pact) if p["kind"] == kind and p["year"] == year), None)
    if period is None:
        _refuse(_("Für diesen Zeitraum ist kein Bericht vorgesehen."))
    existing = Report.objects.filter(organisation=organisation, kind=kind, year=year).first()
    if existing is not None:
        return existing
    balance_year = period["balance_year"] or _baseline_year(organisation)
    report = Report.objects.create(organisation=organisation, kind=kind, year=year, balance_year=balance_year,
                                   opens_on=period["opens_on"], due_on=period["due_on"])
    if kind != K.BASELINE:
        _prefill(report)
    log_action("reports.report.created", obj=report, actor=actor,
               data={"organisation": organisation.pk, "kind": kind, "year": year, "due_on": report.due_on,
                     "prefilled_from": report.prefilled_from_id})
    return report


def reports_schedule(*, today: datetime.date | None = None, pact: Pact | None = None) -> list[Report]:
    """Open every report whose period has begun for every active partner (idempotent)."""
    today = today or timezone.localdate()
    pact = pact or Pact.objects.current()
    existing = set(Report.objects.values_list("organisation_id", "kind", "year"))
    created = []
    for org in Organisation.objects.filter(stage=Organisation.Stage.ACTIVE, partner_since__isnull=False):
        for period in report_periods(org, pact):
            if period["opens_on"] > today or (org.pk, period["kind"], period["year"]) in existing:
                continue
            if period["kind"] != K.BASELINE and org.partner_since > period["opens_on"]:
                continue  # not active by then
            try:
                created.append(report_start(organisation=org, kind=period["kind"], year=period["year"], pact=pact))
            except IntegrityError:
                continue  # a concurrent run opened it a moment ago
    return created


# --- Editing, submitting, reviewing ---------------------------------------------------------


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("organisation").get(pk=report.pk)


@transaction.atomic
def report_update(*, report: Report, actor, notes: dict[str, str] | None = None, balance_year: int | None = None,
                  progress: dict[int, tuple[str, str]] | None = None) -> Report:
    """Save the draft: notes per section, the balance year, the progress of each target."""
    report = _lock(report)
    if not report.is_editable:
        _refuse(_("Ein eingereichter Bericht kann nicht mehr geändert werden."))
    if notes is not None:
        report.notes = {k: (v or "").strip() for k, v in notes.items() if k in Section.values}
    if balance_year is not None:
        if report.kind != K.BASELINE and balance_year != report.balance_year:
            _refuse(_("Das Bilanzjahr eines Monitoringberichts ist festgelegt."), "balance_year")
        report.balance_year = balance_year
    report.updated_at = timezone.now()
    report.save(update_fields=["notes", "balance_year", "updated_at"])
    if progress is not None:
        targets = {t.pk for t in report.organisation.targets.current()}
        errors = {}
        for target_id, (status, justification) in progress.items():
            if target_id not in targets:
                continue
            justification = (justification or "").strip()
            if status == TargetProgress.Status.BEHIND and not justification:
                errors[f"progress_{target_id}_justification"] = [
                    _("Bitte begründen Sie, warum Sie bei diesem Ziel im Rückstand sind.")]
                continue
            TargetProgress.objects.update_or_create(report=report, target_id=target_id,
                                                    defaults={"status": status, "justification": justification})
        if errors:
            raise ValidationError(errors)
    log_action("reports.report.saved", obj=report, actor=actor, data={"balance_year": report.balance_year})
    return report


def _balance_with_lines(report: Report) -> Balance | None:
    return Balance.objects.filter(organisation_id=report.organisation_id, year=report.balance_year).first()


def submission_problems(report: Report) -> list[str]:
    """Why the report cannot be submitted yet (empty list: it can)."""
    problems = []
    balance = _balance_with_lines(report)
    scopes = set(BalanceLine.objects.filter(balance=balance).values_list("scope", flat=True)) if balance else set()
    if balance is None:
        problems.append(_("Für das Bilanzjahr %(year)s gibt es noch keine CO₂-Bilanz. Erfassen Sie zuerst Ihre "
                          "Verbräuche.") % {"year": report.balance_year})
    elif report.kind == K.BASELINE and not {1, 2} <= scopes:
        problems.append(_("Der Ausgangsbericht braucht eine Bilanz mit mindestens Scope 1 und Scope 2 "
                          "(standortbasiert). In Ihrer Bilanz %(year)s fehlt: %(missing)s. Haben Sie in einem "
                          "Bereich keine Verbräuche, tragen Sie dort 0 ein.")
                        % {"year": report.balance_year,
                           "missing": " und ".join(f"Scope {s}" for s in sorted({1, 2} - scopes))})
    targets = list(report.organisation.targets.current())
    if not targets:
        problems.append(_("Legen Sie mindestens ein Reduktionsziel fest."))
    if report.kind != K.BASELINE:
        stated = {p.target_id: p for p in report.progress.all()}
        missing = [t for t in targets if t.pk not in stated]
        if missing:
            problems.append(_("Geben Sie für jedes Ziel den Stand an (im Plan, im Rückstand, erreicht)."))
        if any(p.status == TargetProgress.Status.BEHIND and not p.justification for p in stated.values()):
            problems.append(_("Begründen Sie jedes Ziel, bei dem Sie im Rückstand sind."))
    return problems


def _dec(value) -> str | None:
    return None if value is None else format(Decimal(value), "f")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def build_snapshot(report: Report) -> dict:
    """Everything the report says at the moment of submission, as plain JSON."""
    org = report.organisation
    balance = _balance_with_lines(report)
    lines = list(balance.lines.order_by("position")) if balance else []
    targets = list(org.targets.current())
    progress = {p.target_id: p for p in report.progress.all()}
    measures = list(org.measures.prefetch_related("savings").order_by("planned_start", "pk"))
    history = Balance.objects.filter(organisation=org, year__lte=report.balance_year).order_by("year")
    return {
        "organisation": {"id": org.pk, "name": org.name},
        "kind": report.kind, "year": report.year, "balance_year": report.balance_year,
        "balance": None if balance is None else {
            "id": balance.pk, "year": balance.year, "factor_set_version": balance.factor_set_version,
            "employees": balance.employees, "turnover_meur": _dec(balance.turnover_meur),
            **{k: _dec(v) for k, v in balance.totals().items()},
            "lines": [{"carrier": ln.carrier, "name": ln.carrier_name, "scope": ln.scope, "quantity": _dec(ln.quantity),
                       "unit": ln.unit, "factor_value": _dec(ln.factor_value), "factor_unit": ln.factor_unit,
                       "factor_year": ln.factor_year, "factor_source": ln.factor_source,
                       "t_location": _dec(ln.t_location), "t_market": _dec(ln.t_market)} for ln in lines],
        },
        "targets": [{"id": t.pk, "base_year": t.base_year, "target_year": t.target_year,
                     "reduction_percent": _dec(t.reduction_percent), "reduction_t_co2e": _dec(t.reduction_t_co2e),
                     "scopes": t.scopes, "neutral_by": t.neutral_by,
                     "progress": progress[t.pk].status if t.pk in progress else None,
                     "justification": progress[t.pk].justification if t.pk in progress else ""} for t in targets],
        "measures": [{"id": m.pk, "title": m.title, "category": m.category, "status": m.status,
                      "scopes": m.scopes, "planned_start": _iso(m.planned_start), "planned_end": _iso(m.planned_end),
                      "investment_eur": _dec(m.investment_eur), "expected_t_co2e": _dec(m.expected_t_co2e),
                      "realised_t_co2e": _dec(m.realised_t_co2e), "justification": m.justification,
                      "is_public": m.is_public,
                      "savings": [{"carrier": s.carrier, "expected_kwh": _dec(s.expected_kwh),
                                   "realised_kwh": _dec(s.realised_kwh)} for s in m.savings.all()]}
                     for m in measures],
        "notes": dict(report.notes or {}),
        # The emissions of every year up to the balance year, as they stood: the PDF's chart
        "history": [{"year": b.year, "scope1": _dec(b.scope1_t), "scope2_location": _dec(b.scope2_location_t),
                     "scope2_market": _dec(b.scope2_market_t), "scope3": _dec(b.scope3_t)} for b in history],
    }


@transaction.atomic
def report_submit(*, report: Report, actor) -> ReportVersion:
    """Submit (or resubmit after a return): refused with a clear message while something is
    missing; stores an immutable snapshot as a new version."""
    report = _lock(report)
    if not report.is_editable:
        _refuse(_("Dieser Bericht ist bereits eingereicht."))
    problems = submission_problems(report)
    if problems:
        raise ValidationError(problems)
    snapshot = build_snapshot(report)
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ReportVersion.objects.create(report=report, number=number, snapshot=snapshot,
                                           submitted_at=timezone.now(), submitted_by=actor)
    balance = _balance_with_lines(report)
    measures = snapshot["measures"]
    report.balance = balance
    report.scope1_t, report.scope2_location_t = balance.scope1_t, balance.scope2_location_t
    report.scope2_market_t, report.scope3_t = balance.scope2_market_t, balance.scope3_t
    report.measures_total = len(measures)
    report.measures_implemented = sum(1 for m in measures if m["status"] == Measure.Status.IMPLEMENTED)
    report.expected_savings_t = sum((Decimal(m["expected_t_co2e"] or 0) for m in measures
                                     if m["status"] != Measure.Status.DROPPED), Decimal(0))
    report.realised_savings_t = sum((Decimal(m["realised_t_co2e"] or 0) for m in measures), Decimal(0))
    was = report.status
    report.status = S.SUBMITTED
    report.submitted_at = version.submitted_at
    report.updated_at = timezone.now()
    report.save()
    deadline_refresh(organisation=report.organisation)
    log_action("reports.report.resubmitted" if was == S.RETURNED else "reports.report.submitted", obj=report,
               actor=actor, data={"organisation": report.organisation_id, "version": number,
                                  "total_location_t": balance.total_location_t})
    from .tasks import archive_version_pdf

    transaction.on_commit(lambda: archive_version_pdf.enqueue(version.pk))
    pact = Pact.objects.current()
    _notify("report_submitted_office", office_recipients(pact), {
        "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
        "version": number, "path": _path("reports_office:review", report.pk)})
    _notify("report_submitted", organisation_recipients(report.organisation), {
        "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
        "path": _path("reports:report", report.organisation_id, report.pk)})
    return version


@transaction.atomic
def report_return(*, report: Report, actor, comments: dict[str, str]) -> Report:
    """The pact office returns a submitted report with comments per section."""
    report = _lock(report)
    if report.status != S.SUBMITTED:
        _refuse(_("Nur ein eingereichter Bericht kann zurückgegeben werden."))
    comments = {k: v.strip() for k, v in comments.items() if k in Section.values and (v or "").strip()}
    if not comments:
        _refuse(_("Schreiben Sie mindestens zu einem Abschnitt, was geändert werden soll."), "comments")
    version = report.versions.order_by("-number").first()
    ReviewComment.objects.bulk_create([ReviewComment(report=report, version=version, section=s, text=t, author=actor)
                                       for s, t in comments.items()])
    report.status = S.RETURNED
    report.updated_at = timezone.now()
    report.save(update_fields=["status", "updated_at"])
    deadline_refresh(organisation=report.organisation)
    log_action("reports.report.returned", obj=report, actor=actor,
               data={"organisation": report.organisation_id, "version": version.number if version else None,
                     "sections": sorted(comments)})
    labels = dict(Section.choices)
    _notify("report_returned", organisation_recipients(report.organisation), {
        "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
        "comments": [{"section": str(labels[s]), "text": t} for s, t in comments.items()],
        "path": _path("reports:report", report.organisation_id, report.pk)})
    return report


@transaction.atomic
def report_accept(*, report: Report, actor) -> Report:
    """The pact office accepts: the balance is frozen, the next deadline moves on."""
    report = _lock(report)
    if report.status != S.SUBMITTED:
        _refuse(_("Nur ein eingereichter Bericht kann angenommen werden."))
    if report.balance_id:
        balance_freeze(balance=report.balance, actor=actor)
    report.status = S.ACCEPTED
    report.accepted_at = timezone.now()
    report.accepted_by = actor
    report.updated_at = report.accepted_at
    report.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
    log_action("reports.report.accepted", obj=report, actor=actor,
               data={"organisation": report.organisation_id, "balance": report.balance_id})
    from klimapakt.partners.services import directory_changed

    deadline_refresh(organisation=report.organisation)
    directory_changed()
    _notify("report_accepted", organisation_recipients(report.organisation), {
        "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
        "path": _path("reports:dashboard", report.organisation_id)})
    return report


# --- Reminders ------------------------------------------------------------------------------

STEP_OFFSETS = [  # (step, days relative to the deadline; None: the period's start)
    (Reminder.Step.OPENED, None),
    (Reminder.Step.WEEKS_8, -56),
    (Reminder.Step.WEEKS_4, -28),
    (Reminder.Step.WEEKS_1, -7),
    (Reminder.Step.OVERDUE, 1),
]


def reminder_step(report: Report, today: datetime.date) -> str | None:
    """The latest reminder step that has come for this report (None before the period opens).
    A scheduler that missed days sends only the current step, never a backlog."""
    current = None
    for step, offset in STEP_OFFSETS:
        start = report.opens_on if offset is None else report.due_on + datetime.timedelta(days=offset)
        if today >= start and (offset is not None or today >= report.opens_on):
            current = step
    return current


def send_due_reminders(*, today: datetime.date | None = None) -> list[Reminder]:
    """Open the reports whose period began, then send each open report its current reminder
    step once. Safe to run any number of times a day, also twice at once."""
    today = today or timezone.localdate()
    reports_schedule(today=today)
    sent = []
    sent_steps = set(Reminder.objects.values_list("report_id", "step"))
    for report in (Report.objects.filter(status__in=Report.EDITABLE, opens_on__lte=today,
                                         organisation__stage=Organisation.Stage.ACTIVE)
                   .select_related("organisation").order_by("pk")):
        step = reminder_step(report, today)
        if step is None or (report.pk, step) in sent_steps:
            continue
        reminder = _reminder_send(report=report, step=step, today=today)
        if reminder is not None:
            sent.append(reminder)
    return sent


def _reminder_send(*, report: Report, step: str, today: datetime.date) -> Reminder | None:
    recipients = organisation_recipients(report.organisation)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(report=report, step=step, sent_on=today,
                                               recipients=[e for e, _l in recipients])
            log_action("reports.reminder.sent", obj=report, data={"step": step, "due_on": report.due_on})
            _notify("reminder", recipients, {
                "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
                "step": step, "due_on": report.due_on.isoformat(),
                "days_left": (report.due_on - today).days,
                "path": _path("reports:report", report.organisation_id, report.pk)})
    except IntegrityError:
        return None  # another run sent this step already
    return reminder
