import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from klimapakt.core.models import AuditEntry, Page

pytestmark = pytest.mark.django_db


def test_office_edits_the_home_page_and_the_change_is_logged(world, client_for, client):
    office = client_for(world["users"]["office"])
    page = Page.objects.get(slug="home")
    response = office.post(reverse("backoffice:page_edit", args=["home"]), {
        "title_de": "Krefelder Klimapakt", "title_en": "Krefeld Climate Pact",
        "lead_de": "Neuer Einstieg für Besucherinnen und Besucher.", "lead_en": "", "body_de": "## Neu", "body_en": ""})
    assert response.status_code == 302
    assert "Neuer Einstieg für Besucherinnen und Besucher." in client.get("/").content.decode()
    entry = AuditEntry.objects.get(action="core.page.updated")
    assert entry.actor == world["users"]["office"] and entry.object_id == str(page.pk)
    assert "lead_de" in entry.data["fields"]


def test_office_changes_the_monitoring_interval(world, client_for, client):
    office = client_for(world["users"]["office"])
    pact = world["pact"]
    form = office.get(reverse("backoffice:pact")).context["form"]
    data = {k: v for k, v in form.initial.items() if k in form.fields}
    data.update(monitoring_interval_years=3, decided_on="2021-02-18")
    response = office.post(reverse("backoffice:pact"), data)
    assert response.status_code == 302, response.context["form"].errors
    pact.refresh_from_db()
    assert pact.monitoring_interval_years == 3
    assert "Alle 3 Jahre" in client.get(reverse("partners:join")).content.decode()
    assert AuditEntry.objects.filter(action="core.pact.updated").exists()


def test_invalid_pact_settings_name_the_field(world, client_for):
    office = client_for(world["users"]["office"])
    form = office.get(reverse("backoffice:pact")).context["form"]
    data = {k: v for k, v in form.initial.items() if k in form.fields}
    data.update(monitoring_interval_years=0, contact_email="keine-adresse", decided_on="2021-02-18")
    response = office.post(reverse("backoffice:pact"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_monitoring_interval_years-error"' in html and 'id="id_contact_email-error"' in html


def test_audit_log_per_object(world, client_for):
    office = client_for(world["users"]["office"])
    org = world["org_a"]
    from klimapakt.core.audit import log_action

    log_action("partners.agreement.signed", obj=org, actor=world["users"]["office"], data={"version": 3})
    log_action("partners.agreement.signed", obj=world["org_b"], actor=None)
    ct = ContentType.objects.get_for_model(org)
    html = office.get(reverse("backoffice:audit"), {"ct": ct.pk, "id": org.pk}).content.decode()
    assert "partners.agreement.signed" in html and org.name in html
    assert world["org_b"].name not in html


def test_advisor_sees_back_office_start_without_the_audit_log(world, client_for):
    html = client_for(world["users"]["advisor"]).get(reverse("backoffice:start")).content.decode()
    assert "Letzte Änderungen" not in html
    assert reverse("backoffice:pages") not in html


def test_django_admin_is_there_for_superusers(world, client_for):
    from klimapakt.core.models import User

    root = User.objects.create_superuser(email="root@krefeld.example", password="x" * 12)
    client = client_for(root)
    for url in ("/admin/", "/admin/core/user/", "/admin/core/auditentry/", "/admin/core/pact/"):
        assert client.get(url).status_code == 200, url
    assert client_for(world["users"]["office"]).get("/admin/").status_code == 302
