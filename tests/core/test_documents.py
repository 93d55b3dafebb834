import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klimapakt.core.demo import minimal_pdf
from klimapakt.core.models import AuditEntry, Document

pytestmark = pytest.mark.django_db


def _upload(client, **overrides):
    data = {"title_de": "Entwurf Rahmenvereinbarung", "title_en": "", "dated_on": "2022-06-01",
            "description_de": "Zur Vorlage im Rat.", "description_en": "", "is_public": "on",
            "file": SimpleUploadedFile("rahmen.pdf", minimal_pdf("Rahmen"), content_type="application/pdf")}
    data.update(overrides)
    return client.post(reverse("backoffice:document_create"), data)


def test_office_uploads_a_pdf_and_the_public_downloads_it(world, client_for, client):
    office = client_for(world["users"]["office"])
    response = _upload(office)
    assert response.status_code == 302
    document = Document.objects.get()
    assert AuditEntry.objects.filter(action="core.document.created", object_id=str(document.pk)).exists()
    listing = client.get(reverse("core:documents")).content.decode()
    assert "Entwurf Rahmenvereinbarung" in listing and "1. Juni 2022" in listing
    download = client.get(reverse("core:document_download", args=[document.pk, document.filename]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_file_that_is_not_a_pdf_is_refused_with_a_message_and_nothing_is_written(world, client_for):
    office = client_for(world["users"]["office"])
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _upload(office, file=fake)
    assert response.status_code == 200
    assert "Die Datei ist kein PDF-Dokument." in response.content.decode()
    assert not Document.objects.exists() and not AuditEntry.objects.exists()


def test_wrong_extension_and_missing_title_name_the_fields(world, client_for):
    office = client_for(world["users"]["office"])
    response = _upload(office, title_de="", file=SimpleUploadedFile("a.exe", minimal_pdf("x")))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title_de-error"' in html and 'id="id_file-error"' in html
    assert not Document.objects.exists()


def test_oversized_upload_is_refused(world, client_for, settings):
    settings.KLIMAPAKT_MAX_UPLOAD_BYTES = 100
    response = _upload(client_for(world["users"]["office"]))
    assert "zu groß" in response.content.decode()
    assert not Document.objects.exists()


def test_non_public_documents_are_not_listed(client, pact):
    doc = Document(pact=pact, title_de="Intern", dated_on=datetime.date(2022, 1, 1), is_public=False)
    doc.file.save("intern.pdf", SimpleUploadedFile("intern.pdf", minimal_pdf("x")), save=False)
    doc.save()
    assert "Intern" not in client.get(reverse("core:documents")).content.decode()


def test_office_deletes_a_document(world, client_for):
    office = client_for(world["users"]["office"])
    _upload(office)
    document = Document.objects.get()
    office.post(reverse("backoffice:document_delete", args=[document.pk]))
    assert not Document.objects.exists()
    assert AuditEntry.objects.filter(action="core.document.deleted").exists()


def test_a_document_missing_on_disk_leaves_the_page_working_and_its_download_is_a_german_404(
        world, client_for, client, caplog):
    """After restoring the database without the media, /dokumente/ answered 500."""
    office = client_for(world["users"]["office"])
    _upload(office)
    document = Document.objects.get()
    document.file.storage.delete(document.file.name)
    listing = client.get(reverse("core:documents"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Entwurf Rahmenvereinbarung" in html and "zurzeit nicht verfügbar" in html
    download = client.get(reverse("core:document_download", args=[document.pk, document.filename]))
    assert download.status_code == 404 and "Seite nicht gefunden" in download.content.decode()
    assert "missing in the storage" in caplog.text


def test_a_partner_logo_missing_on_disk_leaves_the_public_pages_working(world, client_for, client):
    from django.core.files.base import ContentFile

    from klimapakt.partners.models import Organisation

    org = world["org_a"]
    Organisation.objects.filter(pk=org.pk).update(listing_consent=True)
    org.refresh_from_db()
    org.logo.save("weg.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    org.logo.storage.delete(org.logo.name)
    assert client.get("/media/" + org.logo.name).status_code == 404
    for url in (reverse("core:home"), reverse("core:documents"), "/klimapartner/", "/klimapartner/karte/",
                f"/klimapartner/{org.pk}/"):
        assert client.get(url).status_code in (200, 404), url  # 404: the detail of a partner not yet listed
