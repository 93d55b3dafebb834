"""Writes for organisations, their members and the Klimapartnerschaft. Every transition of
the partnership is one function here: atomic, checked, audited, with mails after commit."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.mail import attachment
from klimapakt.core.models import Pact
from klimapakt.core.notifications import mail_path as _path
from klimapakt.core.notifications import notify, office_recipients

from .deadlines import deadline_refresh
from .models import (
    Agreement,
    AgreementVersion,
    Invitation,
    Membership,
    Organisation,
    OrganisationDocument,
    OrganisationNote,
    OrientationTalk,
    StageChange,
    TalkReminder,
    Target,
)
from .selectors import open_talk, organisation_recipients, talks_awaiting_answer

Stage = Organisation.Stage
DIRECTORY_VERSION_KEY = "partners:directory:version"
TALK_REMINDER_DAYS_BEFORE = 3     # an unanswered talk date is followed up 3 days before the talk


# --- helpers ---------------------------------------------------------------------------

def directory_version() -> int:
    """A counter that changes whenever public partner data may have changed (cache keys)."""
    version = cache.get(DIRECTORY_VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp())
        cache.add(DIRECTORY_VERSION_KEY, version, None)
        version = cache.get(DIRECTORY_VERSION_KEY, version)
    return version


def directory_changed() -> None:
    def bump():
        try:
            cache.incr(DIRECTORY_VERSION_KEY)
        except ValueError:
            cache.set(DIRECTORY_VERSION_KEY, int(timezone.now().timestamp()), None)
    transaction.on_commit(bump)


def _lock(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _pact() -> Pact:
    return Pact.objects.current()


def _notify(template: str, recipients: list[tuple[str, str]], context: dict) -> None:
    notify(f"partners/email/{template}", recipients, context)


def _set_stage(organisation: Organisation, to: str, *, actor, reason: str = "") -> None:
    before = organisation.stage
    organisation.stage = to
    organisation.stage_changed_at = timezone.now()
    organisation.save(update_fields=["stage", "stage_changed_at"])
    StageChange.objects.create(organisation=organisation, from_stage=before, to_stage=to, reason=reason,
                               actor=actor if getattr(actor, "is_authenticated", False) else None)
    deadline_refresh(organisation=organisation)
    if Stage.ACTIVE in (before, to):
        directory_changed()


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: message} if field else message)


# --- organisations and members ---------------------------------------------------------

@transaction.atomic
def organisation_create(*, creator, name: str, kind: str, **fields) -> Organisation:
    """Create an organisation; its creator becomes its first admin."""
    organisation = Organisation(name=name, kind=kind, **fields)
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(organisation=organisation, user=creator, role=Membership.Role.ADMIN)
    StageChange.objects.create(organisation=organisation, to_stage=organisation.stage, actor=creator)
    log_action("partners.organisation.created", obj=organisation, actor=creator, data={"name": name, "kind": kind})
    return organisation


def check_postal_code(pact: Pact, postal_code: str) -> None:
    codes = pact.postal_code_list()
    if codes and postal_code.strip() not in codes:
        raise ValidationError({"postal_code": _(
            "Klimapartner können nur Organisationen mit Sitz in %(city)s werden. Die Postleitzahl %(code)s gehört "
            "nicht dazu.") % {"city": pact.city, "code": postal_code.strip()}})


@transaction.atomic
def interest_register(*, creator, name: str, kind: str, legal_form: str, street: str, postal_code: str,
                      sector: str, employees: int | None, contact_name: str, contact_email: str,
                      contact_phone: str = "", website: str = "", city: str = "") -> Organisation:
    """An organisation based in the city registers its interest; the pact office is told."""
    pact = _pact()
    check_postal_code(pact, postal_code)
    organisation = Organisation(
        name=name.strip(), kind=kind, legal_form=legal_form, street=street, postal_code=postal_code.strip(),
        city=city or pact.city, sector=sector, employees=employees, contact_name=contact_name,
        contact_email=contact_email, contact_phone=contact_phone, website=website, stage=Stage.INTEREST)
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(organisation=organisation, user=creator, role=Membership.Role.ADMIN)
    StageChange.objects.create(organisation=organisation, to_stage=Stage.INTEREST, actor=creator)
    deadline_refresh(organisation=organisation)
    log_action("partners.interest.registered", obj=organisation, actor=creator,
               data={"name": organisation.name, "kind": kind, "sector": sector, "postal_code": postal_code})
    context = {"organisation": organisation.name, "contact": contact_name, "email": contact_email,
               "path": _path("backoffice:organisation", organisation.pk), "portal_path": _path(
                   "portal:organisation", organisation.pk), "pact": pact.name_de}
    _notify("interest_office", office_recipients(pact), context)
    _notify("interest_received", [(creator.email, getattr(creator, "language", "de") or "de")], context)
    return organisation


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, role: str, invited_by) -> Invitation:
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("Diese Person gehört bereits zur Organisation.")})
    organisation.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=invited_by)
    invitation.full_clean()
    invitation.save()
    log_action("partners.invitation.created", obj=organisation, actor=invited_by, data={"email": email, "role": role})
    language = get_language() or "de"
    notify("partners/email/invitation", [(email, language)], {
        "organisation": organisation.name, "inviter": str(invited_by),
        "path": _path("invitation:accept", invitation.token, language=language)})
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("Diese Einladung ist abgelaufen oder wurde bereits angenommen."))
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log_action("partners.invitation.accepted", obj=invitation.organisation, actor=user,
               data={"email": invitation.email, "role": membership.role, "new_member": created})
    return membership


def ensure_admin_remains(*, membership: Membership) -> None:
    """The one rule for people leaving an organisation (removed from it, or deleting their
    account): an organisation that keeps members keeps someone with administration rights.
    Refuses when `membership` is its only admin while others remain; the last person may go."""
    if membership.role != Membership.Role.ADMIN:
        return
    others = membership.organisation.memberships.exclude(pk=membership.pk)
    if others.exists() and not others.filter(role=Membership.Role.ADMIN).exists():
        raise ValidationError(
            _("„%(name)s“ hat weitere Mitglieder, aber außer %(person)s niemanden mit Verwaltungsrechten. Laden "
              "Sie zuerst eine Kollegin oder einen Kollegen mit Verwaltungsrechten ein.")
            % {"name": membership.organisation.name, "person": membership.user.email})


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    organisation = _lock(membership.organisation)
    membership = Membership.objects.select_related("user", "organisation").get(pk=membership.pk)
    ensure_admin_remains(membership=membership)
    log_action("partners.membership.removed", obj=organisation, actor=actor,
               data={"email": membership.user.email})
    membership.delete()


MASTER_FIELDS = ("name", "kind", "legal_form", "street", "postal_code", "sector", "employees", "website",
                 "contact_name", "contact_email", "contact_phone")


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, **fields) -> Organisation:
    """Correct the organisation's data (name, address, sector, contact). The address must stay
    in the city."""
    unknown = set(fields) - set(MASTER_FIELDS)
    if unknown:
        raise TypeError(f"Not organisation fields: {sorted(unknown)}")
    organisation = _lock(organisation)
    if "postal_code" in fields and fields["postal_code"] != organisation.postal_code:
        check_postal_code(_pact(), fields["postal_code"])
    changed = {}
    for name, value in fields.items():
        if getattr(organisation, name) != value:
            changed[name] = [str(getattr(organisation, name)), str(value)]
            setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    log_action("partners.organisation.updated", obj=organisation, actor=actor, data={"changes": changed})
    if organisation.is_listed:
        directory_changed()
    return organisation


PROFILE_FIELDS = ("listing_consent", "logo", "description", "website", "latitude", "longitude", "show_location")


@transaction.atomic
def profile_update(*, organisation: Organisation, actor, **fields) -> Organisation:
    """The public profile: logo, description, website, location, consent to be listed."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    organisation = _lock(organisation)
    old_logo = organisation.logo.name if organisation.logo else ""
    changed = []
    for name, value in fields.items():
        if name == "logo":
            if value is None:
                continue
            if value is False:
                value = ""
        if getattr(organisation, name) != value:
            changed.append(name)
        setattr(organisation, name, value)
    if (organisation.latitude is None) != (organisation.longitude is None):
        raise ValidationError({"latitude": _("Geben Sie Breiten- und Längengrad an, oder keinen von beiden.")})
    if organisation.show_location and organisation.latitude is None:
        raise ValidationError({"show_location": _("Um den Standort zu zeigen, geben Sie die Koordinaten an.")})
    organisation.full_clean()
    organisation.save()
    if "logo" in changed and old_logo:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    log_action("partners.profile.updated", obj=organisation, actor=actor, data={"fields": sorted(changed)})
    directory_changed()
    return organisation


