"""The choice "Ergänzen oder ersetzen" when data of a year exists already: for the guided entry
and for the spreadsheet import. Its own small form (rendered inside the entry's and the import's
<form>), so the guided form and the import columns stay untouched by it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

ADD, REPLACE = "add", "replace"

ENTRY_CHOICES = [
    (ADD, _("Ergänzen – die neuen Angaben kommen zu den bisherigen hinzu")),
    (REPLACE, _("Ersetzen – die bisherigen Zeilen des Jahres werden gelöscht und durch die neuen ersetzt")),
]
IMPORT_CHOICES = [
    (ADD, _("Ergänzen – die Zeilen der Datei kommen zu den bisherigen Zeilen ihrer Jahre hinzu")),
    (REPLACE, _("Ersetzen – die bisherigen Zeilen der Jahre in der Datei werden gelöscht und durch die Zeilen "
                "der Datei ersetzt")),
]


class ModeForm(forms.Form):
    """`required`: only when the year (or a year of the file) already has lines; otherwise the
    field is left out and the new lines are simply stored."""

    mode = forms.ChoiceField(label=_("Was soll mit den bisherigen Angaben geschehen?"), widget=forms.RadioSelect,
                             error_messages={"required": _("Bitte wählen Sie, ob Sie die bisherigen Angaben "
                                                           "ergänzen oder ersetzen möchten.")})

    def __init__(self, *args, required: bool, for_import: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = IMPORT_CHOICES if for_import else ENTRY_CHOICES
        if not required:
            del self.fields["mode"]

    @property
    def replace(self) -> bool | None:
        """True for "ersetzen", False for "ergänzen", None when no choice was needed."""
        mode = self.cleaned_data.get("mode") if "mode" in self.fields else None
        return None if mode is None else mode == REPLACE
