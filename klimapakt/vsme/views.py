"""The VSME page of a year and its downloads: members of the organisation and the pact office
(the permission that shows the year's balance)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from klimapakt.core.responses import download as file_download
from klimapakt.core.responses import xlsx_download
from klimapakt.ghg import calculation
from klimapakt.ghg.fields import latest_balance_year
from klimapakt.partners.selectors import organisation_for

from . import exports, mapping
from .selectors import all_targets, vsme_inputs

VIEW_PERMISSION = "ghg.view_balance"  # the balance page's permission (ghg/views.py)


def _year(year: int) -> int:
    if not calculation.MIN_YEAR <= year <= latest_balance_year():
        raise Http404
    return year


def _data(request, pk, year):
    organisation = organisation_for(request.user, pk, VIEW_PERMISSION)
    year = _year(year)
    inputs = vsme_inputs(organisation=organisation, year=year)
    return organisation, year, mapping.compute(inputs), all_targets(inputs)


@login_required
def page(request, pk, year):
    organisation, year, values, targets = _data(request, pk, year)
    groups = [(title, [v for v in values.values() if v.datapoint.disclosure in codes])
              for title, codes in (("B3", ("B3", "B1")), ("C3", ("C3",)))]
    return render(request, "vsme/page.html", {
        "organisation": organisation, "year": year, "groups": groups, "targets": targets, "section": "ghg",
        "filled": [v for v in values.values() if v.status == mapping.FILLED],
        "missing": [v for v in values.values() if v.status == mapping.MISSING],
        "standard": mapping.STANDARD, "template": mapping.TEMPLATE})


@login_required
def download(request, pk, year, fmt):
    organisation, year, values, targets = _data(request, pk, year)
    if fmt == "xlsx":
        book = exports.workbook(organisation=organisation, year=year, values=values, targets=targets)
        return xlsx_download(book, f"vsme-{year}.xlsx")
    content = json.dumps(exports.document(organisation=organisation, year=year, values=values, targets=targets),
                         ensure_ascii=False, indent=2).encode()
    return file_download(content, f"vsme-{year}.json", "application/json")
