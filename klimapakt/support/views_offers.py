"""Public pages of support: the initial partners' offers ("Unterstützung") with filters that
work as a plain GET form, and one offer with its institution, its upcoming events and the way
to ask for advice."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from klimapakt.core.selectors import current_pact_or_404 as _pact
from klimapakt.partners.models import SIZE_CLASSES, WZ2008_SECTIONS

from .models import Language, Offer
from .selectors import offers as selectors


def offers(request):
    pact = _pact()
    institutions = list(pact.partner_list)
    filters = selectors.OfferFilters.from_query(request.GET, institution_ids=[p.pk for p in institutions])
    page = Paginator(selectors.offers_public(pact=pact, filters=filters),
                     selectors.PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "support/offers.html", {
        "page_obj": page, "offers": page.object_list, "filters": filters, "institutions": institutions,
        "kinds": Offer.Kind.choices, "sizes": [(key, label) for key, label, _low, _high in SIZE_CLASSES],
        "sectors": WZ2008_SECTIONS,
    })


def offer(request, offer_pk):
    pact = _pact()
    item = selectors.offer_public(pact=pact, pk=offer_pk, user=request.user)
    if item is None:
        raise Http404
    sizes = {key: label for key, label, _low, _high in SIZE_CLASSES}
    sectors = dict(WZ2008_SECTIONS)
    languages = dict(Language.choices)
    login_url = reverse("account_login") + "?" + urlencode({"next": request.get_full_path()})
    return render(request, "support/offer.html", {
        "offer": item, "institution": item.institution,
        "size_labels": [sizes.get(k, k) for k in item.size_class_list],
        "sector_labels": [sectors.get(k, k) for k in item.sector_list],
        "language_labels": [languages.get(k, k) for k in item.language_list],
        "events": selectors.institution_events(pact=pact, institution=item.institution),
        "request_links": selectors.request_links(user=request.user, offer=item),
        "login_url": login_url,
        "can_change": request.user.is_authenticated and request.user.has_perm("support.change_offer", item),
    })
