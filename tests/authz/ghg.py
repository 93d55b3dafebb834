"""CO2 balance: public calculator and method page; an organisation's balance only for its
members and the pact office (member_b, a member of another organisation, is denied
everywhere); the factor library only for the pact office."""

from .registry import DENY, LOGIN, OK, REDIRECT, Route, org_a_only, public, staff_only

YEAR = 2024


def _balance(world):
    from klimapakt.ghg.services import activity_create

    activity = activity_create(organisation=world["org_a"], year=YEAR, carrier="diesel", quantity="1000", unit="l",
                               actor=world["users"]["member_a"])
    return {"activity": activity}


def _attachment(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from klimapakt.core.demo import minimal_pdf
    from klimapakt.ghg.services import activity_create

    bill = SimpleUploadedFile("rechnung.pdf", minimal_pdf("Rechnung"), content_type="application/pdf")
    activity = activity_create(organisation=world["org_a"], year=YEAR, carrier="electricity", quantity="1000",
                               unit="kWh", attachment=bill, actor=world["users"]["member_a"])
    return {"activity": activity}


def _import_job(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from klimapakt.ghg.services import import_upload

    upload = SimpleUploadedFile("daten.csv", "Jahr;Energieträger;Menge;Einheit\n2024;diesel;100;l\n".encode(),
                                content_type="text/csv")
    return {"job": import_upload(organisation=world["org_a"], upload=upload, actor=world["users"]["member_a"])}


def _factor(world):
    from klimapakt.ghg.models import EmissionFactor

    return {"factor": EmissionFactor.objects.filter(is_current=True).order_by("pk").first()}


def _org(world):
    return {"pk": world["org_a"].pk}


def _org_year(world):
    return {"pk": world["org_a"].pk, "year": YEAR}


ROUTES = {
    "ghg:method": Route(public()),
    "ghg:calculator": Route(public()),
    "ghg:overview": Route(org_a_only(), kwargs=_org),
    "ghg:balance_year": Route(org_a_only(), kwargs=_org_year),
    "ghg:entry": Route(org_a_only(), kwargs=_org_year),
    "ghg:activity_add": Route(org_a_only(), kwargs=_org_year),
    "ghg:key_figures": Route(org_a_only(member_a=REDIRECT, office=REDIRECT), method="POST", kwargs=_org_year,
                             data=lambda w: {"employees": "12"}),
    "ghg:balance_pdf": Route(org_a_only(), setup=_balance, kwargs=_org_year),
    "ghg:balance_xlsx": Route(org_a_only(), setup=_balance, kwargs=_org_year),
    "ghg:activity_edit": Route(org_a_only(), setup=_balance,
                               kwargs=lambda w: {"pk": w["org_a"].pk, "activity_pk": w["activity"].pk}),
    # GET asks for confirmation; POST deletes (tests/ghg/test_delete_confirmation.py).
    "ghg:activity_delete": Route(org_a_only(), setup=_balance,
                                 kwargs=lambda w: {"pk": w["org_a"].pk, "activity_pk": w["activity"].pk}),
    "ghg:attachment": Route(org_a_only(), setup=_attachment,
                            kwargs=lambda w: {"pk": w["org_a"].pk, "activity_pk": w["activity"].pk}),
    "ghg:template_xlsx": Route(org_a_only(), kwargs=_org),
    "ghg:template_csv": Route(org_a_only(), kwargs=_org),
    "ghg:import": Route(org_a_only(), kwargs=_org),
    "ghg:import_job": Route(org_a_only(), setup=_import_job,
                            kwargs=lambda w: {"pk": w["org_a"].pk, "job_pk": w["job"].pk}),
    "ghg:import_retry": Route(org_a_only(member_a=REDIRECT, office=REDIRECT), method="POST", setup=_import_job,
                              kwargs=lambda w: {"pk": w["org_a"].pk, "job_pk": w["job"].pk}),
    # Back office: the factor library
    "ghg_office:factors": Route(staff_only()),
    "ghg_office:factor_create": Route(staff_only()),
    "ghg_office:factor_edition": Route(staff_only(), setup=_factor, kwargs=lambda w: {"pk": w["factor"].pk}),
    # API: public, no login, no CSRF (tests/ghg/test_api.py covers the answers)
    "api-1.0.0:calculate": Route(public(anonymous=405, member_a=405, member_b=405, advisor=405, office=405)),
    "api-1.0.0:emission_factors": Route(public()),
}
_ = (DENY, LOGIN, OK)
