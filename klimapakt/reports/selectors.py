"""Reads of reports and measures, built for a constant number of queries; the target-path
check (plain arithmetic over stored balances and measures)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from klimapakt.core import derived
from klimapakt.core.models import Pact
from klimapakt.ghg.calculation import SCOPE_KEYS, Emissions, sum_exact
from klimapakt.ghg.labels import carrier_label, unit_label
from klimapakt.ghg.models import Balance
from klimapakt.ghg.selectors import factor_table
from klimapakt.partners.models import Organisation, Target
from klimapakt.partners.office_tasks import PIPELINE

from .models import Category, Measure, MeasureSaving, PublicationConsent, Reminder, Report, ReviewComment

S = Report.Status
REPORTS = "reports"  # core.derived: reports and measures (tracked in apps.py)


# --- Target path -----------------------------------------------------------------------------


def emissions_of(item) -> Emissions:
    """The exact emissions of a balance or a report (their ``emissions``); for a balance as an
    older report snapshot's history recorded it (rounded scope figures only), those figures."""
    emissions = getattr(item, "emissions", None)
    if isinstance(emissions, Emissions):
        return emissions
    return Emissions.from_mapping({k: getattr(item, f"{k}_t", None) for k in SCOPE_KEYS})


def emissions_for(balance, scopes: str) -> Decimal:
    """The emissions a target covers (location-based Scope 2): the exact scope values summed,
    rounded once (ghg.calculation.totals)."""
    return emissions_of(balance).rounded_total(scopes)


