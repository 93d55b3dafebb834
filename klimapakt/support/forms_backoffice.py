"""Forms of the advisor's workplace and the office's support pages. Each action form has its
own prefix, so several of them live on one page with unique field ids."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klimapakt.core.models import InitialPartner
from klimapakt.partners.models import SIZE_CLASSES, WZ2008_SECTIONS

from .models import RoutingRule, SupportRequest, SupportSettings, Topic
from .services.conversation import MAX_FILES_PER_UPLOAD


class DateInput(forms.DateInput):
    """A date field: the browser's date picker sends YYYY-MM-DD; typed by hand TT.MM.JJJJ."""

    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class GermanDateField(forms.DateField):
    input_formats = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
    widget = DateInput


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the services check type, size and number)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _institution_choices(pact, *, exclude=None) -> list[tuple[str, str]]:
    qs = InitialPartner.objects.filter(pact=pact).order_by("position", "pk")
    if exclude:
        qs = qs.exclude(pk=exclude)
    return [("", _("– bitte wählen –"))] + [(str(i.pk), i.name) for i in qs[:50]]


class InstitutionChoiceForm(forms.Form):
    """A form with an institution select (assign, forward)."""

    institution = forms.ChoiceField(label=_("Einrichtung"))

    def __init__(self, *args, pact, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = _institution_choices(pact, exclude=exclude)

    def clean_institution(self):
        value = self.cleaned_data["institution"]
        found = InitialPartner.objects.filter(pk=value).first() if str(value).isdigit() else None
        if found is None:
            raise forms.ValidationError(_("Bitte wählen Sie eine Einrichtung."))
        return found


class AssignForm(InstitutionChoiceForm):
    prefix = "assign"


class ForwardForm(InstitutionChoiceForm):
    prefix = "forward"
    reason = forms.CharField(label=_("Begründung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Das Unternehmen liest die Begründung in der E-Mail zur Weiterleitung."))


class AcceptForm(forms.Form):
    prefix = "accept"
    advisor = forms.ChoiceField(label=_("Beraterin oder Berater"))

    def __init__(self, *args, advisors, initial_advisor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.advisors = {str(a.pk): a for a in advisors}
        self.fields["advisor"].choices = [(pk, f"{a} ({a.email})" if str(a) != a.email else a.email)
                                          for pk, a in self.advisors.items()]
        if initial_advisor is not None and str(initial_advisor.pk) in self.advisors:
            self.fields["advisor"].initial = str(initial_advisor.pk)

    def clean_advisor(self):
        return self.advisors[self.cleaned_data["advisor"]]


class CompleteForm(forms.Form):
    prefix = "complete"
    outcome = forms.ChoiceField(label=_("Ergebnis"),
                                choices=[("", _("– bitte wählen –")), *SupportRequest.Outcome.choices])
    reason = forms.CharField(label=_("Notiz zum Abschluss"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Das Unternehmen liest diese Notiz in der E-Mail zum Abschluss."))


class DeclineForm(forms.Form):
    prefix = "decline"
    reason = forms.CharField(label=_("Begründung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Das Unternehmen liest die Begründung in der E-Mail zur Ablehnung."))


class MessageForm(forms.Form):
    prefix = "message"
    body = forms.CharField(label=_("Nachricht an das Unternehmen"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label=_("Dateien anhängen"), required=False,
                              help_text=_("PDF, PNG oder JPEG, höchstens %(n)s Dateien auf einmal.")
                              % {"n": MAX_FILES_PER_UPLOAD})


class NoteForm(forms.Form):
    prefix = "note"
    body = forms.CharField(label=_("Interne Notiz"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Nur für Ihre Einrichtung und die Geschäftsstelle sichtbar, nie für das "
                                       "Unternehmen."))
    appointment_on = GermanDateField(label=_("Termin"), required=False,
                                     help_text=_("Zum Beispiel 24.03.2026."))


class EventDraftForm(forms.Form):
    """"Entwurf vorbereiten" for one event answer: the organisation when the person has several."""

    answer = forms.IntegerField(widget=forms.HiddenInput)
    organisation = forms.IntegerField(label=_("Organisation"), required=False)


HOLIDAY_REGIONS = [
    ("BW", "Baden-Württemberg"), ("BY", "Bayern"), ("BE", "Berlin"), ("BB", "Brandenburg"), ("HB", "Bremen"),
    ("HH", "Hamburg"), ("HE", "Hessen"), ("MV", "Mecklenburg-Vorpommern"), ("NI", "Niedersachsen"),
    ("NW", "Nordrhein-Westfalen"), ("RP", "Rheinland-Pfalz"), ("SL", "Saarland"), ("SN", "Sachsen"),
    ("ST", "Sachsen-Anhalt"), ("SH", "Schleswig-Holstein"), ("TH", "Thüringen"),
]


class SupportSettingsForm(forms.Form):
    answer_days = forms.IntegerField(label=SupportSettings._meta.get_field("answer_days").verbose_name,
                                     min_value=1, max_value=60,
                                     help_text=SupportSettings._meta.get_field("answer_days").help_text)
    holiday_region = forms.ChoiceField(label=SupportSettings._meta.get_field("holiday_region").verbose_name,
                                       choices=HOLIDAY_REGIONS)
    retention_years = forms.IntegerField(label=SupportSettings._meta.get_field("retention_years").verbose_name,
                                         min_value=1, max_value=10,
                                         help_text=_("Danach werden abgeschlossene Anfragen mit Nachrichten, "
                                                     "Notizen und Dateien gelöscht; die Zahlen im Überblick "
                                                     "bleiben."))


class RoutingRuleForm(forms.Form):
    institution = forms.ChoiceField(label=_("Einrichtung"))
    topic = forms.ChoiceField(label=_("Thema"), required=False, choices=[("", _("– jedes Thema –")), *Topic.choices])
    sector = forms.ChoiceField(label=_("Branche (WZ 2008)"), required=False,
                               choices=[("", _("– jede Branche –")), *WZ2008_SECTIONS])
    size_class = forms.ChoiceField(label=_("Größenklasse"), required=False,
                                   choices=[("", _("– jede Größe –"))] + [(k, label) for k, label, _l, _h in SIZE_CLASSES])
    craft_business = forms.BooleanField(label=_("Nur Handwerksbetriebe"), required=False)
    position = forms.IntegerField(label=_("Reihenfolge"), min_value=0, max_value=32767, initial=0,
                                  help_text=_("Kleinere Zahlen werden zuerst geprüft."))
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)

    def __init__(self, *args, pact, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = _institution_choices(pact)

    @classmethod
    def initial_for(cls, rule: RoutingRule | None) -> dict:
        if rule is None:
            return {"is_active": True, "position": 0}
        return {"institution": str(rule.institution_id), "topic": rule.topic, "sector": rule.sector,
                "size_class": rule.size_class, "craft_business": rule.craft_business, "position": rule.position,
                "is_active": rule.is_active}

    def clean_institution(self):
        value = self.cleaned_data["institution"]
        found = InitialPartner.objects.filter(pk=value).first() if str(value).isdigit() else None
        if found is None:
            raise forms.ValidationError(_("Bitte wählen Sie eine Einrichtung."))
        return found
