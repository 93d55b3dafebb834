"""The offers in the back office: an advisor keeps their institution's offers, the pact office
every institution's (list, create, edit, delete with a confirmation step)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from klimapakt.core.backoffice import permission, render_office
from klimapakt.core.forms import apply_validation_error as _apply_errors
from klimapakt.core.selectors import current_pact
from klimapakt.core.utils import parse_int

from .forms_offers import OfferForm
from .models import Offer
from .selectors import offers as selectors
from .services import offers as services

MANAGE = "support.manage_offers"


def _offer_for(request, offer_pk) -> Offer:
    offer = get_object_or_404(Offer.objects.select_related("institution"), pk=offer_pk, pact_id=current_pact().pk)
    if not request.user.has_perm("support.change_offer", offer):
        raise PermissionDenied
    return offer


@permission(MANAGE)
def offers(request):
    pact = current_pact()
    institutions = list(pact.partner_list)
    institution = parse_int(request.GET.get("einrichtung", ""))
    if institution not in {p.pk for p in institutions} or not request.user.is_pact_office:
        institution = None
    qs = selectors.offers_for_office(pact=pact, user=request.user, institution_id=institution)
    page = Paginator(qs, selectors.OFFICE_PAGE_SIZE).get_page(request.GET.get("page"))
    own = next((p for p in institutions if p.pk == request.user.advisor_for_id), None)
    return render_office(request, "support/backoffice/offers.html", {
        "page_obj": page, "institutions": institutions, "institution": institution, "own_institution": own,
    })


@permission(MANAGE)
def offer_edit(request, offer_pk=None):
    pact = current_pact()
    offer = _offer_for(request, offer_pk) if offer_pk else None
    if offer is None and not (request.user.is_pact_office or request.user.advisor_for_id):
        raise PermissionDenied
    form = OfferForm(request.POST or None, instance=offer, pact=pact, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        institution = form.cleaned_data.get("institution")
        try:
            if offer is None:
                pact_row = type(pact).objects.get(pk=pact.pk)
                offer = services.offer_create(pact=pact_row, actor=request.user,
                                              institution=institution or request.user.advisor_for, **data)
            else:
                offer = services.offer_update(offer=offer, actor=request.user, institution=institution, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Das Angebot „%(title)s“ wurde gespeichert.") % {"title": offer.title_de})
            return redirect("support_office:offers")
    institution = offer.institution if offer else request.user.advisor_for
    return render_office(request, "support/backoffice/offer_form.html", {
        "form": form, "offer": offer, "fixed_institution": None if request.user.is_pact_office else institution,
        "title": _("Angebot bearbeiten") if offer else _("Neues Angebot"),
    })


@permission(MANAGE)
def offer_delete(request, offer_pk):
    """GET: what deleting means (requests stay); POST: delete."""
    offer = _offer_for(request, offer_pk)
    if request.method == "POST":
        title = offer.title_de
        kept = services.offer_delete(offer=offer, actor=request.user)
        messages.success(request, _("Das Angebot „%(title)s“ wurde gelöscht.") % {"title": title})
        if kept:
            messages.info(request, _("Die Beratungsanfragen zu diesem Angebot bleiben erhalten."))
        return redirect("support_office:offers")
    return render_office(request, "support/backoffice/offer_delete.html", {
        "offer": offer, "request_count": offer.requests.count(),
    })
