"""Authorization matrix of support's offers: the public catalogue and API for everyone; the
back office's offer pages for the pact office and advisors, an offer's pages for the office and
the advisors of its institution (the world's advisor is from the IHK, which offers the one made
here; tests/support/test_offers.py checks another institution's offer)."""

from .registry import Route, public, staff_and_advisors


def _offer(world):
    from klimapakt.support.services.offers import offer_create

    ihk = world["pact"].initial_partners.get(short_name="IHK")
    offer = offer_create(pact=world["pact"], actor=None, institution=ihk, kind="first_advice",
                         title_de="Erstberatung Energieeffizienz", summary_de="Ein Gespräch.",
                         contact_email="energie@ihk.example", languages=["de"])
    return {"offer": offer}


OFFER = lambda w: {"offer_pk": w["offer"].pk}  # noqa: E731

ROUTES = {
    "support:offers": Route(public()),
    "support:offer": Route(public(), setup=_offer, kwargs=OFFER),
    "api-1.0.0:support_offers": Route(public(), setup=_offer),
    "support_office:offers": Route(staff_and_advisors(), setup=_offer),
    "support_office:offer_create": Route(staff_and_advisors()),
    "support_office:offer_edit": Route(staff_and_advisors(), setup=_offer, kwargs=OFFER),
    # GET: the confirmation page (tests/support/test_offers.py posts the deletion as each role).
    "support_office:offer_delete": Route(staff_and_advisors(), setup=_offer, kwargs=OFFER),
}
