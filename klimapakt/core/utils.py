"""Small helpers every app shares."""

from __future__ import annotations

import re

# ASCII digits only: str.isdigit() is also true for "²", "٣" or "①", which int() then refuses
# (or reads as another number), so a query such as ``?fassung=²`` used to answer 500.
_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")


def parse_int(text) -> int | None:
    """A non-negative whole number written with ASCII digits (at most 18 of them, so it fits a
    database integer), else None. For values from the URL or a form that are not validated by a
    form field: ``parse_int(request.GET.get("jahr"))``."""
    if not isinstance(text, str) or not _ASCII_DIGITS.fullmatch(text):
        return None
    return int(text)
