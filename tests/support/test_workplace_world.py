"""Shared objects of the workplace tests (no tests here; each test module's `desk` fixture calls
make_desk): the conftest world plus an advisor of the Handwerkskammer and requests made
directly, as the services leave them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.conftest import make_user


def make_request(organisation, *, institution=None, status="new", topics=("heat",), days_ago=1, due_in=4,
                 description="Wir möchten unsere Heizung erneuern.", **fields):
    """A sent request as request_create leaves it (received `days_ago`, due in `due_in` days)."""
    from klimapakt.support.models import Holding, SupportRequest, tags

    now = timezone.now() - datetime.timedelta(days=days_ago)
    support_request = SupportRequest.objects.create(
        organisation=organisation, institution=institution, status=status, topics=tags(topics),
        description=description, consent_text="Ich bin einverstanden.", consented_at=now, sent_at=now,
        received_at=now, answer_due_on=timezone.localdate() + datetime.timedelta(days=due_in), created_at=now,
        updated_at=now, **fields)
    if institution is not None:
        Holding.objects.create(request=support_request, institution=institution, since=now)
    return support_request


def make_desk(world):
    """world + the IHK (the world's advisor's institution), the HWK with its own advisor, and
    a request of organisation A at each."""
    pact = world["pact"]
    ihk = pact.initial_partners.get(short_name="IHK")
    hwk = pact.initial_partners.get(short_name="HWK")
    hwk_advisor = make_user("beraterin@hwk.example", first_name="Hanna", last_name="Handwerk", advisor_for=hwk)
    colleague = make_user("kollege@ihk.example", first_name="Karl", last_name="Kollege", advisor_for=ihk)
    at_ihk = make_request(world["org_a"], institution=ihk, created_by=world["users"]["member_a"])
    at_hwk = make_request(world["org_b"], institution=hwk, topics=("buildings",),
                          description="Dach dämmen, bitte beraten.", created_by=world["users"]["member_b"])
    return {**world, "ihk": ihk, "hwk": hwk, "advisor": world["users"]["advisor"], "hwk_advisor": hwk_advisor,
            "colleague": colleague, "office": world["users"]["office"], "at_ihk": at_ihk, "at_hwk": at_hwk}