# --- orientation talk -----------------------------------------------------------------

@transaction.atomic
def talk_plan(*, organisation: Organisation, scheduled_for: datetime.datetime, actor, location: str = "",
              participants: str = "", notes: str = "") -> OrientationTalk:
    """The pact office proposes a date for the orientation talk; the organisation is told."""
    organisation = _lock(organisation)
    if organisation.stage not in (Stage.INTEREST, Stage.TALK_PLANNED):
        _refuse(_("Ein Orientierungsgespräch kann nur geplant werden, solange die Organisation Interesse "
                  "angemeldet hat (aktueller Stand: %(stage)s).") % {"stage": organisation.get_stage_display()})
    talk = open_talk(organisation) or OrientationTalk(organisation=organisation, created_by=actor)
    # A new date asks the organisation again; a corrected location or note keeps its answer.
    answer_reset = talk.pk is not None and talk.scheduled_for != scheduled_for and talk.is_answered
    if talk.pk is None or talk.scheduled_for != scheduled_for:
        talk.answer, talk.answer_message = OrientationTalk.Answer.PROPOSED, ""
        talk.answered_at = talk.answered_by = None
        talk.proposed_at = timezone.now()
    talk.scheduled_for, talk.location, talk.participants, talk.notes = scheduled_for, location, participants, notes
    talk.full_clean()
    talk.save()
    _set_stage(organisation, Stage.TALK_PLANNED, actor=actor)
    log_action("partners.talk.planned", obj=organisation, actor=actor,
               data={"scheduled_for": scheduled_for, "location": location, "answer_reset": answer_reset})
    _notify("talk_planned", organisation_recipients(organisation), {
        "organisation": organisation.name, "date": _talk_date(talk),
        "location": location, "path": _path("portal:talk_answer", organisation.pk)})
    return talk


