from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def plain(value):
    """A stored decimal without trailing zeros, localised: 0.201000000 -> 0,201; 250000.000000 -> 250.000."""
    if value is None or value == "":
        return ""
    try:
        text = format(Decimal(value), "f")
    except (InvalidOperation, TypeError, ValueError):
        return value
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    places = len(text.split(".")[1]) if "." in text else 0
    return number_format(Decimal(text), decimal_pos=places, use_l10n=True, force_grouping=True)
