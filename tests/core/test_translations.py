"""German and English catalogues are complete and compiled; English pages speak English."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "klimapakt" / "locale"


def parse_po(path: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) per entry; enough of the format for our own catalogues."""
    entries, text = [], path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "msgid" not in block:
            continue
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        current, fields = None, {}
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid", "") == "":
            continue
        msgstrs = [v for k, v in fields.items() if k.startswith("msgstr")]
        entries.append((fields["msgid"], msgstrs, fuzzy))
    return entries


@pytest.mark.parametrize("lang", ["de", "en"])
def test_catalogue_is_complete(lang):
    entries = parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    missing = [msgid for msgid, msgstrs, fuzzy in entries if fuzzy or not all(msgstrs)]
    assert not missing, f"{len(missing)} {lang} entries untranslated or fuzzy, e.g. {missing[:10]}"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_compiled_catalogue_matches_the_source(lang):
    folder = LOCALE / lang / "LC_MESSAGES"
    compiled = gettext.GNUTranslations(open(folder / "django.mo", "rb"))
    stale = [msgid for msgid, msgstrs, fuzzy in parse_po(folder / "django.po")
             if len(msgstrs) == 1 and msgstrs[0] and compiled.gettext(
                 msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
             != msgstrs[0].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")]
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
