"""Shared fixtures: the Krefeld pact, and one person per role with two organisations."""

import os

import pytest

os.environ.setdefault("KLIMAPAKT_TESTING", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(autouse=True)
def _clean_cache_and_media(settings, tmp_path):
    from django.core.cache import cache
    from django.utils import translation

    translation.activate("de")  # a previous test's request may have left English active (reverse() uses it)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The default emission factor set comes from a data migration. A transactional test
    (concurrency, browser) ends with a flush that removes it too, and with pytest-xdist a
    regular test of another file can run after it on the same worker: restore it first."""
    if not (request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)):
        return
    request.getfixturevalue("_django_db_helper")
    from klimapakt.ghg.defaults import load_default_factor_set
    from klimapakt.ghg.models import FactorSet

    if not FactorSet.objects.filter(is_default=True).exists():
        load_default_factor_set()


@pytest.fixture
def pact(db):
    from klimapakt.core.defaults import KREFELD
    from klimapakt.core.management.commands.load_default_pact import load_pact
    from klimapakt.core.models import Pact

    return Pact.objects.first() or load_pact(KREFELD)


def make_user(email, **fields):
    from allauth.account.models import EmailAddress

    from klimapakt.core.models import User

    user = User.objects.create_user(email=email, password="correct-horse-battery", **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def world(pact):
    """Anonymous, member (admin) of organisation A, member of B, an advisor, the pact office."""
    from klimapakt.partners.models import Membership, Organisation

    org_a = Organisation.objects.create(name="Alpha Bäckerei GmbH", postal_code="47798", city="Krefeld")
    org_b = Organisation.objects.create(name="Beta Metallbau KG", postal_code="47809", city="Krefeld")
    member_a = make_user("anna@alpha.example", first_name="Anna", last_name="Alpha")
    member_b = make_user("bert@beta.example", first_name="Bert", last_name="Beta")
    Membership.objects.create(organisation=org_a, user=member_a, role=Membership.Role.ADMIN)
    Membership.objects.create(organisation=org_b, user=member_b, role=Membership.Role.ADMIN)
    advisor = make_user("berater@ihk.example", advisor_for=pact.initial_partners.get(short_name="IHK"))
    office = make_user("office@krefeld.example", is_pact_office=True)
    return {
        "pact": pact, "org_a": org_a, "org_b": org_b,
        "users": {"anonymous": None, "member_a": member_a, "member_b": member_b, "advisor": advisor, "office": office},
    }


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as user (or anonymous for None)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make
