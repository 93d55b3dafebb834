"""Who may organise events: the pact office all of them, an advisor those their institution
(``user.advisor_for``) co-organises. Autodiscovered by django-rules."""

import rules

from klimapakt.core.rules import is_advisor, is_pact_office


@rules.predicate
def co_organises(user, event):
    if event is None or not getattr(user, "is_authenticated", False) or not user.advisor_for_id:
        return False
    cached = getattr(event, "_organiser_ids", None)
    if cached is None:
        cached = event._organiser_ids = set(event.organisers.values_list("pk", flat=True))
    return user.advisor_for_id in cached


rules.add_perm("events.organise_events", is_pact_office | is_advisor)   # the list, creating events
rules.add_perm("events.manage_event", is_pact_office | co_organises)
