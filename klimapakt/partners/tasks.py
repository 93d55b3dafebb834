"""Background work of the partners app: the counter-signed agreement goes out as a PDF."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from klimapakt.core.mail import render_mail


@task()
def send_agreement_mail(*, agreement_id: int, recipients: list[list[str]] | list[tuple[str, str]]) -> None:
    """Both sides receive the counter-signed agreement as a PDF (rendered in the worker)."""
    from django.urls import reverse
    from django.utils import translation

    from .documents import agreement_pdf, pdf_filename
    from .models import Agreement

    agreement = Agreement.objects.select_related("organisation", "version").get(pk=agreement_id)
    organisation = agreement.organisation
    by_language: dict[str, list[str]] = {}
    for email, language in recipients:
        by_language.setdefault(language if language in ("de", "en") else "de", []).append(email)
    for language, emails in by_language.items():
        with translation.override(language):
            path = reverse("portal:organisation", args=[organisation.pk])
            pdf = agreement_pdf(agreement)
            name = pdf_filename("vereinbarung", organisation)
        context = {"organisation": organisation.name, "path": path,
                   "signed_on": agreement.countersigned_on.strftime("%d.%m.%Y")}
        subject, text, html = render_mail("partners/email/agreement_signed", context, language)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, emails)
        message.attach_alternative(html, "text/html")
        message.attach(name, pdf, "application/pdf")
        message.send()
