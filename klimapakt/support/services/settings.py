"""The pact office's support settings and routing rules."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core import derived
from klimapakt.core.audit import log_action
from klimapakt.core.services import refuse

from ..models import RoutingRule, SupportRequest, SupportSettings
from ..selectors.workplace import SUPPORT
from ._base import answer_due_on

MAX_ROUTING_RULES = 200


@transaction.atomic
def settings_update(*, pact, actor, answer_days: int, retention_years: int, holiday_region: str) -> SupportSettings:
    """Save the service level and retention; the due dates of open, unanswered requests follow
    a changed target."""
    settings, _created = SupportSettings.objects.select_for_update().get_or_create(pact=pact)
    before = (settings.answer_days, settings.holiday_region)
    settings.answer_days = answer_days
    settings.retention_years = retention_years
    settings.holiday_region = holiday_region.strip().upper()
    settings.full_clean(exclude=["pact"])
    settings.save()
    if before != (settings.answer_days, settings.holiday_region):
        waiting = SupportRequest.objects.open().filter(first_answer_at__isnull=True, received_at__isnull=False)
        by_day: dict = {}
        for pk, received_at in waiting.values_list("pk", "received_at")[:20_000]:
            by_day.setdefault(timezone.localdate(received_at), []).append(pk)
        for day, ids in by_day.items():   # one update per day of receipt, not per request
            due = answer_due_on(day, settings)
            SupportRequest.objects.filter(pk__in=ids).update(answer_due_on=due, advisor_reminded_at=None,
                                                             office_reminded_at=None)
        derived.changed(SUPPORT)  # the overdue counts (update() sends no signal)
    log_action("support.settings.updated", obj=pact, actor=actor, data={
        "answer_days": answer_days, "retention_years": retention_years, "holiday_region": settings.holiday_region})
    return settings


@transaction.atomic
def routing_rule_save(*, pact, actor, rule: RoutingRule | None = None, **fields) -> RoutingRule:
    if rule is None:
        if RoutingRule.objects.filter(pact=pact).count() >= MAX_ROUTING_RULES:
            refuse(_("Es sind höchstens %(n)s Regeln möglich.") % {"n": MAX_ROUTING_RULES})
        rule = RoutingRule(pact=pact)
    for name, value in fields.items():
        setattr(rule, name, value)
    if not (rule.topic or rule.sector or rule.size_class or rule.craft_business):
        refuse(_("Bitte nennen Sie mindestens eine Bedingung: Thema, Branche, Größenklasse oder Handwerksbetrieb."))
    rule.full_clean(exclude=["pact"])
    rule.save()
    log_action("support.routing_rule.saved", obj=rule, actor=actor, data={
        "institution": rule.institution.name, "topic": rule.topic, "sector": rule.sector,
        "size_class": rule.size_class, "craft_business": rule.craft_business})
    return rule


@transaction.atomic
def routing_rule_delete(*, rule: RoutingRule, actor) -> None:
    log_action("support.routing_rule.deleted", obj=rule, actor=actor, data={"institution": rule.institution.name})
    rule.delete()
