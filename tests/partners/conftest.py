"""Fixtures of the partners tests. The concurrency test needs threads with their own database
connections, so on SQLite the test database is a file (as in tests/events/conftest.py)."""

import datetime
import os
import tempfile

import pytest
from django.conf import settings

_db = settings.DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3" and not _db.get("TEST", {}).get("NAME"):
    _db.setdefault("TEST", {})["NAME"] = os.path.join(
        tempfile.gettempdir(), f"klimapakt-test-{os.getpid()}.sqlite3")


@pytest.fixture
def version(pact):
    from klimapakt.partners.models import AgreementVersion

    return AgreementVersion.objects.create(pact=pact, label="2022-1", text_de="## § 1\nDer Klimapartner …",
                                           text_en="## § 1\nThe partner …", valid_from=datetime.date(2022, 6, 1))


@pytest.fixture
def journey(world, version):
    """Helpers to walk organisation A through the partnership with the services."""
    from django.utils import timezone

    from klimapakt.partners import services

    office = world["users"]["office"]
    member = world["users"]["member_a"]
    org = world["org_a"]

    class J:
        def talk(self):
            services.talk_plan(organisation=org, actor=office,
                               scheduled_for=timezone.now() + datetime.timedelta(days=3))
            services.talk_mark_held(organisation=org, actor=office, held_on=timezone.localdate(), notes="geheim")

        def target(self, **kw):
            fields = dict(base_year=2020, target_year=2035, reduction_percent=50, reduction_t_co2e=None,
                          scopes="1+2", neutral_by=None, comment="") | kw
            return services.target_save(organisation=org, actor=member, **fields)

        def draft(self, **kw):
            fields = dict(signatory_name="Anna Alpha", signatory_role="Inhaberin", accepts_obligations=True,
                          consents_publication=True) | kw
            return services.agreement_save(organisation=org, actor=member, **fields)

        def submitted(self):
            self.talk()
            self.target()
            return services.agreement_submit(agreement=self.draft(), actor=member)

        def active(self, on=None):
            agreement = self.submitted()
            return services.agreement_countersign(agreement=agreement, actor=office, on=on)

    j = J()
    j.org, j.office, j.member, j.version = org, office, member, version
    return j


@pytest.fixture(autouse=True)
def _german(settings):
    """Messages are asserted in German; a request to /en/ in an earlier test must not leak."""
    from django.utils import translation

    with translation.override("de"):
        yield
