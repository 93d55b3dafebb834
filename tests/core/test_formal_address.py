"""German account pages address people formally ("Sie").

django-allauth's German catalogue uses "du"; klimapakt/locale_overrides re-translates those
strings. These tests check that every override is active, is formal, keeps its placeholders,
that the committed .mo matches the .po, and that no informal allauth string is left uncovered.
"""

import ast
import gettext as gettext_module
import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

OVERRIDE_DIR = Path(settings.BASE_DIR) / "klimapakt" / "locale_overrides" / "de" / "LC_MESSAGES"
OVERRIDE_PO = OVERRIDE_DIR / "django.po"
OVERRIDE_MO = OVERRIDE_DIR / "django.mo"
ALLAUTH_PO = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"

INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")

LOGIN_SIGNUP_MSGIDS = [
    "If you have not created an account yet, then please %(link)ssign up%(end_link)s first.",
    "Already have an account? Then please %(link)ssign in%(end_link)s.",
    "Are you sure you want to sign out?",
    "Forgotten your password? Enter your email address below, and we'll send you an email allowing "
    "you to reset it.",
    "Verify Your Email Address",
]


def parse_po(path):
    """Minimal gettext .po reader: a list of dicts with msgctxt/msgid/msgid_plural/msgstr[...]."""
    entries, current, last = [], {}, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if "msgid" in current and current["msgid"]:
                entries.append(current)
            current, last = {}, None
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            last = match.group(1)
            current[last] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and last:
            current[last] += ast.literal_eval(line)
        else:
            raise ValueError(f"{path}: cannot parse line {raw!r}")
    return entries


def translations_of(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr") and value]


def render(entry, n=1):
    """What Django returns for this entry with German active."""
    ctx, msgid = entry.get("msgctxt"), entry["msgid"]
    if "msgid_plural" in entry:
        if ctx is not None:
            return npgettext(ctx, msgid, entry["msgid_plural"], n)
        return ngettext(msgid, entry["msgid_plural"], n)
    return pgettext(ctx, msgid) if ctx is not None else gettext(msgid)


OVERRIDES = parse_po(OVERRIDE_PO)


def entry_id(entry):
    return (entry.get("msgctxt", "") + "|" + entry["msgid"])[:60]


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def test_override_catalogue_is_on_locale_paths():
    assert Path(settings.BASE_DIR) / "klimapakt" / "locale_overrides" in map(Path, settings.LOCALE_PATHS)
    assert OVERRIDES, "override catalogue is empty"


@pytest.mark.parametrize("entry", OVERRIDES, ids=entry_id)
def test_override_is_active_and_formal(entry):
    expected = translations_of(entry)
    assert expected, "override without translation"
    rendered = [render(entry, 1)] + ([render(entry, 2)] if "msgid_plural" in entry else [])
    for text in rendered:
        assert not INFORMAL.search(text), f"informal address in {text!r}"
        assert text in expected, f"override not in effect: got {text!r}"


@pytest.mark.parametrize("entry", OVERRIDES, ids=entry_id)
def test_override_keeps_placeholders(entry):
    wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
    for text in translations_of(entry):
        assert sorted(PLACEHOLDER.findall(text)) == wanted, text


@pytest.mark.parametrize("msgid", LOGIN_SIGNUP_MSGIDS)
def test_login_and_signup_strings_are_overridden(msgid):
    assert msgid in {entry["msgid"] for entry in OVERRIDES}
    text = gettext(msgid)
    assert text != msgid
    assert re.search(r"\b(Sie|Ihre?)\b", text), text
    assert not INFORMAL.search(text), text


def test_compiled_mo_matches_po():
    """The .mo is committed (no gettext needed at run time); it must not lag behind the .po."""
    with OVERRIDE_MO.open("rb") as fh:
        catalog = gettext_module.GNUTranslations(fh)._catalog
    for entry in OVERRIDES:
        key = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            for index in range(2):
                assert catalog[(key, index)] == entry[f"msgstr[{index}]"]
        else:
            assert catalog[key] == entry["msgstr"], "recompile django.mo with msgfmt"


def test_every_informal_allauth_string_is_overridden():
    """Guards allauth upgrades: a new "du" string must get a formal override."""
    overridden = {(entry.get("msgctxt"), entry["msgid"]) for entry in OVERRIDES}
    missing = [
        entry["msgid"]
        for entry in parse_po(ALLAUTH_PO)
        if any(INFORMAL.search(text) for text in translations_of(entry))
        and (entry.get("msgctxt"), entry["msgid"]) not in overridden
    ]
    assert not missing, missing
