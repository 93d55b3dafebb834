"""The partial index of open, unanswered requests (issue 18) must cover exactly the rows the
overdue count reads: its condition spells out SupportRequest.OPEN, so a new open status must
be added there too."""

from klimapakt.support.models import SupportRequest


def test_the_open_unanswered_index_covers_the_open_statuses():
    index = next(i for i in SupportRequest._meta.indexes if i.name == "support_open_unanswered")
    children = dict(index.condition.children)
    assert sorted(children["status__in"]) == sorted(SupportRequest.OPEN)
    assert children["first_answer_at__isnull"] is True
