"""Reads for the firm's side of support (member pages): its requests, the choices of the
request form, one request with its thread. Each function runs a constant number of queries;
every list has a bound."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klimapakt.core.formatting import short_date, short_moment
from klimapakt.core.models import Pact

from ..models import (
    MAX_ATTACHMENTS_PER_REQUEST,
    MAX_MESSAGES_PER_REQUEST,
    Attachment,
    Message,
    Offer,
    SupportRequest,
)

S = SupportRequest.Status
MAX_LISTED_REQUESTS = 200     # the list page: the newest requests of one organisation
MAX_OFFERS = 300              # choices of the request form
MAX_LINKED_ITEMS = 200        # measures and reports offered as a link

# What each status means for the firm, in plain words (the detail page).
EXPLANATIONS = {
    S.DRAFT: gettext_lazy("Die Geschäftsstelle hat diese Anfrage aus Ihrer Angabe bei einer Veranstaltung vorbereitet. "
                          "Sie ist noch nicht gesendet: Bitte prüfen Sie sie, ändern Sie sie bei Bedarf und senden "
                          "Sie sie ab."),
    S.NEW: gettext_lazy("Ihre Anfrage ist eingegangen und wartet darauf, dass eine Beraterin oder ein Berater sie "
                        "übernimmt."),
    S.ACCEPTED: gettext_lazy("Eine Beraterin oder ein Berater hat Ihre Anfrage übernommen und meldet sich bei Ihnen."),
    S.IN_PROGRESS: gettext_lazy("Ihre Anfrage wird bearbeitet. Fragen und Unterlagen können Sie hier als Nachricht "
                                "schicken."),
    S.DONE: gettext_lazy("Die Beratung ist abgeschlossen."),
    S.DECLINED: gettext_lazy("Die Einrichtung konnte Ihnen mit dieser Anfrage nicht helfen. Die Begründung steht unten. "
                             "Sie können jederzeit eine neue Anfrage stellen."),
    S.WITHDRAWN: gettext_lazy("Sie haben diese Anfrage zurückgezogen."),
}
AT_THE_OFFICE = gettext_lazy("Ihre Anfrage ist bei der Geschäftsstelle eingegangen. Sie gibt sie an die Einrichtung "
                             "weiter, die Ihnen am besten helfen kann; Sie erfahren es per E-Mail.")


def recipient_name(support_request: SupportRequest) -> str:
    """Who holds the request, in words for the firm."""
    if support_request.institution_id:
        return support_request.institution.name
    if support_request.status == S.DRAFT:
        return ""
    return _("Geschäftsstelle des Klimapakts (ordnet die Anfrage einer Einrichtung zu)")


def requests_of(organisation) -> dict:
    """The organisation's requests, newest first (at most MAX_LISTED_REQUESTS), and how many
    there are in all. Two queries."""
    qs = SupportRequest.objects.filter(organisation=organisation)
    total = qs.count()
    rows = list(qs.select_related("institution", "offer").order_by("-created_at", "-pk")[:MAX_LISTED_REQUESTS])
    return {"rows": [{
        "request": r, "recipient": recipient_name(r), "status": r.get_status_display(),
        "offer": r.offer.title if r.offer_id else "", "topics": ", ".join(r.topic_labels),
        "date": short_date(r.sent_at or r.created_at), "is_open": r.is_open or r.status == S.DRAFT,
    } for r in rows], "total": total, "more": max(0, total - len(rows))}


def offer_choices(organisation, *, pact: Pact | None = None) -> list:
    """Published offers the organisation may ask for, grouped by institution, as choices
    [("", "Ich bin nicht sicher ..."), (institution, [(pk, title), ...]), ...]. One query."""
    pact = pact or Pact.objects.current()
    offers = Offer.objects.filter(pact=pact, is_published=True).select_related("institution")
    if organisation.stage != organisation.Stage.ACTIVE:
        offers = offers.exclude(audience=Offer.Audience.PARTNERS)
    groups: dict[str, list] = {}
    for offer in offers.order_by("institution__position", "institution__name", "position", "title_de", "pk")[
            :MAX_OFFERS]:
        groups.setdefault(offer.institution.name, []).append((str(offer.pk), offer.title))
    return [("", _("Ich bin nicht sicher, welches Angebot passt"))] + list(groups.items())


def offer_by_pk(pk, *, pact: Pact | None = None) -> Offer | None:
    if not pk:
        return None
    pact = pact or Pact.objects.current()
    return Offer.objects.filter(pact=pact, pk=pk).select_related("institution").first()


def measure_choices(organisation) -> list[tuple[str, str]]:
    from klimapakt.reports.models import Measure

    rows = Measure.objects.filter(organisation=organisation).order_by("title", "pk").values_list("pk", "title")
    return [(str(pk), title) for pk, title in rows[:MAX_LINKED_ITEMS]]


def report_choices(organisation) -> list[tuple[str, str]]:
    from klimapakt.reports.models import Report

    reports = Report.objects.filter(organisation=organisation).order_by("-year", "kind", "pk")[:MAX_LINKED_ITEMS]
    return [(str(r.pk), str(r)) for r in reports]


def request_for(organisation, request_pk) -> SupportRequest:
    """The organisation's request `request_pk` (404 for another organisation's)."""
    return get_object_or_404(
        SupportRequest.objects.select_related("organisation", "institution", "advisor", "offer__institution",
                                              "measure", "report", "created_by"),
        pk=request_pk, organisation=organisation)


def _file(attachment: Attachment, organisation_id: int) -> dict:
    return {"name": attachment.name, "size": attachment.size,
            "url": reverse("support:attachment", args=[organisation_id, attachment.request_id, attachment.pk])}


def _author(message: Message) -> str:
    if message.side == Message.Side.OFFICE:
        return _("Geschäftsstelle des Klimapakts")
    name = message.author.get_full_name() if message.author_id and message.author else ""
    if message.side == Message.Side.ADVISOR:
        institution = message.institution.name if message.institution_id and message.institution else ""
        return f"{name} ({institution})" if name and institution else (name or institution or _("Beratung"))
    return name or _("Ihre Organisation")


def thread(support_request: SupportRequest, *, attachment_url=None) -> dict:
    """The conversation (messages, never notes) with each message's files, and the files sent
    with the request itself. `attachment_url(attachment) -> str` names the download link (the
    firm's by default; the back office passes its own). Two queries."""
    organisation_id = support_request.organisation_id
    link = attachment_url or (lambda a: _file(a, organisation_id)["url"])
    files = Attachment.objects.order_by("created_at", "pk")
    messages = list(Message.objects.filter(request=support_request).select_related("author", "institution")
                    .prefetch_related(Prefetch("attachments", queryset=files))
                    .order_by("created_at", "pk")[:MAX_MESSAGES_PER_REQUEST])
    loose = Attachment.objects.filter(request=support_request, message__isnull=True).order_by("created_at", "pk")
    return {
        "thread": [{
            "author": _author(m), "side": m.side, "side_label": m.get_side_display(),
            "when": short_moment(m.created_at), "body": m.body,
            "files": [{"name": a.name, "size": a.size, "url": link(a)} for a in m.attachments.all()],
        } for m in messages],
        "request_files": [{"name": a.name, "size": a.size, "url": link(a)}
                          for a in loose[:MAX_ATTACHMENTS_PER_REQUEST]],
    }


def request_detail(support_request: SupportRequest) -> dict:
    """What the firm's request page shows beside the request itself."""
    r = support_request
    closing = ""
    if r.status == S.DONE:
        closing = r.get_outcome_display()
    return {
        "explanation": AT_THE_OFFICE if r.status == S.NEW and not r.institution_id else EXPLANATIONS.get(r.status, ""),
        "recipient": recipient_name(r),
        "advisor": r.advisor if r.advisor_id and r.status in (S.ACCEPTED, S.IN_PROGRESS, S.DONE) else None,
        "outcome": closing,
        "section_label": _section_label(r.report_section),
        "is_draft": r.status == S.DRAFT,
        "can_write": r.is_open,
        "can_withdraw": r.status == S.DRAFT or r.is_open,
        "can_grant": r.is_open,
        **thread(r),
    }


def _section_label(section: str) -> str:
    from klimapakt.reports.models import Section

    return str(dict(Section.choices).get(section, "")) if section else ""
