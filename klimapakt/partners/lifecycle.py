"""The partnership's lifecycle as one table: which action moves an organisation from which
stage to which, who may take it and under which audit key it is logged. Services check this
table instead of comparing stages by hand; the back office asks it which actions to offer.
Each change of stage is also kept as a `StageChange` (the history of the way)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from klimapakt.core.transitions import ANY, Transition, TransitionTable

from .models import Organisation

Stage = Organisation.Stage
BEFORE_AGREEMENT = (Stage.INTEREST, Stage.TALK_PLANNED)
OFFICE = "partners.manage_partnership"

LIFECYCLE = TransitionTable("partnership", [
    Transition("plan_talk", sources=BEFORE_AGREEMENT, target=Stage.TALK_PLANNED, permission=OFFICE,
               audit="partners.talk.planned",
               refusal=_("Ein Orientierungsgespräch kann nur geplant werden, solange die Organisation Interesse "
                         "angemeldet hat (aktueller Stand: %(state)s).")),
    Transition("answer_talk", sources=[Stage.TALK_PLANNED], target=None, permission="partners.answer_talk",
               audit=None,
               refusal=_("Die Geschäftsstelle hat Ihnen zurzeit keinen Termin für ein Orientierungsgespräch "
                         "vorgeschlagen.")),
    Transition("mark_talk_held", sources=BEFORE_AGREEMENT, target=Stage.TALK_HELD, permission=OFFICE,
               audit="partners.talk.held",
               refusal=_("Das Orientierungsgespräch kann nur vor der Vereinbarung als geführt vermerkt werden "
                         "(aktueller Stand: %(state)s).")),
    Transition("save_agreement", sources=(*BEFORE_AGREEMENT, Stage.TALK_HELD), target=None,
               permission="partners.change_organisation", audit="partners.agreement.saved",
               refusal=_("Die Vereinbarung kann in diesem Stand nicht bearbeitet werden (%(state)s).")),
    Transition("submit_agreement", sources=[Stage.TALK_HELD], target=Stage.AGREEMENT_SUBMITTED,
               permission="partners.change_organisation", audit="partners.agreement.submitted",
               refusal=_("Die Vereinbarung kann erst nach dem Orientierungsgespräch eingereicht werden.")),
    Transition("request_changes", sources=[Stage.AGREEMENT_SUBMITTED], target=Stage.TALK_HELD, permission=OFFICE,
               audit="partners.agreement.changes_requested",
               refusal=_("Änderungen können nur an einer eingereichten Vereinbarung erbeten werden.")),
    Transition("countersign", sources=[Stage.AGREEMENT_SUBMITTED], target=Stage.ACTIVE, permission=OFFICE,
               audit="partners.agreement.signed",
               refusal=_("Nur eine eingereichte Vereinbarung kann gegengezeichnet werden.")),
    Transition("pause", sources=[Stage.ACTIVE], target=Stage.PAUSED, permission=OFFICE,
               audit="partners.partnership.paused",
               refusal=_("Nur eine aktive Partnerschaft kann pausiert werden.")),
    Transition("resume", sources=[Stage.PAUSED], target=Stage.ACTIVE, permission=OFFICE,
               audit="partners.partnership.resumed",
               refusal=_("Nur eine pausierte Partnerschaft kann fortgesetzt werden.")),
    Transition("leave", sources=[ANY], target=Stage.LEFT, permission="partners.change_organisation",
               audit="partners.partnership.left",
               refusal=_("Die Organisation ist bereits ausgetreten.")),
    Transition("end", sources=[ANY], target=Stage.LEFT, permission=OFFICE,
               audit="partners.partnership.ended",
               refusal=_("Die Partnerschaft ist bereits beendet.")),
], labels=Stage)


def allows(organisation: Organisation, action: str) -> bool:
    return LIFECYCLE.allows(organisation.stage, action)
