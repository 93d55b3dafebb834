"""Deleting a balance row takes two steps: GET asks (naming the row), POST deletes."""

import pytest
from django.urls import reverse

from klimapakt.ghg.models import ActivityLine
from klimapakt.ghg.services import activity_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(world):
    return activity_create(organisation=world["org_a"], year=2023, carrier="diesel", quantity="1000", unit="l",
                           actor=world["users"]["member_a"])


def test_get_asks_before_deleting_and_keeps_the_row(world, line, client_for):
    client = client_for(world["users"]["member_a"])
    url = reverse("ghg:activity_delete", args=[world["org_a"].pk, line.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Möchten Sie die Zeile „Diesel (B7), 1.000\u00a0Liter“" in html and "aus der Bilanz 2023 löschen?" in html
    assert f'action="{url}"' in html or '<form method="post"' in html
    assert "Zeile endgültig löschen" in html and "Abbrechen" in html
    assert ActivityLine.objects.filter(pk=line.pk).exists()


def test_balance_page_links_to_the_question_instead_of_deleting_on_one_click(world, line, client_for):
    html = client_for(world["users"]["member_a"]).get(
        reverse("ghg:balance_year", args=[world["org_a"].pk, 2023])).content.decode()
    url = reverse("ghg:activity_delete", args=[world["org_a"].pk, line.pk])
    assert f'<a class="kern-link" href="{url}">' in html
    assert f'action="{url}"' not in html


def test_post_deletes(world, line, client_for):
    client = client_for(world["users"]["member_a"])
    response = client.post(reverse("ghg:activity_delete", args=[world["org_a"].pk, line.pk]))
    assert response.status_code == 302
    assert not ActivityLine.objects.filter(pk=line.pk).exists()