@transaction.atomic
def talk_answer(*, organisation: Organisation, actor, answer: str, message: str = "") -> OrientationTalk:
    """The organisation accepts or declines the proposed date of its orientation talk, with an
    optional message (e.g. other times that suit it). The pact office is told by mail. The answer
    can be changed while the talk is open and its date has not passed."""
    Answer = OrientationTalk.Answer
    organisation = _lock(organisation)
    if answer not in (Answer.ACCEPTED, Answer.DECLINED):
        _refuse(_("Wählen Sie, ob Sie den Termin zusagen oder ablehnen."), "answer")
    message = (message or "").strip()
    if len(message) > OrientationTalk.ANSWER_MESSAGE_MAX:
        _refuse(_("Die Nachricht ist zu lang (höchstens %(max)s Zeichen).")
                % {"max": OrientationTalk.ANSWER_MESSAGE_MAX}, "message")
    talk = open_talk(organisation)
    if organisation.stage != Stage.TALK_PLANNED or talk is None:
        _refuse(_("Die Geschäftsstelle hat Ihnen zurzeit keinen Termin für ein Orientierungsgespräch "
                  "vorgeschlagen."))
    if not talk.can_be_answered:
        _refuse(_("Der vorgeschlagene Termin liegt bereits in der Vergangenheit. Bitte wenden Sie sich direkt an "
                  "die Geschäftsstelle."))
    if talk.answer == answer and talk.answer_message == message:
        _refuse(_("Diese Antwort haben Sie bereits gegeben."))
    previous = talk.answer
    talk.answer, talk.answer_message = answer, message
    talk.answered_at, talk.answered_by = timezone.now(), actor
    talk.full_clean()
    talk.save(update_fields=["answer", "answer_message", "answered_at", "answered_by"])
    deadline_refresh(organisation=organisation)
    accepted = answer == Answer.ACCEPTED
    log_action("partners.talk.accepted" if accepted else "partners.talk.declined", obj=organisation, actor=actor,
               data={"talk": talk.pk, "scheduled_for": talk.scheduled_for, "message": message,
                     "previous": previous})
    _notify("talk_answered_office", office_recipients(_pact()), {
        "organisation": organisation.name, "accepted": accepted, "message": message,
        "date": _talk_date(talk),
        "person": actor.get_full_name() or actor.email, "email": actor.email,
        "path": _path("backoffice:organisation", organisation.pk)})
    return talk


@transaction.atomic
def talk_mark_held(*, organisation: Organisation, actor, held_on: datetime.date, participants: str | None = None,
                   notes: str | None = None) -> OrientationTalk:
    """Mark the talk as held (or record a talk that took place without being planned here)."""
    organisation = _lock(organisation)
    if organisation.stage not in (Stage.INTEREST, Stage.TALK_PLANNED):
        _refuse(_("Das Orientierungsgespräch kann nur vor der Vereinbarung als geführt vermerkt werden "
                  "(aktueller Stand: %(stage)s).") % {"stage": organisation.get_stage_display()})
    if held_on > timezone.localdate():
        _refuse(_("Ein Gespräch in der Zukunft kann nicht als geführt vermerkt werden."), "held_on")
    talk = open_talk(organisation)
    if talk is None:
        talk = OrientationTalk(organisation=organisation, created_by=actor,
                               scheduled_for=timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(10))))
    talk.held_on = held_on
    if participants:
        talk.participants = participants
    if notes:
        talk.notes = notes if not talk.notes else f"{talk.notes}\n\n{notes}"
    talk.full_clean()
    talk.save()
    _set_stage(organisation, Stage.TALK_HELD, actor=actor)
    log_action("partners.talk.held", obj=organisation, actor=actor, data={"held_on": held_on})
    _notify("talk_held", organisation_recipients(organisation), {
        "organisation": organisation.name, "path": _path("portal:agreement", organisation.pk)})
    return talk


