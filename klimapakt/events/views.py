from django.shortcuts import render

from klimapakt.core.selectors import current_pact

from .selectors import upcoming_public_events


def event_list(request):
    return render(request, "events/list.html", {"events": list(upcoming_public_events(pact=current_pact()))})
