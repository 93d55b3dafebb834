"""Validators every app shares."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Control characters (C0, DEL, C1: also tab, CR, LF, NEL) and the Unicode line and paragraph
# separators. In a name or title they only ever serve to start a new line where the text is put
# into a plain-text mail, a mail header, a CSV or a PDF line.
_NOT_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@deconstructible
class SingleLineValidator:
    message = _("Bitte nur eine Zeile ohne Zeilenumbrüche oder Steuerzeichen.")
    code = "single_line"

    def __call__(self, value) -> None:
        if isinstance(value, str) and _NOT_SINGLE_LINE.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, SingleLineValidator)

    def __hash__(self) -> int:
        return hash(SingleLineValidator)


single_line = SingleLineValidator()
