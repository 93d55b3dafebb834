import html

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, override

from klimapakt.core.text import render_markdown

register = template.Library()

def _reverse_or_none(name):
    try:
        return reverse(name)
    except Exception:
        return None


def _navigation(registry, context) -> list[dict]:
    request = context.get("request")
    path = request.path if request is not None else ""
    user = getattr(request, "user", None)
    items = []
    for item in registry:
        if item.authenticated and not getattr(user, "is_authenticated", False):
            continue
        if item.permission and not (user is not None and user.has_perm(item.permission)):
            continue
        url = _reverse_or_none(item.url_name)
        if url:
            items.append({"url": url, "label": item.label, "current": path.startswith(url)})
    return items


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """The public menu: the pages apps registered (core.registry.main_navigation)."""
    from klimapakt.core.registry import main_navigation as items

    return _navigation(items, context)


@register.simple_tag(takes_context=True)
def account_navigation(context):
    """Links of a logged-in person in the top bar (core.registry.account_navigation)."""
    from klimapakt.core.registry import account_navigation as items

    return _navigation(items, context)


@register.simple_tag(takes_context=True)
def footer_navigation(context):
    """Links apps add to the footer after core's own (core.registry.footer_navigation)."""
    from klimapakt.core.registry import footer_navigation as items

    return _navigation(items, context)


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to the same page in every language (no JavaScript, no POST needed)."""
    from django.urls import translate_url

    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    # An error page (Django's 404 handler passes `exception`): the address may resolve (the
    # office's pages at /<slug>/ take any word) but has no page, so the other language's home.
    error_page = "exception" in context and "request_path" in context
    links = []
    for code, name in settings.LANGUAGES:
        # translate_url resolves `path` in the current language (German pages have no prefix,
        # so they do not resolve while English is active): call it before switching.
        url = path if error_page else translate_url(path, code)
        with override(code):
            label = str(name)
            if url == path and code != current:  # no such page (404): that language's home page
                url = _reverse_or_none("core:home") or url
        links.append({"code": code, "name": label, "url": url, "current": code == current})
    return links


@register.filter
def markdown(text):
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by nh3


@register.simple_tag
def kern_widget(field):
    """Render a bound field's widget with KERN classes and accessible error wiring."""
    widget = field.field.widget
    attrs = {}
    input_type = getattr(widget, "input_type", None)
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if input_type in ("checkbox", "radio"):
        css = "kern-form-check__checkbox" if input_type == "checkbox" else "kern-form-check__radio"
    elif widget.__class__.__name__ in ("Select", "SelectMultiple"):
        css = "kern-form-input__select"
    else:
        css = "kern-form-input__input"
    if field.errors and input_type not in ("checkbox", "radio"):
        css += " kern-form-input__input--error"
    attrs["class"] = css
    return field.as_widget(attrs=attrs)


@register.simple_tag
def kern_choice(choice, field):
    """One radio button or checkbox of a choice field with KERN's classes (the red error
    variant while the field has an error)."""
    kind = "checkbox" if choice.data.get("type") == "checkbox" else "radio"
    css = f"kern-form-check__{kind}" + (f" kern-form-check__{kind}--error" if field.errors else "")
    data = {**choice.data, "attrs": {**choice.data["attrs"], "class": css}, "wrap_label": False}
    return choice.parent_widget._render(choice.template_name, {"widget": data}, choice.renderer)


@register.filter
def widget_kind(field):
    widget = field.field.widget
    name = widget.__class__.__name__
    if name in ("CheckboxSelectMultiple", "RadioSelect"):
        return "choices"
    if getattr(widget, "input_type", None) == "checkbox":
        return "checkbox"
    if name in ("Select", "SelectMultiple"):
        return "select"
    return "input"


@register.filter
def fields_with_errors(form):
    return [field for field in form.visible_fields() if field.errors]


@register.filter
def summary_label(field):
    """The name of a field in the error summary: the label, or a short one where the label is a
    whole sentence (a consent checkbox sets `field.summary_label`). A label with markup (a link
    to the privacy notice) is given as its text: the summary's entry is itself a link."""
    label = getattr(field.field, "summary_label", None) or field.label
    if isinstance(label, Promise):
        label = str(label)
    return html.unescape(strip_tags(label)) if isinstance(label, SafeData) else label


@register.filter
def with_colon(label) -> str:
    """A field's label followed by a colon, unless it already ends in punctuation ("?:", ".:")."""
    label = str(label).rstrip()
    return label if label[-1:] in "?.!:" else f"{label}:"


@register.filter
def audit_action(entry) -> str:
    """An audit entry's action in words (core.audit.register_actions), else its key."""
    from klimapakt.core.audit import action_label

    return action_label(entry.action)


@register.filter
def audit_details(entry):
    """An audit entry's data as (label, text) pairs for a readable list (label "" for a text
    that stands alone, e.g. "mit Nachricht")."""
    from klimapakt.core.audit import action_details

    return action_details(entry.action, entry.data)


@register.filter
def moment(value) -> str:
    """{{ entry.created_at|moment }}: "27. November 2026, 17:34 Uhr" / "27 November 2026, 17:34"."""
    from klimapakt.core.formatting import moment as format_moment

    return format_moment(value)


@register.filter
def isodate(value):
    """An ISO date as stored in a task's mail context ("2025-03-01") in the active language's
    format ("1. März 2025", "March 1, 2025"); anything else unchanged."""
    import datetime

    from django.utils import formats

    try:
        return formats.date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return value


# --------------------------------------------------------------------------- numbers (core.formatting)


@register.filter
def num(value, places=None):
    """{{ value|num }} / {{ value|num:1 }}: a number in the reader's language ("1.234,5")."""
    from klimapakt.core.formatting import number

    return number(value, None if places in (None, "") else int(places))


@register.filter
def tonnes(value, places=3):
    """{{ value|tonnes }}: "80,143 t" (rounded half-up to 3 places, or as asked)."""
    from klimapakt.core.formatting import tonnes as format_tonnes

    return format_tonnes(value, int(places))


@register.filter
def percent(value, places=1):
    """{{ value|percent }}: "−12,5 %" in German, "−12.5%" in English; {{ value|percent:"" }} with
    as many decimals as the value has ("55,5 %", "40 %": a target's stored percentage)."""
    from klimapakt.core.formatting import percent as format_percent

    return format_percent(value, None if places in (None, "") else int(places))


@register.filter
def short_date(value):
    """{{ day|short_date }}: "04.12.2026" in German, "4 Dec 2026" in English."""
    from klimapakt.core.formatting import short_date as format_short_date

    return format_short_date(value)
