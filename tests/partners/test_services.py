"""The rules of the partnership, in the services (every transition, audit, mails)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from klimapakt.core.models import AuditEntry
from klimapakt.partners import deadlines, selectors, services
from klimapakt.partners.models import Agreement, Organisation, StageChange, Target

S = Organisation.Stage


def actions(org):
    return list(AuditEntry.objects.filter(object_id=str(org.pk), action__startswith="partners.")
                .order_by("created_at", "pk").values_list("action", flat=True))


def interest_fields(**kw):
    return dict(name="Gamma Druck GmbH", kind="company", legal_form="GmbH", street="Ostwall 1",
                postal_code="47798", sector="C", employees=12, contact_name="Gina Gamma",
                contact_email="gina@gamma.example") | kw


def test_interest_in_the_city_creates_organisation_and_tells_the_office(world, django_capture_on_commit_callbacks):
    user = world["users"]["member_b"]
    with django_capture_on_commit_callbacks(execute=True):
        org = services.interest_register(creator=user, **interest_fields())
    assert org.stage == S.INTEREST and org.city == "Krefeld"
    assert org.memberships.get().user == user
    assert org.next_deadline_kind == Organisation.Deadline.ARRANGE_TALK
    assert actions(org) == ["partners.interest.registered"]
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == [("bert@beta.example",), ("klimapakt@krefeld.de",)]
    office_mail = next(m for m in mail.outbox if m.to == ["klimapakt@krefeld.de"])
    assert "Gamma Druck GmbH" in office_mail.subject and f"/geschaeftsstelle/organisationen/{org.pk}/" in office_mail.body
    assert office_mail.alternatives and "<html" in office_mail.alternatives[0][0]


def test_interest_outside_the_city_is_refused_with_the_field(world):
    with pytest.raises(ValidationError) as info:
        services.interest_register(creator=world["users"]["member_b"], **interest_fields(postal_code="40210"))
    assert "postal_code" in info.value.message_dict
    assert not Organisation.objects.filter(name="Gamma Druck GmbH").exists()


def test_postal_code_rule_is_pact_configuration(world):
    pact = world["pact"]
    pact.postal_codes = "40210"
    pact.save()
    org = services.interest_register(creator=world["users"]["member_b"], **interest_fields(postal_code="40210"))
    assert org.pk


def test_whole_journey_records_stages_audit_and_dates(journey, django_capture_on_commit_callbacks):
    org = journey.org
    with django_capture_on_commit_callbacks(execute=True):
        journey.active(on=datetime.date(2025, 3, 15))
    org.refresh_from_db()
    assert org.stage == S.ACTIVE and org.partner_since == datetime.date(2025, 3, 15)
    assert org.listing_consent is True
    assert org.next_deadline == datetime.date(2026, 3, 15)
    assert org.next_deadline_kind == Organisation.Deadline.BASELINE_REPORT
    assert list(StageChange.objects.filter(organisation=org).order_by("created_at", "pk")
                .values_list("to_stage", flat=True)) == [S.TALK_PLANNED, S.TALK_HELD, S.AGREEMENT_SUBMITTED, S.ACTIVE]
    assert actions(org) == ["partners.talk.planned", "partners.talk.held", "partners.target.created",
                            "partners.agreement.saved", "partners.agreement.submitted", "partners.agreement.signed"]
    signed = AuditEntry.objects.get(action="partners.agreement.signed")
    assert signed.data["baseline_report_due"] == "2026-03-15"
    agreement = org.agreements.get()
    assert agreement.status == Agreement.Status.COUNTERSIGNED and agreement.version == journey.version
    assert org.targets.get().signed
    # Both sides got the agreement as a PDF
    signed_mails = [m for m in mail.outbox if m.attachments]
    assert {a for m in signed_mails for a in m.to} == {"anna@alpha.example", "klimapakt@krefeld.de"}
    name, content, mimetype = signed_mails[0].attachments[0]
    assert mimetype == "application/pdf" and content[:5] == b"%PDF-"


def test_submit_is_refused_before_the_talk(journey):
    journey.target()
    draft = journey.draft()
    with pytest.raises(ValidationError, match="nach dem Orientierungsgespräch"):
        services.agreement_submit(agreement=draft, actor=journey.member)


def test_submit_needs_signatory_obligations_and_a_target(journey):
    journey.talk()
    draft = journey.draft(signatory_name="", accepts_obligations=False)
    with pytest.raises(ValidationError) as info:
        services.agreement_submit(agreement=draft, actor=journey.member)
    assert {"signatory_name", "accepts_obligations", "__all__"} <= set(info.value.message_dict)
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT


def test_countersign_twice_or_a_draft_is_refused(journey):
    journey.talk()
    journey.target()
    draft = journey.draft()
    with pytest.raises(ValidationError, match="eingereichte"):
        services.agreement_countersign(agreement=draft, actor=journey.office)
    submitted = services.agreement_submit(agreement=draft, actor=journey.member)
    services.agreement_countersign(agreement=submitted, actor=journey.office)
    with pytest.raises(ValidationError):
        services.agreement_countersign(agreement=submitted, actor=journey.office)


def test_changes_requested_goes_back_to_the_organisation(journey, django_capture_on_commit_callbacks):
    agreement = journey.submitted()
    with pytest.raises(ValidationError):
        services.agreement_request_changes(agreement=agreement, actor=journey.office, comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_request_changes(agreement=agreement, actor=journey.office, comment="Basisjahr prüfen")
    journey.org.refresh_from_db()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.CHANGES_REQUESTED and journey.org.stage == S.TALK_HELD
    assert any("Basisjahr prüfen" in m.body and m.to == ["anna@alpha.example"] for m in mail.outbox)
    # The organisation edits and submits again
    journey.target(reduction_percent=60)
    again = services.agreement_submit(agreement=journey.draft(), actor=journey.member)
    assert again.pk == agreement.pk and again.status == Agreement.Status.SUBMITTED


def test_talk_cannot_be_planned_for_an_active_partner(journey):
    journey.active()
    with pytest.raises(ValidationError, match="Orientierungsgespräch"):
        services.talk_plan(organisation=journey.org, actor=journey.office, scheduled_for=timezone.now())


def test_talk_held_in_the_future_is_refused(journey):
    with pytest.raises(ValidationError):
        services.talk_mark_held(organisation=journey.org, actor=journey.office,
                                held_on=timezone.localdate() + datetime.timedelta(days=2))


@pytest.mark.parametrize("fields, field", [
    ({"base_year": timezone.localdate().year + 1, "target_year": 2040}, "base_year"),
    ({"base_year": 2020, "target_year": 2020}, "target_year"),
    ({"target_year": 2046}, "target_year"),
    ({"reduction_percent": Decimal("100.5")}, "reduction_percent"),
    ({"reduction_percent": Decimal("0")}, "reduction_percent"),
    ({"reduction_percent": None, "reduction_t_co2e": None}, "reduction_percent"),
    ({"reduction_percent": 30, "reduction_t_co2e": 100}, "reduction_percent"),
    ({"reduction_percent": None, "reduction_t_co2e": -5}, "reduction_t_co2e"),
    ({"neutral_by": 2019}, "neutral_by"),
])
def test_target_validation_names_the_field(journey, fields, field):
    with pytest.raises(ValidationError) as info:
        journey.target(**fields)
    assert field in info.value.message_dict
    assert not Target.objects.exists()


def test_target_in_tonnes_up_to_2045_is_fine(journey):
    target = journey.target(reduction_percent=None, reduction_t_co2e=Decimal("120.5"), target_year=2045,
                            scopes="1+2+3", neutral_by=2040)
    assert target.reduction_t_co2e == Decimal("120.5")


def test_target_change_after_signing_keeps_the_old_version(journey, django_capture_on_commit_callbacks):
    journey.active()
    old = journey.org.targets.get()
    with django_capture_on_commit_callbacks(execute=True):
        new = services.target_save(organisation=journey.org, actor=journey.member, target=old, base_year=2020,
                                   target_year=2035, reduction_percent=70, reduction_t_co2e=None, scopes="1+2",
                                   neutral_by=2035, comment="ehrgeiziger")
    assert [m.to for m in mail.outbox] == [["klimapakt@krefeld.de"]] and "Ziel geändert" in mail.outbox[0].subject
    old.refresh_from_db()
    assert old.archived_at is not None and old.reduction_percent == 50
    assert new.previous == old and new.version == 2 and new.archived_at is None
    assert list(journey.org.targets.filter(archived_at__isnull=True)) == [new]
    assert "partners.target.revised" in actions(journey.org)
    # Archived versions cannot be changed again, and the last target cannot be withdrawn.
    with pytest.raises(ValidationError):
        services.target_save(organisation=journey.org, actor=journey.member, target=old, base_year=2020,
                             target_year=2035, reduction_percent=10, reduction_t_co2e=None, scopes="1")
    with pytest.raises(ValidationError, match="mindestens ein"):
        services.target_delete(target=new, actor=journey.member)


def test_targets_are_frozen_while_the_office_reviews(journey):
    journey.submitted()
    with pytest.raises(ValidationError, match="prüft"):
        journey.target(base_year=2021)


def test_before_signing_targets_change_in_place(journey):
    target = journey.target()
    same = services.target_save(organisation=journey.org, actor=journey.member, target=target, base_year=2019,
                                target_year=2035, reduction_percent=40, reduction_t_co2e=None, scopes="1+2")
    assert same.pk == target.pk and Target.objects.count() == 1
    services.target_delete(target=same, actor=journey.member)
    assert not Target.objects.exists()


def test_pause_resume_end_with_reason(journey, django_capture_on_commit_callbacks):
    journey.active()
    org = journey.org
    with pytest.raises(ValidationError):
        services.partnership_pause(organisation=org, actor=journey.office, reason="")
    services.partnership_pause(organisation=org, actor=journey.office, reason="Umbau")
    with pytest.raises(ValidationError, match="aktive"):
        services.partnership_pause(organisation=org, actor=journey.office, reason="nochmal")
    org.refresh_from_db()
    assert org.stage == S.PAUSED and org.next_deadline is None and not org.is_listed
    services.partnership_resume(organisation=org, actor=journey.office)
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_end(organisation=org, actor=journey.office, reason="Keine Berichte")
    org.refresh_from_db()
    assert org.stage == S.LEFT
    assert org.agreements.get().status == Agreement.Status.ENDED
    assert StageChange.objects.filter(organisation=org, to_stage=S.LEFT, reason="Keine Berichte").exists()
    assert any("Keine Berichte" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError):
        services.partnership_end(organisation=org, actor=journey.office, reason="x")
    with pytest.raises(ValidationError):
        services.partnership_leave(organisation=org, actor=journey.member)


def test_leaving_removes_the_listing_but_keeps_history(journey, django_capture_on_commit_callbacks):
    from klimapakt.partners.selectors import listed_partners

    journey.active()
    assert list(listed_partners()) == [journey.org]
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_leave(organisation=journey.org, actor=journey.member, reason="Umzug")
    assert list(listed_partners()) == []
    assert journey.org.targets.exists() and journey.org.agreements.exists()
    assert any(m.to == ["klimapakt@krefeld.de"] and "Umzug" in m.body for m in mail.outbox)


def test_signed_agreement_version_cannot_be_edited(journey, pact):
    journey.submitted()
    with pytest.raises(ValidationError, match="neue Fassung"):
        services.agreement_version_save(pact=pact, actor=journey.office, version=journey.version, text_de="neu")


def test_draft_follows_the_valid_version_and_signed_agreements_keep_theirs(journey, pact):
    agreement = journey.active()
    newer = services.agreement_version_save(pact=pact, actor=journey.office, label="2026-1", text_de="Neu",
                                            valid_from=timezone.localdate())
    assert selectors.current_agreement_version(pact) == newer
    agreement.refresh_from_db()
    assert agreement.version == journey.version


def test_no_agreement_text_means_no_draft(world):
    with pytest.raises(ValidationError, match="Vereinbarungstext"):
        services.agreement_save(organisation=world["org_a"], actor=world["users"]["member_a"])


def test_profile_requires_both_coordinates(journey):
    with pytest.raises(ValidationError) as info:
        services.profile_update(organisation=journey.org, actor=journey.member, latitude=Decimal("51.3"),
                                longitude=None)
    assert "latitude" in info.value.message_dict


def _document(org, title="Scan"):
    from django.core.files.base import ContentFile

    from klimapakt.core.demo import minimal_pdf
    from klimapakt.partners.models import OrganisationDocument

    document = OrganisationDocument(organisation=org, title=title)
    document.file.save("scan.pdf", ContentFile(minimal_pdf("S")), save=False)
    document.save()
    return document


def test_document_file_leaves_the_storage_only_after_commit(journey, django_capture_on_commit_callbacks):
    from django.db import transaction

    from klimapakt.partners.models import OrganisationDocument

    document = _document(journey.org)
    storage, name = document.file.storage, document.file.name
    with pytest.raises(RuntimeError), transaction.atomic():
        services.document_delete(document=document, actor=journey.office)
        raise RuntimeError("rolled back")
    assert OrganisationDocument.objects.filter(pk=document.pk).exists() and storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(document=document, actor=journey.office)
    assert not OrganisationDocument.objects.filter(pk=document.pk).exists() and not storage.exists(name)
    assert actions(journey.org) == ["partners.document.deleted"]
    with pytest.raises(ValidationError, match="gibt es nicht mehr"):
        services.document_delete(document=document, actor=journey.office)


# --- the organisation answers the proposed date of the orientation talk ----------------------

def _plan(journey, days=5, location="Rathaus, Raum 212"):
    return services.talk_plan(organisation=journey.org, actor=journey.office, location=location,
                              scheduled_for=timezone.now() + datetime.timedelta(days=days))


def test_organisation_accepts_the_proposed_date_and_the_office_is_told(journey,
                                                                        django_capture_on_commit_callbacks):
    from klimapakt.partners.models import OrientationTalk

    talk = _plan(journey)
    assert talk.answer == OrientationTalk.Answer.PROPOSED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.talk_answer(organisation=journey.org, actor=journey.member, answer="accepted",
                             message="  Wir kommen zu zweit.  ")
    talk.refresh_from_db()
    assert talk.answer == OrientationTalk.Answer.ACCEPTED and talk.answer_message == "Wir kommen zu zweit."
    assert talk.answered_by == journey.member and talk.answered_at is not None
    assert actions(journey.org)[-1] == "partners.talk.accepted"
    entry = AuditEntry.objects.get(action="partners.talk.accepted")
    assert entry.data["message"] == "Wir kommen zu zweit." and entry.data["previous"] == "proposed"
    [office_mail] = mail.outbox
    assert office_mail.to == ["klimapakt@krefeld.de"]
    assert "Orientierungsgespräch zugesagt: Alpha Bäckerei GmbH" == office_mail.subject
    assert "Wir kommen zu zweit." in office_mail.body and "Anna Alpha (anna@alpha.example)" in office_mail.body
    assert f"/geschaeftsstelle/organisationen/{journey.org.pk}/" in office_mail.body
    journey.org.refresh_from_db()
    assert journey.org.stage == S.TALK_PLANNED
    assert journey.org.next_deadline_kind == Organisation.Deadline.TALK
    assert journey.org.next_deadline == timezone.localdate(talk.scheduled_for)


def test_declining_asks_the_office_for_a_new_date_which_is_asked_again(journey,
                                                                         django_capture_on_commit_callbacks):
    from klimapakt.partners.models import OrientationTalk

    _plan(journey)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        talk = services.talk_answer(organisation=journey.org, actor=journey.member, answer="declined",
                                    message="Dienstags ab 14 Uhr passt es uns.")
    assert talk.answer == OrientationTalk.Answer.DECLINED
    [office_mail] = mail.outbox
    assert office_mail.subject == "Orientierungsgespräch abgelehnt: Alpha Bäckerei GmbH"
    assert "Dienstags ab 14 Uhr passt es uns." in office_mail.body
    assert "Bitte schlagen Sie einen neuen Termin vor." in office_mail.body
    assert "Dienstags ab 14 Uhr passt es uns." in office_mail.alternatives[0][0]
    journey.org.refresh_from_db()
    assert journey.org.next_deadline_kind == Organisation.Deadline.ARRANGE_TALK
    assert journey.org.next_deadline == timezone.localdate() + datetime.timedelta(deadlines.REARRANGE_TALK_WITHIN_DAYS)
    # A corrected location keeps the answer; a new date asks the organisation again.
    services.talk_plan(organisation=journey.org, actor=journey.office, scheduled_for=talk.scheduled_for,
                       location="Videokonferenz")
    talk.refresh_from_db()
    assert talk.answer == OrientationTalk.Answer.DECLINED and talk.location == "Videokonferenz"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        replanned = _plan(journey, days=9)
    assert replanned.pk == talk.pk and replanned.answer == OrientationTalk.Answer.PROPOSED
    assert replanned.answer_message == "" and replanned.answered_by is None and replanned.answered_at is None
    assert AuditEntry.objects.filter(action="partners.talk.planned").latest("pk").data["answer_reset"] is True
    assert f"/mein-bereich/organisation/{journey.org.pk}/gespraech/" in mail.outbox[0].body
    journey.org.refresh_from_db()
    assert journey.org.next_deadline_kind == Organisation.Deadline.TALK
    services.talk_answer(organisation=journey.org, actor=journey.member, answer="accepted")
    assert actions(journey.org).count("partners.talk.accepted") == 1


def test_an_answer_can_be_changed_but_not_repeated(journey):
    _plan(journey)
    services.talk_answer(organisation=journey.org, actor=journey.member, answer="accepted")
    with pytest.raises(ValidationError, match="bereits gegeben"):
        services.talk_answer(organisation=journey.org, actor=journey.member, answer="accepted")
    services.talk_answer(organisation=journey.org, actor=journey.member, answer="declined", message="Krank")
    assert actions(journey.org)[-2:] == ["partners.talk.accepted", "partners.talk.declined"]


def test_answer_is_refused_without_a_proposal_for_a_past_date_or_with_bad_input(journey):
    from klimapakt.partners.models import OrientationTalk

    with pytest.raises(ValidationError, match="keinen Termin"):
        services.talk_answer(organisation=journey.org, actor=journey.member, answer="accepted")
    talk = _plan(journey)
    with pytest.raises(ValidationError) as info:
        services.talk_answer(organisation=journey.org, actor=journey.member, answer="maybe")
    assert "answer" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.talk_answer(organisation=journey.org, actor=journey.member, answer="declined",
                             message="x" * (OrientationTalk.ANSWER_MESSAGE_MAX + 1))
    assert "message" in info.value.message_dict
    OrientationTalk.objects.filter(pk=talk.pk).update(scheduled_for=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError, match="Vergangenheit"):
        services.talk_answer(organisation=journey.org, actor=journey.member, answer="declined")
    talk.refresh_from_db()
    assert talk.answer == OrientationTalk.Answer.PROPOSED
    # Once the talk is held there is nothing left to answer.
    services.talk_mark_held(organisation=journey.org, actor=journey.office, held_on=timezone.localdate())
    with pytest.raises(ValidationError, match="keinen Termin"):
        services.talk_answer(organisation=journey.org, actor=journey.member, answer="accepted")
    assert not AuditEntry.objects.filter(action__in=["partners.talk.accepted", "partners.talk.declined"]).exists()


def test_talk_answers_are_in_the_persons_data_export(journey):
    from klimapakt.core.privacy import person_data_export

    _plan(journey)
    services.talk_answer(organisation=journey.org, actor=journey.member, answer="declined", message="Montags")
    [answer] = person_data_export(user=journey.member)["partners"]["talk_answers"]
    assert answer["organisation"] == "Alpha Bäckerei GmbH" and answer["message"] == "Montags"
    assert answer["answer"] == "declined"
