from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "legal_form", "street", "postal_code", "city", "website", "employees"]


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]
        help_texts = {"email": _("Die Person erhält eine E-Mail mit einem Link, der 14 Tage gültig ist.")}
