"""A request's life: asked (or drafted by the office from an event answer and confirmed by the
firm), routed, assigned, accepted, worked on, closed. Every status change goes through
transitions.REQUEST_STATUS, writes the audit log and queues its mails in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.models import InitialPartner, Pact
from klimapakt.core.notifications import office_recipients
from klimapakt.core.services import refuse

from ..consent import consent_statement
from ..models import Holding, Offer, SupportRequest, Topic, tags
from ..routing import route
from ..transitions import REQUEST_STATUS
from ._base import advisor_recipients, answered, firm_recipients, start_clock, tell
from .conversation import attach_files, check_files

S = SupportRequest.Status
MAX_OPEN_REQUESTS = 20          # per organisation: a bound on what one firm can queue


def _lock(support_request: SupportRequest) -> SupportRequest:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins (institution, offer, ...)
    return (SupportRequest.objects.select_for_update(of=("self",))
            .select_related("organisation", "institution", "offer", "created_by").get(pk=support_request.pk))


def _check_request(*, organisation, offer: Offer | None, topics: list[str], description: str, measure, report,
                   report_section: str, pact: Pact) -> None:
    if offer is not None:
        if not offer.is_published or offer.pact_id != pact.pk:
            refuse(_("Dieses Angebot gibt es nicht mehr."), "offer")
        if offer.audience == Offer.Audience.PARTNERS and organisation.stage != organisation.Stage.ACTIVE:
            refuse(_("Dieses Angebot steht nur aktiven Klimapartnern offen."), "offer")
    unknown = set(topics) - set(Topic.values)
    if unknown or not topics:
        refuse(_("Bitte wählen Sie mindestens ein Thema."), "topics")
    if not description.strip():
        refuse(_("Bitte beschreiben Sie, wobei Sie Unterstützung brauchen."), "description")
    if measure is not None and measure.organisation_id != organisation.pk:
        refuse(_("Diese Maßnahme gehört nicht zu Ihrer Organisation."), "measure")
    if report is not None and report.organisation_id != organisation.pk:
        refuse(_("Dieser Bericht gehört nicht zu Ihrer Organisation."), "report")
    if report_section and report is None:
        refuse(_("Bitte wählen Sie den Bericht zum Abschnitt."), "report")


def _open_count(organisation) -> int:
    return SupportRequest.objects.filter(organisation=organisation, status__in=[S.DRAFT, *SupportRequest.OPEN]).count()


def recipient_of(*, organisation, offer: Offer | None, topics: Iterable[str]) -> InitialPartner | None:
    """Where a request with these answers would go (the form names it before sending)."""
    return route(pact=Pact.objects.current(), offer=offer, organisation=organisation, topics=topics)


def _deliver(support_request: SupportRequest, *, consent: bool, now) -> None:
    """Route, record the consent and start the clock; the caller logs and saves."""
    pact = Pact.objects.current()
    institution = recipient_of(organisation=support_request.organisation, offer=support_request.offer,
                               topics=support_request.topic_list)
    if not consent:
        refuse(_("Bitte stimmen Sie der Übermittlung zu; ohne Ihre Zustimmung können wir die Anfrage nicht "
                 "weitergeben."), "consent")
    support_request.institution = institution
    support_request.consent_text = consent_statement(
        recipient=institution.name if institution else "", pact_office=pact.name_de,
        measure=support_request.measure_id is not None, report=support_request.report_id is not None)
    support_request.consented_at = now
    support_request.sent_at = now
    support_request.status = S.NEW
    start_clock(support_request, now=now)


def _announce(support_request: SupportRequest) -> None:
    tell("request_received", advisor_recipients(support_request.institution), support_request)
    if support_request.institution is not None:
        tell("request_routed_office", office_recipients(), support_request)
    tell("request_sent", firm_recipients(support_request), support_request)


@transaction.atomic
def request_create(*, organisation, actor, offer: Offer | None, topics: list[str], description: str,
                   consent: bool, measure=None, report=None, report_section: str = "", files=(),
                   grant_access: bool = False) -> SupportRequest:
    """A member asks for support. Goes out at once (with the consent), routed by routing.route."""
    pact = Pact.objects.current()
    _check_request(organisation=organisation, offer=offer, topics=topics, description=description,
                   measure=measure, report=report, report_section=report_section, pact=pact)
    files = list(files or [])
    check_files(files)
    if _open_count(organisation) >= MAX_OPEN_REQUESTS:
        refuse(_("Ihre Organisation hat bereits %(n)s offene Anfragen. Bitte schließen Sie zuerst eine davon ab.")
               % {"n": MAX_OPEN_REQUESTS})
    now = timezone.now()
    support_request = SupportRequest(
        organisation=organisation, created_by=actor, offer=offer, topics=tags(topics), description=description.strip(),
        measure=measure, report=report, report_section=report_section if report is not None else "",
        created_at=now, updated_at=now, grant_given_at=now if grant_access else None)
    _deliver(support_request, consent=consent, now=now)
    support_request.full_clean(exclude=["consent_text"])
    support_request.save()
    if support_request.institution_id:
        Holding.objects.create(request=support_request, institution=support_request.institution, since=now)
    attach_files(support_request=support_request, files=files, actor=actor)
    log_action("support.request.sent", obj=support_request, actor=actor, data={
        "organisation": organisation.name, "institution": support_request.institution.name
        if support_request.institution else "", "offer": offer.title_de if offer else "", "topics": topics})
    if grant_access:
        log_action("support.grant.given", obj=support_request, actor=actor)
    _announce(support_request)
    return support_request


@transaction.atomic
def request_draft_from_answer(*, answer, organisation, actor) -> SupportRequest:
    """The office prepares a draft from a registrant's answer to an event's support question;
    the firm reads it, may change it and sends it (request_send). Only for a registrant who
    agreed on the registration form and belongs to `organisation`."""
    from klimapakt.partners.models import Membership

    registration = answer.registration
    if answer.question.role != answer.question.Role.SUPPORT_NEED:
        refuse(_("Diese Antwort ist keine Angabe zum Unterstützungsbedarf."))
    consent = registration.answers.filter(question__event=answer.question.event,
                                          question__role=answer.question.Role.SUPPORT_CONSENT,
                                          boolean=True).exists()
    if not consent:
        refuse(_("Die Person hat bei der Anmeldung nicht eingewilligt, dass daraus eine Anfrage entsteht."))
    if registration.user_id is None or not Membership.objects.filter(
            organisation=organisation, user_id=registration.user_id).exists():
        refuse(_("Die Person gehört nicht zu dieser Organisation auf der Plattform."))
    if SupportRequest.objects.filter(source_answer=answer).exists():
        refuse(_("Aus dieser Antwort wurde bereits eine Anfrage vorbereitet."))
    if _open_count(organisation) >= MAX_OPEN_REQUESTS:
        refuse(_("Die Organisation hat bereits %(n)s offene Anfragen.") % {"n": MAX_OPEN_REQUESTS})
    event = answer.question.event
    description = _("Bei der Veranstaltung „%(event)s“ haben Sie angegeben: %(answer)s") % {
        "event": event.title_de, "answer": answer.display("de")}
    now = timezone.now()
    support_request = SupportRequest.objects.create(
        organisation=organisation, created_by=registration.user, status=S.DRAFT, description=description[:5000],
        topics=tags([Topic.OTHER]), source_answer=answer, created_at=now, updated_at=now)
    log_action("support.request.drafted", obj=support_request, actor=actor,
               data={"organisation": organisation.name, "event": event.title_de})
    tell("request_drafted", firm_recipients(support_request), support_request)
    return support_request


@transaction.atomic
def request_send(*, support_request: SupportRequest, actor, consent: bool, offer: Offer | None, topics: list[str],
                 description: str, grant_access: bool = False) -> SupportRequest:
    """The firm confirms a draft (perhaps changed) and sends it."""
    support_request = _lock(support_request)
    REQUEST_STATUS.check(support_request.status, "send")
    pact = Pact.objects.current()
    _check_request(organisation=support_request.organisation, offer=offer, topics=topics, description=description,
                   measure=support_request.measure, report=support_request.report,
                   report_section=support_request.report_section, pact=pact)
    now = timezone.now()
    support_request.offer = offer
    support_request.topics = tags(topics)
    support_request.description = description.strip()
    # the grant is what the firm confirmed on the review (one given on the draft does not survive)
    support_request.grant_given_at = now if grant_access else None
    support_request.grant_revoked_at = None
    _deliver(support_request, consent=consent, now=now)
    support_request.updated_at = now
    support_request.save()
    if support_request.institution_id:
        Holding.objects.create(request=support_request, institution=support_request.institution, since=now)
    log_action("support.request.sent", obj=support_request, actor=actor, data={
        "organisation": support_request.organisation.name,
        "institution": support_request.institution.name if support_request.institution else "", "topics": topics})
    if grant_access:
        log_action("support.grant.given", obj=support_request, actor=actor)
    _announce(support_request)
    return support_request


def _hand_over(support_request: SupportRequest, institution: InitialPartner, *, reason: str, now) -> None:
    Holding.objects.filter(request=support_request, until__isnull=True).update(until=now)
    Holding.objects.create(request=support_request, institution=institution, since=now, reason=reason)
    support_request.institution = institution
    support_request.advisor = None
    if support_request.grant_active:   # the firm granted the institution, not whoever holds the request next
        support_request.grant_revoked_at = now
    start_clock(support_request, now=now)


@transaction.atomic
def request_assign(*, support_request: SupportRequest, institution: InitialPartner, actor,
                   reason: str = "") -> SupportRequest:
    """The office names the institution of a new request (or gives it to another one)."""
    support_request = _lock(support_request)
    transition = REQUEST_STATUS.check(support_request.status, "assign")
    if support_request.institution_id == institution.pk:
        refuse(_("Die Anfrage liegt bereits bei dieser Einrichtung."), "institution")
    now = timezone.now()
    _hand_over(support_request, institution, reason=reason.strip(), now=now)
    support_request.updated_at = now
    support_request.save()
    log_action(transition.audit, obj=support_request, actor=actor, data={"institution": institution.name})
    tell("request_received", advisor_recipients(institution), support_request)
    tell("request_assigned", firm_recipients(support_request), support_request)
    return support_request


@transaction.atomic
def request_accept(*, support_request: SupportRequest, actor, advisor=None) -> SupportRequest:
    """The institution takes the request on, naming the advisor (the person accepting by default)."""
    support_request = _lock(support_request)
    transition = REQUEST_STATUS.check(support_request.status, "accept")
    if support_request.institution_id is None:
        refuse(_("Bitte ordnen Sie die Anfrage zuerst einer Einrichtung zu."))
    advisor = advisor or actor
    if advisor.advisor_for_id != support_request.institution_id:
        refuse(_("Die Beraterin oder der Berater muss zur Einrichtung der Anfrage gehören."), "advisor")
    now = timezone.now()
    support_request.status = transition.target
    support_request.advisor = advisor
    answered(support_request, now=now)
    support_request.updated_at = now
    support_request.save()
    log_action(transition.audit, obj=support_request, actor=actor, data={"advisor": str(advisor)})
    tell("request_accepted", firm_recipients(support_request), support_request, advisor=str(advisor),
         advisor_email=advisor.email)
    return support_request


@transaction.atomic
def request_start(*, support_request: SupportRequest, actor) -> SupportRequest:
    support_request = _lock(support_request)
    transition = REQUEST_STATUS.check(support_request.status, "start")
    support_request.status = transition.target
    support_request.updated_at = timezone.now()
    support_request.save()
    log_action(transition.audit, obj=support_request, actor=actor)
    return support_request


def _close(support_request: SupportRequest, action: str, *, actor, outcome: str = "", reason: str = ""):
    transition = REQUEST_STATUS.check(support_request.status, action)
    now = timezone.now()
    support_request.status = transition.target
    support_request.outcome = outcome
    support_request.close_reason = reason.strip()
    support_request.closed_at = now
    support_request.updated_at = now
    if action != "withdraw":    # the firm withdrawing is no answer of the institution
        answered(support_request, now=now)
    support_request.save()
    Holding.objects.filter(request=support_request, until__isnull=True).update(until=now)
    log_action(transition.audit, obj=support_request, actor=actor,
               data={"outcome": outcome, "reason": support_request.close_reason})


@transaction.atomic
def request_complete(*, support_request: SupportRequest, actor, outcome: str, reason: str = "") -> SupportRequest:
    support_request = _lock(support_request)
    if outcome not in SupportRequest.Outcome.values:
        refuse(_("Bitte wählen Sie das Ergebnis der Beratung."), "outcome")
    _close(support_request, "complete", actor=actor, outcome=outcome, reason=reason)
    tell("request_completed", firm_recipients(support_request), support_request,
         outcome=SupportRequest.Outcome(outcome).label, reason=support_request.close_reason)
    return support_request


@transaction.atomic
def request_decline(*, support_request: SupportRequest, actor, reason: str) -> SupportRequest:
    support_request = _lock(support_request)
    if not reason.strip():
        refuse(_("Bitte begründen Sie die Ablehnung; das Unternehmen liest die Begründung."), "reason")
    _close(support_request, "decline", actor=actor, reason=reason)
    tell("request_declined", firm_recipients(support_request), support_request, reason=support_request.close_reason)
    return support_request


@transaction.atomic
def request_forward(*, support_request: SupportRequest, actor, institution: InitialPartner,
                    reason: str) -> SupportRequest:
    """Hand the request to another institution with a reason (the firm is told); the notes
    written so far stay with the institution that wrote them."""
    support_request = _lock(support_request)
    transition = REQUEST_STATUS.check(support_request.status, "forward")
    if support_request.institution_id is None:
        refuse(_("Die Anfrage liegt noch bei keiner Einrichtung; bitte ordnen Sie sie zu."), "institution")
    if not reason.strip():
        refuse(_("Bitte begründen Sie die Weiterleitung; das Unternehmen liest die Begründung."), "reason")
    if support_request.institution_id == institution.pk:
        refuse(_("Die Anfrage liegt bereits bei dieser Einrichtung."), "institution")
    now = timezone.now()
    previous = support_request.institution
    _hand_over(support_request, institution, reason=reason.strip(), now=now)
    support_request.status = transition.target
    support_request.updated_at = now
    support_request.save()
    log_action(transition.audit, obj=support_request, actor=actor, data={
        "from": previous.name if previous else "", "institution": institution.name, "reason": reason.strip()})
    tell("request_received", advisor_recipients(institution), support_request)
    tell("request_forwarded", firm_recipients(support_request), support_request, reason=reason.strip(),
         previous=previous.name if previous else "")
    return support_request


@transaction.atomic
def request_withdraw(*, support_request: SupportRequest, actor) -> SupportRequest:
    """The firm withdraws its request (a draft or an open one)."""
    support_request = _lock(support_request)
    was_sent = support_request.status != S.DRAFT
    _close(support_request, "withdraw", actor=actor)
    if was_sent:
        tell("request_withdrawn", advisor_recipients(support_request.institution), support_request)
    return support_request


@transaction.atomic
def grant_set(*, support_request: SupportRequest, actor, granted: bool) -> SupportRequest:
    """The firm grants (or revokes) the holding institution read access to its balance,
    targets, measures and reports, for as long as the request is open."""
    support_request = _lock(support_request)
    if not support_request.is_open and support_request.status != S.DRAFT:
        refuse(_("Die Anfrage ist abgeschlossen; eine Freigabe ist nicht mehr möglich."))
    now = timezone.now()
    if granted and not support_request.grant_active:
        support_request.grant_given_at = now
        support_request.grant_revoked_at = None
        log_action("support.grant.given", obj=support_request, actor=actor)
    elif not granted and support_request.grant_given_at and not support_request.grant_revoked_at:
        support_request.grant_revoked_at = now
        log_action("support.grant.revoked", obj=support_request, actor=actor)
    support_request.updated_at = now
    support_request.save()
    return support_request
