"""Form fields and number reading shared by the forms of the CO2 balance and the import."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import get_language

# Grouped numbers never start with 0: "0.363" is a decimal in any language, not 363.
_GROUPED = {"de": re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?"),
            "en": re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?")}


def localized_number(text):
    """Read digit grouping the way the person's language writes it: in German "80.000" is
    eighty thousand (the engine alone would read a lone dot as the decimal point)."""
    if not isinstance(text, str):
        return text
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    language = (get_language() or "de")[:2]
    pattern = _GROUPED.get(language, _GROUPED["de"])
    if pattern.fullmatch(value):
        separator = "." if language != "en" else ","
        return value.replace(separator, "")
    return text


def number_field(label, help_text="", required=False):
    """A number as text ("1.234,5"): the calculation engine checks it and names the field."""
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=40,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


class GroupedIntegerField(forms.IntegerField):
    """An integer read with the digit grouping of the person's language: Django alone reads a
    German "1.000" as 1 (it drops a trailing ".000") and refuses an English "1,000"."""

    def to_python(self, value):
        return super().to_python(localized_number(value))


class GroupedDecimalField(forms.DecimalField):
    """A decimal read with the digit grouping of the person's language ("1.000" km in German)."""

    def to_python(self, value):
        return super().to_python(localized_number(value))


def whole_number_field(label, help_text="", *, min_value=0, max_value=None, initial=None):
    """A whole number typed as text (no spin buttons), read in the person's language."""
    return GroupedIntegerField(label=label, help_text=help_text, required=False, min_value=min_value,
                               max_value=max_value, initial=initial, localize=True,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


def latest_balance_year() -> int:
    """The latest year a balance can have: next year (a page, an entry or an import of a later
    year is refused, so no line is stored that no page can show)."""
    return datetime.date.today().year + 1


def year_choices():
    this_year = datetime.date.today().year
    return [(y, str(y)) for y in range(this_year, 2016, -1)]
