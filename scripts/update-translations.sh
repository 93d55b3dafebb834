#!/usr/bin/env bash
# Update the catalogues from the sources and compile them (`make messages`).
# German msgids: the German catalogue is complete by identity (msgen), English needs translating.
# Optional: COMPENDIUM="a.po b.po" fills untranslated English entries from translated catalogues.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY manage.py makemessages -l de -l en --ignore=.venv --ignore=var --ignore=benchmarks --ignore=tests --no-obsolete --no-location >/dev/null
msgen --no-wrap klimapakt/locale/de/LC_MESSAGES/django.po -o klimapakt/locale/de/LC_MESSAGES/django.po
if [ -n "${COMPENDIUM:-}" ]; then
  $PY scripts/po_fill.py klimapakt/locale/en/LC_MESSAGES/django.po $COMPENDIUM
fi
for lang in de en; do
  msgfmt --check -o klimapakt/locale/$lang/LC_MESSAGES/django.mo klimapakt/locale/$lang/LC_MESSAGES/django.po
done
msgfmt --statistics -o /dev/null klimapakt/locale/en/LC_MESSAGES/django.po
