"""Fail when a translatable string in the code has no English in locale/en (needs GNU gettext).

Runs makemessages on a scratch copy of the catalogue, compares the msgids with the committed
.po, and restores the committed file whatever happens.
"""

import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def msgids(path: Path) -> dict[str, str]:
    """{msgid: msgstr (or msgstr[0])} of a .po file."""
    entries, current, key = {}, {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#"):
            if current.get("msgid"):
                entries[current["msgid"]] = current.get("msgstr", current.get("msgstr[0]", ""))
            current = {} if not line.strip() else current
            continue
        if line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
    return entries


def main() -> int:
    if not shutil.which("xgettext"):
        print("check_messages: GNU gettext is not installed; skipped")
        return 0
    committed = msgids(PO)
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "django.po"
        shutil.copy2(PO, backup)
        try:
            subprocess.run(
                [sys.executable, "manage.py", "makemessages", "-l", "en",
                 "--ignore=.venv", "--ignore=node_modules", "--ignore=static/vendor",
                 "--ignore=tests", "--ignore=bench", "-v", "0"],
                cwd=ROOT, check=True,
            )  # fmt: skip
            extracted = msgids(PO)
        finally:
            shutil.copy2(backup, PO)
    missing = sorted(m for m in extracted if not committed.get(m))
    for m in missing:
        print(f"no English for: {m!r}")
    print(f"check_messages: {len(extracted)} strings, {len(missing)} without English")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
