"""Demo reports: a measure catalogue; for the partners with demo balances, measures, an accepted
Ausgangsbericht, and for some a first Monitoringbericht (accepted, submitted, returned or a
prefilled draft). Idempotent: organisations that already have reports are left alone."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from .models import Category, Measure, MeasureTemplate, Report

CATALOGUE = [
    ("LED-Beleuchtung", "Leuchtstoffröhren und Halogenlampen durch LED ersetzen, mit Präsenzmeldern.",
     Category.EFFICIENCY, "electricity"),
    ("Photovoltaik auf dem Dach", "Eigenen Strom erzeugen und selbst verbrauchen.", Category.GENERATION,
     "electricity"),
    ("Wechsel auf Ökostrom", "Stromliefervertrag mit Herkunftsnachweisen aus erneuerbaren Quellen.",
     Category.GREEN_POWER, "electricity"),
    ("Wärmepumpe statt Gaskessel", "Heizung auf eine Wärmepumpe umstellen.", Category.HEAT, "natural_gas"),
    ("Dämmung der obersten Geschossdecke", "Wärmeverluste über das Dach senken.", Category.BUILDINGS,
     "natural_gas"),
    ("Druckluftleckagen beseitigen", "Druckluftnetz regelmäßig prüfen und Leckagen schließen.",
     Category.PROCESSES, "electricity"),
    ("E-Fahrzeuge im Fuhrpark", "Dienstwagen bei der nächsten Ersatzbeschaffung elektrisch.", Category.MOBILITY,
     ""),
    ("Energiesparen im Team", "Schulung und Aktionstage zum Energiesparen am Arbeitsplatz.", Category.BEHAVIOUR,
     "electricity"),
]


def load_catalogue() -> list[MeasureTemplate]:
    out = []
    for position, (title, description, category, carrier) in enumerate(CATALOGUE):
        template, _created = MeasureTemplate.objects.get_or_create(
            title_de=title, defaults={"description_de": description, "category": category, "carrier": carrier,
                                      "position": position})
        out.append(template)
    return out


def _ensure_base_balance(org, base_year: int) -> None:
    """Demo balances start in 2021; a target with an earlier base year gets a base-year balance
    (the 2021 consumption, scaled up) through the ghg services."""
    from klimapakt.ghg.models import ActivityLine, Balance
    from klimapakt.ghg.services import balance_compute

    if Balance.objects.filter(organisation=org, year=base_year).exists():
        return
    first = ActivityLine.objects.filter(organisation=org).order_by("year").values_list("year", flat=True).first()
    if first is None:
        return
    scale = Decimal(1) + Decimal("0.05") * (first - base_year)
    ActivityLine.objects.bulk_create([
        ActivityLine(organisation=org, year=base_year, carrier=a.carrier, quantity=(a.quantity * scale).quantize(
            Decimal(1)), unit=a.unit, supplier_factor=None, evidence_note=a.evidence_note)
        for a in ActivityLine.objects.filter(organisation=org, year=first)])
    balance_compute(organisation=org, year=base_year)


def _measures(org, templates, rng: random.Random, actor) -> None:
    from .services import measure_save

    chosen = rng.sample(templates, k=rng.randint(3, 5))
    for i, t in enumerate(chosen):
        status = [Measure.Status.IMPLEMENTED, Measure.Status.IN_PROGRESS, Measure.Status.PLANNED,
                  Measure.Status.PLANNED, Measure.Status.POSTPONED][i]
        kwh = Decimal(rng.randint(5, 60) * 1000)
        # The catalogue's carriers are electricity (kWh) and natural gas (kWh on the bill: Brennwert)
        unit = "kWh_hs" if t.carrier == "natural_gas" else "kWh"
        savings = [(t.carrier, kwh, kwh * Decimal("0.9") if status == Measure.Status.IMPLEMENTED else None, unit)] \
            if t.carrier else []
        start = datetime.date(2024 + i // 2, rng.choice([1, 4, 7, 10]), 1)
        measure_save(organisation=org, actor=actor, savings=savings, template=t, title=t.title_de,
                     description=t.description_de, category=t.category, scopes=[2] if t.carrier == "electricity"
                     else [1], planned_start=start, planned_end=start + datetime.timedelta(days=rng.randint(60, 400)),
                     status=status, investment_eur=Decimal(rng.randint(2, 80) * 1000),
                     expected_t_manual=Decimal(rng.randint(2, 12)) if not t.carrier else None,
                     justification="Lieferzeit der Anlage, Umsetzung im Folgejahr."
                     if status == Measure.Status.POSTPONED else "", is_public=rng.random() < 0.7)


def _progress(report, org) -> dict:
    return {t.pk: ("on_track", "") for t in org.targets.current()}


@transaction.atomic
def load(pact) -> None:
    from klimapakt.core.models import User
    from klimapakt.ghg.models import Balance
    from klimapakt.partners.models import Organisation

    from . import selectors, services

    templates = load_catalogue()
    office = User.objects.filter(is_pact_office=True).order_by("pk").first()
    orgs = (Organisation.objects.filter(stage=Organisation.Stage.ACTIVE, partner_since__isnull=False,
                                        balances__isnull=False).distinct().order_by("pk"))
    with_monitoring = in_review = 0
    for org in orgs:
        if org.reports.exists():
            continue
        member = org.memberships.select_related("user").order_by("pk").first()
        actor = member.user if member else None
        rng = random.Random(f"reports-{org.pk}-{org.name}")
        target = org.targets.current().order_by("base_year", "pk").first()
        if target is None:
            continue
        _ensure_base_balance(org, target.base_year)
        _measures(org, templates, rng, actor)
        services.consent_update(organisation=org, actor=actor, publish_figures=org.listing_consent)
        baseline = services.report_start(organisation=org, kind=Report.Kind.BASELINE, year=org.partner_since.year,
                                         actor=actor, pact=pact)
        services.report_update(report=baseline, actor=actor, notes={
            "balance": "Verbräuche laut Jahresrechnungen der Stadtwerke und Tankkarten.",
            "measures": "Schwerpunkt sind Strom und Wärme am Hauptstandort."})
        services.report_submit(report=baseline, actor=actor)
        monitoring = [p for p in selectors.report_periods(org, pact) if p["kind"] == Report.Kind.MONITORING
                      and p["opens_on"] <= datetime.date.today() and org.partner_since <= p["opens_on"]]
        demo_member = org.memberships.filter(user__email="mitglied@sonnenkorn.example").exists()
        if not monitoring and not demo_member and in_review < 2:  # something for the office to review
            in_review += 1
            if in_review == 2:
                services.report_return(report=baseline, actor=office, comments={
                    "balance": "Bitte ergänzen Sie den Stromverbrauch des Lagers (eigener Zähler)."})
            continue
        services.report_accept(report=baseline, actor=office)
        if not monitoring or not Balance.objects.filter(organisation=org, year=monitoring[0]["balance_year"]).exists():
            continue
        period = monitoring[0]
        report = services.report_start(organisation=org, kind=Report.Kind.MONITORING, year=period["year"],
                                       actor=actor, pact=pact)
        state = with_monitoring % 4  # accepted, prefilled draft, submitted, returned
        with_monitoring += 1
        if state == 1:
            continue  # a prefilled draft: the partner is working on it
        services.report_update(report=report, actor=actor, progress=_progress(report, org))
        services.report_submit(report=report, actor=actor)
        if state == 0:
            services.report_accept(report=report, actor=office)
        elif state == 3:
            services.report_return(report=report, actor=office, comments={
                "measures": "Bitte ergänzen Sie die erreichten Einsparungen der umgesetzten Maßnahmen."})
    # Open the periods that have begun for the other partners too (no mails: the daily
    # `send_report_reminders` job sends those), so the office's inbox shows who is due or overdue.
    services.reports_schedule(pact=pact)
