"""The measure form's "Vorlage aus dem Katalog" works without JavaScript: a GET form above the
measure form reloads it prefilled from the chosen catalogue entry (it did nothing before: the
choice sat inside the measure form and only changed a stored link)."""

import re

import pytest
from django.urls import reverse

from klimapakt.reports.models import Measure, MeasureTemplate


@pytest.fixture
def led(db):
    return MeasureTemplate.objects.create(title_de="LED-Beleuchtung", title_en="LED lighting",
                                          description_de="Leuchtstoffröhren durch LED ersetzen.",
                                          category="efficiency", carrier="electricity")


def test_the_form_offers_the_catalogue_in_a_get_form_of_its_own(partner, member, led, client_for):
    html = client_for(member).get(reverse("reports:measure_create", args=[partner.pk])).content.decode()
    pick = re.search(r'<form method="get"[^>]*id="template-pick".*?</form>', html, re.S).group(0)
    assert 'name="vorlage"' in pick and f'<option value="{led.pk}">LED-Beleuchtung</option>' in pick
    assert "Vorlage übernehmen" in pick
    main = re.search(r'<form method="post"[^>]*id="measure-form".*?</form>', html, re.S).group(0)
    assert 'name="vorlage"' not in main and '<select name="template"' not in main


def test_choosing_a_template_prefills_the_form(partner, member, led, client_for):
    url = reverse("reports:measure_create", args=[partner.pk])
    html = client_for(member).get(url, {"vorlage": led.pk}).content.decode()
    main = re.search(r'<form method="post"[^>]*id="measure-form".*?</form>', html, re.S).group(0)
    assert 'name="title" value="LED-Beleuchtung"' in main
    assert "Leuchtstoffröhren durch LED ersetzen.</textarea>" in main
    assert re.search(r'<option value="efficiency" selected>', main)
    assert re.search(r'name="carrier_1"[^>]*>.*?<option value="electricity" selected>', main, re.S)
    assert f'<input type="hidden" name="template" value="{led.pk}"' in main
    assert f'<option value="{led.pk}" selected>' in html  # the picker shows the choice


def test_the_measure_keeps_its_template(partner, member, led, client_for):
    response = client_for(member).post(reverse("reports:measure_create", args=[partner.pk]), {
        "template": led.pk, "title": "LED in Halle 2", "category": "efficiency", "status": "planned"})
    assert response.status_code == 302
    assert Measure.objects.get().template == led


def test_editing_names_the_template_without_the_picker(partner, member, led, client_for):
    from klimapakt.reports import services

    measure = services.measure_save(organisation=partner, actor=member, title="LED", category="efficiency",
                                    status="planned", template=led)
    led.is_active = False  # taken out of the catalogue later: the measure still saves
    led.save()
    client = client_for(member)
    url = reverse("reports:measure_edit", args=[partner.pk, measure.pk])
    html = client.get(url).content.decode()
    assert 'id="template-pick"' not in html and "Begonnen mit der Vorlage „LED-Beleuchtung“" in html
    response = client.post(url, {"template": led.pk, "title": "LED neu", "category": "efficiency",
                                 "status": "planned"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "LED neu" and measure.template == led
