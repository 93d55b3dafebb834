"""The counter-signed agreement is a document of record: its PDF and the portal show what was
signed (targets, text version, organisation, signatories), whatever changes later. A draft
shows live data. No PDF text extraction is available, so the PDF template's HTML is checked
(render_pdf is replaced by the plain template rendering)."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from klimapakt.partners import documents, services
from klimapakt.partners.models import Agreement, AgreementVersion


@pytest.fixture
def pdf_html(monkeypatch, client_for):
    """pdf_html(user, org) -> the HTML the agreement PDF is rendered from, through the download view."""
    monkeypatch.setattr(documents, "render_pdf", lambda template, context: render_to_string(template, context).encode())

    def get(user, organisation):
        response = client_for(user).get(reverse("portal:agreement_pdf", args=[organisation.pk]))
        assert response.status_code == 200
        return response.content.decode()

    return get


def _shows_999(html):
    """The later target of 999 t, as a number of its own (a CSRF token may contain the digits)."""
    return re.search(r"(?<![\w.,])999(?![\w])", html) is not None


def _change_everything_after_signing(journey):
    org = journey.org
    services.target_save(organisation=org, actor=journey.member, target=org.targets.get(),
                         base_year=2020, target_year=2035, reduction_percent=70, reduction_t_co2e=None,
                         scopes="1+2+3", neutral_by=None, comment="")
    journey.target(base_year=2021, target_year=2040, reduction_percent=None, reduction_t_co2e="999")
    services.organisation_update(organisation=org, actor=journey.member, name="Alpha Backstube AG",
                                 street="Neue Straße 9")
    AgreementVersion.objects.filter(pk=journey.version.pk).update(text_de="## § 1\nNachträglich geändert")


def test_signed_agreement_pdf_shows_the_signing_day_not_later_changes(journey, pdf_html):
    services.organisation_update(organisation=journey.org, actor=journey.member, street="Ostwall 1")
    journey.active()
    _change_everything_after_signing(journey)
    assert journey.org.targets.filter(archived_at__isnull=True).count() == 2  # the live data did change
    html = pdf_html(journey.member, journey.org)
    assert "50\u00a0%" in html and "Scope 1 und 2" in html
    assert "70\u00a0%" not in html and not _shows_999(html) and "Scope 1, 2 und 3" not in html
    assert "Alpha Bäckerei GmbH" in html and "Ostwall 1" in html
    assert "Alpha Backstube AG" not in html and "Neue Straße 9" not in html
    assert "Der Klimapartner" in html and "Nachträglich geändert" not in html
    assert "Anna Alpha" in html and "Inhaberin" in html and "gegengezeichnet am" in html


def test_draft_pdf_shows_live_data(journey, pdf_html):
    journey.talk()
    target = journey.target()
    agreement = journey.draft()
    assert "50\u00a0%" in pdf_html(journey.member, journey.org)
    services.target_save(organisation=journey.org, actor=journey.member, target=target, base_year=2020,
                         target_year=2035, reduction_percent=65, reduction_t_co2e=None, scopes="1+2",
                         neutral_by=None, comment="")
    journey.draft(signatory_name="Bea Alpha")
    html = pdf_html(journey.member, journey.org)
    assert "65\u00a0%" in html and "50\u00a0%" not in html and "Bea Alpha" in html
    assert "noch nicht gegengezeichnet" in html
    agreement.refresh_from_db()
    assert agreement.snapshot is None


def test_portal_shows_the_signed_targets_and_links_the_current_ones(journey, client_for):
    journey.active()
    _change_everything_after_signing(journey)
    page = client_for(journey.member).get(reverse("portal:agreement", args=[journey.org.pk])).content.decode()
    assert "Mit der Vereinbarung unterzeichnete Ziele" in page
    assert "−50\u00a0%" in page and "−70\u00a0%" not in page and not _shows_999(page)
    assert "Der Klimapartner" in page and "Nachträglich geändert" not in page
    assert reverse("portal:targets", args=[journey.org.pk]) in page


def test_snapshot_is_taken_at_countersignature_in_both_languages(journey):
    agreement = journey.active()
    snapshot = agreement.snapshot
    assert snapshot["source"] == "countersignature" and snapshot["countersigned_by"] == "office@krefeld.example"
    assert [t["reduction_percent"] for t in snapshot["targets"]] == ["50.00"]
    assert snapshot["baseline_report_due"] and snapshot["version"]["label"] == "2022-1"
    with translation.override("en"):
        assert "The partner" in documents.agreement_document(agreement, journey.version.pact).version.text


def test_snapshot_never_changes_but_the_agreement_may_end(journey):
    agreement = Agreement.objects.get(pk=journey.active().pk)
    agreement.snapshot["targets"] = []
    with pytest.raises(ValidationError):
        agreement.save()
    agreement = Agreement.objects.get(pk=agreement.pk)
    agreement.status = Agreement.Status.ENDED
    agreement.save()
    assert Agreement.objects.get(pk=agreement.pk).snapshot["targets"]


def test_migration_snapshots_agreements_signed_before_it_like_the_service(journey):
    migration = importlib.import_module("klimapakt.partners.migrations.0003_agreement_snapshot")
    agreement = journey.active()
    Agreement.objects.filter(pk=agreement.pk).update(snapshot=None)
    migration.snapshot_signed_agreements(apps, None)
    migrated = Agreement.objects.get(pk=agreement.pk).snapshot
    assert migrated["source"] == "migration"
    ignore = ("source", "taken_at", "countersigned_by_role")  # the role is recorded since migration 0009
    assert ({k: v for k, v in migrated.items() if k not in ignore}
            == {k: v for k, v in agreement.snapshot.items() if k not in ignore})
