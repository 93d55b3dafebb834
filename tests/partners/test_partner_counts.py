"""Home and directory count different things (every active partner; those who consented to be
listed): each says which, so "24" on the home page and "22 gefunden" in the directory agree."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(pact):
    from klimapakt.partners.models import Organisation

    for i, consent in enumerate([True, True, False]):
        Organisation.objects.create(name=f"Partner {i}", postal_code="47798", city="Krefeld",
                                    stage=Organisation.Stage.ACTIVE, listing_consent=consent,
                                    partner_since=datetime.date(2024, 1, 1))
    Organisation.objects.create(name="Interessent", postal_code="47798", city="Krefeld", listing_consent=True)


def test_home_counts_all_active_partners_and_says_how_many_are_listed(client, partners):
    html = client.get(reverse("core:home")).content.decode()
    assert 'id="active-partner-count">3<' in html
    assert "Davon sind 2 mit ihrer Einwilligung im" in html
    assert f'href="{reverse("partners:directory")}">Verzeichnis</a> aufgeführt.' in html


def test_directory_says_it_lists_those_who_consented_of_all_active(client, partners):
    html = client.get(reverse("partners:directory")).content.decode()
    assert "2 Klimapartner gefunden" in html
    assert "2 von 3 aktiven Klimapartnern sind hier mit ihrer Einwilligung aufgeführt." in html


def test_one_listed_partner_reads_in_the_singular(client, pact):
    from klimapakt.partners.models import Organisation

    Organisation.objects.create(name="Einzig", postal_code="47798", city="Krefeld", stage=Organisation.Stage.ACTIVE,
                                listing_consent=True, partner_since=datetime.date(2024, 1, 1))
    assert "1 von 1 aktiven Klimapartnern ist hier mit seiner Einwilligung aufgeführt." in client.get(
        reverse("partners:directory")).content.decode()
    assert "Davon ist 1 mit seiner Einwilligung" in client.get(reverse("core:home")).content.decode()
