"""Two people enter the first lines of the same year at the same time: one balance, both lines
(SQLite serialises writers with BEGIN IMMEDIATE, PostgreSQL with the organisation row lock)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from klimapakt.ghg.models import ActivityLine, Balance


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_entries_make_one_balance(world):
    from klimapakt.ghg.defaults import load_default_factor_set
    from klimapakt.ghg.services import activity_create

    load_default_factor_set()
    org, member = world["org_a"], world["users"]["member_a"]
    barrier = threading.Barrier(2)
    errors = []

    def enter(litres):
        try:
            barrier.wait()
            activity_create(organisation=org, year=2024, carrier="diesel", quantity=litres, unit="l", actor=member)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enter, args=(q,)) for q in ("1000", "2000")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert ActivityLine.objects.filter(organisation=org).count() == 2
    balance = Balance.objects.get(organisation=org, year=2024)
    assert balance.scope1_t == Decimal("7.935") and balance.lines.count() == 2
