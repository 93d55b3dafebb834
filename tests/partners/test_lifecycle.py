"""The partnership's lifecycle is one table: the services follow it, the refusals come from it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from klimapakt.partners.lifecycle import LIFECYCLE
from klimapakt.partners.models import Organisation

S = Organisation.Stage


def test_each_stage_offers_the_actions_of_the_pact():
    offered = {stage: {t.action for t in LIFECYCLE.actions_from(stage)} for stage in S.values}
    assert offered[S.INTEREST] == {"plan_talk", "mark_talk_held", "save_agreement", "leave", "end"}
    assert offered[S.TALK_HELD] == {"save_agreement", "submit_agreement", "leave", "end"}
    assert offered[S.AGREEMENT_SUBMITTED] == {"request_changes", "countersign", "leave", "end"}
    assert offered[S.ACTIVE] == {"pause", "leave", "end"}
    assert offered[S.PAUSED] == {"resume", "leave", "end"}
    assert offered[S.LEFT] == set()


def test_targets_and_audit_keys():
    rows = {action: (target, audit) for action, _sources, target, _perm, audit in LIFECYCLE.table()}
    assert rows["countersign"] == (S.ACTIVE, "partners.agreement.signed")
    assert rows["request_changes"] == (S.TALK_HELD, "partners.agreement.changes_requested")
    assert rows["pause"] == (S.PAUSED, "partners.partnership.paused")
    assert rows["answer_talk"][0] is None  # answering keeps the stage


def test_a_refusal_names_the_current_stage_in_the_readers_language():
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        LIFECYCLE.check(S.ACTIVE, "plan_talk")
    assert "(aktueller Stand: Aktiver Klimapartner)" in refused.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        LIFECYCLE.check(S.LEFT, "pause")
    assert refused.value.messages == ["Only an active partnership can be paused."]


def test_the_office_is_offered_only_what_it_may_do(django_user_model):
    class Visitor:
        def has_perm(self, perm, obj=None):
            return perm == "partners.answer_talk"

    assert LIFECYCLE.available(S.TALK_PLANNED, Visitor()) == {"answer_talk"}
