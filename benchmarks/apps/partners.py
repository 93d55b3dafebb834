"""Benchmark data of the partnership: on top of the core organisations (>= 2,000 at the large
scale) every active one gets a partner-since date, consent, location, agreement and targets;
all get a next deadline. Pages: directory, partner page, map, pipeline, staff page, API."""

from __future__ import annotations

import datetime
from decimal import Decimal


def generate(ctx) -> None:
    from django.utils import timezone

    from klimapakt.partners.models import Agreement, AgreementVersion, Organisation, Target

    rng = ctx.rng
    today = timezone.localdate()
    version = AgreementVersion.objects.create(pact=ctx.pact, label="bench-1", text_de="## Vereinbarung\nText.",
                                              valid_from=datetime.date(2022, 1, 1))
    kinds = [k for k, _ in Organisation.Kind.choices]
    orgs = list(Organisation.objects.filter(pk__in=ctx.org_ids))
    agreements, targets = [], []
    for o in orgs:
        o.kind = rng.choice(kinds)
        o.contact_name, o.contact_email = "Erika Beispiel", f"kontakt{o.pk}@bench.example"
        if o.stage in (Organisation.Stage.ACTIVE, Organisation.Stage.PAUSED, Organisation.Stage.LEFT):
            o.partner_since = today - datetime.timedelta(days=rng.randint(10, 1400))
            o.listing_consent = rng.random() < 0.85
            o.description = "Ein erfundener Klimapartner für den Lasttest. " * rng.randint(1, 4)
            o.website = f"https://www.org{o.pk}.example"
            o.latitude = Decimal("51.3338") + Decimal(rng.randint(-350, 350)) / 10000
            o.longitude = Decimal("6.5623") + Decimal(rng.randint(-600, 600)) / 10000
            o.show_location = rng.random() < 0.7
            o.next_deadline, o.next_deadline_kind = o.partner_since + datetime.timedelta(days=365), "baseline_report"
            agreements.append(Agreement(organisation_id=o.pk, version=version, status=Agreement.Status.COUNTERSIGNED,
                                        signatory_name="Max Mustermann", signatory_role="Geschäftsführer",
                                        accepts_obligations=True, consents_publication=o.listing_consent,
                                        countersigned_on=o.partner_since))
            for i in range(rng.choice([1, 1, 2, 3])):
                percent = rng.random() < 0.8
                targets.append(Target(
                    organisation_id=o.pk, base_year=rng.choice([2019, 2020, 2021]), target_year=2035 if i == 0 else 2040,
                    reduction_percent=Decimal(rng.choice([30, 50, 65])) if percent else None,
                    reduction_t_co2e=None if percent else Decimal(rng.randint(10, 5000)),
                    scopes=rng.choice(["1+2", "1+2+3", "1"]), neutral_by=rng.choice([None, 2035, 2040]), signed=True))
        elif o.stage == Organisation.Stage.INTEREST:
            o.next_deadline, o.next_deadline_kind = today + datetime.timedelta(days=rng.randint(-20, 30)), "arrange_talk"
        elif o.stage == Organisation.Stage.AGREEMENT_SUBMITTED:
            o.next_deadline, o.next_deadline_kind = today + datetime.timedelta(days=rng.randint(-10, 14)), "review"
    Organisation.objects.bulk_update(orgs, ["kind", "contact_name", "contact_email", "partner_since",
                                            "listing_consent", "description", "website", "latitude", "longitude",
                                            "show_location", "next_deadline", "next_deadline_kind"], batch_size=500)
    Agreement.objects.bulk_create(agreements, batch_size=1000)
    Target.objects.bulk_create(targets, batch_size=1000)
    listed = Organisation.objects.filter(stage=Organisation.Stage.ACTIVE, listing_consent=True).order_by("pk")
    ctx.extra["partner_id"] = listed.values_list("pk", flat=True).first()


def pages(ctx) -> list[dict]:
    partner = ctx.extra.get("partner_id")
    staff_org = ctx.org_ids[len(ctx.org_ids) // 2]
    return [
        {"name": "partner directory", "url": "/klimapartner/", "user": None},
        {"name": "partner directory filtered", "url": "/klimapartner/?sector=C&neutral=1&sort=since&page=2",
         "user": None},
        {"name": "partner page", "url": f"/klimapartner/{partner}/", "user": None},
        {"name": "partner map", "url": "/klimapartner/karte/", "user": None},
        {"name": "pipeline", "url": "/geschaeftsstelle/organisationen/", "user": "office"},
        {"name": "pipeline overdue", "url": "/geschaeftsstelle/organisationen/?overdue=1&page=2", "user": "office"},
        {"name": "staff organisation page", "url": f"/geschaeftsstelle/organisationen/{staff_org}/", "user": "office"},
        {"name": "GET /api/v1/partners", "url": "/api/v1/partners", "user": None},
        {"name": "GET /api/v1/partners csv", "url": "/api/v1/partners?format=csv", "user": None},
    ]
