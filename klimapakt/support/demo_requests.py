"""Demo requests of the demo organisations (partners/demo.py) in every status, at several
institutions (the IHK, whose advisor is beratung@ihk.example, the HWK, the
Kreishandwerkerschaft, the WFG) and one the office has not assigned yet: with messages, an
internal note with an appointment, one overdue, one forwarded, one with the firm's grant on
its data. Made through the services (load_demo drops the mails they queue); the clock of the
overdue request is set back afterwards. Idempotent: a request is looked up by organisation
and description."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from klimapakt.core.demo import ensure_user
from klimapakt.core.models import InitialPartner, User
from klimapakt.partners.models import Organisation

from .consent import consent_statement
from .models import Holding, Offer, SupportRequest, Topic, tags
from .services import conversation
from .services import requests as services

SONNENKORN = "Musterbäckerei Sonnenkorn GmbH"
MEMBER = "mitglied@sonnenkorn.example"
OFFICE = "geschaeftsstelle@klimapakt.example"
ADVISORS = {"IHK": "beratung@ihk.example", "HWK": "beratung@hwk.example", "KH": "beratung@kh.example",
            "WFG": "beratung@wfg.example"}
NAMES = {"HWK": ("Hanna", "Handwerk"), "KH": ("Kai", "Kreis"), "WFG": ("Wiebke", "Wirtschaft")}

# organisation, institution (short name; None: the office assigns), topics, description, status, steps
REQUESTS = [
    (SONNENKORN, "IHK", [Topic.HEAT, Topic.FUNDING],
     "Unser Backofen läuft mit Gas. Lohnt sich ein Elektro-Etagenofen mit Wärmerückgewinnung, und gibt es dafür "
     "Fördermittel?", "in_progress", {"grant": True, "messages": True, "note": True}),
    (SONNENKORN, "IHK", [Topic.ELECTRICITY],
     "Wir möchten eine Photovoltaikanlage auf das Dach der Backstube bauen. Wer kann uns bei der Planung "
     "unterstützen?", "new", {"overdue": True}),
    ("Beispiel Metallbau Rheinufer KG", "HWK", [Topic.BUILDINGS, Topic.FUNDING],
     "Die Hallendämmung ist aus den 1980er-Jahren. Welche Maßnahmen zahlen sich aus?", "accepted",
     {"messages": True}),
    ("Muster Logistik Hafenkante GmbH", "WFG", [Topic.MOBILITY],
     "Wir stellen unsere Stadtlieferungen auf E-Transporter um und suchen Ladeinfrastruktur.", "done",
     {"outcome": SupportRequest.Outcome.FUNDING_APPLIED}),
    ("Demo Elektro Meisterbetrieb Fischeln", "IHK", [Topic.REPORTING],
     "Wie erstellen wir als Handwerksbetrieb unsere erste CO₂-Bilanz?", "new", {"forward_to": "KH"}),
    ("Muster Hotel Stadtgarten GmbH", None, [Topic.OTHER],
     "Wir wissen noch nicht, wo wir anfangen sollen: Wer berät Hotels zum Klimaschutz?", "new", {}),
    ("Demo Softwarehaus Samtweberei GmbH", "IHK", [Topic.MOBILITY],
     "Gibt es Beratung zu Dienstfahrrädern für unser Team?", "withdrawn", {}),
    ("Fiktiv Druckerei Linn GmbH", "IHK", [Topic.OTHER],
     "Können Sie uns eine Druckmaschine empfehlen?", "declined",
     {"reason": "Zu einzelnen Maschinen beraten wir nicht; für Effizienzfragen stellen Sie gern eine neue Anfrage."}),
    (SONNENKORN, None, [Topic.MOBILITY],
     "Entwurf: Beratung zur Umstellung unserer Lieferwagen.", "draft", {}),
]


def _advisors(pact) -> dict[str, User]:
    found = {}
    for short_name, email in ADVISORS.items():
        institution = InitialPartner.objects.filter(pact=pact, short_name=short_name).first()
        if institution is None:
            continue
        first, last = NAMES.get(short_name, ("Bernd", "Berater"))
        user = ensure_user(email, first_name=first, last_name=last, advisor_for=institution)
        if user.advisor_for_id is None:
            User.objects.filter(pk=user.pk).update(advisor_for=institution)
            user.advisor_for = institution
        found[short_name] = user
    return found


def load(pact) -> None:
    advisors = _advisors(pact)
    office = User.objects.filter(email=OFFICE).first() or User.objects.filter(is_pact_office=True).first()
    member = User.objects.filter(email=MEMBER).first()
    institutions = {i.short_name: i for i in InitialPartner.objects.filter(pact=pact)}
    for name, short_name, topics, description, status, steps in REQUESTS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None or SupportRequest.objects.filter(organisation=organisation,
                                                                 description=description).exists():
            continue
        with transaction.atomic():
            _build(organisation=organisation, institution=institutions.get(short_name) if short_name else None,
                   topics=[str(t) for t in topics], description=description, status=status, steps=steps,
                   asker=member if name == SONNENKORN else None, advisor=advisors.get(short_name or ""),
                   office=office, institutions=institutions, pact=pact)


def _build(*, organisation, institution, topics, description, status, steps, asker, advisor, office, institutions,
           pact) -> None:
    if status == "draft":
        SupportRequest.objects.create(organisation=organisation, created_by=asker, status=SupportRequest.Status.DRAFT,
                                      topics=tags(topics), description=description)
        return
    offer = Offer.objects.filter(institution=institution, is_published=True, audience=Offer.Audience.EVERYONE) \
        .order_by("position", "pk").first() if institution is not None else None
    sr = services.request_create(organisation=organisation, actor=asker, offer=offer, topics=topics,
                                 description=description, consent=True, grant_access=bool(steps.get("grant")))
    if institution is None:
        if sr.institution_id is not None:   # a demo routing rule matched: this one waits for the office
            Holding.objects.filter(request=sr).delete()
            SupportRequest.objects.filter(pk=sr.pk).update(institution=None, consent_text=consent_statement(
                recipient="", pact_office=pact.name_de))
        return
    if sr.institution_id != institution.pk:
        sr = services.request_assign(support_request=sr, institution=institution, actor=office)
        if steps.get("grant"):   # the hand-over ended the grant given at sending: the firm gives it again
            sr = services.grant_set(support_request=sr, actor=asker, granted=True)
    if steps.get("forward_to"):
        services.request_forward(support_request=sr, actor=advisor, institution=institutions[steps["forward_to"]],
                                 reason="Die Kreishandwerkerschaft begleitet Handwerksbetriebe bei der ersten "
                                        "Bilanz mit einem eigenen Angebot.")
        return
    if steps.get("overdue"):
        received = timezone.now() - datetime.timedelta(days=14)
        SupportRequest.objects.filter(pk=sr.pk).update(
            received_at=received, sent_at=received, created_at=received,
            answer_due_on=timezone.localdate() - datetime.timedelta(days=5))
        return
    if status == "withdrawn":
        services.request_withdraw(support_request=sr, actor=asker)
        return
    if status == "declined":
        services.request_decline(support_request=sr, actor=advisor, reason=steps["reason"])
        return
    sr = services.request_accept(support_request=sr, actor=advisor)
    if steps.get("messages"):
        conversation.message_post(support_request=sr, actor=advisor, body=(
            "Guten Tag, vielen Dank für Ihre Anfrage. Ich schlage einen Termin bei Ihnen vor Ort vor. "
            "Bitte senden Sie mir vorab Ihre Energierechnungen des letzten Jahres."))
        if asker is not None:
            conversation.message_post(support_request=sr, actor=asker, body=(
                "Vielen Dank! Die Rechnungen bringen wir zum Termin mit. Passt Ihnen der Dienstag?"))
    if steps.get("note"):
        conversation.note_add(support_request=sr, actor=advisor, body=(
            "Vor-Ort-Termin vereinbart. Förderprogramm für Prozesswärme prüfen."),
            appointment_on=timezone.localdate() + datetime.timedelta(days=7))
    if status in ("in_progress", "done"):
        sr = services.request_start(support_request=sr, actor=advisor)
    if status == "done":
        services.request_complete(support_request=sr, actor=advisor, outcome=steps["outcome"],
                                  reason="Förderantrag für zwei Ladepunkte gestellt.")
