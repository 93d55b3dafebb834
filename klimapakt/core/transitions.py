"""Transition tables: which action moves an object from which state to which, who may do it,
and under which audit key it is logged. One table per lifecycle (the partnership, an event,
a support request), declared next to its model; services ask the table instead of comparing
states by hand, views and templates ask it which actions to offer.

    LIFECYCLE = TransitionTable("partnership", [
        Transition("pause", sources=[ACTIVE], target=PAUSED, permission="partners.manage_partnership",
                   audit="partners.partnership.paused", refusal=_("Nur eine aktive Partnerschaft ...")),
    ], labels=Organisation.Stage)
    step = LIFECYCLE.check(organisation.stage, "pause")   # ValidationError with the refusal

A refusal may name the current state as ``%(state)s`` (its label from ``labels``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

ANY = "*"  # as a source: every state (except the target, for a transition that changes state)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None          # None: the action keeps the state (e.g. answering a talk date)
    audit: str | None           # None: the service logs a key that depends on more than the action
    refusal: Any
    permission: str | None = None

    def __init__(self, action: str, *, sources: Iterable[str], target: str | None, audit: str | None, refusal: Any,
                 permission: str | None = None):
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "sources", tuple(str(s) for s in sources))
        object.__setattr__(self, "target", None if target is None else str(target))
        object.__setattr__(self, "audit", audit)
        object.__setattr__(self, "refusal", refusal)
        object.__setattr__(self, "permission", permission)

    def applies_to(self, state: str) -> bool:
        if ANY in self.sources:
            return state != self.target
        return state in self.sources


class TransitionTable:
    instances: list[TransitionTable] = []   # every table declared (for the audit-name check and the docs)

    def __init__(self, name: str, transitions: Iterable[Transition], *, labels=None):
        self.name = name
        self.transitions: dict[str, Transition] = {}
        for transition in transitions:
            if transition.action in self.transitions:
                raise ValueError(f"{name}: action {transition.action!r} declared twice")
            self.transitions[transition.action] = transition
        self._labels = labels
        TransitionTable.instances.append(self)

    def __getitem__(self, action: str) -> Transition:
        return self.transitions[action]

    def label(self, state: str) -> str:
        if self._labels is None:
            return state
        choices = dict(self._labels.choices) if hasattr(self._labels, "choices") else dict(self._labels)
        return str(choices.get(state, state))

    def allows(self, state: str, action: str) -> bool:
        return self.transitions[action].applies_to(state)

    def check(self, state: str, action: str) -> Transition:
        """The transition of `action` from `state`; ValidationError with its refusal when the
        state does not allow it."""
        transition = self.transitions[action]
        if not transition.applies_to(state):
            self.refuse(state, action)
        return transition

    def refuse(self, state: str, action: str):
        """Raise the refusal of `action` (also where a service finds the object not ready for it
        beyond its state, so the person reads one message for one rule)."""
        message = str(self.transitions[action].refusal)
        if "%(state)s" in message:
            message = message % {"state": self.label(state)}
        raise ValidationError(message)

    def target(self, state: str, action: str) -> str:
        transition = self.check(state, action)
        return state if transition.target is None else transition.target

    def by_target(self, state: str, target: str) -> Transition | None:
        """The action that leads from `state` to `target`, if the table has one."""
        return next((t for t in self.transitions.values() if t.target == target and t.applies_to(state)), None)

    def actions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if t.applies_to(state)]

    def available(self, state: str, user, obj=None) -> set[str]:
        """The actions `user` may take on `obj` in `state` (for the buttons a page offers)."""
        return {t.action for t in self.actions_from(state)
                if t.permission is None or user.has_perm(t.permission, obj)}

    def table(self) -> list[tuple[str, list[str], str | None, str | None, str]]:
        """The table as rows (action, sources, target, permission, audit key), for docs and tests."""
        return [(t.action, list(t.sources), t.target, t.permission, t.audit) for t in self.transitions.values()]
