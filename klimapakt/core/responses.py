"""HTTP responses the apps share."""

from django.http import HttpResponse

from .spreadsheet import XLSX, csv_bytes, xlsx_bytes


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file to save (export, PDF, spreadsheet), never cached: it may hold personal data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_download(workbook, filename: str) -> HttpResponse:
    """An export as XLSX (core.spreadsheet: no cell is ever a formula)."""
    return download(xlsx_bytes(workbook), filename, XLSX)


def csv_download(rows, filename: str, *, header=None, delimiter: str = ";") -> HttpResponse:
    """An export as CSV (core.spreadsheet: no cell is ever a formula)."""
    return download(csv_bytes(rows, header=header, delimiter=delimiter), filename, "text/csv; charset=utf-8")
