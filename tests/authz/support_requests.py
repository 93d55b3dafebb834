"""The firm's support requests (member pages under the organisation): only the organisation's
members. member_b (another organisation) is denied; the advisors and the pact office work on
requests in the back office (support_office:*), so the firm's pages deny them too. Another
organisation's pk in the URL never reaches a request (404, tests/support/test_requests_firm.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from .registry import DENY, LOGIN, OK, REDIRECT, Route

MEMBER = {"anonymous": LOGIN, "member_a": OK, "member_b": DENY, "advisor": DENY, "office": DENY}
WRITE = MEMBER | {"member_a": REDIRECT}


def _request(world):
    from klimapakt.support.services import requests

    support_request = requests.request_create(
        organisation=world["org_a"], actor=world["users"]["member_a"], offer=None, topics=["heat"],
        description="Unsere Heizung ist alt.", consent=True,
        files=[SimpleUploadedFile("angebot.pdf", b"%PDF-1.4\n%%EOF\n")])
    return {"support_request": support_request, "attachment": support_request.attachments.get()}


def _draft(world):
    from klimapakt.support.models import SupportRequest

    return {"support_request": SupportRequest.objects.create(
        organisation=world["org_a"], created_by=world["users"]["member_a"], status=SupportRequest.Status.DRAFT,
        description="Aus der Veranstaltung", topics=",other,")}


def _org(world):
    return {"pk": world["org_a"].pk}


def _req(world):
    return {"pk": world["org_a"].pk, "request_pk": world["support_request"].pk}


def _file(world):
    return _req(world) | {"attachment_pk": world["attachment"].pk}


ROUTES = {
    "support:requests": Route(MEMBER, kwargs=_org),
    "support:request_create": Route(MEMBER, kwargs=_org),
    "support:request": Route(MEMBER, setup=_request, kwargs=_req),
    "support:request_send": Route(WRITE, method="POST", setup=_draft, kwargs=_req, data=lambda w: {
        "offer": "", "description": "Bitte beraten Sie uns.", "topics": ["heat"], "schritt": "senden",
        "recipient": "office", "consent": "on"}),
    "support:message_post": Route(WRITE, method="POST", setup=_request, kwargs=_req,
                                  data=lambda w: {"body": "Wann passt es Ihnen?"}),
    "support:grant": Route(WRITE, method="POST", setup=_request, kwargs=_req, data=lambda w: {"freigeben": "1"}),
    "support:withdraw": Route(MEMBER, setup=_request, kwargs=_req),
    "support:attachment": Route(MEMBER, setup=_request, kwargs=_file),
}
