"""Deleting a measure takes two steps: GET asks (naming the measure), POST deletes."""

from django.urls import reverse

from klimapakt.reports import services
from klimapakt.reports.models import Measure


def _measure(partner, member):
    return services.measure_save(organisation=partner, actor=member, title="LED-Beleuchtung in Halle 2",
                                 category="efficiency", status="planned")


def test_get_asks_before_deleting_and_keeps_the_measure(partner, member, client_for):
    measure = _measure(partner, member)
    client = client_for(member)
    response = client.get(reverse("reports:measure_delete", args=[partner.pk, measure.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Möchten Sie die Maßnahme „LED-Beleuchtung in Halle 2“ löschen?" in html
    assert "Maßnahme endgültig löschen" in html
    assert Measure.objects.filter(pk=measure.pk).exists()
    listing = client.get(reverse("reports:measures", args=[partner.pk])).content.decode()
    url = reverse("reports:measure_delete", args=[partner.pk, measure.pk])
    assert f'href="{url}"' in listing and f'action="{url}"' not in listing


def test_post_deletes(partner, member, client_for):
    measure = _measure(partner, member)
    response = client_for(member).post(reverse("reports:measure_delete", args=[partner.pk, measure.pk]))
    assert response.status_code == 302 and not Measure.objects.filter(pk=measure.pk).exists()
