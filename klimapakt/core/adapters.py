from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """allauth mails go out in the language the person is using the site in."""

    def send_mail(self, template_prefix, email, context):
        language = translation.get_language() or "de"
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)

    def get_login_redirect_url(self, request):
        from django.urls import reverse

        if request.user.is_authenticated and (request.user.is_pact_office or request.user.is_advisor):
            return reverse("backoffice:start")
        return reverse("portal:dashboard")
