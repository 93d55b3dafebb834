"""Writes for organisations and their members."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.mail import send_templated_mail

from .models import Invitation, Membership, Organisation


@transaction.atomic
def organisation_create(*, creator, name: str, kind: str, **fields) -> Organisation:
    """Create an organisation; its creator becomes its first admin."""
    organisation = Organisation(name=name, kind=kind, **fields)
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(organisation=organisation, user=creator, role=Membership.Role.ADMIN)
    log_action("partners.organisation.created", obj=organisation, actor=creator, data={"name": name, "kind": kind})
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
    with translation.override(language):
        path = reverse("invitation:accept", args=[invitation.token])
    context = {"organisation": organisation.name, "inviter": str(invited_by), "path": path}
    transaction.on_commit(lambda: send_templated_mail.enqueue(
        template="partners/email/invitation", to=[email], context=context, language=language))
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


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    organisation = membership.organisation
    if membership.role == Membership.Role.ADMIN and \
            organisation.memberships.filter(role=Membership.Role.ADMIN).count() == 1:
        raise ValidationError(_("Die letzte Person mit Verwaltungsrechten kann nicht entfernt werden."))
    log_action("partners.membership.removed", obj=organisation, actor=actor,
               data={"email": membership.user.email})
    membership.delete()
