"""The English catalogue is complete and compiled (translations must work without gettext)."""

import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def po_entries():
    """(msgid, msgstr) pairs of the .po, with continuation lines joined; plural: msgstr[0]."""
    entries, key, current = [], None, {}
    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            if current:
                entries.append(current)
                current = {}
            continue
        if not line.startswith('"'):
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        else:
            current[key] += ast.literal_eval(line)
    if current:
        entries.append(current)
    return [
        (e["msgid"], e.get("msgid_plural"), e.get("msgstr", e.get("msgstr[0]", "")))
        for e in entries
        if e.get("msgid")
    ]


def test_every_string_has_english():
    missing = [msgid for msgid, _plural, msgstr in po_entries() if not msgstr]
    assert missing == []


def test_compiled_catalogue_matches_the_po():
    with (LOCALE / "django.mo").open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    for msgid, plural, msgstr in po_entries():
        found = catalogue.ngettext(msgid, plural, 1) if plural else catalogue.gettext(msgid)
        assert found == msgstr, msgid  # differs when the .mo is stale or the entry is fuzzy


def test_ids_in_templates_are_not_localized():
    """A pk of 1234 printed as "1.234" (Vietnamese grouping) breaks links and form values."""
    import re

    root = LOCALE.parent.parent.parent
    offenders = []
    for path in root.glob("*/templates/**/*.html"):
        for match in re.finditer(r"\{\{ ((?:[a-z_]+\.)+pk) \}\}", path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert offenders == []
