"""Checks of what a person sends before anything is written: the person's details and the
answers to an event's questionnaire. Pure functions (no database writes); registration and
answer services call them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ..models import Question


@dataclass
class PersonData:
    first_name: str
    last_name: str
    email: str
    organisation: str
    phone: str = ""
    language: str = "de"
    user: Any = None
    privacy_consent: bool = False
    extra: dict = field(default_factory=dict)

    def normalised(self) -> PersonData:
        return PersonData(
            first_name=self.first_name.strip(), last_name=self.last_name.strip(),
            email=(self.email or "").strip().lower(), organisation=self.organisation.strip(),
            phone=(self.phone or "").strip(), language=self.language if self.language in ("de", "en") else "de",
            user=self.user, privacy_consent=bool(self.privacy_consent),
        )


def is_ascii_number(text: str) -> bool:
    """Whether `text` is a whole number in ASCII digits. str.isdigit() alone is also true for
    "²" (int() then fails) and for other scripts' digits such as "３" or "٣" (int() reads them)."""
    return text.isascii() and text.isdigit()


def _choice_index(question: Question, value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        index = value
    else:
        text = str(value).strip()
        if is_ascii_number(text):
            index = int(text)
        else:
            labels_de, labels_en = question.choice_list("de"), question.choice_list("en")
            lowered = text.casefold()
            for i, (de, en) in enumerate(zip(labels_de, labels_en, strict=False)):
                if lowered in (de.casefold(), en.casefold()):
                    return i
            raise ValueError
    if not 0 <= index < len(question.choice_list("de")):
        raise ValueError
    return index


def clean_answers(*, questions: list[Question], answers: dict) -> dict[int, dict]:
    """Check raw answers (keyed by question id, as ints or strings) against the questions.
    Returns {question_id: answer fields}; raises ValidationError keyed ``question_<id>``."""
    raw = {str(k): v for k, v in (answers or {}).items()}
    known = {str(q.pk) for q in questions}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(raw) - known)
    if unknown:
        errors["answers"] = [_("Unbekannte Frage: %(ids)s") % {"ids": ", ".join(unknown)}]
    cleaned: dict[int, dict] = {}
    for q in questions:
        key = f"question_{q.pk}"
        value = raw.get(str(q.pk))
        if isinstance(value, str):
            value = value.strip()
        empty = value is None or value == "" or value == [] or value == ()
        if empty:
            if q.required:
                errors[key] = [_("Bitte beantworten Sie diese Frage.")]
            continue
        try:
            if q.kind in Question.TEXT_KINDS:
                text = str(value)
                limit = 200 if q.kind == Question.Kind.SHORT_TEXT else 5000
                if len(text) > limit:
                    errors[key] = [_("Bitte höchstens %(n)s Zeichen.") % {"n": limit}]
                    continue
                cleaned[q.pk] = {"text": text}
            elif q.kind == Question.Kind.NUMBER:
                number = Decimal(str(value).replace(",", ".")) if not isinstance(value, bool) else None
                if number is None or not number.is_finite() or abs(number) >= Decimal("1e12"):
                    raise ValueError
                cleaned[q.pk] = {"number": number.quantize(Decimal("0.01"))}
            elif q.kind == Question.Kind.YES_NO:
                if isinstance(value, bool):
                    flag = value
                elif str(value).lower() in ("yes", "ja", "true", "1"):
                    flag = True
                elif str(value).lower() in ("no", "nein", "false", "0"):
                    flag = False
                else:
                    raise ValueError
                cleaned[q.pk] = {"boolean": flag}
            elif q.kind == Question.Kind.SINGLE_CHOICE:
                if isinstance(value, list | tuple):
                    if len(value) != 1:
                        raise ValueError
                    value = value[0]
                cleaned[q.pk] = {"choices": [_choice_index(q, value)]}
            else:
                values = value if isinstance(value, list | tuple) else [value]
                cleaned[q.pk] = {"choices": sorted({_choice_index(q, v) for v in values})}
        except (ValueError, InvalidOperation, TypeError):
            errors[key] = [{
                Question.Kind.NUMBER: _("Bitte geben Sie eine Zahl ein."),
                Question.Kind.YES_NO: _("Bitte wählen Sie „Ja“ oder „Nein“."),
            }.get(q.kind, _("Bitte wählen Sie eine der angebotenen Möglichkeiten."))]
    if errors:
        raise ValidationError(errors)
    return cleaned


def validate_person(person: PersonData) -> None:
    errors: dict[str, list[str]] = {}
    for name, label in (("first_name", _("Vorname")), ("last_name", _("Nachname")),
                        ("organisation", _("Organisation"))):
        value = getattr(person, name)
        if not value:
            errors[name] = [_("Bitte geben Sie %(field)s an.") % {"field": label}]
        elif len(value) > (200 if name == "organisation" else 150):
            errors[name] = [_("Die Angabe ist zu lang.")]
    try:
        validate_email(person.email)
    except ValidationError:
        errors["email"] = [_("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@firma.de.")]
    if len(person.phone) > 50:
        errors["phone"] = [_("Die Angabe ist zu lang.")]
    if not person.privacy_consent:
        errors["privacy_consent"] = [_("Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben.")]
    if errors:
        raise ValidationError(errors)
