from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils import translation

from .login_throttle import LoginThrottleMixin
from .mail import layout_context, queue_mail, reply_to, sender
from .selectors import current_pact


class AccountAdapter(LoginThrottleMixin, DefaultAccountAdapter):
    """allauth's mails go out in the language the person is using the site in, through the
    platform's outbox like every other mail: rendered now, sent by the worker, so a sign-up or
    a password reset never fails because the mail server is down."""

    def send_mail(self, template_prefix, email, context):
        language = (translation.get_language() or "de")[:2]
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        html = next((content for content, mimetype in getattr(message, "alternatives", [])
                     if mimetype == "text/html"), "")
        text = message.body
        if getattr(message, "content_subtype", "plain") == "html":  # allauth sent HTML only
            text, html = "", message.body
        queue_mail(to=message.to, subject=message.subject, text=text, html=html, language=language)

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mails speak as the pact, in its layout: our templates under
        templates/account/email/ extend mail/base.txt (rendered without HTML escaping, like every
        plain-text mail); the HTML part is that text in mail/base.html."""
        language = (translation.get_language() or "de")[:2]
        ctx = {**layout_context(language), **context}
        subject = self.format_email_subject(
            " ".join(render_to_string(f"{template_prefix}_subject.txt", ctx, using="text").split()))
        text = render_to_string(f"{template_prefix}_message.txt", ctx, using="text").strip()
        html = render_to_string("account/email/layout.html", {**ctx, "subject": subject, "text": text})
        message = EmailMultiAlternatives(subject, text, sender(language), [email] if isinstance(email, str) else email,
                                         headers=headers, reply_to=reply_to())
        message.attach_alternative(html, "text/html")
        return message

    def format_email_subject(self, subject):
        """The pact's name before the subject ("Krefelder Klimapakt: Neues Passwort vergeben")."""
        pact = current_pact()
        return f"{pact.name}: {subject}" if pact is not None else super().format_email_subject(subject)

    def get_login_redirect_url(self, request):
        from django.urls import reverse

        if request.user.is_authenticated and (request.user.is_pact_office or request.user.is_advisor):
            return reverse("backoffice:start")
        return resolve_url(settings.LOGIN_REDIRECT_URL)
