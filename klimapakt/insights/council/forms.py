from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import TEXT_LIMIT

MARKDOWN_HINT = _("Leerzeile für einen neuen Absatz, „- “ für Aufzählungen, „## “ für eine Zwischenüberschrift.")


class CouncilReportCreateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Berichtsjahr"), coerce=int)

    def __init__(self, *args, taken: set[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 10, -1) if y not in taken]
        self.fields["year"].initial = this_year - 1 if this_year - 1 not in taken else None


class CouncilTextsForm(forms.Form):
    introduction = forms.CharField(label=_("Einleitung"), required=False, max_length=TEXT_LIMIT,
                                   help_text=MARKDOWN_HINT, widget=forms.Textarea(attrs={"rows": 8}))
    highlights = forms.CharField(label=_("Höhepunkte des Jahres"), required=False, max_length=TEXT_LIMIT,
                                 help_text=MARKDOWN_HINT, widget=forms.Textarea(attrs={"rows": 8}))
    outlook = forms.CharField(label=_("Ausblick"), required=False, max_length=TEXT_LIMIT,
                              help_text=MARKDOWN_HINT, widget=forms.Textarea(attrs={"rows": 8}))
