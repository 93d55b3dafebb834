"""E-mail through Django's mail framework: German and English templates, HTML and text,
sent after commit by the task worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def render_mail(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render ``<template>_subject.txt``, ``_body.txt`` and ``_body.html`` in `language`."""
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL, "language": language, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx, using="text").split())
        text = render_to_string(f"{template}_body.txt", ctx, using="text")
        html = render_to_string(f"{template}_body.html", ctx)
    return subject, text, html


@task()
def send_templated_mail(*, template: str, to: list[str], context: dict, language: str = "de",
                        attachments: list[tuple[str, str, str]] | None = None) -> None:
    """Send one mail. `context` must be JSON-serialisable (task arguments are stored)."""
    subject, text, html = render_mail(template, context, language)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    message.send()
