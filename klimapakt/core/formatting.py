"""How numbers, quantities, percentages, dates and times read, in one place for every page,
mail, PDF and export. Dates and times: "27. November 2026,
17:34 Uhr" in German, "27 November 2026, 17:34" in English. The formats are translatable
strings (context "date format"), so each language writes dates its own way (Django's
SHORT_DATETIME_FORMAT for English is the US "11/27/2026 5:34 p.m.")."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext, pgettext


def day(value: datetime.datetime, *, weekday: bool = True) -> str:
    fmt = pgettext("date format", "l, j. F Y") if weekday else pgettext("date format", "j. F Y")
    return formats.date_format(value, fmt)


def time(value: datetime.datetime) -> str:
    return formats.date_format(value, "H:i")


def moment(value: datetime.datetime | None, *, weekday: bool = False) -> str:
    """One point in time (a deadline, when someone registered, an audit entry)."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    return pgettext("date format", "%(day)s, %(time)s Uhr") % {"day": day(value, weekday=weekday),
                                                               "time": time(value)}


# --------------------------------------------------------------------------- numbers
# One rule for every number a person reads (pages, mails, PDFs, spreadsheets' text cells): the
# active language's separators ("80,143" in German, "80.143" in English), grouping from four
# digits on ("1.234,5"), a real minus sign ("−12,5"), and half-up rounding to the places asked
# for. Quantities keep their unit after a no-break space ("80,143 t", "1.200 kWh"); a percentage
# is "−12,5 %" in German and "−12.5%" in English.

NBSP = "\u00a0"
MINUS = "\u2212"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator) if value.denominator != 1 \
            else Decimal(value.numerator)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def round_half_up(value, places: int) -> Decimal:
    """`value` rounded half-up (away from zero) to `places` decimals; exact for fractions."""
    if isinstance(value, Fraction):
        whole, rest = divmod(abs(value.numerator) * 10**places, value.denominator)
        if 2 * rest >= value.denominator:
            whole += 1
        return Decimal(-whole if value.numerator < 0 else whole).scaleb(-places)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value, places: int | None = None) -> str:
    """A number in the reader's language. `places` None: as many decimals as the value has
    (without trailing zeros: 0.201000 -> "0,201"); else rounded half-up to `places`."""
    exact = value if isinstance(value, Fraction) else _decimal(value)
    if exact is None:
        return "" if value is None else str(value)
    if places is None:
        decimal = _decimal(exact)
        text = format(decimal, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        decimal = Decimal(text)
        places = -decimal.as_tuple().exponent if decimal.as_tuple().exponent < 0 else 0
    else:
        decimal = round_half_up(exact, places)
    if decimal == 0:
        decimal = abs(decimal)  # no "−0,000"
    text = formats.number_format(decimal, decimal_pos=places, use_l10n=True, force_grouping=True)
    return MINUS + text[1:] if text.startswith("-") else text


def quantity(value, unit: str, places: int | None = None) -> str:
    """A number with its unit: "1.200 kWh", "80,143 t"."""
    text = number(value, places)
    return f"{text}{NBSP}{unit}" if text and unit else text


def tonnes(value, places: int = 3) -> str:
    """Emissions in tonnes, rounded half-up (the presentation rule): "80,143 t"."""
    return quantity(value, "t", places)


def percent(value, places: int | None = 1) -> str:
    """A percentage: "−12,5 %" in German, "−12.5%" in English (places None: as many decimals as
    the value has, "55,5 %")."""
    text = number(value, places)
    if not text:
        return text
    # The translator decides the space: "%(number)s %%" in German (a no-break space is put in),
    # "%(number)s%%" in English.
    return (pgettext("number format", "%(number)s %%") % {"number": text}).replace(" %", NBSP + "%")


def short_date(value) -> str:
    """A date in its short form: "04.12.2026" in German, "4 Dec 2026" in English."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, pgettext("date format", "d.m.Y"))


def short_moment(value) -> str:
    """A point in time in its short form: "16.03.2026 14:00" in German, "16/03/2026 14:00" in English."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, pgettext("date format", "d.m.Y H:i"))


def age(since, *, today: datetime.date | None = None) -> str:
    """How long something has been waiting, counted in local days: "seit heute", "seit gestern",
    "seit 3 Tagen" (the office's to-dos). `since`: a date or an aware datetime."""
    if since is None:
        return ""
    if isinstance(since, datetime.datetime):
        since = timezone.localtime(since).date() if timezone.is_aware(since) else since.date()
    days = ((today or timezone.localdate()) - since).days
    if days <= 0:
        return gettext("seit heute")
    if days == 1:
        return gettext("seit gestern")
    return ngettext("seit %(n)s Tag", "seit %(n)s Tagen", days) % {"n": number(days)}


def for_reader(value):
    """`value` with every date and time in it written for the active language (short forms);
    dicts and lists are walked. What a mail's stored context holds: text, not date objects."""
    if isinstance(value, dict):
        return {key: for_reader(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [for_reader(item) for item in value]
    if isinstance(value, datetime.datetime):
        return short_moment(value)
    if isinstance(value, datetime.date):
        return short_date(value)
    return value
