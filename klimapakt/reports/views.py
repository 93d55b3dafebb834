"""Pages of reports and measures: the partner's dashboard, measures, report form and PDF; the
pact office's inbox, review, per-year overview with XLSX export, and the measure catalogue."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimapakt.core.backoffice import permission, render_office
from klimapakt.core.forms import apply_validation_error as _apply_errors
from klimapakt.core.responses import download as _download
from klimapakt.core.selectors import current_pact
from klimapakt.core.utils import parse_int
from klimapakt.ghg.selectors import factor_table
from klimapakt.partners.models import Organisation
from klimapakt.partners.selectors import organisation_for

from . import charts, selectors, services, snapshots
from .documents import report_pdf, year_xlsx
from .forms import (
    ConsentForm,
    MeasureForm,
    MeasureTemplateForm,
    ReopenForm,
    ReportForm,
    ReturnForm,
    TemplatePickForm,
)
from .models import Measure, MeasureTemplate, Report, ReportVersion, Section
from .registry import blocks_for_dashboard
from .units import form_choices

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organisation(request, pk, perm="reports.view_reports") -> Organisation:
    return organisation_for(request.user, pk, perm)


# --- Partner ---------------------------------------------------------------------------------


@login_required
def dashboard(request, pk):
    organisation = _organisation(request, pk)
    data = selectors.dashboard(organisation)
    return render(request, "reports/dashboard.html", {
        "organisation": organisation, **data, **charts.path_context(data["balances"], data["check"]),
        **selectors.dashboard_periods(organisation, current_pact(), data["reports"]),
        "can_change": request.user.has_perm("reports.change_reports", organisation),
        "kinds": dict(Report.Kind.choices), "consent_form": ConsentForm(initial={
            "publish_figures": data["publish_figures"]}), "section": "reports",
        "dashboard_blocks": blocks_for_dashboard(request, organisation),
    })


@require_POST
@login_required
def consent(request, pk):
    organisation = _organisation(request, pk, "reports.change_reports")
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.consent_update(organisation=organisation, actor=request.user,
                                publish_figures=form.cleaned_data["publish_figures"])
        messages.success(request, _("Ihre Einwilligung wurde gespeichert."))
    return redirect("reports:dashboard", organisation.pk)


@require_POST
@login_required
def report_start(request, pk):
    organisation = _organisation(request, pk, "reports.change_reports")
    try:
        report = services.report_start(organisation=organisation, kind=request.POST.get("kind", ""),
                                       year=int(request.POST.get("year", "0")), actor=request.user)
    except (ValueError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("reports:dashboard", organisation.pk)
    return redirect("reports:report", organisation.pk, report.pk)


def _report(organisation, report_pk) -> Report:
    return get_object_or_404(Report, pk=report_pk, organisation=organisation)


@login_required
def report_detail(request, pk, report_pk):
    organisation = _organisation(request, pk)
    report = _report(organisation, report_pk)
    can_change = request.user.has_perm("reports.change_reports", organisation) and report.is_editable
    detail = selectors.report_detail(report)
    work = selectors.report_workspace(report)
    targets = work["targets"]
    initial = ReportForm.initial_for(report, detail["progress"])
    for t in targets:  # what the numbers say, unless the partner already stated the progress
        initial.setdefault(f"progress_{t.pk}_status", work["suggested"][t.pk])
    form = ReportForm(request.POST if request.method == "POST" else None, report=report, targets=targets,
                      balance_years=work["years"], checks=work["checks"], initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.report_update(report=report, actor=request.user, notes=form.notes(),
                                       balance_year=form.cleaned_data.get("balance_year"), progress=form.progress())
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Ihr Bericht wurde gespeichert."))
                return redirect("reports:report", organisation.pk, report.pk)
    return render(request, "reports/report.html", {
        "organisation": organisation, "report": report, "form": form, "can_change": can_change,
        "balance": work["balance"], "targets": targets, "measures": work["measures"], **detail,
        "comments_by_section": selectors.comments_by_section(detail["comments"]),
        "problems": snapshots.submission_problems(report) if can_change else [],
        "sections": Section.choices, "section": "reports",
        "notes": [(label, report.note(value)) for value, label in Section.choices if report.note(value)],
    })


@require_POST
@login_required
def report_submit(request, pk, report_pk):
    organisation = _organisation(request, pk, "reports.change_reports")
    report = _report(organisation, report_pk)
    try:
        version = services.report_submit(report=report, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Ihr Bericht ist eingereicht (Fassung %(n)s). Die Geschäftsstelle prüft ihn.")
                         % {"n": version.number})
    return redirect("reports:report", organisation.pk, report.pk)


@login_required
def report_download(request, pk, report_pk):
    """The report as PDF: a submitted version (default: the newest), or a preview of the draft."""
    organisation = _organisation(request, pk)
    report = _report(organisation, report_pk)
    number = request.GET.get("fassung")
    version = None
    if number:
        number = parse_int(number)
        if number is None:
            raise Http404
        version = get_object_or_404(ReportVersion, report=report, number=number)
    elif not report.is_editable:
        version = report.versions.order_by("-number").first()
    if version is not None and version.pdf:  # the archived copy
        with version.pdf.open("rb") as handle:
            pdf = handle.read()
    else:
        snapshot = version.snapshot if version else snapshots.build_snapshot(report)
        pdf = report_pdf(report, snapshot, version=version, pact=current_pact())
    suffix = f"-fassung-{version.number}" if version else "-entwurf"
    return _download(pdf, f"{report.kind}-{report.year}{suffix}.pdf", "application/pdf")


@login_required
def measures(request, pk):
    organisation = _organisation(request, pk)
    items = selectors.measures_of(organisation)
    return render(request, "reports/measures.html", {
        "organisation": organisation, "measures": items, "section": "reports",
        "can_change": request.user.has_perm("reports.change_reports", organisation),
        "catalogue": list(MeasureTemplate.objects.filter(is_active=True)),
    })


def _measure_choices():
    """Carriers, units and the usual unit per carrier of the measure form."""
    return form_choices(factor_table(), language=(get_language() or "de")[:2])


@login_required
def measure_edit(request, pk, measure_pk=None):
    organisation = _organisation(request, pk, "reports.change_reports")
    measure = get_object_or_404(Measure, pk=measure_pk, organisation=organisation) if measure_pk else None
    carriers, units, usual_unit = _measure_choices()
    if measure is not None:
        initial = MeasureForm.initial_for(measure)
    else:
        initial = {"status": Measure.Status.PLANNED}
        template_pk = parse_int(request.GET.get("vorlage"))
        template = MeasureTemplate.objects.filter(pk=template_pk, is_active=True).first() \
            if template_pk is not None else None
        if template:
            initial |= {"template": template.pk, "title": template.title, "description": template.description,
                        "category": template.category, "carrier_1": template.carrier,
                        "unit_1": usual_unit.get(template.carrier, "")}
    form = MeasureForm(request.POST if request.method == "POST" else None, carriers=carriers, units=units,
                       initial=initial)
    pick_form = TemplatePickForm(initial={"vorlage": initial.get("template")}) if measure is None else None
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(organisation=organisation, actor=request.user, measure=measure,
                                  savings=form.savings(), **form.measure_fields())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die Maßnahme wurde gespeichert."))
            return redirect("reports:measures", organisation.pk)
    savings = selectors.saving_rows(measure, language=(get_language() or "de")[:2]) if measure else []
    return render(request, "reports/measure_form.html", {
        "organisation": organisation, "measure": measure, "savings": savings, "form": form, "section": "reports",
        "pick_form": pick_form})


@login_required
def measure_delete(request, pk, measure_pk):
    """GET asks whether the measure should go (naming it); POST deletes it."""
    organisation = _organisation(request, pk, "reports.change_reports")
    measure = get_object_or_404(Measure, pk=measure_pk, organisation=organisation)
    if request.method != "POST":
        return render(request, "reports/measure_delete.html", {
            "organisation": organisation, "measure": measure, "section": "reports"})
    services.measure_delete(measure=measure, actor=request.user)
    messages.success(request, _("Die Maßnahme wurde gelöscht."))
    return redirect("reports:measures", organisation.pk)


# --- Pact office -----------------------------------------------------------------------------


@permission("reports.review_reports")
def inbox(request):
    status = request.GET.get("status", "")
    kind = request.GET.get("art", "")
    q = request.GET.get("q", "").strip()
    try:
        year = int(request.GET.get("jahr") or 0) or None
    except ValueError:
        year = None
    page = selectors.inbox_page(request.GET.get("page"), status=status, kind=kind, year=year, q=q)
    reminders = selectors.reminders_for([r.pk for r in page])
    # Labels resolved once per page (get_FOO_display translates every choice on every call)
    kinds, statuses = {k: str(v) for k, v in Report.Kind.choices}, {k: str(v) for k, v in Report.Status.choices}
    from django.urls import reverse

    review_url = reverse("reports_office:review", args=[0]).replace("/0/", "/%d/")  # reversed once per page
    for r in page:
        r.review_url = review_url % r.pk
        r.kind_label, r.status_label = kinds[r.kind], statuses[r.status]
        r.overdue = r.is_overdue
        r.sent_reminders = reminders.get(r.pk, [])
    filters = [("", _("Alle"))] + [(k, label) for k, label in (
        ("due", _("Fällig")), ("overdue", _("Überfällig")), ("submitted", _("Eingereicht")),
        ("returned", _("Zurückgegeben")), ("accepted", _("Angenommen")))]
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()  # a status tab keeps the other filters, so its count matches its list
    tab_query.pop("status", None)
    return render_office(request, "reports/backoffice/inbox.html", {
        "page_obj": page, "status": status, "kind": kind, "q": q, "year": year,
        "counts": selectors.inbox_counts(kind=kind, year=year, q=q), "tab_query": tab_query.urlencode(),
        "filters": filters, "kinds": Report.Kind.choices, "years": selectors.report_years(),
        "today": timezone.localdate(), "query": query.urlencode()})


@permission("reports.review_reports")
def review(request, report_pk):
    report = get_object_or_404(Report.objects.select_related("organisation", "balance"), pk=report_pk)
    detail = selectors.report_detail(report)
    version = detail["versions"][0] if detail["versions"] else None
    if request.GET.get("fassung"):
        number = parse_int(request.GET["fassung"])
        version = next((v for v in detail["versions"] if v.number == number), None)
        if version is None:
            raise Http404
    snapshot = version.snapshot if version else snapshots.build_snapshot(report)
    from .documents import report_pdf_context

    pdf_ctx = report_pdf_context(report, snapshot, version=version)
    balances = pdf_ctx["balances"]
    return render_office(request, "reports/backoffice/review.html", {
        "report": report, "organisation": report.organisation, "version": version, "snapshot": snapshot,
        **detail, "comments_by_section": selectors.comments_by_section(detail["comments"]),
        "return_form": ReturnForm(), "reopen_form": ReopenForm(), "sections": Section.choices, "measures": pdf_ctx["measures"],
        "targets": pdf_ctx["targets"],
        **charts.path_context(balances, pdf_ctx["check"]),
        "reminders": selectors.reminders_for([report.pk]).get(report.pk, [])})


@require_POST
@permission("reports.review_reports")
def review_return(request, report_pk):
    report = get_object_or_404(Report, pk=report_pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        for message in form.non_field_errors():
            messages.error(request, message)
        return redirect("reports_office:review", report.pk)
    try:
        services.report_return(report=report, actor=request.user, comments=form.comments())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Der Bericht wurde mit Ihren Anmerkungen zurückgegeben."))
    return redirect("reports_office:review", report.pk)


@require_POST
@permission("reports.review_reports")
def review_accept(request, report_pk):
    report = get_object_or_404(Report, pk=report_pk)
    try:
        services.report_accept(report=report, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Der Bericht wurde angenommen; die Bilanz ist eingefroren."))
    return redirect("reports_office:review", report.pk)


@require_POST
@permission("reports.review_reports")
def review_reopen(request, report_pk):
    """"Zur Korrektur öffnen": an accepted report goes back to its organisation with a reason;
    its balance is unfrozen for the correction."""
    report = get_object_or_404(Report, pk=report_pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("reports_office:review", report.pk)
    try:
        services.report_reopen(report=report, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Der Bericht ist zur Korrektur geöffnet; die Bilanz kann wieder geändert "
                                    "werden. Die Organisation wurde per E-Mail informiert."))
    return redirect("reports_office:review", report.pk)


def _overview_year(request) -> int:
    try:
        return int(request.GET.get("jahr") or selectors.report_years()[0])
    except ValueError:
        raise Http404 from None


@permission("reports.review_reports")
def overview(request):
    year = _overview_year(request)
    if not 1990 <= year <= 2100:
        raise Http404
    return render_office(request, "reports/backoffice/overview.html", {
        "overview": selectors.year_overview(year), "years": selectors.report_years(), "year": year})


@permission("reports.review_reports")
def overview_xlsx(request, year):
    if not 1990 <= year <= 2100:
        raise Http404
    content = year_xlsx(selectors.year_overview(year), selectors.year_rows(year))
    return _download(content, f"berichte-{year}.xlsx", XLSX)


@permission("reports.manage_catalogue")
def catalogue(request):
    return render_office(request, "reports/backoffice/catalogue.html", {"templates": MeasureTemplate.objects.all()})


@permission("reports.manage_catalogue")
def catalogue_edit(request, pk=None):
    template = get_object_or_404(MeasureTemplate, pk=pk) if pk else None
    form = MeasureTemplateForm(request.POST or None, instance=copy.copy(template))
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
        services.measure_template_save(actor=request.user, template=template, **fields)
        messages.success(request, _("Die Vorlage wurde gespeichert."))
        return redirect("reports_office:catalogue")
    return render_office(request, "core/backoffice/form.html", {
        "form": form, "title": _("Vorlage bearbeiten") if template else _("Vorlage anlegen")})
