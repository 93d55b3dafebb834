"""How apps above ghg (reports) tell the balance page why a year is frozen, without ghg
importing them. They register in their ``AppConfig.ready()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from klimapakt.core.registry import Registry


@dataclass(frozen=True)
class FreezeReason:
    """``explain(balance, user) -> dict | None``: why `balance` is frozen, as the balance page
    says it to `user`: ``{"document": "Ausgangsbericht 2024", "accepted_at": datetime | None,
    "url": the document's page for this user | None, "can_reopen": whether this user can open it
    for a correction}``; None when this app did not freeze it."""

    key: str
    explain: Callable[[Any, Any], dict | None]
    order: int = 100


freeze_reasons = Registry("freeze reasons")


def freeze_reason(balance, user) -> dict | None:
    """The first registered app's explanation of a frozen balance (None: nobody explains it)."""
    if balance is None or not balance.is_frozen:
        return None
    for reason in freeze_reasons:
        explanation = reason.explain(balance, user)
        if explanation:
            return explanation
    return None


@dataclass(frozen=True)
class BalanceLink:
    """A link an app above ghg adds to a year's balance page (next to the PDF and XLSX), without
    ghg naming it. ``url(organisation, year) -> str``; ``label`` is a lazy German msgid."""

    key: str
    label: Any
    url: Callable[[Any, int], str]
    order: int = 100


balance_links = Registry("balance links")


def links_for_balance(organisation, year: int) -> list[dict]:
    """The registered links of a year's balance page, ready for the template."""
    return [{"key": link.key, "label": link.label, "url": link.url(organisation, year)}
            for link in balance_links]
