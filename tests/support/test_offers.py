"""Offers: the services (who may change which offer, the rules of an offer), the public
catalogue with its filters, an offer's page and the back office's pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from klimapakt.core.models import AuditEntry
from klimapakt.support.models import Offer, SupportRequest
from klimapakt.support.services import offers as services

pytestmark = pytest.mark.django_db


def partner(pact, short_name):
    return pact.initial_partners.get(short_name=short_name)


def make_offer(pact, short_name="IHK", **fields):
    values = {"kind": Offer.Kind.FIRST_ADVICE, "title_de": "Erstberatung Energie", "summary_de": "Ein Gespräch.",
              "contact_email": "beratung@ihk.example", "languages": ["de"]} | fields
    return services.offer_create(pact=pact, actor=None, institution=partner(pact, short_name), **values)


# --- services ------------------------------------------------------------------------------------

def test_advisor_creates_and_changes_offers_of_their_institution_only(world):
    pact, advisor = world["pact"], world["users"]["advisor"]
    own = services.offer_create(pact=pact, actor=advisor, institution=partner(pact, "IHK"), kind="funding",
                                title_de="Förderlotse", summary_de="Wir finden Programme.",
                                contact_phone="02151 1", languages=["de", "en"], size_classes=["small"])
    assert own.languages == ",de,en," and own.size_classes == ",small,"
    services.offer_update(offer=own, actor=advisor, title_de="Förderlotse der IHK")
    entry = AuditEntry.objects.filter(action="support.offer.changed").latest("pk")
    assert entry.data["fields"] == ["Titel (deutsch)"]

    other = make_offer(pact, "HWK", title_de="Vor-Ort-Check")
    with pytest.raises(PermissionDenied):
        services.offer_update(offer=other, actor=advisor, title_de="Übernommen")
    with pytest.raises(PermissionDenied):
        services.offer_delete(offer=other, actor=advisor)
    with pytest.raises(PermissionDenied):
        services.offer_create(pact=pact, actor=advisor, institution=partner(pact, "HWK"), kind="other",
                              title_de="Fremd", summary_de="x", contact_email="a@b.example")
    with pytest.raises(PermissionDenied):  # only the office moves an offer to another institution
        services.offer_update(offer=own, actor=advisor, institution=partner(pact, "WFG"))
    assert Offer.objects.get(pk=other.pk).title_de == "Vor-Ort-Check"


def test_office_changes_every_offer_and_moves_it(world):
    pact, office = world["pact"], world["users"]["office"]
    offer = make_offer(pact, "HWK")
    services.offer_update(offer=offer, actor=office, institution=partner(pact, "KH"), is_published=False)
    offer.refresh_from_db()
    assert offer.institution.short_name == "KH" and not offer.is_published


@pytest.mark.parametrize("fields, field", [
    ({"is_free": False, "price_de": ""}, "price_de"),
    ({"contact_email": "", "contact_phone": ""}, "contact_email"),
    ({"languages": []}, "languages"),
    ({"languages": ["xx"]}, "languages"),
    ({"sectors": ["Z"]}, "sectors"),
    ({"size_classes": ["huge"]}, "size_classes"),
    ({"title_de": ""}, "title_de"),
    ({"title_de": "Zwei\nZeilen"}, "title_de"),
    ({"kind": "unknown"}, "kind"),
])
def test_offer_rules(pact, fields, field):
    with pytest.raises(ValidationError) as error:
        make_offer(pact, **fields)
    assert field in error.value.message_dict
    assert not Offer.objects.exists()


def test_a_price_when_not_free(pact):
    offer = make_offer(pact, is_free=False, price_de="50 Euro Eigenanteil")
    assert not offer.is_free and offer.price == "50 Euro Eigenanteil"


def test_deleting_an_offer_keeps_its_requests(world):
    pact = world["pact"]
    offer = make_offer(pact)
    support_request = SupportRequest.objects.create(organisation=world["org_a"], offer=offer,
                                                    institution=offer.institution, description="Hilfe", topics=",heat,")
    assert services.offer_delete(offer=offer, actor=world["users"]["office"]) == 1
    support_request.refresh_from_db()
    assert support_request.offer is None and support_request.institution.short_name == "IHK"
    entry = AuditEntry.objects.get(action="support.offer.deleted")
    assert entry.data == {"title": "Erstberatung Energie", "institution": offer.institution.name, "count": 1}


# --- public catalogue --------------------------------------------------------------------------

@pytest.fixture
def catalogue(pact):
    return {
        "ihk": make_offer(pact, "IHK", title_de="Erstberatung Energieeffizienz", size_classes=["micro", "small"]),
        "hwk": make_offer(pact, "HWK", kind="site_check", title_de="Vor-Ort-Check", sectors=["F"], is_free=False,
                          price_de="100 Euro"),
        "wfg": make_offer(pact, "WFG", kind="funding", title_de="Fördermittellotse", title_en="Funding pilot"),
        "hidden": make_offer(pact, "WFG", title_de="Noch in Arbeit", is_published=False),
    }


def titles(client, query=""):
    response = client.get(reverse("support:offers") + query)
    assert response.status_code == 200
    return [o.title_de for o in response.context["offers"]]


def test_catalogue_lists_published_offers_with_filters(client, catalogue, pact):
    assert titles(client) == ["Erstberatung Energieeffizienz", "Vor-Ort-Check", "Fördermittellotse"]
    assert titles(client, "?art=funding") == ["Fördermittellotse"]
    assert titles(client, f"?einrichtung={partner(pact, 'HWK').pk}") == ["Vor-Ort-Check"]
    # An offer without size classes (sectors) is for every size (sector).
    assert titles(client, "?groesse=large") == ["Vor-Ort-Check", "Fördermittellotse"]
    assert titles(client, "?groesse=small") == ["Erstberatung Energieeffizienz", "Vor-Ort-Check", "Fördermittellotse"]
    assert titles(client, "?branche=C") == ["Erstberatung Energieeffizienz", "Fördermittellotse"]
    assert titles(client, "?kostenfrei=1") == ["Erstberatung Energieeffizienz", "Fördermittellotse"]
    assert titles(client, "?art=funding&branche=F&groesse=micro&kostenfrei=1") == ["Fördermittellotse"]
    # Unknown values are ignored, not errors.
    assert len(titles(client, "?art=evil&einrichtung=99999&groesse=huge&branche=ZZ&kostenfrei=x")) == 3
    html = client.get(reverse("support:offers")).content.decode()
    assert "Initialpartner" in html and "Noch in Arbeit" not in html


def test_catalogue_in_english(client, catalogue):
    html = client.get("/en/unterstuetzung/").content.decode()
    assert "Funding pilot" in html and "Vor-Ort-Check" in html  # German where no English text exists


def test_catalogue_is_in_the_main_navigation(client, pact):
    html = client.get("/").content.decode()
    assert 'href="/unterstuetzung/"' in html


def test_offer_page(client, catalogue, pact):
    import datetime

    from django.utils import timezone

    from klimapakt.events.models import Event

    start = timezone.now() + datetime.timedelta(days=7)
    event = Event.objects.create(pact=pact, title_de="Energie-Stammtisch", starts_at=start, status="published",
                                 ends_at=start + datetime.timedelta(hours=2))
    event.organisers.set([partner(pact, "IHK")])
    other = Event.objects.create(pact=pact, title_de="Nur die Stadt", starts_at=start, status="published",
                                 ends_at=start + datetime.timedelta(hours=2))
    other.organisers.set([partner(pact, "Stadt")])
    response = client.get(reverse("support:offer", args=[catalogue["ihk"].pk]))
    html = response.content.decode()
    assert "Erstberatung Energieeffizienz" in html and partner(pact, "IHK").name in html
    assert "Energie-Stammtisch" in html and "Nur die Stadt" not in html
    # Anonymous: how to ask (an account of a registered organisation), login and joining.
    assert reverse("account_login") in html and reverse("partners:join") in html
    assert "/mein-bereich/" not in html


def test_unpublished_offer_is_404_publicly_but_a_preview_for_who_may_change_it(client_for, catalogue, world):
    url = reverse("support:offer", args=[catalogue["hidden"].pk])
    assert client_for(None).get(url).status_code == 404
    assert client_for(world["users"]["member_a"]).get(url).status_code == 404
    assert client_for(world["users"]["advisor"]).get(url).status_code == 404  # IHK, the offer is WFG's
    response = client_for(world["users"]["office"]).get(url)
    assert response.status_code == 200 and "Nicht veröffentlicht" in response.content.decode()


def test_members_get_one_request_link_per_organisation(client_for, catalogue, world):
    from klimapakt.partners.models import Membership

    member = world["users"]["member_a"]
    Membership.objects.create(organisation=world["org_b"], user=member)
    offer = catalogue["ihk"]
    html = client_for(member).get(reverse("support:offer", args=[offer.pk])).content.decode()
    for org in (world["org_a"], world["org_b"]):
        assert f"/mein-bereich/organisation/{org.pk}/unterstuetzung/neu/?angebot={offer.pk}" in html
    assert "Beratung anfragen für Alpha Bäckerei GmbH" in html


def test_partners_only_offer_needs_an_active_partner(client_for, pact, world):
    offer = make_offer(pact, audience=Offer.Audience.PARTNERS)
    html = client_for(world["users"]["member_a"]).get(reverse("support:offer", args=[offer.pk])).content.decode()
    assert "/unterstuetzung/neu/" not in html and "noch kein aktiver Klimapartner" in html


# --- back office -------------------------------------------------------------------------------

def test_office_list_shows_own_institution_to_advisors_and_all_to_the_office(client_for, catalogue, world, pact):
    advisor_page = client_for(world["users"]["advisor"]).get(reverse("support_office:offers"))
    assert [o.title_de for o in advisor_page.context["page_obj"]] == ["Erstberatung Energieeffizienz"]
    office = client_for(world["users"]["office"])
    assert len(office.get(reverse("support_office:offers")).context["page_obj"]) == 4
    wfg = office.get(reverse("support_office:offers") + f"?einrichtung={partner(pact, 'WFG').pk}")
    assert {o.title_de for o in wfg.context["page_obj"]} == {"Fördermittellotse", "Noch in Arbeit"}


def form_data(**overrides):
    return {"kind": "first_advice", "title_de": "Neues Angebot", "title_en": "", "summary_de": "Kurz.",
            "summary_en": "", "benefits_de": "", "benefits_en": "", "requirements_de": "", "requirements_en": "",
            "audience": "everyone", "is_free": "on", "price_de": "", "price_en": "", "languages": ["de"],
            "contact_name": "", "contact_email": "a@ihk.example", "contact_phone": "", "is_published": "on",
            "position": "0"} | overrides


def test_advisor_creates_an_offer_for_their_institution(client_for, world, pact):
    client = client_for(world["users"]["advisor"])
    page = client.get(reverse("support_office:offer_create"))
    assert "institution" not in page.context["form"].fields and partner(pact, "IHK").name in page.content.decode()
    # Whatever is posted for the institution is ignored: the advisor's own.
    response = client.post(reverse("support_office:offer_create"),
                           form_data(institution=partner(pact, "HWK").pk, sectors=["C", "F"]))
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.institution.short_name == "IHK" and offer.sectors == ",C,F,"


def test_form_shows_the_services_errors_on_their_fields(client_for, world):
    client = client_for(world["users"]["advisor"])
    response = client.post(reverse("support_office:offer_create"),
                           form_data(is_free="", contact_email="", languages=[]))
    form = response.context["form"]
    assert response.status_code == 200 and not Offer.objects.exists()
    assert "languages" in form.errors
    response = client.post(reverse("support_office:offer_create"), form_data(is_free="", contact_email=""))
    form = response.context["form"]
    assert set(form.errors) == {"price_de", "contact_email"}


def test_office_chooses_the_institution_and_edits(client_for, world, pact):
    client = client_for(world["users"]["office"])
    response = client.post(reverse("support_office:offer_create"), form_data(institution=partner(pact, "HSNR").pk))
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.institution.short_name == "HSNR"
    page = client.get(reverse("support_office:offer_edit", args=[offer.pk]))
    assert page.context["form"]["languages"].value() == ["de"]
    client.post(reverse("support_office:offer_edit", args=[offer.pk]),
                form_data(institution=partner(pact, "HSNR").pk, title_de="Klimaschutzkonzept", languages=["de", "en"]))
    offer.refresh_from_db()
    assert offer.title_de == "Klimaschutzkonzept" and offer.language_list == ["de", "en"]


def test_advisor_cannot_open_another_institutions_offer(client_for, catalogue, world):
    client = client_for(world["users"]["advisor"])
    hwk = catalogue["hwk"]
    assert client.get(reverse("support_office:offer_edit", args=[hwk.pk])).status_code == 403
    assert client.post(reverse("support_office:offer_delete", args=[hwk.pk])).status_code == 403
    assert Offer.objects.filter(pk=hwk.pk).exists()


def test_delete_asks_first_and_says_that_requests_stay(client_for, catalogue, world):
    offer = catalogue["ihk"]
    SupportRequest.objects.create(organisation=world["org_a"], offer=offer, institution=offer.institution,
                                  description="Hilfe", topics=",heat,")
    client = client_for(world["users"]["advisor"])
    page = client.get(reverse("support_office:offer_delete", args=[offer.pk])).content.decode()
    assert "1 Beratungsanfrage nennt dieses Angebot. Sie bleibt erhalten" in page
    assert Offer.objects.filter(pk=offer.pk).exists()
    assert client.post(reverse("support_office:offer_delete", args=[offer.pk])).status_code == 302
    assert not Offer.objects.filter(pk=offer.pk).exists() and SupportRequest.objects.count() == 1


def test_delete_post_by_role(client_for, world, pact):
    from tests.authz.registry import ROLES

    expected = {"anonymous": 302, "member_a": 403, "member_b": 403, "advisor": 302, "office": 302}
    for role in ROLES:
        offer = make_offer(pact)
        response = client_for(world["users"][role]).post(reverse("support_office:offer_delete", args=[offer.pk]))
        assert response.status_code == expected[role], role
        gone = not Offer.objects.filter(pk=offer.pk).exists()
        assert gone == (role in ("advisor", "office")), role
        if role == "anonymous":
            assert "/konto/login/" in response["Location"]
