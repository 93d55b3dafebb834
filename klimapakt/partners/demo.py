"""Demo organisations (invented, clearly fictitious: "Muster", "Beispiel", "Demo", "Fiktiv")
across sectors and every stage of the partnership, with agreements and targets, and a
member account. Idempotent: organisations are looked up by name; nothing is mailed."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from klimapakt.core.demo import ensure_user

from .deadlines import deadline_refresh
from .models import (
    Agreement,
    AgreementVersion,
    Membership,
    Organisation,
    OrientationTalk,
    StageChange,
    Target,
)
from .selectors import agreement_snapshot

S = Organisation.Stage
K = Organisation.Kind

AGREEMENT_TEXT_DE = """## Präambel
Der Rat der Stadt Krefeld hat am 18.02.2021 beschlossen, dass Krefeld bis 2035 klimaneutral werden will.
Mit dem Krefelder Klimapakt laden die Stadt und ihre Initialpartner Unternehmen, Vereine und Einrichtungen
ein, gemeinsam den Ausstoß von Treibhausgasen schnell und wirksam zu senken.

## § 1 Ziel der Partnerschaft
Der Klimapartner bekennt sich zum Ziel der Klimaneutralität der Stadt bis 2035 und setzt sich eigene,
freiwillige Ziele zur Minderung seiner Treibhausgasemissionen (Anlage: Reduktionsziele).

## § 2 Pflichten des Klimapartners
1. Innerhalb von zwölf Monaten nach der Unterzeichnung legt der Klimapartner einen Ausgangsbericht vor:
   eine CO₂-Bilanz für ein Basisjahr (mindestens Scope 1 und Scope 2, standortbasiert), seine Ziele und
   seine geplanten Maßnahmen.
2. In den gemeinsamen Monitoringjahren legt er einen Monitoringbericht vor.
3. Im Zieljahr legt er eine Endbilanz vor.

## § 3 Leistungen des Klimapakts
Die Geschäftsstelle und die Initialpartner beraten, laden zu Workshops und Netzwerktreffen ein und machen
das Engagement des Klimapartners sichtbar, sofern er eingewilligt hat.

## § 4 Laufzeit
Die Partnerschaft beginnt mit der Gegenzeichnung. Sie kann von beiden Seiten mit einer Frist von drei
Monaten beendet werden.

*Dies ist ein Demonstrationstext und keine rechtsverbindliche Vereinbarung.*
"""

AGREEMENT_TEXT_EN = """## Preamble
On 18 February 2021 the City Council of Krefeld decided that Krefeld wants to become climate-neutral by 2035.

## § 1 Purpose
The partner commits to the city's goal and sets its own voluntary reduction targets (annex).

## § 2 Obligations
A baseline report within twelve months of signing, a monitoring report in the common monitoring years,
a final balance in the target year.