# --- follow-up of unanswered talk dates (daily, `manage.py send_talk_reminders`) ---------

def _talk_date(talk: OrientationTalk) -> str:
    return timezone.localtime(talk.scheduled_for).strftime("%d.%m.%Y %H:%M")


def send_talk_reminders(*, now: datetime.datetime | None = None) -> tuple[list[TalkReminder], list[TalkReminder]]:
    """Follow up talk dates the organisation has not answered when the talk is at most
    `TALK_REMINDER_DAYS_BEFORE` days away (and has not begun; proposed on an earlier day): remind
    the organisation's members, then send the pact office one summary of these organisations.
    Each step once per talk and proposed date, however often (or however simultaneously) this runs.
    Returns (reminders to organisations, lines of the office summary) sent by this run."""
    now = now or timezone.now()
    Step = TalkReminder.Step
    reminded = []
    for talk in talks_awaiting_answer(now=now, days_before=TALK_REMINDER_DAYS_BEFORE, step=Step.ORGANISATION):
        reminder = _talk_reminder_send(talk=talk, now=now)
        if reminder is not None:
            reminded.append(reminder)
    return reminded, _talk_office_summary_send(now=now)


def _talk_reminder_send(*, talk: OrientationTalk, now: datetime.datetime) -> TalkReminder | None:
    """Remind the organisation of one proposal; None when it was answered, moved or already reminded."""
    try:
        with transaction.atomic():
            organisation = _lock(talk.organisation)  # serialises with talk_answer and talk_plan
            current = open_talk(organisation)
            if (organisation.stage != Stage.TALK_PLANNED or current is None or current.pk != talk.pk
                    or current.scheduled_for != talk.scheduled_for or current.is_answered
                    or current.scheduled_for <= now):
                return None
            recipients = organisation_recipients(organisation, all_members=True)
            reminder = TalkReminder.objects.create(talk=current, step=TalkReminder.Step.ORGANISATION,
                                                   scheduled_for=current.scheduled_for, sent_at=now,
                                                   recipients=[e for e, _l in recipients])
            log_action("partners.talk.reminder_sent", obj=organisation,
                       data={"talk": current.pk, "scheduled_for": current.scheduled_for,
                             "recipients": len(recipients)})
            _notify("talk_reminder", recipients, {
                "organisation": organisation.name, "date": _talk_date(current), "location": current.location,
                "path": _path("portal:talk_answer", organisation.pk)})
    except IntegrityError:
        return None  # another run reminded of this date already
    return reminder


@transaction.atomic
def _talk_office_summary_send(*, now: datetime.datetime) -> list[TalkReminder]:
    """One mail to the pact office listing the organisations that have not answered and are not
    listed in an earlier summary for this date. Concurrent runs split the list, never repeat it."""
    Step = TalkReminder.Step
    office = office_recipients(_pact())
    lines = []
    for talk in talks_awaiting_answer(now=now, days_before=TALK_REMINDER_DAYS_BEFORE, step=Step.OFFICE):
        try:
            with transaction.atomic():
                line = TalkReminder.objects.create(talk=talk, step=Step.OFFICE, scheduled_for=talk.scheduled_for,
                                                   sent_at=now, recipients=[e for e, _l in office])
        except IntegrityError:
            continue  # listed by another run
        log_action("partners.talk.office_notified", obj=talk.organisation,
                   data={"talk": talk.pk, "scheduled_for": talk.scheduled_for})
        lines.append(line)
    if lines:
        with_recipients = {(talk_id, on) for talk_id, on, to in TalkReminder.objects.filter(
            talk__in=[line.talk_id for line in lines], step=Step.ORGANISATION).values_list(
            "talk_id", "scheduled_for", "recipients") if to}
        _notify("talks_unanswered_office", office, {
            "days": TALK_REMINDER_DAYS_BEFORE,
            "path": _path("backoffice:organisations") + f"?stage={Stage.TALK_PLANNED.value}&sort=deadline",
            "talks": [{"organisation": line.talk.organisation.name, "date": _talk_date(line.talk),
                       "location": line.talk.location,
                       "reminded": (line.talk_id, line.scheduled_for) in with_recipients,
                       "path": _path("backoffice:organisation", line.talk.organisation_id)} for line in lines]})
    return lines


# --- agreement versions ----------------------------------------------------------------

