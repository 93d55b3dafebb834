"""Counter-signing takes a deliberate step: GET shows the confirmation with the signing
officer's name and role, POST without the confirmation is refused, and the agreement PDF
names who signed for the pact and in which role."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from klimapakt.partners import documents
from klimapakt.partners.models import Organisation

S = Organisation.Stage


@pytest.fixture
def submitted(journey):
    journey.office.first_name, journey.office.last_name = "Olga", "Office"
    journey.office.save()
    journey.submitted()
    return journey


def test_get_shows_the_confirmation_and_changes_nothing(submitted, client_for):
    response = client_for(submitted.office).get(reverse("backoffice:agreement_countersign", args=[submitted.org.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="confirm"' in html and 'name="role"' in html
    assert 'value="Olga Office"' in html  # the signing officer defaults to the user
    assert "Vereinbarung gegenzeichnen" in html
    submitted.org.refresh_from_db()
    assert submitted.org.stage == S.AGREEMENT_SUBMITTED


def test_the_office_page_asks_for_the_confirmation_before_counter_signing(submitted, client_for):
    html = client_for(submitted.office).get(reverse("backoffice:organisation", args=[submitted.org.pk])).content.decode()
    form = html[html.index('aria-labelledby="countersign-heading"'):]
    form = form[:form.index("</form>")]
    assert 'type="checkbox"' in form and 'name="confirm"' in form and 'value="Olga Office"' in form


@pytest.mark.parametrize("data", [{}, {"name": "Olga Office", "role": "Leitung der Geschäftsstelle"},
                                  {"name": "", "role": "Leitung", "confirm": "on"}])
def test_post_without_confirmation_or_name_is_refused(submitted, client_for, data):
    response = client_for(submitted.office).post(reverse("backoffice:agreement_countersign", args=[submitted.org.pk]),
                                                 data)
    assert response.status_code == 200 and 'id="form-error-summary"' in response.content.decode()
    submitted.org.refresh_from_db()
    assert submitted.org.stage == S.AGREEMENT_SUBMITTED


def test_counter_signature_records_name_and_role_and_the_pdf_prints_them(submitted, client_for, monkeypatch):
    office = client_for(submitted.office)
    response = office.post(reverse("backoffice:agreement_countersign", args=[submitted.org.pk]), {
        "name": "Petra Beispiel", "role": "Leitung der Geschäftsstelle", "confirm": "on"})
    assert response.status_code == 302
    submitted.org.refresh_from_db()
    assert submitted.org.stage == S.ACTIVE
    agreement = submitted.org.agreements.get()
    assert (agreement.countersigned_by_name, agreement.countersigned_by_role) == (
        "Petra Beispiel", "Leitung der Geschäftsstelle")
    assert agreement.countersigned_by == submitted.office
    assert agreement.snapshot["countersigned_by"] == "Petra Beispiel"

    monkeypatch.setattr(documents, "render_pdf", lambda template, context: render_to_string(template, context).encode())
    html = client_for(submitted.member).get(reverse("portal:agreement_pdf", args=[submitted.org.pk])).content.decode()
    assert "<strong>Petra Beispiel</strong>, Leitung der Geschäftsstelle" in html


def test_a_snapshot_without_a_role_still_prints(submitted):
    """Agreements signed before the role was recorded have no role in their snapshot."""
    from klimapakt.partners import services

    agreement = services.agreement_countersign(agreement=submitted.org.agreements.get(), actor=submitted.office)
    assert agreement.countersigned_by_name == "Olga Office"  # the actor's name by default
    data = dict(agreement.snapshot)
    data.pop("countersigned_by_role")
    agreement.snapshot = data  # not saved: the snapshot is immutable
    doc = documents.agreement_document(agreement, submitted.version.pact)
    assert doc.countersigned_by == "Olga Office" and doc.countersigned_by_role == ""
