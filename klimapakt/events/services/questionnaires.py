"""An event's questionnaire: add, change, delete and reorder its questions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from ..models import Event, Question

QUESTION_FIELDS = ("kind", "label_de", "label_en", "help_de", "help_en", "choices_de", "choices_en", "required",
                   "role")


def _check_question(question: Question) -> None:
    if question.kind in Question.CHOICE_KINDS and len(question.choice_list("de")) < 2:
        raise ValidationError({"choices_de": _("Eine Auswahlfrage braucht mindestens zwei Möglichkeiten.")})
    if question.role == Question.Role.SUPPORT_CONSENT and question.kind != Question.Kind.YES_NO:
        raise ValidationError({"role": _("Die Einwilligung muss eine Ja/Nein-Frage sein.")})
    question.full_clean(exclude=["event"])


@transaction.atomic
def question_save(*, event: Event, actor, question: Question | None = None, **fields) -> Question:
    created = question is None
    if created:
        last = event.questions.aggregate(m=Max("position"))["m"]
        question = Question(event=event, position=(last or 0) + 1)
    for key, value in fields.items():
        if key in QUESTION_FIELDS:
            setattr(question, key, value)
    _check_question(question)
    question.save()
    log_action("events.question.created" if created else "events.question.updated", obj=event, actor=actor,
               data={"question": question.pk, "label": question.label_de})
    return question


@transaction.atomic
def question_delete(*, question: Question, actor) -> None:
    event = question.event
    log_action("events.question.deleted", obj=event, actor=actor,
               data={"question": question.pk, "label": question.label_de, "answers": question.answers.count()})
    question.delete()


@transaction.atomic
def question_move(*, question: Question, direction: str, actor) -> None:
    questions = list(question.event.questions.all())
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions, 1):
        q.position = position
    Question.objects.bulk_update(questions, ["position"])
    log_action("events.question.moved", obj=question.event, actor=actor,
               data={"question": question.pk, "direction": direction})
