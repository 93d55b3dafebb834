"""Pages of the CO2 balance: public ("Wie wir rechnen", CO2-Rechner), the organisation's
balance with guided entry and spreadsheet import, and the factor library in the back office."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimapakt.core.backoffice import permission, render_office
from klimapakt.core.forms import apply_validation_error as _apply_errors
from klimapakt.core.responses import csv_download, private_file, xlsx_download
from klimapakt.core.responses import download as _download
from klimapakt.core.selectors import current_pact
from klimapakt.partners.models import Organisation
from klimapakt.partners.selectors import organisation_for

from . import calculation, charts, services, spreadsheet
from .documents import MAX_LINES_PRINTED, balance_context, result_context, result_pdf
from .fields import latest_balance_year
from .forms import ActivityForm, FactorEditionForm, FactorForm, GuidedEntryForm, ImportForm, KeyFiguresForm
from .forms_mode import ModeForm
from .models import ActivityLine, EmissionFactor, ImportJob
from .registry import freeze_reason, links_for_balance
from .selectors import (
    activity_lines,
    balance_for,
    balance_result,
    balances_of,
    current_factor_set,
    factor_table,
    factors_by_year,
    frozen_years,
    import_job_for,
    recent_recalculations,
    target_path,
    year_state,
    years_with_data,
)

MAX_LINES_SHOWN = MAX_LINES_PRINTED  # lines of a balance listed on its page, as in its PDF (docs/ghg.md, "Bounds")


def _language() -> str:
    return (get_language() or "de")[:2]


# --- Public -----------------------------------------------------------------------------


def method(request):
    """"Wie wir rechnen": the rules, the factors of a chosen year (back to 1990) with status and
    edition, the grid mix by year, the editions loaded, refrigerants, travel, gas in m³, and
    every factor and conversion (ghg.method_page). A constant number of queries."""
    from klimapakt.core.utils import parse_int

    from . import method_page
    from .selectors import factor_editions, method_factors

    factor_set = current_factor_set()
    this_year = datetime.date.today().year
    year = parse_int(request.GET.get("jahr")) or this_year - 1
    year = min(max(year, calculation.MIN_YEAR), latest_balance_year())
    return render(request, "ghg/method.html", method_page.context(
        factor_set=factor_set, rows=method_factors(factor_set) if factor_set else [],
        editions=factor_editions(factor_set) if factor_set else [], table=factor_table(factor_set), year=year,
        years=list(range(latest_balance_year(), calculation.MIN_YEAR - 1, -1)), language=_language()))


def calculator(request):
    """The public CO2-Rechner: no login, nothing stored. Downloads re-post the same data."""
    table = factor_table()
    data = request.POST if request.method == "POST" else None
    form = GuidedEntryForm(data, table=table, with_year=True,
                           initial={"year": datetime.date.today().year - 1})
    context = {"form": form}
    if data is not None and form.is_valid():
        result = form.result
        output = request.POST.get("format")
        title = _("CO₂-Bilanz %(year)s") % {"year": result.year}
        if output == "pdf":
            pdf = result_pdf(result, title=title, subtitle=_("Berechnet mit dem CO₂-Rechner des Klimapakts"),
                             pact=current_pact(), language=_language(), invitation=True)
            return _download(pdf, f"co2-bilanz-{result.year}.pdf", "application/pdf")
        if output == "xlsx":
            return xlsx_download(spreadsheet.result_workbook(result, title=title, language=_language()),
                                 f"co2-bilanz-{result.year}.xlsx")
        context |= result_context(result, language=_language())
        context["hidden_fields"] = [(k, v) for k, v in request.POST.items()
                                    if k in form.fields and k != "csrfmiddlewaretoken"]
    return render(request, "ghg/calculator.html", context)


# --- Organisation's balance ---------------------------------------------------------------


def _organisation(request, pk, perm="ghg.view_balance") -> Organisation:
    return organisation_for(request.user, pk, perm)


def _year(year: int) -> int:
    if not calculation.MIN_YEAR <= year <= latest_balance_year():
        raise Http404
    return year


@login_required
def balance_overview(request, pk):
    organisation = _organisation(request, pk)
    balances = balances_of(organisation)
    years = years_with_data(organisation)
    path = target_path(organisation, balances)
    items = [(str(b.year), b.total_location_t) for b in balances]
    chart = charts.column_chart(
        items, title=_("Entwicklung der Emissionen (standortbasiert)"),
        description=_("Säulendiagramm je Jahr; die Werte stehen in der Tabelle darunter.")
        + (" " + _("Die gestrichelte Linie zeigt den Zielpfad.") if path else ""),
        chart_id="chart-years", line=path["points"] if path else None) if items else ""
    this_year = datetime.date.today().year
    return render(request, "ghg/overview.html", {
        "organisation": organisation, "balances": balances, "years": years, "chart": chart, "path": path,
        "can_change": request.user.has_perm("ghg.change_balance", organisation),
        "new_years": [y for y in range(this_year, this_year - 6, -1) if y not in years],
        "section": "ghg",
    })


@login_required
def balance_year(request, pk, year):
    organisation = _organisation(request, pk)
    year = _year(year)
    balance = balance_for(organisation=organisation, year=year)
    context = {"organisation": organisation, "year": year, "balance": balance,
               "activities": activity_lines(organisation=organisation, year=year).exists(),
               "can_change": request.user.has_perm("ghg.change_balance", organisation), "section": "ghg",
               "frozen_reason": freeze_reason(balance, request.user),
               "balance_links": links_for_balance(organisation, year)}
    if balance is not None and balance.lines.all():
        # the page stays readable, and only the listed lines are worded; the XLSX has every line
        context |= balance_context(balance, shown=MAX_LINES_SHOWN)
    context["key_form"] = KeyFiguresForm(initial={
        "employees": balance.employees if balance else organisation.employees,
        "turnover_meur": balance.turnover_meur if balance else None,
        "renewable_electricity_percent": balance.renewable_electricity_percent if balance else None})
    return render(request, "ghg/balance.html", context)


def _refuse_if_frozen(request, organisation, year: int):
    """A frozen year takes no new or changed lines: back to its page, which says why."""
    if year in frozen_years(organisation):
        messages.error(request, _("Die Bilanz %(year)s ist eingefroren und kann nicht geändert werden.")
                       % {"year": year})
        return redirect("ghg:balance_year", pk=organisation.pk, year=year)
    return None


@login_required
def entry(request, pk, year):
    """The guided form: heat, electricity, vehicles, refrigerants, optional travel and commuting.
    When the year has lines already, the person chooses: add the new ones ("ergänzen") or
    replace the year's lines."""
    organisation = _organisation(request, pk, "ghg.change_balance")
    year = _year(year)
    state = year_state(organisation=organisation, year=year)
    if state["frozen"]:
        return _refuse_if_frozen(request, organisation, year)
    table = factor_table()
    data = request.POST if request.method == "POST" else None
    form = GuidedEntryForm(data, table=table, initial={"year": year})
    mode_form = ModeForm(data, required=state["lines"] > 0)
    if data is not None and all([form.is_valid(), mode_form.is_valid()]):
        lines = form.stored_lines()  # each with its evidence note (a commuting estimate's arithmetic)
        save = services.year_replace if mode_form.replace else services.year_add
        try:
            save(organisation=organisation, year=year, lines=lines, actor=request.user,
                 site=form.cleaned_data.get("site", ""), evidence_note=form.cleaned_data.get("evidence_note", ""))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Ihre Angaben für %(year)s wurden gespeichert und die Bilanz berechnet.")
                             % {"year": year})
            for estimate in form.estimates:
                messages.info(request, estimate)
            return redirect("ghg:balance_year", pk=organisation.pk, year=year)
    return render(request, "ghg/entry.html", {"organisation": organisation, "year": year, "form": form,
                                              "mode_form": mode_form, "existing": state, "section": "ghg"})


