"""Template filters of the CO2 balance (``{% load ghg_labels %}``): names for people from
``ghg.labels``, so a template never shows a key such as ``kWh_hs`` or an English source
phrase to a German reader.

    {{ line.unit|unit_label }}         kWh (Brennwert)
    {{ line.factor_source|source_text }}  Umweltbundesamt, zitiert nach Deutsche Umwelthilfe
    {{ line.factor_status|status_note }}  hochgerechnet (nothing for a final value)
    {{ line.category|category_label }}   Dienstreisen
"""

from django import template

from klimapakt.ghg import labels

register = template.Library()


@register.filter
def unit_label(unit):
    return labels.unit_label(unit or "")


@register.filter
def source_text(text):
    return labels.source_text(text or "")


@register.filter
def status_label(status):
    return labels.status_label(status or "")


@register.filter
def status_note(status):
    return labels.status_note(status or "")


@register.filter
def category_label(category):
    return labels.category_label(category or "")


@register.filter
def factor_text(value, unit):
    """{{ factor.value|factor_text:factor.unit }} -> "0,201 kg je kWh (Heizwert)"."""
    return labels.factor_text(value, unit or "")
