"""Who may do what with support (django-rules, autodiscovered).

- Offers: everyone reads published offers; the pact office manages all offers, an advisor
  those of their institution.
- Requests: members of the organisation ask and follow their requests; the advisors of the
  institution that holds a request handle it; the office sees and assigns every request.
  Advisors of an institution that held the request before see its header and their own notes."""

import rules

from klimapakt.core.rules import is_advisor, is_pact_office
from klimapakt.partners.rules import is_org_member


@rules.predicate
def advises_offer(user, offer):
    return bool(offer is not None and getattr(user, "is_authenticated", False) and user.advisor_for_id
                and offer.institution_id == user.advisor_for_id)


@rules.predicate
def member_of_requesting_organisation(user, support_request):
    return support_request is not None and is_org_member(user, support_request.organisation)


@rules.predicate
def holds_request(user, support_request):
    return bool(support_request is not None and getattr(user, "is_authenticated", False) and user.advisor_for_id
                and support_request.institution_id == user.advisor_for_id)


@rules.predicate
def held_request_before(user, support_request):
    if support_request is None or not getattr(user, "is_authenticated", False) or not user.advisor_for_id:
        return False
    return support_request.holdings.filter(institution_id=user.advisor_for_id).exists()


rules.add_perm("support.manage_offers", is_pact_office | is_advisor)          # the list, creating offers
rules.add_perm("support.change_offer", is_pact_office | advises_offer)
rules.add_perm("support.view_requests", is_pact_office | is_advisor)           # the inbox
rules.add_perm("support.assign_requests", is_pact_office)
rules.add_perm("support.manage_settings", is_pact_office)
rules.add_perm("support.handle_request", is_pact_office | holds_request)
rules.add_perm("support.view_request", is_pact_office | holds_request | held_request_before)
rules.add_perm("support.ask_for_support", member_of_requesting_organisation)
