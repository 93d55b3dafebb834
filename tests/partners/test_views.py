"""Pages of the partnership: portal forms, the staff actions, the public directory, the API,
documents; and what must never leak."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from klimapakt.partners.models import Agreement, Organisation, OrganisationDocument, OrganisationNote

S = Organisation.Stage


def png_bytes(size=(40, 20)):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def test_register_interest_form(world, client_for):
    client = client_for(world["users"]["member_b"])
    data = {"name": "Delta Café", "kind": "company", "legal_form": "GbR", "street": "Rheinstraße 5",
            "postal_code": "12345", "sector": "I", "employees": "4", "contact_name": "Dora",
            "contact_email": "dora@delta.example"}
    response = client.post(reverse("portal:organisation_create"), data)
    assert response.status_code == 200
    assert "nicht dazu" in response.content.decode()  # postal code outside the city, named at the field
    response = client.post(reverse("portal:organisation_create"), data | {"postal_code": "47799"})
    org = Organisation.objects.get(name="Delta Café")
    assert response.status_code == 302 and response.url == reverse("portal:organisation", args=[org.pk])
    assert org.stage == S.INTEREST and org.sector == "I"


def test_agreement_page_saves_a_draft_and_submits(journey, client_for):
    client = client_for(journey.member)
    url = reverse("portal:agreement", args=[journey.org.pk])
    page = client.get(url)
    assert "Der Klimapartner" in page.content.decode()  # the valid text version is shown
    data = {"signatory_name": "Anna Alpha", "signatory_role": "Inhaberin", "accepts_obligations": "on"}
    assert client.post(url, data | {"save": "1"}).status_code == 302
    assert Agreement.objects.get().status == Agreement.Status.DRAFT
    # Submitting before the talk is refused with a clear message
    response = client.post(url, data | {"submit": "1"})
    assert response.status_code == 200 and "Orientierungsgespräch" in response.content.decode()
    journey.talk()
    response = client.post(url, data | {"submit": "1"})
    assert "mindestens ein Reduktionsziel" in response.content.decode()
    target_url = reverse("portal:targets", args=[journey.org.pk])
    response = client.post(target_url, {"base_year": "2021", "target_year": "2035", "reduction_percent": "45",
                                        "scopes": "1+2"})
    assert response.status_code == 302
    response = client.post(url, data | {"submit": "1"})
    assert response.status_code == 302
    journey.org.refresh_from_db()
    assert journey.org.stage == S.AGREEMENT_SUBMITTED


def test_target_form_shows_validation_errors(journey, client_for):
    client = client_for(journey.member)
    response = client.post(reverse("portal:targets", args=[journey.org.pk]),
                           {"base_year": "2020", "target_year": "2050", "reduction_percent": "120", "scopes": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and "höchstens 2045" in body and "höchstens 100" in body


def test_non_admin_member_cannot_change_the_agreement(journey, client_for):
    from klimapakt.partners.models import Membership
    from tests.conftest import make_user

    colleague = make_user("carl@alpha.example")
    Membership.objects.create(organisation=journey.org, user=colleague, role=Membership.Role.MEMBER)
    client = client_for(colleague)
    assert client.get(reverse("portal:agreement", args=[journey.org.pk])).status_code == 200
    assert client.post(reverse("portal:agreement", args=[journey.org.pk]), {"save": "1"}).status_code == 403
    assert client.get(reverse("portal:profile", args=[journey.org.pk])).status_code == 403


def test_staff_journey_through_the_back_office(journey, client_for):
    office = client_for(journey.office)
    pk = journey.org.pk
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert office.post(reverse("backoffice:talk_plan", args=[pk]), {"scheduled_for": when,
                                                                   "notes": "nur intern"}).status_code == 302
    assert office.post(reverse("backoffice:talk_held", args=[pk]),
                       {"held_on": timezone.localdate().isoformat()}).status_code == 302
    journey.target()
    from klimapakt.partners import services

    services.agreement_submit(agreement=journey.draft(), actor=journey.member)
    page = office.get(reverse("backoffice:organisation", args=[pk])).content.decode()
    assert "Vereinbarung gegenzeichnen" in page and "nur intern" in page
    signature = {"name": "Petra Beispiel", "role": "Leitung der Geschäftsstelle", "confirm": "on"}
    assert office.post(reverse("backoffice:agreement_countersign", args=[pk]), signature).status_code == 302
    journey.org.refresh_from_db()
    assert journey.org.stage == S.ACTIVE
    # A second counter-signature is refused with a message, not an error page
    response = office.post(reverse("backoffice:agreement_countersign", args=[pk]), signature, follow=True)
    assert "Vereinbarung" in response.content.decode() and response.status_code == 200
    response = office.post(reverse("backoffice:partnership_pause", args=[pk]), {"reason": ""})
    assert response.status_code == 200  # reason is required: the form shows again
    assert office.post(reverse("backoffice:partnership_pause", args=[pk]), {"reason": "Umbau"}).status_code == 302
    journey.org.refresh_from_db()
    assert journey.org.stage == S.PAUSED


def test_pipeline_filters_and_overdue(journey, client_for, world):
    Organisation.objects.filter(pk=world["org_b"].pk).update(next_deadline=datetime.date(2020, 1, 1),
                                                             next_deadline_kind="arrange_talk")
    office = client_for(journey.office)
    body = office.get(reverse("backoffice:organisations") + "?overdue=1").content.decode()
    assert "Beta Metallbau KG" in body and "Alpha Bäckerei GmbH" not in body and "überfällig" in body
    response = office.get(reverse("backoffice:organisations") + "?sort=deadline")
    assert [o.name for o in response.context["page_obj"]][0] == "Beta Metallbau KG"
    body = office.get(reverse("backoffice:organisations") + "?q=alpha").content.decode()
    assert "Alpha Bäckerei GmbH" in body and "Beta Metallbau KG" not in body


def test_pipeline_exports(journey, client_for):
    from openpyxl import load_workbook

    office = client_for(journey.office)
    response = office.get(reverse("backoffice:organisations_export", args=["csv"]) + "?stage=interest")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["ID", "Name"] and {r[1] for r in rows[1:]} == {"Alpha Bäckerei GmbH", "Beta Metallbau KG"}
    response = office.get(reverse("backoffice:organisations_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3 and sheet.cell(1, 2).value == "Name"
    assert office.get(reverse("backoffice:organisations_export", args=["pdf"])).status_code == 404


def test_pipeline_exports_show_the_answer_to_the_proposed_talk_date(journey, world, client_for):
    from openpyxl import load_workbook

    from klimapakt.partners import services

    office = journey.office
    gamma = Organisation.objects.create(name="Gamma Druck GmbH")
    delta = Organisation.objects.create(name="Delta Verein e. V.")
    for org in (journey.org, world["org_b"], gamma, delta):
        services.talk_plan(organisation=org, actor=office, scheduled_for=timezone.now() + datetime.timedelta(days=5))
    services.talk_answer(organisation=journey.org, actor=journey.member, answer="declined",
                         message="Dienstags passt es besser;\nab 14 Uhr.")
    services.talk_answer(organisation=world["org_b"], actor=world["users"]["member_b"], answer="accepted")
    services.talk_mark_held(organisation=delta, actor=office, held_on=timezone.localdate())  # no talk planned now
    client = client_for(office)
    response = client.get(reverse("backoffice:organisations_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-2:] == ["Antwort zum Gesprächstermin", "Nachricht zum Gesprächstermin"]
    by_name = {r[1]: r[-2:] for r in rows[1:]}
    assert by_name == {"Alpha Bäckerei GmbH": ["Abgelehnt", "Dienstags passt es besser;\nab 14 Uhr."],
                       "Beta Metallbau KG": ["Zugesagt", ""], "Gamma Druck GmbH": ["Noch offen", ""],
                       "Delta Verein e. V.": ["", ""]}
    sheet = load_workbook(io.BytesIO(client.get(reverse("backoffice:organisations_export", args=["xlsx"])).content)
                          ).active
    xlsx = {r[1]: list(r[-2:]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert sheet.cell(1, sheet.max_column).value == "Nachricht zum Gesprächstermin"
    assert xlsx["Alpha Bäckerei GmbH"] == ["Abgelehnt", "Dienstags passt es besser;\nab 14 Uhr."]
    assert xlsx["Gamma Druck GmbH"][0] == "Noch offen" and xlsx["Delta Verein e. V."] == [None, None]


def test_agreement_versions_back_office(journey, client_for):
    office = client_for(journey.office)
    response = office.post(reverse("backoffice:agreement_version_create"), {
        "label": "2027-1", "title_de": "Vereinbarung", "valid_from": "2027-01-01", "text_de": "Neuer Text"})
    assert response.status_code == 302
    assert "2027-1" in office.get(reverse("backoffice:agreement_versions")).content.decode()
    journey.submitted()
    response = office.post(reverse("backoffice:agreement_version_edit", args=[journey.version.pk]), {
        "label": "2022-1", "title_de": "X", "valid_from": "2022-06-01", "text_de": "geändert"})
    assert response.status_code == 200 and "neue Fassung" in response.content.decode()


def test_directory_shows_only_active_consenting_partners(journey, client_for, world):
    journey.active()
    journey.org.refresh_from_db()
    Organisation.objects.create(name="Gamma Pausiert GmbH", stage=S.PAUSED, listing_consent=True,
                                partner_since=datetime.date(2024, 1, 1))
    Organisation.objects.create(name="Delta Ohne Einwilligung", stage=S.ACTIVE, listing_consent=False,
                                partner_since=datetime.date(2024, 1, 1))
    OrganisationNote.objects.create(organisation=journey.org, text="GEHEIME NOTIZ")
    client = client_for(None)
    body = client.get(reverse("partners:directory")).content.decode()
    assert "Alpha Bäckerei GmbH" in body
    for hidden in ("Gamma Pausiert", "Delta Ohne", "Beta Metallbau"):
        assert hidden not in body
    detail = client.get(reverse("partners:detail", args=[journey.org.pk])).content.decode()
    assert "GEHEIME NOTIZ" not in detail and "anna@alpha.example" not in detail and "Anna Alpha" not in detail
    assert "50\u00a0%" in detail
    api = client.get("/api/v1/partners").json()
    assert [p["name"] for p in api] == ["Alpha Bäckerei GmbH"]
    assert set(api[0]) == {"id", "name", "kind", "sector", "partner_since", "website", "targets", "latitude",
                           "longitude", "reports", "url"}
    assert api[0]["reports"] == []  # no accepted report published


def test_directory_filters_and_sorting(pact, client_for):
    def partner(name, since, **kw):
        return Organisation.objects.create(name=name, stage=S.ACTIVE, listing_consent=True, partner_since=since, **kw)

    a = partner("Aachener Demo", datetime.date(2023, 5, 1), sector="C", employees=5)
    b = partner("Bremer Demo", datetime.date(2025, 5, 1), sector="F", employees=300)
    from klimapakt.partners.models import Target

    Target.objects.create(organisation=b, base_year=2020, target_year=2035, reduction_percent=50, neutral_by=2035)
    client = client_for(None)
    url = reverse("partners:directory")

    def names(query):
        response = client.get(url + query)
        return [o.name for o in response.context["page_obj"]]

    assert names("") == ["Aachener Demo", "Bremer Demo"]
    assert names("?sort=since") == ["Bremer Demo", "Aachener Demo"]
    assert names("?sector=C") == ["Aachener Demo"]
    assert names("?size=large") == ["Bremer Demo"]
    assert names("?size=micro") == ["Aachener Demo"]
    assert names("?since=2023") == ["Aachener Demo"]
    assert names("?neutral=1") == ["Bremer Demo"]
    assert names("?q=brem") == ["Bremer Demo"]
    assert names("?sector=ZZ&size=huge&since=abc&sort=evil") == ["Aachener Demo", "Bremer Demo"]
    assert a.pk


def test_api_json_csv_and_caching(journey, client_for):
    journey.active()
    from klimapakt.partners import services

    services.profile_update(organisation=journey.org, actor=journey.member, latitude="51.33292",
                            longitude="6.56248", show_location=True)
    client = client_for(None)
    response = client.get("/api/v1/partners")
    assert response["Cache-Control"] == "public, max-age=300" and response["ETag"]
    item = response.json()[0]
    assert item["targets"] == [{"base_year": 2020, "target_year": 2035, "reduction_percent": "50",
                                "reduction_t_co2e": None, "scopes": "1+2", "neutral_by": None}]
    assert item["latitude"] == "51.33292" and item["longitude"] == "6.56248"
    assert client.get("/api/v1/partners", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    response = client.get("/api/v1/partners?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["name"] == "Alpha Bäckerei GmbH" and rows[0]["reduction_percent"] == "50"
    # A change of public data is visible at once (cache key follows the directory version)
    services.partnership_pause(organisation=journey.org, actor=journey.office, reason="Pause")


def test_api_hides_location_unless_public(journey, client_for):
    journey.active()
    Organisation.objects.filter(pk=journey.org.pk).update(latitude="51.3", longitude="6.5", show_location=False)
    item = client_for(None).get("/api/v1/partners").json()[0]
    assert item["latitude"] is None and item["longitude"] is None


def test_openapi_documents_the_partner_list(client_for, pact):
    spec = client_for(None).get("/api/v1/openapi.json").json()
    assert "/api/v1/partners" in spec["paths"]


def test_downloads_for_an_active_partner(journey, client_for):
    journey.active()
    client = client_for(journey.member)
    pk = journey.org.pk
    response = client.get(reverse("portal:agreement_pdf", args=[pk]))
    assert response.content[:5] == b"%PDF-" and "attachment" in response["Content-Disposition"]
    assert client.get(reverse("portal:certificate_pdf", args=[pk])).content[:5] == b"%PDF-"
    svg = client.get(reverse("portal:badge", args=[pk, "svg"])).content.decode()
    assert svg.startswith("<svg") and str(timezone.localdate().year) in svg
    png = client.get(reverse("portal:badge", args=[pk, "png"])).content
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (400, 400)
    page = client.get(reverse("portal:organisation", args=[pk])).content.decode()
    assert "embed-snippet" in page and reverse("partners:badge_public", args=[pk, "png"]) in page
    public = client_for(None).get(reverse("partners:badge_public", args=[pk, "png"]))
    assert public.status_code == 200 and public["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_certificate_only_for_active_partners(world, client_for):
    client = client_for(world["users"]["member_a"])
    assert client.get(reverse("portal:certificate_pdf", args=[world["org_a"].pk])).status_code == 404
    assert client.get(reverse("portal:badge", args=[world["org_a"].pk, "svg"])).status_code == 404


def test_profile_logo_is_checked(journey, client_for):
    client = client_for(journey.member)
    url = reverse("portal:profile", args=[journey.org.pk])
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(url, {"logo": fake, "description": "x"})
    assert response.status_code == 200 and "PNG, JPEG oder WebP" in response.content.decode()
    big = SimpleUploadedFile("logo.png", png_bytes() + b"0" * (2 * 1024 * 1024), content_type="image/png")
    response = client.post(url, {"logo": big})
    assert "zu groß" in response.content.decode()
    good = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = client.post(url, {"logo": good, "description": "Wir backen mit Ökostrom.", "listing_consent": "on",
                                 "latitude": "51.33", "longitude": "6.56", "show_location": "on"})
    assert response.status_code == 302
    journey.org.refresh_from_db()
    assert journey.org.logo.name.startswith("logos/") and journey.org.listing_consent


def test_documents_are_private(journey, client_for, world):
    from django.core.files.base import ContentFile

    from klimapakt.core.demo import minimal_pdf

    shared = OrganisationDocument(organisation=journey.org, title="Protokoll", shared_with_organisation=True)
    shared.file.save("p.pdf", ContentFile(minimal_pdf("P")), save=False)
    shared.save()
    url = reverse("portal:document", args=[journey.org.pk, shared.pk])
    assert client_for(journey.member).get(url).status_code == 200
    assert client_for(world["users"]["member_b"]).get(url).status_code == 403
    # Organisation B cannot reach A's document through its own organisation either
    url_b = reverse("portal:document", args=[world["org_b"].pk, shared.pk])
    assert client_for(world["users"]["member_b"]).get(url_b).status_code == 404
    page = client_for(journey.member).get(reverse("portal:organisation", args=[journey.org.pk])).content.decode()
    assert "Protokoll" in page


def test_staff_document_upload_checks_pdf(journey, client_for):
    office = client_for(journey.office)
    url = reverse("backoffice:organisation_document_add", args=[journey.org.pk])
    response = office.post(url, {"title": "Scan", "file": SimpleUploadedFile("x.pdf", b"not a pdf")})
    assert response.status_code == 200 and "kein PDF" in response.content.decode()
    from klimapakt.core.demo import minimal_pdf

    response = office.post(url, {"title": "Scan", "file": SimpleUploadedFile("x.pdf", minimal_pdf("S"))})
    assert response.status_code == 302 and OrganisationDocument.objects.get().title == "Scan"


def test_talk_notes_never_reach_the_organisation(journey, client_for):
    journey.talk()
    page = client_for(journey.member).get(reverse("portal:organisation", args=[journey.org.pk])).content.decode()
    assert "geheim" not in page


def test_unlisted_pages_are_404_for_everyone(world, client_for):
    from tests.authz.partners import EXTRA_CHECKS

    for name, setup, kwargs, _expect in EXTRA_CHECKS:
        context = dict(world) | setup(world)
        url = reverse(name, kwargs=kwargs(context))
        for role, user in world["users"].items():
            assert client_for(user).get(url).status_code == 404, (role, url)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_mail_templates_render_in_both_languages(lang, db):
    from pathlib import Path

    from klimapakt.core.mail import render_mail

    folder = Path(__file__).resolve().parents[2] / "klimapakt/partners/templates/partners/email"
    names = {p.name.rsplit("_", 1)[0] for p in folder.glob("*_subject.txt")}
    names = {n.removesuffix("_body") for n in names}
    assert len(names) >= 13
    context = {"organisation": "Alpha", "path": "/x/", "portal_path": "/y/", "date": "01.01.2030", "reason": "R",
               "comment": "C", "contact": "A", "email": "a@b.example", "signatory": "S", "signed_on": "01.01.2030",
               "pact": "Pakt", "inviter": "I", "location": "L", "days": 3,
               "talks": [{"organisation": "Alpha", "date": "01.01.2030", "location": "", "reminded": False,
                          "path": "/z/"}]}
    for name in names:
        subject, text, html = render_mail(f"partners/email/{name}", context, lang)
        assert subject and "Alpha" in text + subject and "<html" in html
    _ = json


def test_certificate_embeds_the_logo_and_the_badge(journey, client_for):
    journey.active()
    client = client_for(journey.member)
    pk = journey.org.pk
    without = client.get(reverse("portal:certificate_pdf", args=[pk])).content
    logo = SimpleUploadedFile("logo.png", png_bytes((200, 100)), content_type="image/png")
    client.post(reverse("portal:profile", args=[pk]), {"logo": logo})
    with_logo = client.get(reverse("portal:certificate_pdf", args=[pk])).content
    assert with_logo[:5] == b"%PDF-" and b"/Image" in with_logo and len(with_logo) > len(without)


def test_organisation_data_can_be_corrected_within_the_city(world, client_for):
    org = world["org_a"]
    client = client_for(world["users"]["member_a"])
    url = reverse("portal:organisation_edit", args=[org.pk])
    data = {"name": "Alpha Bäckerei GmbH", "kind": "company", "legal_form": "GmbH", "street": "Ostwall 2",
            "postal_code": "50667", "sector": "C", "employees": "9", "contact_name": "Anna",
            "contact_email": "anna@alpha.example"}
    response = client.post(url, data)
    assert response.status_code == 200 and "nicht dazu" in response.content.decode()
    assert client.post(url, data | {"postal_code": "47805"}).status_code == 302
    org.refresh_from_db()
    assert org.postal_code == "47805" and org.street == "Ostwall 2" and org.sector == "C"
    from klimapakt.core.models import AuditEntry

    assert AuditEntry.objects.get(action="partners.organisation.updated").data["changes"]["postal_code"] == [
        "47798", "47805"]


def _stored_document(org, title="Gesprächsprotokoll", shared=False):
    from django.core.files.base import ContentFile

    from klimapakt.core.demo import minimal_pdf

    document = OrganisationDocument(organisation=org, title=title, shared_with_organisation=shared)
    document.file.save("protokoll.pdf", ContentFile(minimal_pdf("P")), save=False)
    document.save()
    return document


def test_office_deletes_a_document_after_confirming(journey, client_for, django_capture_on_commit_callbacks):
    from klimapakt.core.models import AuditEntry

    document = _stored_document(journey.org, shared=True)
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    office = client_for(journey.office)
    url = reverse("backoffice:organisation_document_delete", args=[journey.org.pk, document.pk])
    staff_page = office.get(reverse("backoffice:organisation", args=[journey.org.pk])).content.decode()
    assert url in staff_page
    confirm = office.get(url)
    assert confirm.status_code == 200 and "Gesprächsprotokoll" in confirm.content.decode()
    assert OrganisationDocument.objects.filter(pk=document.pk).exists()  # a GET only asks
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("backoffice:organisation", args=[journey.org.pk])
    assert "Das Dokument „Gesprächsprotokoll“ wurde gelöscht." in response.content.decode()
    assert not OrganisationDocument.objects.filter(pk=document.pk).exists()
    assert not storage.exists(name)
    entry = AuditEntry.objects.get(action="partners.document.deleted")
    assert entry.object_id == str(journey.org.pk) and entry.actor == journey.office
    assert entry.data["title"] == "Gesprächsprotokoll" and entry.data["file"] == name
    # The organisation no longer sees it
    page = client_for(journey.member).get(reverse("portal:organisation", args=[journey.org.pk])).content.decode()
    assert "Gesprächsprotokoll" not in page


def test_only_the_office_may_delete_a_document(journey, client_for, world):
    document = _stored_document(journey.org, shared=True)
    url = reverse("backoffice:organisation_document_delete", args=[journey.org.pk, document.pk])
    for role in ("anonymous", "member_a", "member_b", "advisor"):
        response = client_for(world["users"][role]).post(url)
        assert response.status_code in (302, 403), role
        if response.status_code == 302:
            assert "/konto/login/" in response["Location"], role
    assert OrganisationDocument.objects.filter(pk=document.pk).exists()
    assert document.file.storage.exists(document.file.name)
    # Another organisation's document cannot be reached through this organisation's URL
    other = _stored_document(world["org_b"], title="Fremd")
    wrong = reverse("backoffice:organisation_document_delete", args=[journey.org.pk, other.pk])
    assert client_for(journey.office).post(wrong).status_code == 404
    assert OrganisationDocument.objects.filter(pk=other.pk).exists()


def test_english_success_message_for_a_deleted_document(journey, client_for):
    document = _stored_document(journey.org, title="Scan")
    office = client_for(journey.office)
    with translation.override("en"):
        url = reverse("backoffice:organisation_document_delete", args=[journey.org.pk, document.pk])
    response = office.post(url, follow=True)
    assert "The document “Scan” has been deleted." in response.content.decode()


def _propose_talk(journey, days=4):
    from klimapakt.partners import services

    return services.talk_plan(organisation=journey.org, actor=journey.office, location="Rathaus, Raum 212",
                              scheduled_for=timezone.now() + datetime.timedelta(days=days))


def test_organisation_sees_the_proposed_date_and_declines_it_with_other_times(journey, client_for,
                                                                                django_capture_on_commit_callbacks):
    from django.core import mail

    from klimapakt.partners.models import OrientationTalk

    _propose_talk(journey)
    member = client_for(journey.member)
    pk = journey.org.pk
    answer_url = reverse("portal:talk_answer", args=[pk])
    dashboard = member.get(reverse("portal:dashboard")).content.decode()
    assert "Terminvorschlag für das Orientierungsgespräch" in dashboard and answer_url in dashboard
    page = member.get(reverse("portal:organisation", args=[pk])).content.decode()
    assert "Die Geschäftsstelle schlägt für Ihr Orientierungsgespräch diesen Termin vor" in page
    assert f'action="{answer_url}"' in page and 'for="talk_message"' in page and "Ihre Antwort" in page
    # No choice made: the form comes back with a message naming the field, nothing is saved.
    response = member.post(answer_url, {"message": "Hallo"})
    body = response.content.decode()
    assert response.status_code == 200 and "Wählen Sie, ob Sie den Termin zusagen oder ablehnen." in body
    assert 'id="talk_answer-error"' in body and "Hallo" in body
    assert 'href="#talk_answer_0"' in body and 'id="talk_answer_0"' in body  # the summary leads to the choice
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(answer_url, {"answer": "declined", "message": "Lieber donnerstags ab 10 Uhr."},
                               follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:organisation", args=[pk])
    body = response.content.decode()
    assert "Sie haben den Termin abgelehnt. Die Geschäftsstelle ist informiert" in body
    assert "Lieber donnerstags ab 10 Uhr." in body and f'href="{answer_url}"' in body  # change the answer
    talk = OrientationTalk.objects.get(organisation=journey.org)
    assert talk.answer == "declined" and talk.answered_by == journey.member
    assert [m.to for m in mail.outbox] == [["klimapakt@krefeld.de"]]
    # The office sees the answer on the staff page and in the pipeline.
    office = client_for(journey.office)
    staff = office.get(reverse("backoffice:organisation", args=[pk])).content.decode()
    assert 'id="open-talk-answer"' in staff and "Antwort der Organisation: Abgelehnt" in staff
    assert "Lieber donnerstags ab 10 Uhr." in staff
    pipeline = office.get(reverse("backoffice:organisations") + "?stage=talk_planned").content.decode()
    assert "Termin abgelehnt" in pipeline
    # Accepting afterwards works from the answer page.
    response = member.post(answer_url, {"answer": "accepted"}, follow=True)
    assert "Vielen Dank, Sie haben den Termin zugesagt." in response.content.decode()
    assert "Termin zugesagt" in office.get(reverse("backoffice:organisations")).content.decode()


def test_pipeline_shows_an_unanswered_proposal(journey, client_for):
    _propose_talk(journey)
    pipeline = client_for(journey.office).get(reverse("backoffice:organisations")).content.decode()
    assert "Termin vorgeschlagen, Antwort offen" in pipeline


def test_every_member_may_answer_but_not_other_roles(journey, client_for, world):
    from klimapakt.partners.models import Membership, OrientationTalk
    from tests.conftest import make_user

    _propose_talk(journey)
    url = reverse("portal:talk_answer", args=[journey.org.pk])
    for role in ("member_b", "advisor", "office"):
        assert client_for(world["users"][role]).post(url, {"answer": "accepted"}).status_code == 403, role
    anonymous = client_for(None).post(url, {"answer": "accepted"})
    assert anonymous.status_code == 302 and "/konto/login/" in anonymous["Location"]
    assert OrientationTalk.objects.get().answer == "proposed"
    # The office's own staff page offers no answer form of the organisation's.
    page = client_for(journey.office).get(reverse("portal:organisation", args=[journey.org.pk])).content.decode()
    assert 'for="talk_message"' not in page
    colleague = make_user("carla@alpha.example")
    Membership.objects.create(organisation=journey.org, user=colleague, role=Membership.Role.MEMBER)
    assert client_for(colleague).post(url, {"answer": "accepted"}).status_code == 302
    assert OrientationTalk.objects.get().answer == "accepted"


def test_answer_page_without_a_proposal_or_for_a_past_date(journey, client_for):
    from klimapakt.partners.models import OrientationTalk

    member = client_for(journey.member)
    url = reverse("portal:talk_answer", args=[journey.org.pk])
    page = member.get(url).content.decode()
    assert 'id="no-talk"' in page and "<form" not in page.split('id="no-talk"')[0].split("<h1")[1]
    response = member.post(url, {"answer": "accepted"})
    assert response.status_code == 200 and "keinen Termin" in response.content.decode()
    talk = _propose_talk(journey)
    OrientationTalk.objects.filter(pk=talk.pk).update(scheduled_for=timezone.now() - datetime.timedelta(hours=2))
    page = member.get(url).content.decode()
    assert 'id="talk-past"' in page and 'name="answer"' not in page
    overview = member.get(reverse("portal:organisation", args=[journey.org.pk])).content.decode()
    assert 'name="answer"' not in overview


def test_talk_answer_page_in_english(journey, client_for):
    _propose_talk(journey)
    with translation.override("en"):
        url = reverse("portal:talk_answer", args=[journey.org.pk])
    member = client_for(journey.member)
    page = member.get(url).content.decode()
    assert "Your answer" in page and "Message to the pact office" in page
    response = member.post(url, {"answer": "declined"}, follow=True)
    assert "You have declined the date." in response.content.decode()