def _pct(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class PathCheck:
    target: Target
    base_t: Decimal
    goal_t: Decimal
    latest_year: int
    latest_t: Decimal
    path_t: Decimal
    planned_savings_t: Decimal
    points: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def deviation_percent(self) -> int:
        """Positive: above the path (worse); negative: below (better)."""
        if not self.path_t:
            return 0
        return _pct((self.latest_t - self.path_t) / self.path_t * 100)

    @property
    def is_below(self) -> bool:
        return self.latest_t <= self.path_t

    @property
    def gap_t(self) -> Decimal:
        return max(self.latest_t - self.goal_t, Decimal(0))

    @property
    def after_savings_t(self) -> Decimal:
        return max(self.latest_t - self.planned_savings_t, Decimal(0))

    @property
    def closes_gap(self) -> bool:
        return self.planned_savings_t >= self.gap_t

    @property
    def statement(self) -> str:
        """Where the partner stands, said to the partner ("Sie liegen …")."""
        return self._statement(office=False)

    @property
    def office_statement(self) -> str:
        """The same for the pact office, about the partner ("Der Partner liegt …")."""
        return self._statement(office=True)

    @property
    def gap_statement(self) -> str:
        return self._gap_statement(office=False)

    @property
    def office_gap_statement(self) -> str:
        return self._gap_statement(office=True)

    def _statement(self, *, office: bool) -> str:
        if self.latest_year == self.target.base_year:
            if office:
                return _("Die Bilanz des Basisjahres %(year)s liegt vor. Mit der nächsten Bilanz zeigt sich hier, ob "
                         "der Partner auf seinem Zielpfad liegt.") % {"year": self.latest_year}
            return _("Ihre Bilanz des Basisjahres %(year)s liegt vor. Mit der nächsten Bilanz sehen Sie hier, ob "
                     "Sie auf Ihrem Zielpfad liegen.") % {"year": self.latest_year}
        pct = abs(self.deviation_percent)
        if pct == 0:
            return _("Der Partner liegt genau auf seinem Zielpfad.") if office else \
                _("Sie liegen genau auf Ihrem Zielpfad.")
        if self.is_below:
            return (_("Der Partner liegt %(pct)s %% unter seinem Zielpfad.") if office else
                    _("Sie liegen %(pct)s %% unter Ihrem Zielpfad.")) % {"pct": pct}
        return (_("Der Partner liegt %(pct)s %% über seinem Zielpfad.") if office else
                _("Sie liegen %(pct)s %% über Ihrem Zielpfad.")) % {"pct": pct}

    def _gap_statement(self, *, office: bool) -> str:
        if self.gap_t == 0:
            return (_("Der Partner hat sein Ziel von %(goal)s t CO₂e bereits erreicht.") if office else
                    _("Sie haben Ihr Ziel von %(goal)s t CO₂e bereits erreicht.")) % {"goal": _num(self.goal_t)}
        if not self.planned_savings_t:
            return (_("Bis zu seinem Ziel fehlen dem Partner %(gap)s t CO₂e. Maßnahmen mit erwarteten Einsparungen "
                      "hat er noch nicht geplant.") if office else
                    _("Bis zu Ihrem Ziel fehlen %(gap)s t CO₂e. Planen Sie Maßnahmen: ihre erwarteten Einsparungen "
                      "zeigt Ihnen dieser Vergleich.")) % {"gap": _num(self.gap_t)}
        if self.closes_gap:
            return (_("Die geplanten Maßnahmen des Partners sparen voraussichtlich %(saving)s t CO₂e pro Jahr. "
                      "Damit schließt er die verbleibende Lücke von %(gap)s t CO₂e zu seinem Ziel.") if office else
                    _("Ihre geplanten Maßnahmen sparen voraussichtlich %(saving)s t CO₂e pro Jahr. Damit schließen "
                      "Sie die verbleibende Lücke von %(gap)s t CO₂e zu Ihrem Ziel.")) % {
                "saving": _num(self.planned_savings_t), "gap": _num(self.gap_t)}
        return (_("Die geplanten Maßnahmen des Partners sparen voraussichtlich %(saving)s t CO₂e pro Jahr. Bis zu "
                  "seinem Ziel fehlen danach noch %(rest)s t CO₂e: Der Partner braucht weitere Maßnahmen.") if office
                else _("Ihre geplanten Maßnahmen sparen voraussichtlich %(saving)s t CO₂e pro Jahr. Bis zu Ihrem Ziel "
                       "fehlen danach noch %(rest)s t CO₂e: planen Sie weitere Maßnahmen.")) % {
            "saving": _num(self.planned_savings_t), "rest": _num(self.gap_t - self.planned_savings_t)}


def _num(value: Decimal) -> str:
    from klimapakt.core.formatting import number

    return number(value, 1)


def suggested_progress(check: PathCheck | None) -> str:
    """What the numbers say about a target: reached, on track (on or below the path), behind."""
    if check is None or check.latest_year == check.target.base_year:
        return ""
    if check.latest_t <= check.goal_t:
        return "reached"
    return "on_track" if check.is_below else "behind"


def main_target(targets: list[Target]) -> Target | None:
    """The target the dashboard measures against: the nearest target year among current targets."""
    current = [t for t in targets if t.archived_at is None]
    return min(current, key=lambda t: (t.target_year, t.pk)) if current else None


def target_path_check(target: Target | None, balances: list, measures: list[Measure]) -> PathCheck | None:
    """A straight line from the base-year emissions to the target; where the latest balance
    stands against it; whether planned measures (expected savings) close the remaining gap."""
    if target is None:
        return None
    by_year = {b.year: b for b in balances}
    base = by_year.get(target.base_year)
    if base is None:
        return None
    base_t = emissions_for(base, target.scopes)
    if target.reduction_percent is not None:
        goal = base_t * (1 - target.reduction_percent / 100)
    else:
        goal = max(base_t - target.reduction_t_co2e, Decimal(0))
    span = Decimal(target.target_year - target.base_year)

    def on_path(year: int) -> Decimal:
        return base_t + (goal - base_t) * Decimal(year - target.base_year) / span

    later = sorted(y for y in by_year if y >= target.base_year)
    latest_year = later[-1]
    latest_t = emissions_for(by_year[latest_year], target.scopes)
    planned = sum((m.expected_t_co2e for m in measures if m.status in Measure.OPEN), Decimal(0))
    points = [(str(y), on_path(y)) for y in later if y <= target.target_year]
    return PathCheck(target=target, base_t=base_t, goal_t=goal, latest_year=latest_year, latest_t=latest_t,
                     path_t=on_path(min(latest_year, target.target_year)), planned_savings_t=planned, points=points)


# --- Report periods and the next deadline -----------------------------------------------------


def report_periods(organisation: Organisation, pact: Pact) -> list[dict]:
    """Every report this organisation owes under the pact's rules: kind, year, balance year,
    period start and deadline. Only for organisations that signed."""
    since = organisation.partner_since
    if since is None:
        return []
    periods = [{"kind": Report.Kind.BASELINE, "year": since.year, "opens_on": since,
                "due_on": pact.baseline_report_due(since), "balance_year": None}]
    for year in pact.monitoring_years():
        if year <= since.year or year >= pact.target_year:
            continue
        periods.append({"kind": Report.Kind.MONITORING, "year": year, "opens_on": datetime.date(year, 1, 1),
                        "due_on": datetime.date(year, 12, 31), "balance_year": year - 1})
    periods.append({"kind": Report.Kind.FINAL, "year": pact.target_year, "opens_on": datetime.date(pact.target_year, 1, 1),
                    "due_on": datetime.date(pact.target_year, 12, 31), "balance_year": pact.target_year - 1})
    return periods


DEADLINE_KINDS = {
    Report.Kind.BASELINE: Organisation.Deadline.BASELINE_REPORT,
    Report.Kind.MONITORING: Organisation.Deadline.MONITORING_REPORT,
    Report.Kind.FINAL: Organisation.Deadline.FINAL_REPORT,
}


def pending_periods(organisation: Organisation, pact, reports: list[Report] | None = None) -> list[dict]:
    """The periods whose report is not in yet (neither submitted nor accepted), earliest
    deadline first. `reports`: the organisation's reports when the caller has them already."""
    if reports is None:
        done = set(organisation.reports.filter(status__in=[S.SUBMITTED, S.ACCEPTED]).values_list("kind", "year"))
    else:
        done = {(r.kind, r.year) for r in reports if r.status in (S.SUBMITTED, S.ACCEPTED)}
    return sorted((p for p in report_periods(organisation, pact) if (p["kind"], p["year"]) not in done),
                  key=lambda p: p["due_on"])


def next_report_deadline(organisation: Organisation, pact, today: datetime.date | None = None
                         ) -> tuple[datetime.date, str] | None:
    """The report an active partner owes next, for partners' next deadline
    (partners.registry.deadline_sources): (due date, Organisation.Deadline)."""
    pending = pending_periods(organisation, pact)
    if not pending:
        return None
    return pending[0]["due_on"], DEADLINE_KINDS[pending[0]["kind"]]


def freeze_reason(balance, user) -> dict | None:
    """Why a balance is frozen, for its page (ghg.registry.freeze_reasons): the accepted report
    that holds it, linked for the reader (the review for the pact office, the report for its
    members); the office can open it for a correction. One query."""
    from django.urls import reverse

    report = (Report.objects.filter(balance_id=balance.pk, status=S.ACCEPTED)
              .only("pk", "organisation_id", "kind", "year", "accepted_at").order_by("-accepted_at", "-pk").first())
    if report is None:
        return None
    reviewer = user.has_perm("reports.review_reports")
    # Who sees a balance (ghg.view_balance) sees its reports (reports.view_reports): the same rule.
    url = (reverse("reports_office:review", args=[report.pk]) if reviewer
           else reverse("reports:report", args=[report.organisation_id, report.pk]))
    return {"document": f"{report.get_kind_display()} {report.year}", "accepted_at": report.accepted_at,
            "url": url, "can_reopen": reviewer}


# --- Partner dashboard -----------------------------------------------------------------------


def reports_of(organisation: Organisation) -> list[Report]:
    return list(organisation.reports.order_by("-year", "-pk"))


def current_report(reports: list[Report]) -> Report | None:
    """The report the partner works on now: the open one with the nearest deadline, else the newest."""
    today = timezone.localdate()
    open_ = sorted((r for r in reports if r.is_editable and r.opens_on <= today), key=lambda r: r.due_on)
    if open_:
        return open_[0]
    submitted = [r for r in reports if r.status == S.SUBMITTED]
    return submitted[0] if submitted else (reports[0] if reports else None)


def unconverted_savings() -> Q:
    """Savings with a quantity but no t CO2e: stored before such a saving was refused (a kWh of
    diesel). Their measure's tonnes are incomplete, so pages say so instead of showing the sum."""
    return Q(expected_t_co2e__isnull=True, expected_quantity__gt=0) | \
        Q(realised_t_co2e__isnull=True, realised_quantity__gt=0)


def measures_of(organisation: Organisation) -> list[Measure]:
    """The organisation's measures; `unconverted` marks one with a saving that has no t CO2e."""
    incomplete = MeasureSaving.objects.filter(unconverted_savings(), measure=OuterRef("pk"))
    return list(organisation.measures.annotate(unconverted=Exists(incomplete))
                .order_by("status", "planned_start", "pk"))


def saving_rows(measure: Measure, *, language: str = "de") -> list[dict]:
    """A measure's savings as the form's table shows them: carrier and unit by name."""
    table = factor_table()
    return [{"carrier": carrier_label(table, s.carrier, language=language), "quantity": s.expected_quantity,
             "unit": unit_label(s.unit), "t": s.expected_t_co2e, "note": s.factor_note, "unconverted": s.unconverted}
            for s in measure.savings.all()]


def dashboard(organisation: Organisation) -> dict:
    """Everything the partner dashboard shows, in a fixed number of queries."""
    reports = reports_of(organisation)
    balances = list(Balance.objects.filter(organisation=organisation).order_by("year")
                    .only("organisation_id", "year", "scope1_t", "scope2_location_t", "scope2_market_t", "scope3_t",
                          "total_location_t", "total_market_t", "exact_t"))
    targets = list(organisation.targets.current())
    measures = measures_of(organisation)
    target = main_target(targets)
    check = target_path_check(target, balances, measures)
    status_counts = Counter(m.status for m in measures)
    consent = PublicationConsent.objects.filter(organisation=organisation).first()
    return {
        "reports": reports, "current": current_report(reports), "balances": balances, "targets": targets,
        "measures": measures, "check": check,
        "measure_status": [(value, label, status_counts.get(value, 0)) for value, label in Measure.Status.choices],
        "publish_figures": bool(consent and consent.publish_figures),
    }


def report_detail(report: Report) -> dict:
    """A report with its versions, comments and the progress per target (partner and office)."""
    versions = list(report.versions.select_related("submitted_by").order_by("-number"))
    comments = list(report.comments.select_related("author", "version").order_by("-created_at", "-pk"))
    progress = {p.target_id: p for p in report.progress.all()}
    return {"versions": versions, "comments": comments, "progress": progress}


# --- Pact office ----------------------------------------------------------------------------

INBOX_FILTERS = {
    "due": lambda today: Q(status__in=Report.EDITABLE, opens_on__lte=today, due_on__gte=today),
    "overdue": lambda today: Q(status__in=Report.EDITABLE, due_on__lt=today),
    "submitted": lambda today: Q(status=S.SUBMITTED),
    "returned": lambda today: Q(status=S.RETURNED),
    "accepted": lambda today: Q(status=S.ACCEPTED),
}


def _inbox_reports(*, kind: str = "", year: int | None = None, q: str = ""):
    """The reports of the office's inbox (opened ones) under the filters besides the status:
    the one definition behind the list, its tab counts and the year overview's counts."""
    qs = Report.objects.filter(opens_on__lte=timezone.localdate())
    if kind in Report.Kind.values:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(organisation__name__icontains=q)
    return qs


def inbox(*, status: str = "", kind: str = "", year: int | None = None, q: str = ""):
    qs = (_inbox_reports(kind=kind, year=year, q=q).select_related("organisation")
          .only("organisation__name", "kind", "year", "status", "opens_on", "due_on", "submitted_at"))
    if status in INBOX_FILTERS:
        qs = qs.filter(INBOX_FILTERS[status](timezone.localdate()))
    return qs.order_by("due_on", "pk")  # walks the due_on index; no sort over every row


def _inbox_count_expressions() -> dict:
    """Per status tab a count of the opened reports in it (an aggregate that can join others)."""
    today = timezone.localdate()
    opened = Q(opens_on__lte=today)
    return {name: Count("pk", filter=opened & cond(today)) for name, cond in INBOX_FILTERS.items()}


def _filters_key(*, kind: str = "", year: int | None = None, q: str = "") -> str:
    return f"{kind}|{year or ''}|{q}"


# The search filters on organisation names: a renamed organisation changes the counts, too.
INBOX_SOURCES = (REPORTS, PIPELINE)


def inbox_counts(*, kind: str = "", year: int | None = None, q: str = "") -> dict[str, int]:
    """Per status tab the number of reports the list shows under the same filters (kept until a
    report or an organisation changes: core.derived)."""
    return derived.cached(INBOX_SOURCES, "reports:inbox-counts:" + _filters_key(kind=kind, year=year, q=q),
                          lambda: _inbox_reports(kind=kind, year=year, q=q).aggregate(**_inbox_count_expressions()))


def inbox_page(number, *, status: str = "", kind: str = "", year: int | None = None, q: str = ""):
    """One page of 50 of the inbox; its total counted once per change (core.derived.page)."""
    key = f"reports:inbox:{status}|" + _filters_key(kind=kind, year=year, q=q)
    return derived.page(INBOX_SOURCES, key, inbox(status=status, kind=kind, year=year, q=q), 50, number)


def reminders_for(report_ids: list[int]) -> dict[int, list[tuple[str, datetime.date]]]:
    """Per report the sent reminders as (step label, day), oldest first (one query)."""
    labels = {k: str(v) for k, v in Reminder.Step.choices}
    out: dict[int, list[tuple[str, datetime.date]]] = {}
    rows = Reminder.objects.filter(report_id__in=report_ids).order_by("sent_on", "pk")
    for report_id, step, day in rows.values_list("report_id", "step", "sent_on"):
        out.setdefault(report_id, []).append((labels[step], day))
    return out


def year_overview(year: int) -> dict:
    """Per report year: partners reported, emissions per scope (accepted reports only),
    expected and realised savings, measures by category and status. A fixed number of queries,
    run once per change of the reports (core.derived)."""
    return derived.cached([REPORTS], f"reports:year-overview:{year}:{get_language()}", lambda: _year_overview(year))


def _year_overview(year: int) -> dict:
    reports = Report.objects.filter(year=year)
    accepted_q = Q(status=S.ACCEPTED)
    # Emissions: the exact values of every accepted report summed, each figure rounded once.
    # Reports submitted before exact values were kept add their 3-decimal figures in SQL (a sum
    # of 3-decimal numbers has 3 decimals, so it rounds the same); the others their exact values.
    older = Q(exact_t__isnull=True)
    counts = reports.aggregate(  # the counts as the inbox counts them
        reported=Count("organisation", filter=Q(status__in=[S.SUBMITTED, S.ACCEPTED]), distinct=True),
        **_inbox_count_expressions())
    accepted = reports.filter(accepted_q)
    totals = accepted.aggregate(expected=Sum("expected_savings_t"), realised=Sum("realised_savings_t"),
                                **{k: Sum(f"{k}_t", filter=older) for k in SCOPE_KEYS})
    figures = {f"{k}_text": Cast(f"{k}_t", TextField()) for k in SCOPE_KEYS}
    exact_rows = accepted.exclude(older).annotate(**figures).values("exact_t", *figures)
    three = Decimal("0.001")  # SQLite sums as floats: back to the 3 decimals the sum has
    emissions = sum_exact([{k: Decimal(totals[k] or 0).quantize(three) for k in SCOPE_KEYS},
                           *(Report.stored_emissions(row, "_text") for row in exact_rows)]).rounded()
    sums = {k: emissions[k] for k in SCOPE_KEYS} | {"total": emissions["total_location"]}
    sums |= {k: Decimal(totals[k] or 0).quantize(three) for k in ("expected", "realised")}
    org_ids = reports.filter(status__in=[S.SUBMITTED, S.ACCEPTED]).values("organisation_id")
    rows = (Measure.objects.filter(organisation_id__in=org_ids).values("category", "status")
            .annotate(n=Count("pk")).order_by())
    matrix = {(r["category"], r["status"]): r["n"] for r in rows}
    by_category = [{"category": label, "key": value,
                    "counts": [matrix.get((value, s), 0) for s in Measure.Status.values],
                    "total": sum(matrix.get((value, s), 0) for s in Measure.Status.values)}
                   for value, label in Category.choices]
    status_totals = [sum(matrix.get((c, s), 0) for c in Category.values) for s in Measure.Status.values]
    return {"year": year, "counts": counts, "sums": sums, "by_category": by_category,
            "status_labels": [label for _v, label in Measure.Status.choices], "status_totals": status_totals}


def year_rows(year: int) -> list[Report]:
    """The accepted and submitted reports of a year, for the XLSX export."""
    return list(Report.objects.filter(year=year, status__in=[S.SUBMITTED, S.ACCEPTED])
                .select_related("organisation").order_by("organisation__name", "pk"))


def report_years() -> list[int]:
    def years() -> list[int]:
        found = set(Report.objects.order_by().values_list("year", flat=True).distinct())
        found.add(timezone.localdate().year)
        return sorted(found, reverse=True)

    return derived.cached([REPORTS], "reports:years", years)


# --- Public ---------------------------------------------------------------------------------


def public_reports(org_ids: list[int]) -> dict[int, list[Report]]:
    """Accepted reports of partners that consented to publish their figures (one query)."""
    out: dict[int, list[Report]] = {}
    qs = (Report.objects.filter(organisation_id__in=org_ids, status=S.ACCEPTED,
                                organisation__figures_consent__publish_figures=True)
          .only("organisation_id", "kind", "year", "scope1_t", "scope2_location_t", "scope2_market_t", "scope3_t",
                "exact_t", "measures_total", "measures_implemented").order_by("organisation_id", "year", "pk"))
    for r in qs:
        out.setdefault(r.organisation_id, []).append(r)
    return out


def public_measures(organisation: Organisation) -> list[Measure]:
    return list(organisation.measures.filter(is_public=True).exclude(status=Measure.Status.DROPPED)
                .order_by("status", "planned_start", "pk"))


def comments_by_section(comments: list[ReviewComment]) -> dict[str, list[ReviewComment]]:
    out: dict[str, list[ReviewComment]] = {}
    for c in comments:
        out.setdefault(c.section, []).append(c)
    return out


def public_progress(organisation: Organisation):
    """The partner's public progress (accepted reports, with its consent) as HTML for the public
    partner page; None when there is nothing to show. Three queries."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from .charts import report_chart

    reports = public_reports([organisation.pk]).get(organisation.pk, [])
    measures = public_measures(organisation)
    if not reports and not measures:
        return None
    rows = [(f"{r.get_kind_display()} {r.year}", r.total_t_co2e) for r in reports]
    return mark_safe(render_to_string("reports/public/_progress.html", {  # noqa: S308 - template autoescapes
        "reports": reports, "measures": measures, "chart": report_chart(rows, chart_id="chart-public-reports")}))


def dashboard_periods(organisation: Organisation, pact, reports: list[Report],
                      today: datetime.date | None = None) -> dict:
    """Which reports the partner can start now, the next one to come, and the next due date."""
    today = today or timezone.localdate()
    started = {(r.kind, r.year) for r in reports}
    periods = [p | {"label": Report.Kind(p["kind"]).label} for p in report_periods(organisation, pact)
               if (p["kind"], p["year"]) not in started]
    pending = pending_periods(organisation, pact, reports)
    return {"can_start": [p for p in periods if p["opens_on"] <= today],
            "upcoming": [p for p in periods if p["opens_on"] > today][:1],
            "next_deadline": pending[0]["due_on"] if pending else None, "today": today}


def report_workspace(report: Report) -> dict:
    """What the partner's report page works with: targets in force, the balances up to the
    report's balance year, measures, each target's path check and the progress the numbers suggest."""
    organisation = report.organisation
    targets = list(organisation.targets.current())
    all_balances = list(Balance.objects.filter(organisation=organisation).order_by("year"))
    balances = [b for b in all_balances if b.year <= report.balance_year]
    measures = measures_of(organisation)
    checks = {t.pk: target_path_check(t, balances, measures) for t in targets}
    return {"targets": targets, "balances": balances, "years": [b.year for b in all_balances],
            "measures": measures, "checks": checks,
            "suggested": {t.pk: suggested_progress(checks[t.pk]) for t in targets},
            "balance": next((b for b in balances if b.year == report.balance_year), None)}
