"""Authorization matrix of the advisor's workplace and the office's support pages. The world's
advisor is from the IHK, which holds the request made here (with the firm's grant and a file),
so the advisor gets what the holding institution gets; another institution's advisor is
refused (tests/support/test_workplace.py checks that case by URL). Members never reach the
back office; the overview, the event answers and the settings are the office's."""

from .registry import DENY, LOGIN, REDIRECT, Route, staff_and_advisors, staff_only


def _request(world):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from klimapakt.core.demo import minimal_pdf
    from klimapakt.support.models import Attachment, Holding, RoutingRule, SupportRequest, tags

    ihk = world["pact"].initial_partners.get(short_name="IHK")
    now = timezone.now()
    support_request = SupportRequest.objects.create(
        organisation=world["org_a"], created_by=world["users"]["member_a"], institution=ihk, status="new",
        topics=tags(["heat"]), description="Heizung", consent_text="Einverstanden.", consented_at=now, sent_at=now,
        received_at=now, answer_due_on=timezone.localdate() + datetime.timedelta(days=5), grant_given_at=now)
    Holding.objects.create(request=support_request, institution=ihk, since=now)
    attachment = Attachment(request=support_request, name="rechnung.pdf", size=100)
    attachment.file.save("rechnung.pdf", ContentFile(minimal_pdf("Rechnung")), save=False)
    attachment.save()
    rule = RoutingRule.objects.create(pact=world["pact"], institution=ihk, topic="heat")
    return {"support_request": support_request, "attachment": attachment, "rule": rule}


def handler_post():
    """A POST of the holding institution or the office: done, back to the page."""
    return {"anonymous": LOGIN, "member_a": DENY, "member_b": DENY, "advisor": REDIRECT, "office": REDIRECT}


def office_post():
    return {"anonymous": LOGIN, "member_a": DENY, "member_b": DENY, "advisor": DENY, "office": REDIRECT}


SR = lambda w: {"request_pk": w["support_request"].pk}  # noqa: E731

ROUTES = {
    "support_office:inbox": Route(staff_and_advisors()),
    "support_office:request": Route(staff_and_advisors(), setup=_request, kwargs=SR),
    "support_office:request_action": Route(
        handler_post(), method="POST", setup=_request,
        kwargs=lambda w: {"request_pk": w["support_request"].pk, "action": "accept"},
        data=lambda w: {"accept-advisor": w["users"]["advisor"].pk}),
    "support_office:message_post": Route(handler_post(), method="POST", setup=_request, kwargs=SR,
                                         data=lambda w: {"message-body": "Guten Tag"}),
    "support_office:note_add": Route(handler_post(), method="POST", setup=_request, kwargs=SR,
                                     data=lambda w: {"note-body": "Intern"}),
    "support_office:granted_data": Route(staff_and_advisors(), setup=_request, kwargs=SR),
    "support_office:attachment": Route(staff_and_advisors(), setup=_request, kwargs=lambda w: {
        "request_pk": w["support_request"].pk, "attachment_pk": w["attachment"].pk}),
    "support_office:firms": Route(staff_and_advisors(), setup=_request),
    "support_office:overview": Route(staff_only(), setup=_request),
    "support_office:overview_xlsx": Route(staff_only(), setup=_request),
    "support_office:event_needs": Route(staff_only()),
    "support_office:settings": Route(staff_only(), setup=_request),
    "support_office:rule_create": Route(staff_only()),
    "support_office:rule_edit": Route(staff_only(), setup=_request, kwargs=lambda w: {"rule_pk": w["rule"].pk}),
    "support_office:rule_delete": Route(office_post(), method="POST", setup=_request,
                                        kwargs=lambda w: {"rule_pk": w["rule"].pk}, data=lambda w: {"confirm": "1"}),
}
