"""Support benchmark: advice requests across the six initial partners and the office's
unassigned ones (small: 1,000, large: 20,000), every status, a sixth of them forwarded once
(two holdings), a conversation on the first; an advisor of the IHK.

Pages: the advisor's inbox (all, overdue, "früher bei uns"), the office's inbox (all,
unassigned), the per-institution overview, the firms page and one request page."""

from __future__ import annotations

import datetime

SCALE = {"small": 1_000, "large": 20_000, "xl": 200_000}
ADVISOR = "advisor@bench.example"
STATUSES = ["new", "new", "accepted", "in_progress", "done", "done", "declined", "withdrawn"]
TOPICS = [",heat,", ",electricity,funding,", ",mobility,", ",buildings,heat,", ",funding,", ",reporting,", ",other,"]
OUTCOMES = ["advice_given", "measure_planned", "funding_applied", "concept_started"]


def generate(ctx) -> None:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from benchmarks.generate import bulk_insert
    from klimapakt.core.models import InitialPartner, User
    from klimapakt.support.models import Holding, Message, SupportRequest, answered_in_time

    rng = ctx.rng
    institutions = list(InitialPartner.objects.filter(pact=ctx.pact).order_by("position", "pk"))
    ihk = next(i for i in institutions if i.short_name == "IHK")
    advisor = User.objects.create(email=ADVISOR, password=make_password("bench-password"), advisor_for=ihk,
                                  first_name="Bernd", last_name="Bench")
    colleagues = {i.pk: User.objects.create(email=f"advisor-{i.short_name.lower()}@bench.example",
                                            password=make_password("bench-password"), advisor_for=i)
                  for i in institutions if i.pk != ihk.pk}
    colleagues[ihk.pk] = advisor
    now = timezone.now()
    rows = []
    for n in range(SCALE[ctx.scale]):
        status = STATUSES[rng.randrange(len(STATUSES))]
        institution = None if n % 13 == 0 and status == "new" else institutions[rng.randrange(len(institutions))]
        received = now - datetime.timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 1440))
        due = timezone.localdate(received) + datetime.timedelta(days=7)
        answered = None if status == "new" or rng.random() < 0.1 else received + datetime.timedelta(
            days=rng.randint(0, 12))
        rows.append(SupportRequest(
            organisation_id=ctx.org_ids[rng.randrange(len(ctx.org_ids))], institution=institution,
            advisor=colleagues[institution.pk] if institution and status not in ("new", "withdrawn") else None,
            status=status, topics=TOPICS[rng.randrange(len(TOPICS))],
            description="Synthetische Anfrage für den Lasttest. " * rng.randint(1, 5),
            consent_text="Ich bin einverstanden.", consented_at=received, sent_at=received, received_at=received,
            created_at=received, updated_at=received, answer_due_on=due, first_answer_at=answered,
            answered_in_time=answered_in_time(answered, due),
            closed_at=received + datetime.timedelta(days=20) if status in ("done", "declined", "withdrawn") else None,
            outcome=OUTCOMES[rng.randrange(len(OUTCOMES))] if status == "done" else ""))
    requests = bulk_insert(rows)
    holdings = []
    for n, r in enumerate(requests):
        if r.institution is None:
            continue
        if n % 6 == 0:   # forwarded once: held by another institution before
            before = institutions[(institutions.index(r.institution) + 1) % len(institutions)]
            holdings.append(Holding(request=r, institution=before, since=r.received_at - datetime.timedelta(days=3),
                                    until=r.received_at, reason="Weitergeleitet."))
        holdings.append(Holding(request=r, institution=r.institution, since=r.received_at,
                                until=r.closed_at))
    bulk_insert(holdings)
    first = next(r for r in requests if r.institution_id == ihk.pk and r.status == "in_progress")
    Message.objects.bulk_create([Message(request=first, side="advisor" if i % 2 else "firm",
                                         institution=ihk if i % 2 else None, body=f"Nachricht {i}. " * 10)
                                 for i in range(40)])
    ctx.extra["support_request"] = first.pk


def pages(ctx) -> list[dict]:
    from django.urls import reverse

    from klimapakt.core.models import User

    ctx.users.setdefault("advisor", User.objects.get(email=ADVISOR))
    inbox = reverse("support_office:inbox")
    return [
        {"name": "support inbox (advisor)", "url": inbox, "user": "advisor"},
        {"name": "support inbox overdue (advisor)", "url": inbox + "?ueberfaellig=1", "user": "advisor"},
        {"name": "support inbox earlier (advisor)", "url": inbox + "?ansicht=frueher", "user": "advisor"},
        {"name": "support inbox topic page 3 (advisor)", "url": inbox + "?thema=heat&page=3", "user": "advisor"},
        {"name": "support inbox (office)", "url": inbox, "user": "office"},
        {"name": "support inbox unassigned (office)", "url": inbox + "?einrichtung=ohne", "user": "office"},
        {"name": "support overview (office)", "url": reverse("support_office:overview"), "user": "office"},
        {"name": "support firms (advisor)", "url": reverse("support_office:firms"), "user": "advisor"},
        {"name": "support request page (advisor)",
         "url": reverse("support_office:request", args=[ctx.extra["support_request"]]), "user": "advisor"},
    ]
