"""The institutions' offers: created, changed and deleted by the pact office (every
institution) or an advisor (their own institution only). A deleted offer's requests stay; they
lose only the link to the offer (SupportRequest.offer is SET_NULL)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.models import InitialPartner, Pact
from klimapakt.core.services import refuse
from klimapakt.partners.models import SIZE_CLASSES, WZ2008_SECTIONS

from ..models import Language, Offer, tags

MAX_OFFERS_PER_INSTITUTION = 50

# Everything a form or the demo may set; pact and institution are set by the service.
TEXT_FIELDS = ("kind", "title_de", "title_en", "summary_de", "summary_en", "benefits_de", "benefits_en",
               "requirements_de", "requirements_en", "audience", "price_de", "price_en", "contact_name",
               "contact_email", "contact_phone")
FLAG_FIELDS = ("is_free", "is_published", "position")
TAG_FIELDS = ("size_classes", "sectors", "languages")
OFFER_FIELDS = TEXT_FIELDS + FLAG_FIELDS + TAG_FIELDS

SIZE_KEYS = frozenset(key for key, _label, _low, _high in SIZE_CLASSES)
SECTOR_KEYS = frozenset(key for key, _label in WZ2008_SECTIONS)


def may_change_offers_of(actor, institution: InitialPartner) -> bool:
    """The office (or the platform itself, actor None) for every institution, an advisor for theirs."""
    if actor is None or getattr(actor, "is_pact_office", False):
        return True
    return bool(getattr(actor, "advisor_for_id", None)) and actor.advisor_for_id == institution.pk


def _check_actor(actor, institution: InitialPartner) -> None:
    if not may_change_offers_of(actor, institution):
        raise PermissionDenied(_("Sie können nur die Angebote Ihrer eigenen Einrichtung bearbeiten."))


def _tags(name: str, values: Iterable[str] | str, allowed: Iterable[str]) -> str:
    values = [values] if isinstance(values, str) else list(values or [])
    unknown = {str(v) for v in values if v} - set(allowed)
    if unknown:
        refuse(_("Bitte wählen Sie nur Einträge aus der Liste."), name)
    return tags(values)


def _apply(offer: Offer, fields: dict) -> list[str]:
    """Set the given fields (lists for size classes, sectors and languages); the names of those
    that changed."""
    unknown = set(fields) - set(OFFER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown offer fields: {sorted(unknown)}")
    values = dict(fields)
    if "size_classes" in values:
        values["size_classes"] = _tags("size_classes", values["size_classes"], SIZE_KEYS)
    if "sectors" in values:
        values["sectors"] = _tags("sectors", values["sectors"], SECTOR_KEYS)
    if "languages" in values:
        values["languages"] = _tags("languages", values["languages"], Language.values)
    for name in TEXT_FIELDS:
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    changed = []
    for name, value in values.items():
        if getattr(offer, name) != value:
            changed.append(name)
            setattr(offer, name, value)
    return changed


def offer_check(offer: Offer) -> None:
    """The rules of an offer beyond the model's: a price unless free, a way to get in touch,
    at least one language. Raises ValidationError with the field of each problem."""
    from django.core.exceptions import ValidationError

    errors: dict[str, list[str]] = {}
    try:
        offer.full_clean(exclude=["pact", "institution"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if not offer.is_free and not offer.price_de.strip():
        errors.setdefault("price_de", []).append(
            _("Bitte nennen Sie die Kosten, oder kreuzen Sie „Kostenfrei“ an."))
    if not (offer.contact_email or offer.contact_phone):
        errors.setdefault("contact_email", []).append(
            _("Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer für Rückfragen an."))
    if not offer.language_list:
        errors.setdefault("languages", []).append(_("Bitte wählen Sie mindestens eine Sprache der Beratung."))
    if errors:
        raise ValidationError(errors)


def _field_names(names: list[str]) -> list[str]:
    # Stored in German, the language of record, so the log reads the same for everyone.
    with translation.override("de"):
        return [str(Offer._meta.get_field(name).verbose_name) for name in names]


@transaction.atomic
def offer_create(*, pact: Pact, actor, institution: InitialPartner, **fields) -> Offer:
    """A new offer of `institution` (an advisor: their own institution only)."""
    if institution.pact_id != pact.pk:
        refuse(_("Diese Einrichtung gehört nicht zum Klimapakt."), "institution")
    _check_actor(actor, institution)
    if Offer.objects.filter(institution=institution).count() >= MAX_OFFERS_PER_INSTITUTION:
        refuse(_("Eine Einrichtung kann höchstens %(n)s Angebote haben.") % {"n": MAX_OFFERS_PER_INSTITUTION})
    offer = Offer(pact=pact, institution=institution)
    _apply(offer, fields)
    offer_check(offer)
    offer.created_at = offer.updated_at = timezone.now()
    offer.save()
    log_action("support.offer.created", obj=offer, actor=actor, data={
        "title": offer.title_de, "institution": institution.name, "kind": offer.kind})
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, actor, institution: InitialPartner | None = None, **fields) -> Offer:
    """Change an offer; only the pact office moves it to another institution."""
    offer = Offer.objects.select_for_update().select_related("institution").get(pk=offer.pk)
    _check_actor(actor, offer.institution)
    changed = []
    if institution is not None and institution.pk != offer.institution_id:
        if not (actor is None or getattr(actor, "is_pact_office", False)):
            raise PermissionDenied(_("Nur die Geschäftsstelle ordnet ein Angebot einer anderen Einrichtung zu."))
        if institution.pact_id != offer.pact_id:
            refuse(_("Diese Einrichtung gehört nicht zum Klimapakt."), "institution")
        offer.institution = institution
        changed.append("institution")
    changed += _apply(offer, fields)
    offer_check(offer)
    if changed:
        offer.updated_at = timezone.now()
        offer.save()
        log_action("support.offer.changed", obj=offer, actor=actor, data={
            "title": offer.title_de, "institution": offer.institution.name, "fields": _field_names(changed)})
    return offer


@transaction.atomic
def offer_delete(*, offer: Offer, actor) -> int:
    """Delete an offer. Its requests stay with their institution and lose the link to the
    offer. Returns how many requests referred to it."""
    offer = Offer.objects.select_for_update().select_related("institution").get(pk=offer.pk)
    _check_actor(actor, offer.institution)
    requests = offer.requests.count()
    data = {"title": offer.title_de, "institution": offer.institution.name}
    if requests:
        data["count"] = requests
    log_action("support.offer.deleted", obj=offer, actor=actor, data=data)
    offer.delete()
    return requests
