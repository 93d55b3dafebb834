"""The agreement text versions and an organisation's agreement: draft, submission, review, counter-signature."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.mail import attachment
from klimapakt.core.models import Pact
from klimapakt.core.notifications import mail_path as _path
from klimapakt.core.notifications import notify, office_recipients

from ..lifecycle import LIFECYCLE
from ..models import (
    Agreement,
    AgreementVersion,
    Organisation,
)
from ..selectors import (
    agreement_snapshot,
    current_agreement_version,
    open_agreement,
    organisation_recipients,
)
from ._base import (
    _lock,
    _notify,
    _pact,
    _refuse,
    _set_stage,
)

# --- agreement versions ----------------------------------------------------------------

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

@transaction.atomic
def agreement_save(*, organisation: Organisation, actor, signatory_name: str = "", signatory_role: str = "",
                   accepts_obligations: bool = False, consents_publication: bool = False) -> Agreement:
    """Save the organisation's draft of the agreement (in the currently valid text version)."""
    organisation = _lock(organisation)
    step = LIFECYCLE.check(organisation.stage, "save_agreement")
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
    log_action(step.audit, obj=organisation, actor=actor,
               data={"agreement": agreement.pk, "version": version.label, "created": created})
    return agreement


@transaction.atomic
def agreement_submit(*, agreement: Agreement, actor) -> Agreement:
    """The organisation signs and submits; the pact office reviews."""
    organisation = _lock(agreement.organisation)
    agreement = Agreement.objects.select_for_update().select_related("version").get(pk=agreement.pk)
    if not agreement.is_editable:
        _refuse(_("Diese Vereinbarung wurde bereits eingereicht."))
    step = LIFECYCLE.check(organisation.stage, "submit_agreement")
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
    _set_stage(organisation, step.target, actor=actor)
    log_action(step.audit, obj=organisation, actor=actor,
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
        LIFECYCLE.refuse(organisation.stage, "request_changes")
    step = LIFECYCLE.check(organisation.stage, "request_changes")
    if not comment.strip():
        _refuse(_("Schreiben Sie, was geändert werden soll."), "comment")
    agreement.status = Agreement.Status.CHANGES_REQUESTED
    agreement.review_comment = comment.strip()
    agreement.save()
    _set_stage(organisation, step.target, actor=actor, reason=comment.strip())
    log_action(step.audit, obj=organisation, actor=actor,
               data={"agreement": agreement.pk, "comment": comment.strip()})
    _notify("agreement_changes_requested", organisation_recipients(organisation), {
        "organisation": organisation.name, "comment": comment.strip(),
        "path": _path("portal:agreement", organisation.pk)})
    return agreement


@transaction.atomic
def agreement_countersign(*, agreement: Agreement, actor, on: datetime.date | None = None, name: str = "",
                          role: str = "") -> Agreement:
    """The pact office counter-signs: the organisation becomes an active Klimapartner. `name`
    and `role` of the signing officer are printed in the agreement (name: the actor's by default)."""
    organisation = _lock(agreement.organisation)
    agreement = Agreement.objects.select_for_update().select_related("version").get(pk=agreement.pk)
    if agreement.status != Agreement.Status.SUBMITTED:
        LIFECYCLE.refuse(organisation.stage, "countersign")
    step = LIFECYCLE.check(organisation.stage, "countersign")
    on = on or timezone.localdate()
    pact = _pact()
    agreement.organisation = organisation
    agreement.status = Agreement.Status.COUNTERSIGNED
    agreement.countersigned_on = on
    agreement.countersigned_by = actor
    agreement.countersigned_by_name = (name.strip() or (actor.get_full_name() if actor else "") or str(actor or ""))[:200]
    agreement.countersigned_by_role = role.strip()[:200]
    agreement.review_comment = ""
    # The document of record: later target versions or data changes no longer alter it.
    agreement.snapshot = agreement_snapshot(agreement, pact=pact, source="countersignature")
    agreement.save()
    organisation.targets.current().update(signed=True)
    organisation.partner_since = on
    organisation.listing_consent = agreement.consents_publication
    organisation.save(update_fields=["partner_since", "listing_consent"])
    _set_stage(organisation, step.target, actor=actor)
    log_action(step.audit, obj=organisation, actor=actor,
               data={"agreement": agreement.pk, "version": agreement.version.label, "signed_on": on,
                     "countersigned_by": agreement.countersigned_by_name,
                     "countersigned_by_role": agreement.countersigned_by_role,
                     "baseline_report_due": pact.baseline_report_due(on)})
    notify("partners/email/agreement_signed", organisation_recipients(organisation) + office_recipients(pact),
           lambda language: {"organisation": organisation.name, "signed_on": on,
                             "path": _path("portal:organisation", organisation.pk, language=language)},
           attachments=[attachment("partners.agreement_pdf", agreement_id=agreement.pk)])
    return agreement
