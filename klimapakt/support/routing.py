"""Where a request goes. One rule in one place:

1. A request for an offer goes to the offer's institution.
2. A request "not sure which offer" goes to the institution of the first active routing rule
   (by position) whose filled conditions all match: a topic of the request, the organisation's
   sector (WZ section), its size class and, when the rule says so, the Handwerksbetrieb flag.
3. Otherwise it goes to the pact office, which assigns it by hand."""

from __future__ import annotations

from collections.abc import Iterable

from .models import RoutingRule


def rule_matches(rule: RoutingRule, *, topics: Iterable[str], sector: str, size_class: str,
                 craft_business: bool) -> bool:
    if rule.topic and rule.topic not in set(topics):
        return False
    if rule.sector and rule.sector != sector:
        return False
    if rule.size_class and rule.size_class != size_class:
        return False
    return not (rule.craft_business and not craft_business)


def route(*, pact, offer, organisation, topics: Iterable[str]):
    """The institution (core.InitialPartner) that receives the request, or None: the office."""
    if offer is not None:
        return offer.institution
    topics = list(topics)
    rules = RoutingRule.objects.filter(pact=pact, is_active=True).select_related("institution")[:200]
    for rule in rules:
        if rule_matches(rule, topics=topics, sector=organisation.sector, size_class=organisation.size_class,
                        craft_business=organisation.craft_business):
            return rule.institution
    return None