def current_agreement_version(pact: Pact, *, on: datetime.date | None = None) -> AgreementVersion | None:
    on = on or timezone.localdate()
    return AgreementVersion.objects.filter(pact=pact, valid_from__lte=on).order_by("-valid_from", "-pk").first()


@transaction.atomic
def agreement_version_save(*, pact: Pact, actor, version: AgreementVersion | None = None,
                           **fields) -> AgreementVersion:
    """Create a version of the agreement text, or correct one nobody has signed yet."""
    created = version is None
    if created:
        version = AgreementVersion(pact=pact, created_by=actor)
    elif version.agreements.exclude(status=Agreement.Status.DRAFT).exists():
        _refuse(_("Diese Fassung wurde bereits eingereicht oder unterzeichnet und kann nicht mehr geändert werden. "
                  "Legen Sie eine neue Fassung an."))
    for name, value in fields.items():
        setattr(version, name, value)
    version.full_clean()
    version.save()
    log_action("partners.agreement_version.created" if created else "partners.agreement_version.updated",
               obj=version, actor=actor, data={"label": version.label, "valid_from": version.valid_from})
    return version


# --- agreement -------------------------------------------------------------------------

def open_agreement(organisation: Organisation) -> Agreement | None:
    """The agreement that is being filled in, reviewed or in force (not ended)."""
    return organisation.agreements.exclude(status=Agreement.Status.ENDED).select_related("version").first()


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _dec(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def agreement_snapshot(agreement: Agreement, *, pact: Pact, source: str = "live") -> dict:
    """What the agreement says, as plain JSON: the text version (both languages), the parties,
    the signatories, the obligations with their dates and the current targets. Stored at
    counter-signature as the document of record; built live for a draft or one under review."""
    organisation, version, by = agreement.organisation, agreement.version, agreement.countersigned_by
    signed_on = agreement.countersigned_on
    targets = organisation.targets.current()
    return {
        "schema": 1, "source": source, "taken_at": timezone.now().isoformat(),
        "pact": {"name_de": pact.name_de, "name_en": pact.name_en, "office_name_de": pact.office_name_de,
                 "office_name_en": pact.office_name_en, "contact_email": pact.contact_email,
                 "target_year": pact.target_year, "baseline_report_due_months": pact.baseline_report_due_months},
        "organisation": {"id": organisation.pk, "name": organisation.name, "legal_form": organisation.legal_form,
                         "street": organisation.street, "postal_code": organisation.postal_code,
                         "city": organisation.city},
        "version": {"id": version.pk, "label": version.label, "valid_from": _iso(version.valid_from),
                    "title_de": version.title_de, "title_en": version.title_en,
                    "text_de": version.text_de, "text_en": version.text_en},
        "signatory_name": agreement.signatory_name, "signatory_role": agreement.signatory_role,
        "accepts_obligations": agreement.accepts_obligations,
        "consents_publication": agreement.consents_publication,
        "submitted_on": _iso(timezone.localdate(agreement.submitted_at) if agreement.submitted_at else None),
        "countersigned_on": _iso(signed_on), "countersigned_by": str(by) if by else "",
        "baseline_report_due": _iso(pact.baseline_report_due(signed_on) if signed_on else None),
        "monitoring_years": pact.monitoring_years(),
        "targets": [{"id": t.pk, "version": t.version, "base_year": t.base_year, "target_year": t.target_year,
                     "reduction_percent": _dec(t.reduction_percent), "reduction_t_co2e": _dec(t.reduction_t_co2e),
                     "scopes": t.scopes, "neutral_by": t.neutral_by, "comment": t.comment} for t in targets],
    }


@transaction.atomic
def agreement_save(*, organisation: Organisation, actor, signatory_name: str = "", signatory_role: str = "",
                   accepts_obligations: bool = False, consents_publication: bool = False) -> Agreement:
    """Save the organisation's draft of the agreement (in the currently valid text version)."""
    organisation = _lock(organisation)
    if organisation.stage in (Stage.ACTIVE, Stage.PAUSED, Stage.LEFT, Stage.AGREEMENT_SUBMITTED):
        _refuse(_("Die Vereinbarung kann in diesem Stand nicht bearbeitet werden (%(stage)s).")
                % {"stage": organisation.get_stage_display()})
    pact = _pact()
    version = current_agreement_version(pact)
    if version is None:
        _refuse(_("Die Geschäftsstelle hat noch keinen Vereinbarungstext veröffentlicht."))
    agreement = open_agreement(organisation)
    created = agreement is None
    if created:
        agreement = Agreement(organisation=organisation, version=version)
    elif not agreement.is_editable:
        _refuse(_("Die Vereinbarung wurde eingereicht und kann gerade nicht bearbeitet werden."))
    agreement.version = version  # a draft always follows the valid text
    agreement.signatory_name, agreement.signatory_role = signatory_name.strip(), signatory_role.strip()
    agreement.accepts_obligations, agreement.consents_publication = accepts_obligations, consents_publication
    agreement.full_clean()
    agreement.save()
    log_action("partners.agreement.saved", obj=organisation, actor=actor,
               data={"agreement": agreement.pk, "version": version.label, "created": created})
    return agreement


@transaction.atomic
def agreement_submit(*, agreement: Agreement, actor) -> Agreement:
    """The organisation signs and submits; the pact office reviews."""
    organisation = _lock(agreement.organisation)
    agreement = Agreement.objects.select_for_update().select_related("version").get(pk=agreement.pk)
    if not agreement.is_editable:
        _refuse(_("Diese Vereinbarung wurde bereits eingereicht."))
    if organisation.stage != Stage.TALK_HELD:
        _refuse(_("Die Vereinbarung kann erst nach dem Orientierungsgespräch eingereicht werden."))
    errors = {}
    if not agreement.signatory_name:
        errors["signatory_name"] = _("Geben Sie an, wer die Vereinbarung unterzeichnet.")
    if not agreement.signatory_role:
        errors["signatory_role"] = _("Geben Sie die Funktion der unterzeichnenden Person an.")
    if not agreement.accepts_obligations:
        errors["accepts_obligations"] = _("Um einzureichen, erkennen Sie die Pflichten der Klimapartner an.")
    if not organisation.targets.current().exists():
        errors["__all__"] = _("Legen Sie mindestens ein Reduktionsziel fest, bevor Sie einreichen.")
    if errors:
        raise ValidationError(errors)
    current = current_agreement_version(_pact())
    if current and current.pk != agreement.version_id:
        agreement.version = current
    agreement.status = Agreement.Status.SUBMITTED
    agreement.submitted_at = timezone.now()
    agreement.submitted_by = actor
    agreement.save()
    _set_stage(organisation, Stage.AGREEMENT_SUBMITTED, actor=actor)
    log_action("partners.agreement.submitted", obj=organisation, actor=actor,
               data={"agreement": agreement.pk, "version": agreement.version.label,
                     "signatory": agreement.signatory_name})
    context = {"organisation": organisation.name, "signatory": agreement.signatory_name,
               "path": _path("backoffice:organisation", organisation.pk),
               "portal_path": _path("portal:organisation", organisation.pk)}
    _notify("agreement_submitted_office", office_recipients(_pact()), context)
    _notify("agreement_submitted", organisation_recipients(organisation), context)
    return agreement


@transaction.atomic
def agreement_request_changes(*, agreement: Agreement, actor, comment: str) -> Agreement:
    organisation = _lock(agreement.organisation)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != Agreement.Status.SUBMITTED:
        _refuse(_("Änderungen können nur an einer eingereichten Vereinbarung erbeten werden."))
    if not comment.strip():
        _refuse(_("Schreiben Sie, was geändert werden soll."), "comment")
    agreement.status = Agreement.Status.CHANGES_REQUESTED
    agreement.review_comment = comment.strip()
    agreement.save()
    _set_stage(organisation, Stage.TALK_HELD, actor=actor, reason=comment.strip())
    log_action("partners.agreement.changes_requested", obj=organisation, actor=actor,
               data={"agreement": agreement.pk, "comment": comment.strip()})
    _notify("agreement_changes_requested", organisation_recipients(organisation), {
        "organisation": organisation.name, "comment": comment.strip(),
        "path": _path("portal:agreement", organisation.pk)})
    return agreement


@transaction.atomic
def agreement_countersign(*, agreement: Agreement, actor, on: datetime.date | None = None) -> Agreement:
    """The pact office counter-signs: the organisation becomes an active Klimapartner."""
    organisation = _lock(agreement.organisation)
    agreement = Agreement.objects.select_for_update().select_related("version").get(pk=agreement.pk)
    if agreement.status != Agreement.Status.SUBMITTED:
        _refuse(_("Nur eine eingereichte Vereinbarung kann gegengezeichnet werden."))
    on = on or timezone.localdate()
    pact = _pact()
    agreement.organisation = organisation
    agreement.status = Agreement.Status.COUNTERSIGNED
    agreement.countersigned_on = on
    agreement.countersigned_by = actor
    agreement.review_comment = ""
    # The document of record: later target versions or data changes no longer alter it.
    agreement.snapshot = agreement_snapshot(agreement, pact=pact, source="countersignature")
    agreement.save()
    organisation.targets.current().update(signed=True)
    organisation.partner_since = on
    organisation.listing_consent = agreement.consents_publication
    organisation.save(update_fields=["partner_since", "listing_consent"])
    _set_stage(organisation, Stage.ACTIVE, actor=actor)
    log_action("partners.agreement.signed", obj=organisation, actor=actor,
               data={"agreement": agreement.pk, "version": agreement.version.label, "signed_on": on,
                     "baseline_report_due": pact.baseline_report_due(on)})
    notify("partners/email/agreement_signed", organisation_recipients(organisation) + office_recipients(pact),
           lambda language: {"organisation": organisation.name, "signed_on": on.strftime("%d.%m.%Y"),
                             "path": _path("portal:organisation", organisation.pk, language=language)},
           attachments=[attachment("partners.agreement_pdf", agreement_id=agreement.pk)])
    return agreement


# --- targets ---------------------------------------------------------------------------

TARGET_FIELDS = ("base_year", "target_year", "reduction_percent", "reduction_t_co2e", "scopes", "neutral_by",
                 "comment")


def _targets_editable(organisation: Organisation) -> bool:
    """True: edits in place (before signing). False: versioned (after signing). Refuses otherwise."""
    agreement = open_agreement(organisation)
    if organisation.stage == Stage.LEFT:
        _refuse(_("Die Partnerschaft ist beendet; Ziele können nicht mehr geändert werden."))
    if organisation.stage == Stage.AGREEMENT_SUBMITTED or (agreement and agreement.status == Agreement.Status.SUBMITTED):
        _refuse(_("Während die Geschäftsstelle die Vereinbarung prüft, können die Ziele nicht geändert werden."))
    return organisation.stage not in (Stage.ACTIVE, Stage.PAUSED)


@transaction.atomic
def target_save(*, organisation: Organisation, actor, target: Target | None = None, **fields) -> Target:
    """Add or change a target. After signing, a change keeps the old version (archived)."""
    organisation = _lock(organisation)
    in_place = _targets_editable(organisation)
    values = {k: fields.get(k) for k in TARGET_FIELDS}
    values["comment"] = values["comment"] or ""
    for key in ("reduction_percent", "reduction_t_co2e"):
        if values[key] is not None:
            values[key] = Decimal(values[key])
    if target is not None:
        target = Target.objects.select_for_update().get(pk=target.pk, organisation=organisation)
        if target.archived_at is not None:
            _refuse(_("Diese Fassung des Ziels wurde bereits ersetzt."))
    if target is None or in_place or not target.signed:
        obj = target or Target(organisation=organisation, created_by=actor)
        for k, v in values.items():
            setattr(obj, k, v)
        obj.signed = obj.signed or not in_place
        obj.full_clean()
        obj.save()
        log_action("partners.target.created" if target is None else "partners.target.updated", obj=organisation,
                   actor=actor, data={"target": obj.pk, **values})
        directory_changed()
        return obj
    # After signing: archive the signed version and create the next one.
    new = Target(organisation=organisation, created_by=actor, previous=target, version=target.version + 1,
                 signed=True, **values)
    new.full_clean(exclude=["previous"])
    target.archived_at = timezone.now()
    target.save(update_fields=["archived_at"])
    new.save()
    log_action("partners.target.revised", obj=organisation, actor=actor,
               data={"target": new.pk, "previous": target.pk, "version": new.version, **values})
    directory_changed()
    _notify_target_revision(organisation)
    return new


def _notify_target_revision(organisation: Organisation) -> None:
    _notify("target_revised_office", office_recipients(_pact()), {
        "organisation": organisation.name, "path": _path("backoffice:organisation", organisation.pk)})


@transaction.atomic
def target_delete(*, target: Target, actor) -> None:
    organisation = _lock(target.organisation)
    in_place = _targets_editable(organisation)
    if target.archived_at is not None:
        _refuse(_("Diese Fassung des Ziels wurde bereits ersetzt."))
    if in_place or not target.signed:
        log_action("partners.target.deleted", obj=organisation, actor=actor, data={"target": target.pk})
        target.delete()
    else:
        if organisation.targets.current().count() == 1:
            _refuse(_("Ein Klimapartner braucht mindestens ein Reduktionsziel."))
        target.archived_at = timezone.now()
        target.save(update_fields=["archived_at"])
        log_action("partners.target.withdrawn", obj=organisation, actor=actor, data={"target": target.pk})
        _notify_target_revision(organisation)
    directory_changed()


# --- leaving, pausing, ending ------------------------------------------------------------

def _end_agreement(organisation: Organisation) -> None:
    organisation.agreements.exclude(status=Agreement.Status.ENDED).update(
        status=Agreement.Status.ENDED, ended_on=timezone.localdate())


@transaction.atomic
def partnership_leave(*, organisation: Organisation, actor, reason: str = "") -> Organisation:
    """The organisation leaves the pact (at any stage). History stays; the listing disappears."""
    organisation = _lock(organisation)
    if organisation.stage == Stage.LEFT:
        _refuse(_("Die Organisation ist bereits ausgetreten."))
    was = organisation.stage
    _end_agreement(organisation)
    _set_stage(organisation, Stage.LEFT, actor=actor, reason=reason.strip())
    log_action("partners.partnership.left", obj=organisation, actor=actor, data={"from": was, "reason": reason})
    _notify("partnership_left_office", office_recipients(_pact()), {
        "organisation": organisation.name, "reason": reason, "path": _path("backoffice:organisation", organisation.pk)})
    _notify("partnership_left", organisation_recipients(organisation), {"organisation": organisation.name})
    return organisation


@transaction.atomic
def partnership_pause(*, organisation: Organisation, actor, reason: str) -> Organisation:
    organisation = _lock(organisation)
    if organisation.stage != Stage.ACTIVE:
        _refuse(_("Nur eine aktive Partnerschaft kann pausiert werden."))
    if not reason.strip():
        _refuse(_("Geben Sie einen Grund an."), "reason")
    _set_stage(organisation, Stage.PAUSED, actor=actor, reason=reason.strip())
    log_action("partners.partnership.paused", obj=organisation, actor=actor, data={"reason": reason.strip()})
    _notify("partnership_paused", organisation_recipients(organisation), {
        "organisation": organisation.name, "reason": reason.strip()})
    return organisation


@transaction.atomic
def partnership_resume(*, organisation: Organisation, actor, reason: str = "") -> Organisation:
    organisation = _lock(organisation)
    if organisation.stage != Stage.PAUSED:
        _refuse(_("Nur eine pausierte Partnerschaft kann fortgesetzt werden."))
    _set_stage(organisation, Stage.ACTIVE, actor=actor, reason=reason.strip())
    log_action("partners.partnership.resumed", obj=organisation, actor=actor, data={"reason": reason.strip()})
    _notify("partnership_resumed", organisation_recipients(organisation), {"organisation": organisation.name})
    return organisation


@transaction.atomic
def partnership_end(*, organisation: Organisation, actor, reason: str) -> Organisation:
    """The pact office ends a partnership (or closes an interest) with a reason."""
    organisation = _lock(organisation)
    if organisation.stage == Stage.LEFT:
        _refuse(_("Die Partnerschaft ist bereits beendet."))
    if not reason.strip():
        _refuse(_("Geben Sie einen Grund an."), "reason")
    was = organisation.stage
    _end_agreement(organisation)
    _set_stage(organisation, Stage.LEFT, actor=actor, reason=reason.strip())
    log_action("partners.partnership.ended", obj=organisation, actor=actor, data={"from": was,
                                                                                   "reason": reason.strip()})
    _notify("partnership_ended", organisation_recipients(organisation), {
        "organisation": organisation.name, "reason": reason.strip()})
    return organisation


# --- staff notes and documents -----------------------------------------------------------

@transaction.atomic
def note_add(*, organisation: Organisation, actor, text: str) -> OrganisationNote:
    if not text.strip():
        _refuse(_("Die Notiz ist leer."), "text")
    note = OrganisationNote.objects.create(organisation=organisation, author=actor, text=text.strip())
    log_action("partners.note.added", obj=organisation, actor=actor, data={"note": note.pk})
    return note


@transaction.atomic
def document_add(*, organisation: Organisation, actor, title: str, file, shared_with_organisation: bool = False
                 ) -> OrganisationDocument:
    document = OrganisationDocument(organisation=organisation, uploaded_by=actor, title=title, file=file,
                                    shared_with_organisation=shared_with_organisation)
    document.full_clean()
    document.save()
    log_action("partners.document.added", obj=organisation, actor=actor,
               data={"document": document.pk, "title": title, "shared": shared_with_organisation})
    return document


@transaction.atomic
def document_delete(*, document: OrganisationDocument, actor) -> None:
    """The pact office deletes a document of an organisation. The row goes now; the file leaves the
    storage after commit (a rollback keeps both)."""
    organisation = _lock(document.organisation)
    document = OrganisationDocument.objects.filter(pk=document.pk, organisation=organisation).first()
    if document is None:
        _refuse(_("Dieses Dokument gibt es nicht mehr."))
    name, storage = document.file.name, document.file.storage
    log_action("partners.document.deleted", obj=organisation, actor=actor,
               data={"document": document.pk, "title": document.title, "file": name,
                     "shared": document.shared_with_organisation})
    document.delete()
    if name:
        # robust: a storage hiccup is logged; the deletion the user asked for has happened.
        transaction.on_commit(lambda: storage.delete(name), robust=True)
