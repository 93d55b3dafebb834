"""A preview of Markdown texts for the people who write them (the office, advisors), reusable by
any form of the back office.

- With JavaScript: a textarea marked ``data-markdown-preview`` gets a "Vorschau" button
  (``static/klimapakt/markdown-preview.js``); it POSTs the text with the form's CSRF token to
  ``backoffice:markdown_preview`` and shows the HTML below the field.
- Without JavaScript: the form has a submit button ``name="_preview"``
  (``includes/markdown_preview_button.html``); the view sees ``is_preview_request(request)``,
  does not save and renders the form again with ``previews(form)`` for
  ``includes/markdown_previews.html``.

Both render through ``core.text.render_markdown`` (sanitised), the renderer of the public pages,
so the preview shows what will be published."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import formatting
from .backoffice import permission
from .text import render_markdown

PREVIEW_ATTRIBUTE = "data-markdown-preview"
PREVIEW_BUTTON = "_preview"
MAX_PREVIEW_CHARS = 20_000  # longer texts are refused (413) rather than rendered


def preview_attrs() -> dict:
    """The textarea's attributes the script reads: the preview address and the button's words."""
    return {PREVIEW_ATTRIBUTE: reverse("backoffice:markdown_preview"),
            "data-markdown-preview-show": _("Vorschau anzeigen"),
            "data-markdown-preview-hide": _("Vorschau ausblenden"),
            "data-markdown-preview-title": _("Vorschau"),
            "data-markdown-preview-error": _("Die Vorschau konnte nicht geladen werden.")}


def mark_for_preview(form: forms.Form, *names: str) -> None:
    """Give the named (textarea) fields of a form the preview; their other attributes stay."""
    for name in names:
        form.fields[name].widget.attrs.update(preview_attrs())


def is_preview_request(request) -> bool:
    return request.method == "POST" and PREVIEW_BUTTON in request.POST


def previews(form: forms.Form) -> list[dict]:
    """For the page without JavaScript: each marked field's label and its text as HTML."""
    result = []
    for name, field in form.fields.items():
        if PREVIEW_ATTRIBUTE not in field.widget.attrs:
            continue
        text = str(form.data.get(form.add_prefix(name), "") or "")[:MAX_PREVIEW_CHARS]
        result.append({"name": name, "label": field.label, "html": mark_safe(render_markdown(text)) if text.strip()
                       else "", "too_long": len(form.data.get(form.add_prefix(name), "") or "") > MAX_PREVIEW_CHARS})
    return result


def too_long_message() -> str:
    return _("Der Text ist zu lang für die Vorschau (höchstens %(n)s Zeichen).") % {
        "n": formatting.number(MAX_PREVIEW_CHARS)}


@require_POST
@permission("core.preview_markdown")
def markdown_preview(request):
    """The text of ``text`` as sanitised HTML (a fragment for the page's preview area)."""
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_CHARS:
        return HttpResponse(format_html('<p class="kern-body">{}</p>', too_long_message()),
                            status=413, content_type="text/html; charset=utf-8")
    html = render_markdown(text) if text.strip() else format_html(
        '<p class="kern-body kp-muted">{}</p>', _("Noch kein Text."))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
