"""German and English catalogues are complete and compiled; English pages speak English."""

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "klimapakt" / "locale"


def parse_po(path: Path) -> list:
    """The catalogue's entries (polib), without the header."""
    return [entry for entry in polib.pofile(str(path)) if entry.msgid]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_catalogue_is_complete(lang):
    entries = parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    missing = [e.msgid for e in entries if "fuzzy" in e.flags or not e.translated()]
    assert not missing, f"{len(missing)} {lang} entries untranslated or fuzzy, e.g. {missing[:10]}"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_compiled_catalogue_matches_the_source(lang):
    folder = LOCALE / lang / "LC_MESSAGES"
    compiled = gettext.GNUTranslations(open(folder / "django.mo", "rb"))

    def looked_up(entry):
        return compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)

    stale = [e.msgid for e in parse_po(folder / "django.po")
             if not e.msgid_plural and e.msgstr and looked_up(e) != e.msgstr]
    assert not stale, f"django.mo is older than django.po (run `make messages`): {stale[:5]}"


@pytest.mark.django_db
def test_english_pages_are_in_english(client, pact):
    html = client.get("/en/").content.decode()
    for german in ("Klimapartner werden", "Veranstaltungen", "Dokumente", "Anmelden", "Zum Inhalt springen"):
        assert f">{german}<" not in html, german
    assert "Skip to content" in html


def test_choice_labels_stay_distinct_in_english(db):
    """Two German choices must not collapse into one English label (Verein/Verband once both
    became "Association" and the home page counted two identical rows)."""
    from django.apps import apps
    from django.utils import translation

    with translation.override("en"):
        for model in apps.get_models():
            if not model.__module__.startswith("klimapakt"):
                continue
            for field in model._meta.get_fields():
                choices = getattr(field, "choices", None) or []
                labels = [str(label) for _value, label in choices if not isinstance(label, (list, tuple))]
                duplicates = {label for label in labels if labels.count(label) > 1}
                assert not duplicates, f"{model.__name__}.{field.name}: {duplicates}"
