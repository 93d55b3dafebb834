"""The public partner page shows "Fortschritt" only above published report figures: a partner
without them showed an empty "Fortschritt" heading (or one above nothing but its measures)."""

import re

from django.urls import reverse

from klimapakt.reports import services


def _headings(html):
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]


def test_no_progress_heading_without_published_figures(partner, client):
    html = client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert "Fortschritt" not in _headings(html) and 'id="progress-heading"' not in html


def test_public_measures_alone_get_their_own_heading(partner, member, client):
    services.measure_save(organisation=partner, actor=member, title="Photovoltaik auf dem Dach",
                          category="generation", status="planned", is_public=True)
    html = client.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    headings = _headings(html)
    assert "Maßnahmen" in headings and "Fortschritt" not in headings
    assert "Photovoltaik auf dem Dach" in html
