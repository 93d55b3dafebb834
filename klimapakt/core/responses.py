"""HTTP responses the apps share."""

import logging

from django.http import FileResponse, Http404, HttpResponse

from .spreadsheet import XLSX, csv_bytes, xlsx_bytes


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file to save (export, PDF, spreadsheet), never cached: it may hold personal data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


logger = logging.getLogger(__name__)


class MissingFile(Http404):
    """A file the database names is not in its storage (a media folder not restored, a bucket
    object deleted). Answered 404 with its own page by core.middleware.MissingFileMiddleware, so
    the person reads that the file is missing, not that the address is wrong; logged as an error
    for the operators."""


PRIVATE_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def private_file(field_file, filename: str, content_type: str | None = None) -> FileResponse:
    """An uploaded private file (a bill, an attachment, a document) as a download, after the
    caller checked permission: read through its storage, never cached,
    never sniffed. The content type follows the stored name's suffix unless given. A file the
    storage does not have raises MissingFile: a 404 page saying so (docs/operations.md, "Backup
    and restore")."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        logger.error("private file %s is missing in its storage", field_file.name)
        raise MissingFile(field_file.name) from None
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
