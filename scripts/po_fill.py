#!/usr/bin/env python
"""Fill untranslated entries of a catalogue from other, translated catalogues (compendia).

    scripts/po_fill.py klimapakt/locale/en/LC_MESSAGES/django.po translated.po [more.po ...]
"""

import sys

import polib


def key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def main(target, *sources):
    known = {}
    for source in sources:
        for entry in polib.pofile(source):
            if entry.translated() and not entry.obsolete:
                known.setdefault(key(entry), entry)
    po = polib.pofile(target, wrapwidth=0)
    filled = 0
    for entry in po:
        if entry.obsolete or entry.translated():
            continue
        match = known.get(key(entry))
        if match is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = dict(match.msgstr_plural)
        else:
            entry.msgstr = match.msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save(target)
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    print(f"filled {filled}, still untranslated {len(missing)}")
    for msgid in missing:
        print("  -", msgid[:100])


if __name__ == "__main__":
    main(*sys.argv[1:])
