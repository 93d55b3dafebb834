"""Units, limits and parsing of numbers: the vocabulary every other part of the calculation uses.

Messages are German msgids marked with ``gettext_noop`` (makemessages knows this name) with
``%(name)s`` parameters; the Django layer translates them, this package never imports Django.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any


def gettext_noop(message: str) -> str:
    """Mark a German msgid for translation without translating it here (makemessages knows
    this name; Django's own is not imported because this module stays free of Django)."""
    return message


ENERGY_UNITS = ("Wh", "kWh", "MWh", "GWh", "MJ", "GJ")
CALORIFIC_SUFFIXES = ("_hs", "_hi")
VOLUME_UNITS = ("l", "m3")
SCOPES = (1, 2, 3)
MIN_YEAR, MAX_YEAR = 1990, 2100
# Magnitudes beyond these are typing errors, and would let arbitrary input exhaust memory.
MAX_QUANTITY_EXPONENT = 15          # quantities below 10^16 of any unit
MAX_SIGNIFICANT_DIGITS = 34
MAX_SUPPLIER_FACTOR = Decimal("5")  # kg CO2 per kWh; lignite power is about 1.2
UNIT_ALIASES = {"m³": "m3", "liter": "l", "litre": "l", "ltr": "l", "lt": "l"}


def is_plain_energy(unit: str) -> bool:
    return unit in ENERGY_UNITS


def is_calorific(unit: str) -> bool:
    return unit[-3:] in CALORIFIC_SUFFIXES and unit[:-3] in ENERGY_UNITS


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?")


def parse_decimal(value: Any) -> Decimal | None:
    """A finite decimal from a number or a string (``"1234.5"``, ``"1234,5"``, ``"1.234,5"``,
    ``"250 000"``); None when it is not one. Floats go through their shortest repr."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
        if len(text) > 60:
            return None
        if "," in text and "." in text:
            # The separator that comes last is the decimal one: 1.234,5 (German) or 1,234.5.
            if text.rfind(",") > text.rfind("."):
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", "")
        elif "," in text:
            text = text.replace(",", ".")
        if not _NUMBER.fullmatch(text):
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    else:
        return None
    if not number.is_finite():
        return None
    return number


def number_problem(number: Decimal) -> str | None:
    if number.is_zero():
        return None
    adjusted = number.adjusted()
    if adjusted > MAX_QUANTITY_EXPONENT:
        return "too_large"
    if adjusted < -MAX_SIGNIFICANT_DIGITS or number.as_tuple().exponent < -2 * MAX_SIGNIFICANT_DIGITS:
        return "too_precise"
    return None