*Demonstration text, not a legally binding agreement.*
"""

STREETS = ["Ostwall", "Rheinstraße", "Hochstraße", "Uerdinger Straße", "Gladbacher Straße", "Moerser Straße",
           "Oppumer Straße", "Hafenstraße", "Untergath", "Hülser Straße", "Kölner Straße", "Dießemer Bruch",
           "Philadelphiastraße", "Westwall", "Neue Linner Straße", "Bökendonk"]

# name, kind, sector (WZ 2008), employees, stage, consents to listing
DEMO_ORGANISATIONS = [
    ("Musterbäckerei Sonnenkorn GmbH", K.COMPANY, "C", 42, S.ACTIVE, True),
    ("Beispiel Metallbau Rheinufer KG", K.COMPANY, "C", 120, S.ACTIVE, True),
    ("Fiktiv Textilveredelung Seidenstadt AG", K.COMPANY, "C", 310, S.AGREEMENT_SUBMITTED, True),
    ("Demo-Sportverein Grün-Weiß Krefeld e. V.", K.CLUB, "R", 3, S.INTEREST, False),
    ("Muster Logistik Hafenkante GmbH", K.COMPANY, "H", 85, S.ACTIVE, True),
    ("Beispiel Stadtwerke-Service Demo GmbH", K.COMPANY, "D", 260, S.ACTIVE, True),
    ("Fiktiv Chemiepark Uerdingen Service GmbH", K.COMPANY, "C", 540, S.ACTIVE, True),
    ("Muster Autohaus am Ostwall GmbH", K.COMPANY, "G", 38, S.ACTIVE, True),
    ("Demo Softwarehaus Samtweberei GmbH", K.COMPANY, "J", 24, S.ACTIVE, True),
    ("Beispiel Steuerberatung Westwall PartG", K.COMPANY, "M", 11, S.ACTIVE, True),
    ("Muster Hotel Stadtgarten GmbH", K.COMPANY, "I", 46, S.ACTIVE, True),
    ("Fiktiv Bauunternehmen Niederrhein GmbH & Co. KG", K.COMPANY, "F", 95, S.ACTIVE, True),
    ("Demo Elektro Meisterbetrieb Fischeln", K.COMPANY, "F", 7, S.ACTIVE, True),
    ("Beispiel Sparkassen-Service Demo AG", K.COMPANY, "K", 180, S.ACTIVE, False),
    ("Muster Wohnungsbau Krefeld eG", K.COMPANY, "L", 60, S.ACTIVE, True),
    ("Fiktiv Klinikum Dießem gGmbH", K.INSTITUTION, "Q", 900, S.ACTIVE, True),
    ("Demo-Berufskolleg Vennikel", K.INSTITUTION, "P", 120, S.ACTIVE, True),
    ("Beispiel Einzelhandelsverband Niederrhein e. V.", K.ASSOCIATION, "S", 9, S.ACTIVE, True),
    ("Muster Kunstverein Kaiser-Wilhelm e. V.", K.CLUB, "R", 2, S.ACTIVE, True),
    ("Fiktiv Druckerei Linn GmbH", K.COMPANY, "C", 33, S.ACTIVE, True),
    ("Demo Gebäudereinigung Bockum GmbH", K.COMPANY, "N", 210, S.ACTIVE, True),
    ("Beispiel Gartenbau Hüls GbR", K.COMPANY, "A", 12, S.ACTIVE, True),
    ("Muster Recycling Gellep GmbH", K.COMPANY, "E", 70, S.ACTIVE, True),
    ("Fiktiv Architekturbüro Hochstraße", K.COMPANY, "M", 8, S.ACTIVE, False),
    ("Demo Brauhaus Königshof GmbH", K.COMPANY, "I", 28, S.PAUSED, True),
    ("Beispiel Spedition Oppum GmbH", K.COMPANY, "H", 140, S.PAUSED, True),
    ("Muster Modehaus Rheinstraße KG", K.COMPANY, "G", 19, S.LEFT, True),
    ("Fiktiv Tanzschule Cracau", K.COMPANY, "R", 5, S.LEFT, False),
    ("Demo Kfz-Werkstatt Traar GmbH", K.COMPANY, "G", 14, S.AGREEMENT_SUBMITTED, True),
    ("Beispiel Versicherungsmakler Uerdingen GmbH", K.COMPANY, "K", 16, S.AGREEMENT_SUBMITTED, False),
    ("Muster Kita-Verbund Krefeld-Süd e. V.", K.ASSOCIATION, "P", 75, S.TALK_HELD, True),
    ("Fiktiv Maschinenbau Gartenstadt GmbH", K.COMPANY, "C", 230, S.TALK_HELD, True),
    ("Demo Apotheke am Dionysiusplatz", K.COMPANY, "G", 9, S.TALK_HELD, True),
    ("Beispiel Pflegedienst Lindental gGmbH", K.INSTITUTION, "Q", 55, S.TALK_PLANNED, False),
    ("Muster IT-Systemhaus Europapark GmbH", K.COMPANY, "J", 48, S.TALK_PLANNED, False),
    ("Fiktiv Schreinerei Verberg", K.COMPANY, "C", 6, S.TALK_PLANNED, False),
    ("Demo Ruderclub Elfrather See e. V.", K.CLUB, "R", 1, S.INTEREST, False),
    ("Beispiel Immobilienverwaltung Bismarckviertel GmbH", K.COMPANY, "L", 22, S.INTEREST, False),
    ("Muster Kaffeerösterei Seidenweberhaus GmbH", K.COMPANY, "C", 13, S.INTEREST, False),
    ("Fiktiv Ingenieurgesellschaft Stahldorf mbH", K.COMPANY, "M", 64, S.ACTIVE, True),
]

DESCRIPTIONS = [
    "Ein fiktiver Demo-Betrieb aus Krefeld. Wir stellen auf Ökostrom um, modernisieren die Heizung und "
    "schulen unsere Beschäftigten zum Energiesparen.",
    "Demo-Eintrag: Wir haben eine Photovoltaikanlage auf dem Dach, fahren elektrisch und planen eine "
    "Wärmepumpe für unsere Halle.",
    "Dieses Unternehmen ist erfunden. Es zeigt, wie ein Klimapartner seine Maßnahmen beschreibt: LED-Beleuchtung, "
    "Jobrad für alle, Abwärmenutzung.",
]


def _version(pact) -> AgreementVersion:
    version, _created = AgreementVersion.objects.get_or_create(
        pact=pact, label="2022-1", defaults={
            "title_de": "Klimapartnerschaftsvereinbarung", "title_en": "Climate partnership agreement",
            "text_de": AGREEMENT_TEXT_DE, "text_en": AGREEMENT_TEXT_EN, "valid_from": datetime.date(2022, 6, 1)})
    return version


def _aware(date: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


def _history(org, stages: list[tuple[str, datetime.date, str]]) -> None:
    previous = ""
    for stage, date, reason in stages:
        StageChange.objects.create(organisation=org, from_stage=previous, to_stage=stage, reason=reason,
                                   created_at=_aware(date))
        previous = stage


def _targets(org, rng: random.Random, pact, signed: bool) -> None:
    for i in range(rng.choice([1, 1, 2])):
        base = rng.choice([2019, 2020, 2021, 2022])
        percent = rng.random() < 0.8
        Target.objects.create(
            organisation=org, base_year=base,
            target_year=pact.target_year if i == 0 else rng.choice([2030, 2040]),
            reduction_percent=Decimal(rng.choice([30, 40, 50, 55, 65, 80])) if percent else None,
            reduction_t_co2e=None if percent else Decimal(rng.choice([50, 120, 400, 1500])),
            scopes=rng.choice(["1+2", "1+2", "1+2+3", "1"]) if i == 0 else "1+2",
            neutral_by=rng.choice([None, None, 2035, 2040]) if i == 0 else None,
            comment="" if rng.random() < 0.6 else "Bezogen auf unseren Standort in Krefeld.", signed=signed)


def _build(org, stage, consent, rng, pact, version, today) -> None:
    created = today - datetime.timedelta(days=rng.randint(20, 900))
    org.created_at = _aware(created)
    steps = [(S.INTEREST, created, "")]
    if stage == S.INTEREST:
        org.created_at = _aware(today - datetime.timedelta(days=rng.randint(3, 45)))
        steps = [(S.INTEREST, org.created_at.date(), "")]
    if stage != S.INTEREST:
        talk_day = created + datetime.timedelta(days=rng.randint(7, 30))
        if stage == S.TALK_PLANNED:
            talk_day = today + datetime.timedelta(days=rng.randint(-5, 20))
            OrientationTalk.objects.create(organisation=org, scheduled_for=_aware(talk_day, 14),
                                           location="Rathaus Krefeld, Raum 212", participants="Geschäftsstelle",
                                           notes="Demo: Interesse an Photovoltaik.")
            steps.append((S.TALK_PLANNED, created + datetime.timedelta(days=3), ""))
        else:
            OrientationTalk.objects.create(organisation=org, scheduled_for=_aware(talk_day, 14), held_on=talk_day,
                                           location="Rathaus Krefeld", participants="Geschäftsstelle, Inhaberin",
                                           notes="Demo-Notiz: Energieberatung der IHK empfohlen.")
            steps += [(S.TALK_PLANNED, created + datetime.timedelta(days=3), ""), (S.TALK_HELD, talk_day, "")]
    if stage in (S.TALK_HELD, S.AGREEMENT_SUBMITTED, S.ACTIVE, S.PAUSED, S.LEFT):
        signed = stage in (S.ACTIVE, S.PAUSED, S.LEFT)
        _targets(org, rng, pact, signed)
        if stage == S.TALK_HELD and rng.random() < 0.6:
            Agreement.objects.create(organisation=org, version=version, signatory_name="Erika Beispiel",
                                     signatory_role="Geschäftsführerin", accepts_obligations=True,
                                     consents_publication=consent)
        if stage != S.TALK_HELD:
            submitted = steps[-1][1] + datetime.timedelta(days=rng.randint(10, 40))
            if stage == S.AGREEMENT_SUBMITTED:
                submitted = today - datetime.timedelta(days=rng.randint(2, 25))
            agreement = Agreement.objects.create(
                organisation=org, version=version, signatory_name="Max Mustermann", signatory_role="Geschäftsführer",
                accepts_obligations=True, consents_publication=consent, submitted_at=_aware(submitted),
                status=Agreement.Status.SUBMITTED)
            steps.append((S.AGREEMENT_SUBMITTED, submitted, ""))
            if signed:
                signed_on = min(submitted + datetime.timedelta(days=rng.randint(3, 20)), today)
                agreement.status = Agreement.Status.COUNTERSIGNED
                agreement.countersigned_on = signed_on
                agreement.countersigned_by_name = "Petra Beispiel"
                agreement.countersigned_by_role = "Leitung der Geschäftsstelle"
                agreement.snapshot = agreement_snapshot(agreement, pact=pact, source="countersignature")
                agreement.save()
                org.partner_since = signed_on
                org.listing_consent = consent
                steps.append((S.ACTIVE, signed_on, ""))
                if stage == S.PAUSED:
                    steps.append((S.PAUSED, min(signed_on + datetime.timedelta(days=200), today),
                                  "Betriebsumbau, Berichte ruhen auf Wunsch ein Jahr."))
                if stage == S.LEFT:
                    agreement.status = Agreement.Status.ENDED
                    agreement.ended_on = today
                    agreement.save()
                    steps.append((S.LEFT, min(signed_on + datetime.timedelta(days=300), today),
                                  "Betrieb wurde aufgegeben (Demo)."))
    org.stage = stage
    org.stage_changed_at = _aware(steps[-1][1])
    org.save()
    _history(org, steps)
    deadline_refresh(organisation=org, pact=pact)


def load(pact) -> None:
    member = ensure_user("mitglied@sonnenkorn.example", first_name="Mia", last_name="Muster")
    version = _version(pact)
    today = timezone.localdate()
    postal_codes = pact.postal_code_list() or ["47798"]
    for index, (name, kind, sector, employees, stage, consent) in enumerate(DEMO_ORGANISATIONS):
        org_rng = random.Random(f"{name}-{index}")
        if Organisation.objects.filter(name=name).exists():
            org = Organisation.objects.get(name=name)
            if org.stage_changes.exists():
                continue
            org.stage = S.INTEREST  # built by an older demo loader: complete it
        else:
            org = Organisation(name=name)
        slug = name.split()[1].lower().strip(",")
        org.kind, org.sector, org.employees = kind, sector, employees
        org.legal_form = name.rsplit(" ", 1)[-1] if name.endswith(("GmbH", "KG", "AG", "e. V.", "eG", "mbH", "GbR")) else ""
        org.street = f"{org_rng.choice(STREETS)} {org_rng.randint(1, 180)}"
        org.postal_code = org_rng.choice(postal_codes)
        org.city = pact.city
        org.website = f"https://www.{slug}.example"
        org.contact_name = org_rng.choice(["Erika Beispiel", "Max Mustermann", "Lena Demo", "Jonas Fiktiv"])
        org.contact_email = f"kontakt@{slug}.example"
        org.description = DESCRIPTIONS[index % len(DESCRIPTIONS)] if stage in (S.ACTIVE, S.PAUSED) else ""
        if index % 5 != 3:
            org.latitude = Decimal("51.3338") + Decimal(org_rng.randint(-350, 350)) / 10000
            org.longitude = Decimal("6.5623") + Decimal(org_rng.randint(-600, 600)) / 10000
            org.show_location = True
        org.save()
        _build(org, stage, consent, org_rng, pact, version, today)
        if name.startswith("Musterbäckerei"):
            Membership.objects.get_or_create(organisation=org, user=member, defaults={"role": Membership.Role.ADMIN})
