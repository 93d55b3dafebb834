"""A support request's status as one transition table (core.transitions). The services
(services/requests.py) ask it before every change; the pages ask it which buttons to offer.

    draft --send--> new --accept--> accepted --start--> in_progress --complete--> done
    new/accepted/in_progress --decline--> declined, --forward--> new (at another institution)
    new --assign--> new (the office names the institution), draft/open --withdraw--> withdrawn

"assign" and "forward" keep the status "new" for the institution that receives the request:
its service-level clock starts again."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from klimapakt.core.transitions import Transition, TransitionTable

from .models import SupportRequest

S = SupportRequest.Status
OPEN = [S.NEW, S.ACCEPTED, S.IN_PROGRESS]
HANDLE = "support.handle_request"
FIRM = "support.ask_for_support"

REQUEST_STATUS = TransitionTable("support request", [
    Transition("send", sources=[S.DRAFT], target=S.NEW, permission=FIRM, audit="support.request.sent",
               refusal=_("Diese Anfrage ist bereits gesendet.")),
    Transition("assign", sources=[S.NEW], target=None, permission="support.assign_requests",
               audit="support.request.assigned",
               refusal=_("Nur eine neue Anfrage kann einer Einrichtung zugeordnet werden (Status: %(state)s).")),
    Transition("accept", sources=[S.NEW], target=S.ACCEPTED, permission=HANDLE, audit="support.request.accepted",
               refusal=_("Nur eine neue Anfrage kann angenommen werden (Status: %(state)s).")),
    Transition("start", sources=[S.ACCEPTED], target=S.IN_PROGRESS, permission=HANDLE,
               audit="support.request.started",
               refusal=_("Nur eine angenommene Anfrage kann in Bearbeitung gehen (Status: %(state)s).")),
    Transition("complete", sources=[S.ACCEPTED, S.IN_PROGRESS], target=S.DONE, permission=HANDLE,
               audit="support.request.completed",
               refusal=_("Nur eine angenommene Anfrage kann abgeschlossen werden (Status: %(state)s).")),
    Transition("decline", sources=OPEN, target=S.DECLINED, permission=HANDLE, audit="support.request.declined",
               refusal=_("Nur eine offene Anfrage kann abgelehnt werden (Status: %(state)s).")),
    Transition("forward", sources=OPEN, target=S.NEW, permission=HANDLE, audit="support.request.forwarded",
               refusal=_("Nur eine offene Anfrage kann weitergeleitet werden (Status: %(state)s).")),
    Transition("withdraw", sources=[S.DRAFT, *OPEN], target=S.WITHDRAWN, permission=FIRM,
               audit="support.request.withdrawn",
               refusal=_("Diese Anfrage ist bereits abgeschlossen (Status: %(state)s).")),
], labels=S)
