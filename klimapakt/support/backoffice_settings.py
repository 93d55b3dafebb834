"""The pact office's support settings: the first-answer target, the holidays' state, the
retention period, and the routing rules for requests without a chosen offer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from klimapakt.core.backoffice import permission, render_office
from klimapakt.core.forms import apply_validation_error
from klimapakt.core.models import AuditEntry, Pact
from klimapakt.core.selectors import current_pact
from klimapakt.partners.models import SIZE_CLASSES, WZ2008_SECTIONS

from .forms_backoffice import RoutingRuleForm, SupportSettingsForm
from .models import RoutingRule, Topic
from .services import settings as services
from .services._base import settings_for

PERM = "support.manage_settings"
AUDITED = ("support.settings.updated", "support.routing_rule.saved", "support.routing_rule.deleted")


def _pact() -> Pact:
    return Pact.objects.get(pk=current_pact().pk)


def _describe(rule: RoutingRule) -> RoutingRule:
    """The rule's filled conditions in words (rule.conditions)."""
    sizes = {k: label for k, label, _low, _high in SIZE_CLASSES}
    rule.conditions = [str(label) for label in (
        dict(Topic.choices).get(rule.topic), dict(WZ2008_SECTIONS).get(rule.sector), sizes.get(rule.size_class),
        _("nur Handwerksbetriebe") if rule.craft_business else None) if label]
    return rule


def _rules(pact) -> list[RoutingRule]:
    return [_describe(rule) for rule in RoutingRule.objects.filter(pact=pact).select_related("institution")
            .order_by("position", "pk")[:services.MAX_ROUTING_RULES]]


@permission(PERM)
def settings_page(request):
    pact = _pact()
    current = settings_for(pact)
    form = SupportSettingsForm(request.POST or None, initial={
        "answer_days": current.answer_days, "holiday_region": current.holiday_region,
        "retention_years": current.retention_years})
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(pact=pact, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Die Einstellungen der Unterstützung wurden gespeichert."))
            return redirect("support_office:settings")
    return render_office(request, "support/backoffice/settings.html", {
        "form": form, "rules": _rules(pact),
        "audit": list(AuditEntry.objects.filter(action__in=AUDITED).select_related("actor", "content_type")
                      .order_by("-created_at", "-pk")[:20])})


@permission(PERM)
def rule_edit(request, rule_pk=None):
    pact = _pact()
    rule = get_object_or_404(RoutingRule.objects.select_related("institution"), pk=rule_pk, pact=pact) \
        if rule_pk else None
    form = RoutingRuleForm(request.POST or None, pact=pact, initial=RoutingRuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_save(pact=pact, actor=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Die Zuordnungsregel wurde gespeichert."))
            return redirect("support_office:settings")
    return render_office(request, "support/backoffice/rule_form.html", {
        "form": form, "rule": rule,
        "title": _("Zuordnungsregel bearbeiten") if rule else _("Neue Zuordnungsregel")})


@permission(PERM)
def rule_delete(request, rule_pk):
    """GET asks for confirmation, POST (with confirm=1) deletes."""
    rule = get_object_or_404(RoutingRule.objects.select_related("institution"), pk=rule_pk, pact=_pact())
    if request.method == "POST" and request.POST.get("confirm") == "1":
        services.routing_rule_delete(rule=rule, actor=request.user)
        messages.success(request, _("Die Zuordnungsregel wurde gelöscht."))
        return redirect("support_office:settings")
    return render_office(request, "support/backoffice/rule_delete.html", {"rule": _describe(rule)})

