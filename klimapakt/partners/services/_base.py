"""Helpers every partners service shares: locking, the stage change with its history, mails."""

from __future__ import annotations

from django.utils import timezone

from klimapakt.core import derived
from klimapakt.core.models import Pact
from klimapakt.core.notifications import notify
from klimapakt.core.services import refuse as _refuse  # noqa: F401 - the services' refusal

from ..deadlines import deadline_refresh
from ..models import (
    Organisation,
    StageChange,
)

Stage = Organisation.Stage
DIRECTORY = "partners:directory"


# --- helpers ---------------------------------------------------------------------------

def directory_version() -> str:
    """A version that changes whenever public partner data may have changed (cache keys)."""
    return derived.versions([DIRECTORY])


def directory_changed() -> None:
    derived.changed(DIRECTORY)


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


