"""Organisations and their members: registering interest, invitations, master data, profile."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.models import Pact
from klimapakt.core.notifications import mail_path as _path
from klimapakt.core.notifications import notify, office_recipients

from ..deadlines import deadline_refresh
from ..maps import check_in_region
from ..models import (
    Invitation,
    Membership,
    Organisation,
    StageChange,
)
from ..selectors import invitation_is_for
from ._base import (
    Stage,
    _lock,
    _notify,
    _pact,
    directory_changed,
)

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
                      contact_phone: str = "", website: str = "", city: str = "",
                      craft_business: bool = False) -> Organisation:
    """An organisation based in the city registers its interest; the pact office is told."""
    pact = _pact()
    check_postal_code(pact, postal_code)
    organisation = Organisation(
        name=name.strip(), kind=kind, legal_form=legal_form, street=street, postal_code=postal_code.strip(),
        city=city or pact.city, sector=sector, employees=employees, craft_business=craft_business,
        contact_name=contact_name,
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
    if not invitation_is_for(invitation, user):
        raise ValidationError(_("Diese Einladung gilt für eine andere E-Mail-Adresse. Bitte melden Sie sich mit "
                                "der Adresse an, an die die Einladung geschickt wurde."))
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


MASTER_FIELDS = ("name", "kind", "legal_form", "street", "postal_code", "sector", "employees", "craft_business",
                 "website",
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
    if "latitude" in changed or "longitude" in changed:  # a location set before MAP_BOUNDS may stay
        check_in_region(organisation.latitude, organisation.longitude)
    if organisation.show_location and organisation.latitude is None:
        raise ValidationError({"show_location": _("Um den Standort zu zeigen, geben Sie die Koordinaten an.")})
    organisation.full_clean()
    if "logo" in changed and organisation.logo and not organisation.logo._committed:
        from ..logos import logo_for_storage

        # pages and certificates use a fresh copy of at most 800 px, without the upload's metadata
        try:
            organisation.logo = logo_for_storage(organisation.logo.file)
        except ValidationError as error:
            raise ValidationError({"logo": error.messages}) from None
    organisation.save()
    if "logo" in changed and old_logo:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    log_action("partners.profile.updated", obj=organisation, actor=actor, data={"fields": sorted(changed)})
    directory_changed()
    return organisation
