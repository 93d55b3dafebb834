"""Fixtures of the support tests: the IHK and another institution, an offer of the IHK, and
the world's member, advisor and office (tests/conftest.py)."""

import pytest

from klimapakt.support.models import Offer


@pytest.fixture
def ihk(pact):
    return pact.initial_partners.get(short_name="IHK")


@pytest.fixture
def hwk(pact, ihk):
    return pact.initial_partners.exclude(pk=ihk.pk).order_by("position", "pk").first()


@pytest.fixture
def offer(pact, ihk):
    return Offer.objects.create(pact=pact, institution=ihk, kind=Offer.Kind.FIRST_ADVICE,
                                title_de="Erstberatung Energie", summary_de="Ein Gespräch.")


@pytest.fixture
def member(world):
    return world["users"]["member_a"]


@pytest.fixture
def advisor(world):
    return world["users"]["advisor"]


@pytest.fixture
def office(world):
    return world["users"]["office"]