@login_required
def activity_add(request, pk, year):
    organisation = _organisation(request, pk, "ghg.change_balance")
    year = _year(year)
    refused = _refuse_if_frozen(request, organisation, year)
    if refused:
        return refused
    form = ActivityForm(request.POST if request.method == "POST" else None, request.FILES or None,
                        table=factor_table())
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(organisation=organisation, year=year, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die Zeile wurde gespeichert."))
            return redirect("ghg:balance_year", pk=organisation.pk, year=year)
    return render(request, "ghg/activity_form.html", {"organisation": organisation, "year": year, "form": form,
                                                      "section": "ghg"})


def _initial_from(activity: ActivityLine) -> dict:
    """The line's values for ActivityForm: every model field (the form uses those it has); numbers
    written the way the person's language writes them, so they are read back unchanged."""
    from klimapakt.core.formatting import number

    initial = {}
    for field in ActivityLine._meta.concrete_fields:
        if field.name in ("id", "organisation", "attachment", "created_by"):
            continue
        value = getattr(activity, field.name)
        initial[field.name] = number(value) if isinstance(value, Decimal) else value
    return initial


@login_required
def activity_edit(request, pk, activity_pk):
    """Correct one line (the bill stays unless a new one is uploaded); only the organisation's own."""
    organisation = _organisation(request, pk, "ghg.change_balance")
    activity = get_object_or_404(ActivityLine, pk=activity_pk, organisation=organisation)
    refused = _refuse_if_frozen(request, organisation, activity.year)
    if refused:
        return refused
    form = ActivityForm(request.POST if request.method == "POST" else None, request.FILES or None,
                        table=factor_table(), initial=_initial_from(activity))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die Zeile wurde geändert und die Bilanz neu berechnet."))
            return redirect("ghg:balance_year", pk=organisation.pk, year=activity.year)
    return render(request, "ghg/activity_form.html", {"organisation": organisation, "year": activity.year,
                                                      "form": form, "activity": activity, "section": "ghg"})


@login_required
def activity_delete(request, pk, activity_pk):
    """GET asks whether the line should go (naming it); POST deletes it and recalculates."""
    organisation = _organisation(request, pk, "ghg.change_balance")
    activity = get_object_or_404(ActivityLine, pk=activity_pk, organisation=organisation)
    if request.method != "POST":
        from .labels import carrier_label, quantity_text

        return render(request, "ghg/activity_delete.html", {
            "organisation": organisation, "activity": activity, "year": activity.year, "section": "ghg",
            "carrier": carrier_label(factor_table(), activity.carrier, language=_language(),
                                     variant=activity.refrigerant),
            "quantity": quantity_text(activity.quantity, activity.unit)})
    try:
        services.activity_delete(activity=activity, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Zeile wurde gelöscht."))
    return redirect("ghg:balance_year", pk=organisation.pk, year=activity.year)


@login_required
def attachment(request, pk, activity_pk):
    """The bill of a line: only for the organisation's members and the pact office."""
    organisation = _organisation(request, pk)
    activity = get_object_or_404(ActivityLine, pk=activity_pk, organisation=organisation)
    if not activity.attachment:
        raise Http404
    suffix = activity.attachment.name.rsplit(".", 1)[-1].lower()
    return private_file(activity.attachment, activity.attachment_name or f"beleg.{suffix}")


@login_required
@require_POST
def key_figures(request, pk, year):
    organisation = _organisation(request, pk, "ghg.change_balance")
    year = _year(year)
    form = KeyFiguresForm(request.POST)
    if form.is_valid():
        try:
            services.balance_key_figures_update(organisation=organisation, year=year, actor=request.user,
                                                **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Die Kennzahlen wurden gespeichert."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("ghg:balance_year", pk=organisation.pk, year=year)


@login_required
def balance_download(request, pk, year, fmt):
    organisation = _organisation(request, pk)
    year = _year(year)
    found = balance_result(organisation=organisation, year=year)  # the result with each line's site and evidence
    if found is None:
        raise Http404
    result, evidence = found.result, found.evidence
    title = _("CO₂-Bilanz %(year)s: %(name)s") % {"year": year, "name": organisation.name}
    name = f"co2-bilanz-{year}-{slugify(organisation.name)[:50]}"
    if fmt == "pdf":
        return _download(result_pdf(result, title=title, pact=current_pact(), language=_language(), evidence=evidence),
                         f"{name}.pdf", "application/pdf")
    return xlsx_download(spreadsheet.result_workbook(result, title=title, language=_language(), evidence=evidence),
                         f"{name}.xlsx")


@login_required
def template_download(request, pk, fmt):
    _organisation(request, pk)
    year = datetime.date.today().year - 1
    if fmt == "xlsx":
        return xlsx_download(spreadsheet.template_workbook(factor_table(), year=year, language=_language()),
                             "co2-bilanz-vorlage.xlsx")
    return csv_download(spreadsheet.template_rows(year=year), "co2-bilanz-vorlage.csv",
                        header=spreadsheet.template_header())


@login_required
def import_upload(request, pk):
    organisation = _organisation(request, pk, "ghg.change_balance")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_upload(organisation=organisation, upload=form.cleaned_data["file"],
                                         actor=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("ghg:import_job", pk=organisation.pk, job_pk=job.pk)
    return render(request, "ghg/import.html", {"organisation": organisation, "form": form, "section": "ghg"})


def _after_import(request, organisation, job):
    job.refresh_from_db()
    if job.status == ImportJob.Status.DONE:
        years = [y["year"] for y in job.preview.get("years", [])]
        messages.success(request, ngettext("%(n)s Zeile wurde importiert.", "%(n)s Zeilen wurden importiert.",
                                           job.total_rows) % {"n": job.total_rows})
        if len(years) == 1:
            return redirect("ghg:balance_year", pk=organisation.pk, year=years[0])
        return redirect("ghg:overview", pk=organisation.pk)
    return redirect("ghg:import_job", pk=organisation.pk, job_pk=job.pk)


@login_required
def import_job(request, pk, job_pk):
    """The check's result: errors, or the preview per year with the choice "Ergänzen oder
    ersetzen" (needed when a year of the file has lines already), then the import."""
    organisation = _organisation(request, pk, "ghg.change_balance")
    job = import_job_for(organisation=organisation, pk=job_pk)
    mode_form = ModeForm(request.POST if request.method == "POST" else None,
                         required=bool(job.preview.get("has_existing")), for_import=True)
    if request.method == "POST" and mode_form.is_valid():
        try:
            services.import_start(job=job, actor=request.user, replace=mode_form.replace)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return _after_import(request, organisation, job)
    failed = job.status == ImportJob.Status.FAILED
    return render(request, "ghg/import_job.html", {
        "organisation": organisation, "job": job, "section": "ghg", "failed": failed, "mode_form": mode_form,
        "running": job.status in (ImportJob.Status.IMPORTING, ImportJob.Status.VALIDATING),
        "more_errors": max(0, job.preview.get("error_count", 0) - len(job.errors)),
        "error_count": max(job.preview.get("error_count", 0), len(job.errors)),
    })


@login_required
@require_POST
def import_retry(request, pk, job_pk):
    """Start a failed import again (its task failed, or its worker died)."""
    organisation = _organisation(request, pk, "ghg.change_balance")
    job = import_job_for(organisation=organisation, pk=job_pk)
    try:
        services.import_retry(job=job, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _after_import(request, organisation, job)


# --- Back office: the factor library ------------------------------------------------------


@permission("ghg.manage_factors")
def factors(request):
    factor_set = current_factor_set()
    return render_office(request, "ghg/backoffice/factors.html", {
        "factor_set": factor_set, "factors": factors_by_year(factor_set) if factor_set else [],
        "editions": list(factor_set.editions.all()) if factor_set else [],
        "recalculations": recent_recalculations()})


@permission("ghg.manage_factors")
def factor_create(request):
    factor_set = current_factor_set()
    if factor_set is None:
        raise Http404
    form = FactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.factor_create(factor_set=factor_set, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Der Faktor wurde angelegt."))
            return redirect("ghg_office:factors")
    return render_office(request, "core/backoffice/form.html", {"form": form, "title": _("Neuer Emissionsfaktor")})


@permission("ghg.manage_factors")
def factor_edition(request, pk):
    factor = get_object_or_404(EmissionFactor, pk=pk, is_current=True)
    form = FactorEditionForm(request.POST or None, initial={"source": factor.source})
    if request.method == "POST" and form.is_valid():
        try:
            services.factor_edition_create(factor=factor, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Die neue Ausgabe des Faktors gilt ab sofort. Eingefrorene Bilanzen behalten "
                                        "den alten Wert."))
            return redirect("ghg_office:factors")
    title = _("Neue Ausgabe: %(factor)s") % {"factor": factor}
    return render_office(request, "core/backoffice/form.html", {"form": form, "title": title})

