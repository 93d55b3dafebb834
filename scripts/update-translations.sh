#!/usr/bin/env bash
# Update the catalogues from the sources and compile them (`make messages`).
# German msgids: the German catalogue is complete by identity (msgen), English needs translating.
# Optional: COMPENDIUM="a.po b.po" fills untranslated English entries from translated catalogues.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY manage.py makemessages -l de -l en --ignore=.venv --ignore=var --ignore=benchmarks --ignore=tests --no-obsolete --no-location >/dev/null
# German is the source language: every msgstr is its msgid (never a fuzzy guess from makemessages).
$PY - <<'PY'
import polib
path = "klimapakt/locale/de/LC_MESSAGES/django.po"
po = polib.pofile(path, wrapwidth=0)
for entry in po:
    if entry.msgid_plural:
        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    else:
        entry.msgstr = entry.msgid
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
po.save(path)
PY
if [ -n "${COMPENDIUM:-}" ]; then
  $PY scripts/po_fill.py klimapakt/locale/en/LC_MESSAGES/django.po $COMPENDIUM
fi
for lang in de en; do
  msgfmt --check -o klimapakt/locale/$lang/LC_MESSAGES/django.mo klimapakt/locale/$lang/LC_MESSAGES/django.po
done
msgfmt --statistics -o /dev/null klimapakt/locale/en/LC_MESSAGES/django.po
