"""HTTP responses the apps share."""

from django.http import HttpResponse


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file to save (export, PDF, spreadsheet), never cached: it may hold personal data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
