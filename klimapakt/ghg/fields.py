"""Form fields and number reading shared by the forms of the CO2 balance and the import."""

from __future__ import annotations

import datetime

from django import forms

# The German-parsed number fields live in core (every app's forms use them); re-exported here
# for the forms of the CO2 balance and the import.
from klimapakt.core.fields import GroupedDecimalField, GroupedIntegerField, localized_number  # noqa: F401


def number_field(label, help_text="", required=False):
    """A number as text ("1.234,5"): the calculation engine checks it and names the field."""
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=40,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


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
