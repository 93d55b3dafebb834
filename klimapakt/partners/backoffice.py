"""The pact office's side of the partnership: the pipeline of all organisations, the staff
page of one organisation with its actions, and the versions of the agreement text."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core import derived
from klimapakt.core.backoffice import permission, render_office
from klimapakt.core.forms import apply_validation_error as _apply_errors
from klimapakt.core.models import Pact
from klimapakt.core.responses import csv_download, xlsx_download
from klimapakt.core.selectors import audit_entries_for, current_pact
from klimapakt.core.spreadsheet import new_workbook

from . import selectors, services
from .forms import (
    AgreementVersionForm,
    ChangesForm,
    CountersignForm,
    DocumentForm,
    NoteForm,
    ReasonForm,
    TalkHeldForm,
    TalkPlanForm,
)
from .lifecycle import LIFECYCLE
from .models import (
    WZ2008_SECTIONS,
    Agreement,
    AgreementVersion,
    Organisation,
    OrganisationDocument,
    OrientationTalk,
)
from .office_tasks import PIPELINE
from .selectors import PipelineFilters, pipeline, pipeline_export, pipeline_stage_counts, staff_organisation

PIPELINE_PAGE_SIZE = 50
EXPORT_COLUMNS = [
    ("id", "ID"), ("name", "Name"), ("kind", "Art"), ("legal_form", "Rechtsform"), ("sector", "Branche (WZ 2008)"),
    ("employees", "Beschäftigte"), ("street", "Straße"), ("postal_code", "PLZ"), ("city", "Ort"),
    ("stage", "Stand"), ("stage_changed_at", "Stand seit"), ("partner_since", "Klimapartner seit"),
    ("next_deadline", "Nächste Frist"), ("next_deadline_kind", "Art der Frist"), ("overdue", "Überfällig"),
    ("contact_name", "Ansprechperson"), ("contact_email", "E-Mail"), ("contact_phone", "Telefon"),
    ("listing_consent", "Im Verzeichnis"), ("website", "Website"),
    ("talk_answer", "Antwort zum Gesprächstermin"), ("talk_answer_message", "Nachricht zum Gesprächstermin"),
]


@permission("partners.view_pipeline")
def organisations(request):
    """The pipeline: every organisation by stage with the next deadline and overdue flags."""
    filters = PipelineFilters.from_query(request.GET)
    page = derived.page([PIPELINE], f"partners:pipeline-page:{filters}", pipeline(filters), PIPELINE_PAGE_SIZE,
                        request.GET.get("page"))  # the total counted once per change (core.derived)
    # Labels and links once per page instead of get_FOO_display()/{% url %} per row (hot path).
    today = timezone.localdate()
    labels = {**{k: str(v) for k, v in Organisation.Kind.choices}, **{k: str(v) for k, v in Organisation.Stage.choices},
              **{k: str(v) for k, v in Organisation.Deadline.choices}}
    Answer = OrientationTalk.Answer
    answer_labels = {Answer.PROPOSED: _("Termin vorgeschlagen, Antwort offen"), Answer.ACCEPTED: _("Termin zugesagt"),
                     Answer.DECLINED: _("Termin abgelehnt")}
    prefix = reverse("backoffice:organisation", args=[0])[:-2]
    for o in page.object_list:
        o.kind_label, o.stage_label = labels.get(o.kind, o.kind), labels.get(o.stage, o.stage)
        o.talk_answer_label = answer_labels.get(o.talk_answer, "") if o.stage == Organisation.Stage.TALK_PLANNED else ""
        o.deadline_label = labels.get(o.next_deadline_kind, "")
        o.overdue = bool(o.next_deadline and o.next_deadline < today)
        o.staff_url = f"{prefix}{o.pk}/"
    counts = pipeline_stage_counts()
    stages = [(s.value, s.label, counts[s.value]) for s in Organisation.Stage]
    query = request.GET.copy()
    query.pop("page", None)
    return render_office(request, "partners/backoffice/pipeline.html", {
        "page_obj": page, "filters": filters, "stages": stages, "counts": counts,
        "kinds": Organisation.Kind.choices, "sectors": WZ2008_SECTIONS, "today": timezone.localdate(),
        "query": query.urlencode(), "overdue_label": _("überfällig"),
    })


def _export_rows(filters):
    today = timezone.localdate()
    answers = {k: str(v) for k, v in OrientationTalk.Answer.choices}
    for o in pipeline_export(filters).iterator(chunk_size=500):
        # The answer to the proposed talk date, as on the pipeline page: only while a talk is planned.
        talk_planned = o.stage == Organisation.Stage.TALK_PLANNED and o.talk_answer
        row = []
        for key, _label in EXPORT_COLUMNS:
            if key == "talk_answer":
                value = answers.get(o.talk_answer, o.talk_answer) if talk_planned else ""
            elif key == "talk_answer_message":
                value = (o.talk_answer_message or "") if talk_planned else ""
            elif key == "overdue":
                value = bool(o.next_deadline and o.next_deadline < today)
            elif key in ("kind", "stage", "sector", "next_deadline_kind"):
                value = getattr(o, f"get_{key}_display")() if getattr(o, key) else ""
            elif key == "stage_changed_at":
                value = timezone.localtime(o.stage_changed_at).date()
            else:
                value = getattr(o, key)
            row.append(value)
        yield row


@permission("partners.view_pipeline")
def organisations_export(request, fmt):
    filters = PipelineFilters.from_query(request.GET)
    stamp = timezone.localdate().isoformat()
    header = [label for _key, label in EXPORT_COLUMNS]
    if fmt == "csv":
        yes_no = {True: _("ja"), False: _("nein")}
        rows = ([yes_no.get(v, v) if isinstance(v, bool) else v for v in row] for row in _export_rows(filters))
        response = csv_download(rows, f"organisationen-{stamp}.csv", header=header)
    elif fmt == "xlsx":
        workbook = new_workbook(write_only=True)
        sheet = workbook.create_sheet(_("Organisationen"))
        sheet.append(header)
        for row in _export_rows(filters):
            sheet.append(["" if v is None else v for v in row])
        response = xlsx_download(workbook, f"organisationen-{stamp}.xlsx")
    else:
        from django.http import Http404

        raise Http404
    response["Cache-Control"] = "private, no-store"
    return response


@permission("partners.view_pipeline")
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    organisation = staff_organisation(organisation.pk)
    agreements = list(organisation.agreements.all())
    open_agreement = next((a for a in agreements if a.status != Agreement.Status.ENDED), None)
    talks = list(organisation.talks.all())
    open_talk = next((t for t in talks if t.held_on is None), None)
    targets = list(organisation.targets.all())
    return render_office(request, "partners/backoffice/organisation.html", {
        "organisation": organisation,
        "memberships": list(organisation.memberships.all()),
        "stage_changes": list(organisation.stage_changes.all()),
        "talks": talks, "open_talk": open_talk,
        "agreements": agreements, "agreement": open_agreement,
        "current_targets": [t for t in targets if t.archived_at is None],
        "archived_targets": [t for t in targets if t.archived_at is not None],
        "notes": list(organisation.notes.all()),
        "documents": list(organisation.documents.all()),
        "audit": audit_entries_for(organisation),
        "note_form": NoteForm(), "changes_form": ChangesForm(), "reason_form": ReasonForm(),
        "countersign_form": CountersignForm(initial={"name": request.user.get_full_name()}, auto_id="countersign_%s"),
        "talk_form": TalkPlanForm(initial={f: getattr(open_talk, f) for f in (
            "scheduled_for", "location", "participants", "notes")} if open_talk else None),
        "held_form": TalkHeldForm(initial={"held_on": timezone.localdate(),
                                   "participants": open_talk.participants if open_talk else ""}, auto_id="held_%s"),
        "Stage": Organisation.Stage, "Status": Agreement.Status, "today": timezone.localdate(),
        "actions": LIFECYCLE.available(organisation.stage, request.user, organisation),
    })


def _act(request, pk, action, form_class, success, template_title, **extra):
    """Run a staff action with a small form; on error show the form on its own page."""
    organisation = get_object_or_404(Organisation, pk=pk)
    form = form_class(request.POST if request.method == "POST" else None) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            action(organisation, form.cleaned_data if form else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("backoffice:organisation", pk=organisation.pk)
            _apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("backoffice:organisation", pk=organisation.pk)
    return render_office(request, "core/backoffice/form.html", {
        "form": form, "title": f"{template_title}: {organisation.name}", **extra})


def _agreement_of(organisation):
    agreement = selectors.open_agreement(organisation)
    if agreement is None:
        raise ValidationError(_("Diese Organisation hat keine Vereinbarung."))
    return agreement


@permission("partners.manage_partnership")
def talk_plan(request, pk):
    return _act(request, pk, lambda o, d: services.talk_plan(organisation=o, actor=request.user, **d), TalkPlanForm,
                _("Der Termin für das Orientierungsgespräch wurde gespeichert; die Organisation wurde informiert."),
                _("Orientierungsgespräch planen"))


@permission("partners.manage_partnership")
def talk_held(request, pk):
    return _act(request, pk, lambda o, d: services.talk_mark_held(organisation=o, actor=request.user, **d),
                TalkHeldForm, _("Das Orientierungsgespräch wurde als geführt vermerkt."),
                _("Orientierungsgespräch als geführt vermerken"))


@permission("partners.manage_partnership")
def agreement_request_changes(request, pk):
    return _act(request, pk, lambda o, d: services.agreement_request_changes(
        agreement=_agreement_of(o), actor=request.user, **d), ChangesForm,
        _("Die Organisation wurde um Änderungen gebeten."), _("Änderungen erbitten"))


@permission("partners.manage_partnership")
def agreement_countersign(request, pk):
    """GET asks for the signing officer's name and role and a confirmation; POST counter-signs."""
    return _act(request, pk, lambda o, d: services.agreement_countersign(
        agreement=_agreement_of(o), actor=request.user, name=d["name"], role=d["role"]),
        partial(CountersignForm, initial={"name": request.user.get_full_name()}),
        _("Die Vereinbarung ist gegengezeichnet. Die Organisation ist jetzt aktiver Klimapartner."),
        _("Vereinbarung gegenzeichnen"), submit_label=_("Vereinbarung gegenzeichnen"),
        hint=_("Mit der Gegenzeichnung wird die Organisation aktiver Klimapartner. Beide Seiten erhalten die "
               "Vereinbarung als PDF; sie nennt Sie mit Name und Funktion als Unterzeichnende für den Klimapakt."))


