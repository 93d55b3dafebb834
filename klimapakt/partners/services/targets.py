"""Reduction targets: edited in place before signing, versioned after."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.notifications import mail_path as _path
from klimapakt.core.notifications import office_recipients

from ..models import (
    Agreement,
    Organisation,
    Target,
)
from ..selectors import (
    open_agreement,
)
from ._base import (
    Stage,
    _lock,
    _notify,
    _pact,
    _refuse,
    directory_changed,
)

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
