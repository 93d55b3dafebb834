"""The pipeline export follows the export rule of core.spreadsheet: names typed by people never
become formulas, phone numbers stay as typed (it had no protection at all)."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from klimapakt.partners.models import Organisation

pytestmark = pytest.mark.django_db


def test_pipeline_export_has_no_formulas_and_keeps_phone_numbers(world, client_for):
    Organisation.objects.filter(pk=world["org_a"].pk).update(name='=HYPERLINK("http://evil")',
                                                             contact_phone="+49 2151 123456")
    office = client_for(world["users"]["office"])
    text = office.get(reverse("backoffice:organisations_export", args=["csv"])).content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    alpha = next(dict(zip(header, row, strict=True)) for row in rows if row[0] == str(world["org_a"].pk))
    assert alpha["Name"] == '\'=HYPERLINK("http://evil")' and alpha["Telefon"] == "+49 2151 123456"

    from openpyxl import load_workbook

    content = office.get(reverse("backoffice:organisations_export", args=["xlsx"])).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if "worksheets/sheet" in n]
        assert all("<f>" not in archive.read(n).decode() for n in sheets)
    values = list(load_workbook(io.BytesIO(content)).active.values)
    alpha = next(dict(zip(values[0], row, strict=True)) for row in values[1:] if row[0] == world["org_a"].pk)
    assert alpha["Name"] == '=HYPERLINK("http://evil")' and alpha["Telefon"] == "+49 2151 123456"
