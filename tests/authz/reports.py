"""Reports and measures: an organisation's reports and measures only for its members (who
write) and the pact office (who reads and reviews; it does not write a partner's report);
member_b, of another organisation, and advisors are denied everywhere. Inbox, review,
per-year overview and catalogue only for the pact office."""

import datetime

from .registry import DENY, LOGIN, REDIRECT, Route, org_a_only, staff_only

SIGNED = datetime.date(2024, 3, 1)


def _partner(world):
    from klimapakt.partners.models import Organisation, Target

    org = world["org_a"]
    Organisation.objects.filter(pk=org.pk).update(stage=Organisation.Stage.ACTIVE, partner_since=SIGNED)
    org.refresh_from_db()
    Target.objects.get_or_create(organisation=org, base_year=2023, target_year=2035,
                                 defaults={"reduction_percent": 50, "scopes": "1+2", "signed": True})
    return {}


def _report(world):
    from klimapakt.reports.services import report_start

    _partner(world)
    return {"report": report_start(organisation=world["org_a"], kind="baseline", year=SIGNED.year)}


def _submitted(world):
    from klimapakt.ghg.services import activity_create
    from klimapakt.reports.services import report_submit

    extra = _report(world)
    for carrier, quantity, unit in (("natural_gas", "10000", "kWh_hs"), ("electricity", "5000", "kWh")):
        activity_create(organisation=world["org_a"], year=2023, carrier=carrier, quantity=quantity, unit=unit,
                        actor=world["users"]["member_a"])
    report_submit(report=extra["report"], actor=world["users"]["member_a"])
    return extra


def _accepted(world):
    from klimapakt.reports.services import report_accept

    extra = _submitted(world)
    report_accept(report=extra["report"], actor=world["users"]["office"])
    return extra


def _measure(world):
    from klimapakt.reports.services import measure_save

    return {"measure": measure_save(organisation=world["org_a"], actor=world["users"]["member_a"],
                                    title="LED", category="efficiency", status="planned",
                                    savings=[("electricity", 1000, None)])}


def _template(world):
    from klimapakt.reports.models import MeasureTemplate

    return {"template": MeasureTemplate.objects.create(title_de="LED", category="efficiency")}


def _org(world):
    return {"pk": world["org_a"].pk}


def _org_report(world):
    return {"pk": world["org_a"].pk, "report_pk": world["report"].pk}


def _org_measure(world):
    return {"pk": world["org_a"].pk, "measure_pk": world["measure"].pk}


# Writes are for the organisation's members; the office gets 403 on them.
WRITE = {"anonymous": LOGIN, "member_a": REDIRECT, "member_b": DENY, "advisor": DENY, "office": DENY}

ROUTES = {
    "reports:dashboard": Route(org_a_only(), setup=_partner, kwargs=_org),
    "reports:report_start": Route(WRITE, method="POST", setup=_partner, kwargs=_org,
                                  data=lambda w: {"kind": "baseline", "year": str(SIGNED.year)}),
    "reports:consent": Route(WRITE, method="POST", kwargs=_org, data=lambda w: {"publish_figures": "on"}),
    "reports:report": Route(org_a_only(), setup=_report, kwargs=_org_report),
    "reports:report_submit": Route(WRITE, method="POST", setup=_report, kwargs=_org_report),
    "reports:report_pdf": Route(org_a_only(), setup=_report, kwargs=_org_report),
    "reports:measures": Route(org_a_only(), kwargs=_org),
    "reports:measure_create": Route(org_a_only(office=DENY), kwargs=_org),
    "reports:measure_edit": Route(org_a_only(office=DENY), setup=_measure, kwargs=_org_measure),
    # GET asks for confirmation; POST deletes (tests/reports/test_delete_confirmation.py).
    "reports:measure_delete": Route(org_a_only(office=DENY), setup=_measure, kwargs=_org_measure),
    # Back office
    "reports_office:inbox": Route(staff_only()),
    "reports_office:review": Route(staff_only(), setup=_submitted, kwargs=lambda w: {"report_pk": w["report"].pk}),
    "reports_office:return": Route(staff_only(office=REDIRECT), method="POST", setup=_submitted,
                                   kwargs=lambda w: {"report_pk": w["report"].pk},
                                   data=lambda w: {"comment_balance": "Bitte Heizöl ergänzen."}),
    "reports_office:accept": Route(staff_only(office=REDIRECT), method="POST", setup=_submitted,
                                   kwargs=lambda w: {"report_pk": w["report"].pk}),
    "reports_office:reopen": Route(staff_only(office=REDIRECT), method="POST", setup=_accepted,
                                   kwargs=lambda w: {"report_pk": w["report"].pk},
                                   data=lambda w: {"reason": "Der Stromverbrauch war doppelt erfasst."}),
    "reports_office:overview": Route(staff_only()),
    "reports_office:overview_xlsx": Route(staff_only(), kwargs=lambda w: {"year": 2024}),
    "reports_office:catalogue": Route(staff_only()),
    "reports_office:catalogue_create": Route(staff_only()),
    "reports_office:catalogue_edit": Route(staff_only(), setup=_template, kwargs=lambda w: {"pk": w["template"].pk}),
}
