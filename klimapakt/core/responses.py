"""HTTP responses the apps share."""

from django.http import FileResponse, Http404, HttpResponse

from .spreadsheet import XLSX, csv_bytes, xlsx_bytes


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file to save (export, PDF, spreadsheet), never cached: it may hold personal data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


PRIVATE_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def private_file(field_file, filename: str, content_type: str | None = None) -> FileResponse:
    """An uploaded private file (a bill, an attachment, a document) as a download, after the
    caller checked permission: read through its storage, 404 when it is gone, never cached,
    never sniffed. The content type follows the stored name's suffix unless given."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    suffix = field_file.name.rsplit(".", 1)[-1].lower() if "." in field_file.name else ""
    response = FileResponse(handle, as_attachment=True, filename=filename or f"datei.{suffix}",
                            content_type=content_type or PRIVATE_TYPES.get(suffix, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_download(workbook, filename: str) -> HttpResponse:
    """An export as XLSX (core.spreadsheet: no cell is ever a formula)."""
    return download(xlsx_bytes(workbook), filename, XLSX)


def csv_download(rows, filename: str, *, header=None, delimiter: str = ";") -> HttpResponse:
    """An export as CSV (core.spreadsheet: no cell is ever a formula)."""
    return download(csv_bytes(rows, header=header, delimiter=delimiter), filename, "text/csv; charset=utf-8")
