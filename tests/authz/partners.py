"""Authorization matrix of the Klimapartnerschaft: portal pages of organisation A, the public
directory, the back office and the open-data API. An organisation never sees another's
drafts, notes or documents; staff-only documents stay hidden from the organisation itself."""

from .registry import DENY, GONE, LOGIN, OK, REDIRECT, Route, org_a_only, public, staff_only


def _partner_a(world):
    """Organisation A as an active, listed partner with agreement, target and documents."""
    import datetime

    from django.core.files.base import ContentFile

    from klimapakt.core.demo import minimal_pdf
    from klimapakt.partners.models import (
        Agreement,
        AgreementVersion,
        Organisation,
        OrganisationDocument,
        OrganisationNote,
        Target,
    )

    org = world["org_a"]
    version = AgreementVersion.objects.create(pact=world["pact"], label="T-1", text_de="Text",
                                              valid_from=datetime.date(2022, 1, 1))
    agreement = Agreement.objects.create(organisation=org, version=version, status=Agreement.Status.COUNTERSIGNED,
                                         signatory_name="Anna Alpha", signatory_role="Inhaberin",
                                         accepts_obligations=True, consents_publication=True,
                                         countersigned_on=datetime.date(2025, 3, 1))
    Organisation.objects.filter(pk=org.pk).update(stage=Organisation.Stage.ACTIVE, listing_consent=True,
                                                  partner_since=datetime.date(2025, 3, 1))
    org.refresh_from_db()
    target = Target.objects.create(organisation=org, base_year=2020, target_year=2035, reduction_percent=50,
                                   scopes="1+2", signed=True)
    private = OrganisationDocument(organisation=org, title="Intern")
    private.file.save("intern.pdf", ContentFile(minimal_pdf("Intern")), save=False)
    private.save()
    OrganisationNote.objects.create(organisation=org, text="Nur für die Geschäftsstelle")
    return {"version": version, "agreement": agreement, "target": target, "private_document": private}


def _interest_b(world):
    from klimapakt.partners.models import Organisation

    Organisation.objects.filter(pk=world["org_b"].pk).update(stage=Organisation.Stage.INTEREST)
    return {}


a = lambda w: {"pk": w["org_a"].pk}  # noqa: E731

ROUTES = {
    # Portal ("Mein Bereich") of organisation A
    "portal:agreement": Route(org_a_only(), kwargs=a),
    "portal:organisation_edit": Route(org_a_only(), kwargs=a),
    "portal:agreement_pdf": Route(org_a_only(), setup=_partner_a, kwargs=a),
    "portal:targets": Route(org_a_only(), kwargs=a),
    "portal:target_edit": Route(org_a_only(), setup=_partner_a,
                                kwargs=lambda w: {"pk": w["org_a"].pk, "target_pk": w["target"].pk}),
    "portal:target_delete": Route(org_a_only(member_a=REDIRECT, office=REDIRECT), method="POST", setup=_partner_a,
                                  kwargs=lambda w: {"pk": w["org_a"].pk, "target_pk": w["target"].pk}),
    "portal:profile": Route(org_a_only(), kwargs=a),
    "portal:certificate_pdf": Route(org_a_only(), setup=_partner_a, kwargs=a),
    "portal:badge": Route(org_a_only(), setup=_partner_a, kwargs=lambda w: {"pk": w["org_a"].pk, "fmt": "png"}),
    # A staff-only document is hidden even from the organisation's own members.
    "portal:document": Route(org_a_only(member_a=GONE), setup=_partner_a,
                             kwargs=lambda w: {"pk": w["org_a"].pk, "document_pk": w["private_document"].pk}),
    "portal:leave": Route(org_a_only(), kwargs=a),
    # Any member of A answers the proposed talk date; the office proposes, it does not answer.
    "portal:talk_answer": Route(org_a_only(office=DENY), kwargs=a),
    # Public directory
    "partners:join": Route(public()),
    "partners:directory": Route(public()),
    "partners:map": Route(public()),
    "partners:detail": Route(public(), setup=_partner_a, kwargs=a),
    "partners:badge_public": Route(public(), setup=_partner_a, kwargs=lambda w: {"pk": w["org_a"].pk, "fmt": "svg"}),
    # Back office
    "backoffice:organisations_export": Route(staff_only(), kwargs=lambda w: {"fmt": "xlsx"}),
    "backoffice:talk_plan": Route(staff_only(), kwargs=a),
    "backoffice:talk_held": Route(staff_only(), kwargs=a),
    "backoffice:agreement_request_changes": Route(staff_only(), kwargs=a),
    # GET asks for the signing officer and a confirmation; POST: tests/partners/test_countersign.py.
    "backoffice:agreement_countersign": Route(staff_only(), kwargs=a),
    "backoffice:partnership_pause": Route(staff_only(), kwargs=a),
    "backoffice:partnership_resume": Route(staff_only(), kwargs=a),
    "backoffice:partnership_end": Route(staff_only(), kwargs=a),
    "backoffice:organisation_note": Route(staff_only(), kwargs=a),
    "backoffice:organisation_document_add": Route(staff_only(), kwargs=a),
    # GET asks for confirmation (POST deletes; tests/partners/test_views.py refuses it to every other role).
    "backoffice:organisation_document_delete": Route(staff_only(), setup=_partner_a, kwargs=lambda w: {
        "pk": w["org_a"].pk, "document_pk": w["private_document"].pk}),
    # GET asks for confirmation (refused while A has members); POST: tests/partners/test_removal.py.
    "backoffice:organisation_delete": Route(staff_only(), kwargs=a),
    "backoffice:organisation_anonymise": Route(staff_only(), kwargs=a),
    "backoffice:agreement_versions": Route(staff_only()),
    "backoffice:agreement_version_create": Route(staff_only()),
    "backoffice:agreement_version_edit": Route(staff_only(), setup=_partner_a, kwargs=lambda w: {"pk": w["version"].pk}),
    # Open data
    "api-1.0.0:partners": Route(public()),
    "api-1.0.0:partner": Route(public(), setup=_partner_a, kwargs=lambda w: {"partner_id": w["org_a"].pk}),
}

# Pages that must be 404 for everyone: an organisation that is not a listed partner.
EXTRA_CHECKS = [
    ("partners:detail", _interest_b, lambda w: {"pk": w["org_b"].pk}, {r: GONE for r in (
        "anonymous", "member_a", "member_b", "advisor", "office")}),
    ("api-1.0.0:partner", _interest_b, lambda w: {"partner_id": w["org_b"].pk}, {r: GONE for r in (
        "anonymous", "member_a", "member_b", "advisor", "office")}),
    ("partners:badge_public", _interest_b, lambda w: {"pk": w["org_b"].pk, "fmt": "png"}, {r: GONE for r in (
        "anonymous", "member_a", "member_b", "advisor", "office")}),
]
_ = (DENY, LOGIN, OK)
