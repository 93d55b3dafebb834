"""A file the database names but the storage lacks (media not restored after a backup, a bucket
object deleted) gives a page that says so, 404, in the site's layout: never a 500, and not the
"check the address" text of an unknown page (docs/operations.md, "Backup and restore")."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from klimapakt.core.demo import minimal_pdf
from klimapakt.ghg import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix, heading", [("", "Datei nicht vorhanden"), ("/en", None)])
def test_a_bill_missing_in_the_storage_gets_a_clear_404_page(world, client_for, caplog, prefix, heading):
    org, member = world["org_a"], world["users"]["member_a"]
    bill = SimpleUploadedFile("rechnung.pdf", minimal_pdf("Rechnung"), content_type="application/pdf")
    activity = services.activity_create(organisation=org, year=2024, carrier="electricity", quantity="1000",
                                        unit="kWh", actor=member, attachment=bill)
    url = f"{prefix}/mein-bereich/organisation/{org.pk}/co2-bilanz/zeile/{activity.pk}/beleg/"
    client = client_for(member)
    assert client.get(url).status_code == 200
    activity.attachment.storage.delete(activity.attachment.name)

    with caplog.at_level(logging.ERROR, logger="klimapakt.core.responses"):
        response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="kp-header"' in html          # the site's layout, not a bare error
    if heading:
        assert heading in html and "wenden Sie sich an die Geschäftsstelle" in html
    assert "Seite nicht gefunden" not in html
    assert activity.attachment.name in caplog.text  # the operators learn which file is gone


def test_an_unknown_download_stays_the_ordinary_404(world, client_for):
    org, member = world["org_a"], world["users"]["member_a"]
    activity = services.activity_create(organisation=org, year=2024, carrier="electricity", quantity="1",
                                        unit="kWh", actor=member)
    response = client_for(member).get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/zeile/{activity.pk}/beleg/")
    assert response.status_code == 404 and "Seite nicht gefunden" in response.content.decode()
