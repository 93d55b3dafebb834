"""What a report says at submission (the snapshot stored with each version and shown as the
draft's preview) and what still stops its submission. Reads only."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from klimapakt.ghg.models import Balance, BalanceLine

from .models import Measure, MeasureSaving, Report, TargetProgress
from .selectors import unconverted_savings

K = Report.Kind


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
    unconverted = list(Measure.objects.filter(organisation_id=report.organisation_id,
                                              savings__in=MeasureSaving.objects.filter(unconverted_savings()))
                       .distinct().order_by("pk").values_list("title", flat=True))
    if unconverted:
        problems.append(_("Bei diesen Maßnahmen lässt sich eine Einsparung nicht in CO₂ umrechnen (z. B. Diesel "
                          "in kWh): %(titles)s. Bitte wählen Sie dort die passende Einheit – oder entfernen Sie die "
                          "Einsparung und tragen Sie die Tonnen CO₂e selbst ein.") % {"titles": ", ".join(f"„{t}“" for t in unconverted)})
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
                      # Versions before migration 0006 have expected_kwh/realised_kwh (all in kWh)
                      "savings": [{"carrier": s.carrier, "unit": s.unit,
                                   "expected_quantity": _dec(s.expected_quantity),
                                   "realised_quantity": _dec(s.realised_quantity),
                                   "expected_t_co2e": _dec(s.expected_t_co2e),
                                   "realised_t_co2e": _dec(s.realised_t_co2e)} for s in m.savings.all()]}
                     for m in measures],
        "notes": dict(report.notes or {}),
        # The emissions of every year up to the balance year, as they stood: the PDF's chart
        "history": [{"year": b.year, "scope1": _dec(b.scope1_t), "scope2_location": _dec(b.scope2_location_t),
                     "scope2_market": _dec(b.scope2_market_t), "scope3": _dec(b.scope3_t),
                     "exact": b.emissions.encode()} for b in history],
    }
