"""The council report's back-office pages (pact office only): the reports per year, the texts
with a preview, the export with its progress, and the archive of versions with downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimapakt.core.backoffice import permission, render_office
from klimapakt.core.forms import apply_validation_error
from klimapakt.core.responses import private_file
from klimapakt.core.selectors import current_pact_or_404 as current_pact

from ..models import CouncilExport
from . import document, selectors, services
from .forms import CouncilReportCreateForm, CouncilTextsForm

PERM = "insights.manage_council_report"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission(PERM)
def report_list(request):
    pact = current_pact()
    reports = selectors.council_reports(pact)
    form = CouncilReportCreateForm(request.POST or None, taken={r.year for r in reports})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.council_report_create(pact=pact, year=form.cleaned_data["year"], actor=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Der Sachstandsbericht %(year)s wurde angelegt.") % {"year": report.year})
            return redirect("backoffice:council_report", pk=report.pk)
    for report in reports:
        report.state = selectors.export_state(report.latest) if report.latest else None
    return render_office(request, "insights/council/list.html", {"reports": reports, "form": form})


@permission(PERM)
def report_edit(request, pk):
    """The texts (Speichern) and the preview of the whole report with unsaved texts (Vorschau):
    both are the same form, so the preview works without JavaScript."""
    pact = current_pact()
    report = selectors.council_report_for(pact=pact, pk=pk)
    form = CouncilTextsForm(request.POST or None, initial={
        "introduction": report.introduction, "highlights": report.highlights, "outlook": report.outlook})
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("aktion") == "vorschau":
            preview = document.council_document(report, selectors.council_progress(pact, report.year),
                                                version=None, texts=form.cleaned_data, logo=False)
        else:
            services.council_report_save(report=report, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Die Texte wurden gespeichert."))
            return redirect("backoffice:council_report", pk=report.pk)
    for export in report.archive:
        export.state = selectors.export_state(export)
    return render_office(request, "insights/council/edit.html", {
        "report": report, "form": form, "preview": preview, "archive": report.archive,
        "open_export": next((e for e in report.archive if e.state.open), None)})


@require_POST
@permission(PERM)
def export_create(request, pk):
    report = selectors.council_report_for(pact=current_pact(), pk=pk)
    try:
        export = services.council_export_request(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("backoffice:council_report", pk=report.pk)
    messages.success(request, _("Die Fassung %(n)s wird im Hintergrund erstellt.") % {"n": export.number})
    return redirect("backoffice:council_export", report_pk=report.pk, pk=export.pk)


@permission(PERM)
def export_detail(request, report_pk, pk):
    """The export's progress; htmx reloads only the status block (``?teil=status``), and without
    JavaScript the page has a reload link."""
    export = selectors.council_export_for(pact=current_pact(), report_pk=report_pk, pk=pk)
    context = {"export": export, "report": export.report, "state": selectors.export_state(export),
               "can_view_tasks": request.user.has_perm("core.manage_tasks")}
    if request.GET.get("teil") == "status" and request.headers.get("HX-Request"):
        return render(request, "insights/council/_export_status.html", context)
    return render_office(request, "insights/council/export.html", context)


@require_POST
@permission(PERM)
def export_retry(request, report_pk, pk):
    export = selectors.council_export_for(pact=current_pact(), report_pk=report_pk, pk=pk)
    try:
        services.council_export_retry(export=export, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Fassung %(n)s wird erneut erstellt.") % {"n": export.number})
    return redirect("backoffice:council_export", report_pk=report_pk, pk=pk)


@permission(PERM)
def export_download(request, report_pk, pk, kind):
    export = selectors.council_export_for(pact=current_pact(), report_pk=report_pk, pk=pk)
    if export.status != CouncilExport.Status.DONE:
        from django.http import Http404

        raise Http404
    stem = document.file_stem(export.report, export.number)
    if kind == "pdf":
        return private_file(export.pdf, f"{stem}.pdf", "application/pdf")
    return private_file(export.xlsx, f"{stem}.xlsx", XLSX_TYPE)