@permission("partners.manage_partnership")
def partnership_pause(request, pk):
    return _act(request, pk, lambda o, d: services.partnership_pause(organisation=o, actor=request.user, **d),
                ReasonForm, _("Die Partnerschaft ist pausiert."), _("Partnerschaft pausieren"))


@permission("partners.manage_partnership")
def partnership_resume(request, pk):
    return _act(request, pk, lambda o, d: services.partnership_resume(organisation=o, actor=request.user, **d),
                ReasonForm, _("Die Partnerschaft wird fortgesetzt."), _("Partnerschaft fortsetzen"))


@permission("partners.manage_partnership")
def partnership_end(request, pk):
    return _act(request, pk, lambda o, d: services.partnership_end(organisation=o, actor=request.user, **d),
                ReasonForm, _("Die Partnerschaft ist beendet."), _("Partnerschaft beenden"))


@permission("partners.manage_partnership")
def note_add(request, pk):
    return _act(request, pk, lambda o, d: services.note_add(organisation=o, actor=request.user, **d), NoteForm,
                _("Die Notiz wurde gespeichert."), _("Notiz hinzufügen"))


@permission("partners.manage_partnership")
def document_add(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Das Dokument wurde gespeichert."))
            return redirect("backoffice:organisation", pk=organisation.pk)
    return render_office(request, "core/backoffice/form.html", {
        "form": form, "multipart": True, "title": _("Dokument hochladen: %(name)s") % {"name": organisation.name}})


@permission("partners.delete_document")
def document_delete(request, pk, document_pk):
    """GET asks for confirmation; POST deletes the document and its file."""
    organisation = get_object_or_404(Organisation, pk=pk)
    document = get_object_or_404(OrganisationDocument, pk=document_pk, organisation=organisation)
    if request.method == "POST":
        try:
            services.document_delete(document=document, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Das Dokument „%(title)s“ wurde gelöscht.") % {"title": document.title})
        return redirect("backoffice:organisation", pk=organisation.pk)
    return render_office(request, "partners/backoffice/document_delete.html",
                   {"organisation": organisation, "document": document})


@permission("partners.manage_agreement_versions")
def agreement_versions(request):
    pact = current_pact()
    current = selectors.current_agreement_version(pact)
    from django.db.models import Count

    versions = AgreementVersion.objects.filter(pact_id=pact.pk).annotate(signed=Count("agreements"))
    return render_office(request, "partners/backoffice/agreement_versions.html",
                   {"versions": versions, "current": current})


@permission("partners.manage_agreement_versions")
def agreement_version_edit(request, pk=None):
    pact = current_pact()
    version = get_object_or_404(AgreementVersion, pk=pk, pact_id=pact.pk) if pk else None
    form = AgreementVersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_version_save(pact=Pact.objects.get(pk=pact.pk), actor=request.user, version=version,
                                            **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die Fassung der Vereinbarung wurde gespeichert."))
            return redirect("backoffice:agreement_versions")
    return render_office(request, "core/backoffice/form.html", {
        "form": form, "title": _("Fassung bearbeiten") if version else _("Neue Fassung der Vereinbarung"),
        "hint": _("Der Text wird in Markdown geschrieben. Eine Fassung gilt ab ihrem Datum für neue Vereinbarungen; "
                  "eingereichte und unterzeichnete Vereinbarungen behalten ihre Fassung."),
        "audit": audit_entries_for(version, limit=20) if version else None})


@permission("partners.remove_organisation")
def organisation_delete(request, pk):
    """GET asks for confirmation; POST deletes an organisation without members and its files."""
    return _remove(request, pk, anonymise=False)


@permission("partners.remove_organisation")
def organisation_anonymise(request, pk):
    """GET asks for confirmation; POST anonymises an organisation without members."""
    return _remove(request, pk, anonymise=True)


def _remove(request, pk, *, anonymise: bool):
    organisation = get_object_or_404(Organisation, pk=pk)
    if request.method == "POST":
        name = organisation.name
        try:
            if anonymise:
                services.organisation_anonymise(organisation=organisation, actor=request.user)
            else:
                services.organisation_delete(organisation=organisation, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("backoffice:organisation", pk=organisation.pk)
        if anonymise:
            messages.success(request, _("„%(name)s“ ist anonymisiert.") % {"name": name})
            return redirect("backoffice:organisation", pk=organisation.pk)
        messages.success(request, _("„%(name)s“ ist gelöscht, mit allen Dateien.") % {"name": name})
        return redirect("backoffice:organisations")
    return render_office(request, "partners/backoffice/organisation_remove.html", {
        "organisation": organisation, "anonymise": anonymise, "members": organisation.memberships.exists(),
        "title": _("Organisation anonymisieren") if anonymise else _("Organisation löschen")})
