from .registry import (
    DENY,
    GONE,
    LOGIN,
    OK,
    REDIRECT,
    Route,
    logged_in,
    org_a_only,
    public,
    staff_and_advisors,
    staff_only,
)


def _document(world):
    from django.core.files.base import ContentFile

    from klimapakt.core.demo import minimal_pdf
    from klimapakt.core.models import Document

    doc = Document(pact=world["pact"], title_de="Rahmenvereinbarung", dated_on="2022-06-01")
    doc.file.save("rahmen.pdf", ContentFile(minimal_pdf("Rahmen")), save=False)
    doc.save()
    hidden = Document(pact=world["pact"], title_de="Intern", dated_on="2022-06-02", is_public=False)
    hidden.file.save("intern.pdf", ContentFile(minimal_pdf("Intern")), save=False)
    hidden.save()
    return {"document": doc, "hidden_document": hidden}


def _invitation(world):
    from klimapakt.partners.models import Invitation

    return {"invitation": Invitation.objects.create(organisation=world["org_a"], email="new@alpha.example")}


def _member_b_in_a(world):
    from klimapakt.partners.models import Membership

    return {"membership": Membership.objects.create(organisation=world["org_a"], user=world["users"]["member_b"])}


def _custom_page(world):
    from klimapakt.core.models import Page

    return {"custom_page": Page.objects.create(pact=world["pact"], slug="barrierefreiheit",
                                               title_de="Erklärung zur Barrierefreiheit", in_footer=True)}


def _failed_mail(world):
    from klimapakt.core.models import OutboxMail

    return {"mail": OutboxMail.objects.create(to=["x@y.example"], subject="Test", status=OutboxMail.Status.FAILED,
                                              attempts=6, last_error="ConnectionRefusedError")}


def _failed_task(world):
    from django_tasks_db.models import DBTaskResult, get_date_max

    return {"task": DBTaskResult.objects.create(
        task_path="klimapakt.core.mail.deliver_mail", args_kwargs={"args": [0], "kwargs": {}}, status="FAILED",
        backend_name="default", run_after=get_date_max(), exception_class_path="builtins.RuntimeError",
        traceback="RuntimeError: boom")}


ROUTES = {
    "healthz": Route(public()),
    "core:home": Route(public()),
    "core:documents": Route(public()),
    "core:contact": Route(public()),
    "core:imprint": Route(public()),
    "core:privacy": Route(public()),
    "core:document_download": Route(public(), setup=_document,
                                    kwargs=lambda w: {"pk": w["document"].pk, "filename": "rahmen.pdf"}),
    "media": Route({r: GONE for r in ("anonymous", "member_a", "member_b", "advisor", "office")},
                   kwargs=lambda w: {"path": "pact/missing.png"}),
    # Portal
    "portal:dashboard": Route(logged_in()),
    "portal:organisation_create": Route(logged_in()),
    "portal:organisation": Route(org_a_only(), kwargs=lambda w: {"pk": w["org_a"].pk}),
    "portal:membership_remove": Route(
        org_a_only(anonymous=LOGIN, member_a=REDIRECT, member_b=DENY, office=REDIRECT),
        method="POST", setup=_member_b_in_a,
        kwargs=lambda w: {"pk": w["org_a"].pk, "membership_pk": w["membership"].pk}),
    "invitation:accept": Route(public(), setup=_invitation, kwargs=lambda w: {"token": w["invitation"].token}),
    # Back office
    "backoffice:start": Route(staff_and_advisors()),
    "backoffice:pact": Route(staff_only()),
    # The Markdown preview (core.markdown_preview): a POST for the people who write texts.
    "backoffice:markdown_preview": Route(staff_and_advisors(), method="POST", data=lambda w: {"text": "**a**"}),
    "backoffice:initial_partner_create": Route(staff_only()),
    "backoffice:initial_partner_edit": Route(staff_only(), kwargs=lambda w: {"pk": w["pact"].initial_partners.first().pk}),
    "backoffice:pages": Route(staff_only()),
    "backoffice:page_edit": Route(staff_only(), kwargs=lambda w: {"slug": "home"}),
    "backoffice:page_create": Route(staff_only()),
    "backoffice:page_delete": Route(staff_only(office=REDIRECT), method="POST", setup=_custom_page,
                                    kwargs=lambda w: {"slug": w["custom_page"].slug}),
    "backoffice:branding": Route(staff_only()),
    "pages:custom": Route(public(), setup=_custom_page, kwargs=lambda w: {"slug": "barrierefreiheit"}),
    "backoffice:documents": Route(staff_only()),
    "backoffice:document_create": Route(staff_only()),
    "backoffice:document_edit": Route(staff_only(), setup=_document, kwargs=lambda w: {"pk": w["hidden_document"].pk}),
    "backoffice:document_delete": Route(staff_only(office=REDIRECT), method="POST", setup=_document,
                                        kwargs=lambda w: {"pk": w["hidden_document"].pk}),
    "backoffice:organisations": Route(staff_only()),
    "backoffice:organisation": Route(staff_only(), kwargs=lambda w: {"pk": w["org_a"].pk}),
    "backoffice:audit": Route(staff_only()),
    "backoffice:tasks": Route(staff_only()),
    "backoffice:mail_retry": Route(staff_only(office=REDIRECT), method="POST", setup=_failed_mail,
                                   kwargs=lambda w: {"pk": w["mail"].pk}),
    "backoffice:task_retry": Route(staff_only(office=REDIRECT), method="POST", setup=_failed_task,
                                   kwargs=lambda w: {"pk": w["task"].pk}),
}

# Not reachable by a public URL lookup: a hidden document is 404 for everyone; a fixed page's key
# is no address of its own; an unknown page is 404.
EXTRA_CHECKS = [
    ("pages:custom", lambda w: {}, lambda w: {"slug": "imprint"}, {r: GONE for r in ("anonymous", "member_a", "member_b",
                                                                           "advisor", "office")}),
    ("pages:custom", lambda w: {}, lambda w: {"slug": "gibt-es-nicht"},
     {r: GONE for r in ("anonymous", "member_a", "member_b", "advisor", "office")}),
    ("core:document_download", _document, lambda w: {"pk": w["hidden_document"].pk, "filename": "intern.pdf"},
     {r: GONE for r in ("anonymous", "member_a", "member_b", "advisor", "office")}),
]
_ = (DENY, OK)

ROUTES["core:my_data"] = Route(logged_in())
