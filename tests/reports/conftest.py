"""Fixtures of the reports tests: organisation A as an active partner (signed 1 March 2024)
with a target (base year 2023, minus 50 % of Scope 1 and 2 by 2035) and balances."""

import datetime
import os
import tempfile

import pytest
from django.conf import settings

# The concurrency test runs threads with their own connections: on SQLite the test database
# must be a file (as in tests/events/conftest.py).
_db = settings.DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3" and not _db.get("TEST", {}).get("NAME"):
    _db.setdefault("TEST", {})["NAME"] = os.path.join(tempfile.gettempdir(), f"klimapakt-test-{os.getpid()}.sqlite3")

SIGNED = datetime.date(2024, 3, 1)


def add_balance(org, year, *, gas="100000", power="50000", actor=None):
    """A balance with Scope 1 (natural gas, kWh_hs) and Scope 2 (electricity) lines."""
    from klimapakt.ghg.services import activity_create

    for carrier, quantity, unit in (("natural_gas", gas, "kWh_hs"), ("electricity", power, "kWh")):
        if quantity is not None:
            activity_create(organisation=org, year=year, carrier=carrier, quantity=quantity, unit=unit, actor=actor)
    from klimapakt.ghg.models import Balance

    return Balance.objects.get(organisation=org, year=year)


@pytest.fixture
def partner(world):
    from klimapakt.ghg.defaults import load_default_factor_set
    from klimapakt.partners.models import Organisation, Target

    load_default_factor_set()
    org = world["org_a"]
    Organisation.objects.filter(pk=org.pk).update(stage=Organisation.Stage.ACTIVE, partner_since=SIGNED,
                                                  listing_consent=True)
    org.refresh_from_db()
    Target.objects.create(organisation=org, base_year=2023, target_year=2035, reduction_percent=50, scopes="1+2",
                          signed=True)
    return org


@pytest.fixture
def member(world):
    return world["users"]["member_a"]


@pytest.fixture
def office(world):
    return world["users"]["office"]
