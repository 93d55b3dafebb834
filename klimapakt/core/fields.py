"""Number fields people type into, for every form: a text field (never `type="number"`: a German
browser reads "5,5" there as 55, and spin buttons change figures by a scroll), read in the
person's language ("1.234,5" in German, "1,234.5" in English; a plain "1234.5" in both) and
showing the stored value in it ("5,5"). With an upper bound wherever a person types a count, so
a typo of twelve digits is a German message, not a database overflow."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .formatting import MINUS, number

# Upper bounds of the counts people type (far above any real case, far below the 2,147,483,647
# of a database integer column: on PostgreSQL a larger number was a server error).
MAX_EMPLOYEES = 1_000_000
MAX_SEATS = 100_000
MAX_SMALL = 32_767  # a PositiveSmallIntegerField (positions, per-organisation limits)

# Grouped numbers never start with 0: "0.363" is a decimal in any language, not 363.
_GROUPED = {"de": re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?"),
            "en": re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?")}


def localized_number(text):
    """Read digit grouping the way the person's language writes it: in German "80.000" is
    eighty thousand (the engine alone would read a lone dot as the decimal point). A real minus
    sign ("−12,5", as the pages print it) reads as "-"."""
    if not isinstance(text, str):
        return text
    text = text.replace(MINUS, "-")
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    language = (get_language() or "de")[:2]
    pattern = _GROUPED.get(language, _GROUPED["de"])
    unsigned = value.removeprefix("-")
    if pattern.fullmatch(unsigned):
        separator = "." if language != "en" else ","
        return value[: len(value) - len(unsigned)] + unsigned.replace(separator, "")
    return text


class AtMost(MaxValueValidator):
    """An upper bound, its message with the bound written in the reader's language ("1.000.000")."""

    message = _("Bitte geben Sie höchstens %(limit)s ein.")

    def __call__(self, value):
        if self.compare(self.clean(value), self.limit_value):
            raise ValidationError(self.message, code=self.code, params={"limit": number(self.limit_value)})


def bound(field: forms.Field, maximum) -> forms.Field:
    """Give a number field of a model form its upper bound (the model's column allows more)."""
    field.max_value = maximum
    field.validators = [v for v in field.validators if not isinstance(v, MaxValueValidator)] + [AtMost(maximum)]
    return field


class NumberInput(forms.TextInput):
    """A number typed as text; the stored value is shown in the reader's language ("5,5",
    "1.000"), what the person typed is shown as typed."""

    inputmode = "decimal"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": self.inputmode, "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return number(value).replace(MINUS, "-")  # an ASCII minus: what a keyboard types
        return str(value)


class WholeNumberInput(NumberInput):
    inputmode = "numeric"


class YearInput(WholeNumberInput):
    """A year: digits without grouping ("2030", not "2.030")."""

    def format_value(self, value):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else super().format_value(value)


class GroupedIntegerField(forms.IntegerField):
    """An integer read with the digit grouping of the person's language: Django alone reads a
    German "1.000" as 1 (it drops a trailing ".000") and refuses an English "1,000"."""

    widget = WholeNumberInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)
        if self.max_value is not None:
            bound(self, self.max_value)

    def to_python(self, value):
        return super().to_python(localized_number(value))


class GroupedDecimalField(forms.DecimalField):
    """A decimal read with the digit grouping of the person's language ("1.000" km in German,
    "5,5" %)."""

    widget = NumberInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)
        if self.max_value is not None:
            bound(self, self.max_value)

    def to_python(self, value):
        return super().to_python(localized_number(value))


class YearField(forms.IntegerField):
    """A year typed as text (no spin buttons), shown without grouping."""

    widget = YearInput
