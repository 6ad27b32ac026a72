"""Peak memory of reading hostile survey workbooks (the import's file checks and reader).

    .venv/bin/python bench/hostile_uploads.py [--dir /tmp/hostile] [--before]

Builds each hostile file into a temporary directory (never the repository), then reads each one
in its own process, as the import's check task does (``reports.imports.reader.read``: size and
signature, the streaming limits of ``reports.imports.limits``, then openpyxl), and prints the
process's resident memory before reading and its peak (VmHWM of /proc/self/status), the time,
and the outcome (the refusal's message). A file that reads is then given the error report a
rejection writes (``files.annotate``, every row in error), the next biggest reader of memory.
Each file is read twice:

- ``default``: the limits of the settings (``IMPORT_MAX_*``);
- ``stream``: the zip-level checks (declared sizes, compression ratio, part sizes) switched off,
  so that the streaming checks alone (cell length, rows, columns, DTD, long runs) must stop it:
  what happens when a zip's stated sizes are not what the attacker's file holds, or when the
  content does not compress.

``--before`` also reads the 350 MB inline string without ``limits.check_archive`` (openpyxl
alone, as before this change): the figure the issue reported. No database is needed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")
os.environ.pop("REDIS_URL", None)

MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"  # the households sheet ("Hộ") of write_rows' workbook
SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)  # where openpyxl looks for the shared strings
OFF = {  # the zip-level limits, switched off for the "stream" mode
    "IMPORT_MAX_UNZIPPED_BYTES": 1 << 50,
    "IMPORT_MAX_COMPRESSION_RATIO": 1 << 50,
    "IMPORT_MAX_SHARED_STRINGS_BYTES": 1 << 50,
    "IMPORT_MAX_SHEET_BYTES": 1 << 50,
}


def _setup():
    import django

    django.setup()


def _valid(households: int = 2, text: int = 0, same: bool = False) -> bytes:
    """A valid workbook (write_rows); with ``text``, that many random Vietnamese letters in the
    village and address of each household and the name of its member (near the limits)."""
    from households.standards import standard_for_year
    from reports.imports import template
    from tests.reports.test_import_data import hh, mb

    rng = random.Random(2026)
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy "

    one = "x" + "".join(rng.choice(letters) for _ in range(text - 2)) + "x" if text else ""

    def words() -> str:
        if same or not text:
            return one
        return "x" + "".join(rng.choice(letters) for _ in range(text - 2)) + "x"

    rows = [hh(f"H{n}", village=words() or "Thôn 1", address=words()) for n in range(households)]
    members = [mb(f"H{n}", words() or "Nguyễn Văn An") for n in range(households)]
    return template.write_rows(rows, members, standard=standard_for_year(2026))


def _replace(base: bytes, path: Path, parts: dict) -> None:
    """``base`` with some parts replaced: each value bytes or a generator of byte chunks
    (streamed into the zip, so the builder's memory stays small too)."""
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(path, "w") as target:
        names = source.namelist() + [n for n in parts if n not in source.namelist()]
        for name in names:
            value = parts.get(name)
            if value is None:
                target.writestr(name, source.read(name), zipfile.ZIP_DEFLATED)
                continue
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w", force_zip64=True) as out:
                for chunk in [value] if isinstance(value, bytes) else value:
                    out.write(chunk)


def _repeat(head: bytes, unit: bytes, times: int, tail: bytes):
    yield head
    block = unit * max(1, (1 * MB) // len(unit))
    per = len(block) // len(unit)
    left = times
    while left > 0:
        n = min(per, left)
        yield block if n == per else unit * n
        left -= n
    yield tail


def _chain(head: bytes, items, tail: bytes):
    yield head
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == 10_000:
            yield b"".join(batch)
            batch = []
    yield b"".join(batch) + tail


def _sheet() -> tuple[bytes, bytes]:
    head = b'<?xml version="1.0"?><worksheet xmlns="' + MAIN.encode() + b'"><sheetData>'
    return head, b"</sheetData></worksheet>"


def build(directory: Path) -> dict[str, Path]:
    base = _valid()
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        workbook = source.read("xl/workbook.xml").decode()
        types = source.read("[Content_Types].xml")
    head, tail = _sheet()
    files: dict[str, Path] = {}

    def add(name: str, parts: dict | None = None, raw: bytes | None = None) -> None:
        path = directory / f"{name}.xlsx"
        if raw is not None:
            path.write_bytes(raw)
        else:
            _replace(base, path, parts or {})
        files[name] = path

    add("valid", raw=base)
    # the file: one inline string of 350 MB (354 KB zipped)
    add(
        "inline-string-350mb",
        {
            SHEET: _repeat(
                head + b'<row r="1"><c r="A1" t="inlineStr"><is><t>',
                b"x",
                350 * MB,
                b"</t></is></c></row>" + tail,
            )
        },
    )
    # one shared string of 100 MB, used by cell A2
    add(
        "shared-string-100mb",
        {
            "xl/sharedStrings.xml": _repeat(
                b'<?xml version="1.0"?><sst xmlns="' + MAIN.encode() + b'"><si><t>',
                b"y",
                100 * MB,
                b"</t></si></sst>",
            ),
            SHEET: head + b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + tail,
            "[Content_Types].xml": types.replace(b"</Types>", SST_TYPE + b"</Types>"),
        },
    )
    # 300,000 rows of one number each
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 300_001)
    )
    add("rows-300000", {SHEET: head + rows + tail})
    # 16,384 columns (XFD) on row 1
    add(
        "columns-16384",
        {SHEET: head + b'<row r="1"><c r="XFD1"><v>1</v></c></row>' + tail},
    )
    # a zip bomb: the sheet inflates to 1 GB of blanks (about 1 MB zipped)
    add("zip-bomb-1gb", {SHEET: _repeat(head, b" ", 1024 * MB, tail)})
    # 1,000 parts of 1 MB of zeros each (not XML: openpyxl ignores them, the total refuses)
    add(
        "zip-bomb-many-parts", dict.fromkeys((f"xl/media/p{n}.bin" for n in range(1000)), bytes(MB))
    )
    # XXE: an external entity in workbook.xml (a sheet name)
    xxe = workbook.replace(
        "<workbook",
        '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><workbook',
        1,
    ).replace('name="Hộ"', 'name="&xxe;"', 1)
    add("xxe-workbook", {"xl/workbook.xml": xxe.encode()})
    # billion laughs in the shared strings
    laughs = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    add(
        "billion-laughs",
        {
            "xl/sharedStrings.xml": (
                f'<?xml version="1.0"?><!DOCTYPE sst [{laughs}]><sst xmlns="{MAIN}">'
                "<si><t>&l9;</t></si></sst>"
            ).encode()
        },
    )
    add("html-as-xlsx", raw=b"<!doctype html><html><body>" + b"<p>x</p>" * 1000 + b"</body></html>")
    # near every limit: 7,000 households with 3 text cells of 990 random letters (16 MB zipped),
    # and 11,000 with the same 990 letters (compresses well: 32.7 million characters of text)
    add("within-limits-random-7000x3", raw=_valid(7_000, 990))
    add("within-limits-same-11000x3", raw=_valid(11_000, 990, same=True))
    # shared strings: 2.15 million distinct short ones in 49 MB (openpyxl keeps each one as a
    # Python object: 395 MiB before the count limit), then 500,000 of 80 characters (the count
    # and the size just under their limits), each used by one cell
    for count, pad in ((2_150_000, 0), (500_000, 76)):
        sst = (b"<si><t>s%07d%s</t></si>" % (n, b"x" * pad) for n in range(count))
        name = "many-shared-strings" if not pad else "within-limits-shared-strings"
        add(
            f"{name}-{count}",
            {
                "[Content_Types].xml": types.replace(b"</Types>", SST_TYPE + b"</Types>"),
                "xl/sharedStrings.xml": _chain(
                    b'<?xml version="1.0"?><sst xmlns="' + MAIN.encode() + b'">', sst, b"</sst>"
                ),
                SHEET: head + b'<row r="2"><c r="A2" t="s"><v>7</v></c></row>' + tail,
            },
        )
    return files


def _peak() -> int:
    """This process's peak resident memory, bytes: VmHWM starts afresh at exec, whereas
    ``getrusage``'s ru_maxrss keeps the parent's (the builder's) high-water mark on Linux."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(path: str, mode: str) -> dict:
    """Run in the child process: read the file as the check task does, report memory."""
    if mode == "stream":
        from django.conf import settings

        _setup()
        for name, value in OFF.items():
            setattr(settings, name, value)
    else:
        _setup()
    import psutil

    from households.standards import standard_for_year
    from reports.imports import files, reader

    if mode == "before":
        reader.check_archive = lambda handle: None  # openpyxl alone, as before the limits
    before = psutil.Process().memory_info().rss
    start = time.perf_counter()
    outcome = "read"
    with open(path, "rb") as handle:
        try:
            parsed = reader.read(
                handle, size=os.path.getsize(path), standard=standard_for_year(2026)
            )
            outcome = f"read: {len(parsed.households.rows)} + {len(parsed.members.rows)} rows"
            # then the error report a rejection writes (services._reject), every row in error
            errors = [
                files.CellError(sheet.title, row.number, "D", "", "x" * 100)
                for sheet in (parsed.households, parsed.members)
                for row in sheet.rows
            ]
            del parsed  # as in the service: the rows are gone when the report is written
            report = files.annotate(handle, errors, rows=len(errors))
            outcome += f"; error report on every row: {len(report) // 1024:,} KiB"
        except files.FileRejected as exc:
            outcome = f"refused: {exc.message}"
    return {
        "rss_before_mib": round(before / MB),
        "peak_mib": round(_peak() / MB),
        "seconds": round(time.perf_counter() - start, 2),
        "outcome": outcome,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", help="where to build the files (default: a temporary one)")
    parser.add_argument("--before", action="store_true", help="also openpyxl without the limits")
    parser.add_argument("--measure", nargs=2, metavar=("PATH", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure), ensure_ascii=False))
        return
    _setup()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        files = build(Path(tmp))
        worst = 0
        for name, path in files.items():
            modes = ["default", "stream"]
            if args.before and name == "inline-string-350mb":
                modes.append("before")
            for mode in modes:
                run = subprocess.run(  # noqa: S603 (this script, a path it built)
                    [sys.executable, __file__, "--measure", str(path), mode],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if run.returncode:
                    print(f"{name} {mode}: failed\n{run.stderr[-2000:]}")
                    continue
                r = json.loads(run.stdout.strip().splitlines()[-1])
                if mode != "before":
                    worst = max(worst, r["peak_mib"])
                size = path.stat().st_size
                print(
                    f"{name:28} {size / 1024:>10,.0f} KiB  {mode:8} rss before "
                    f"{r['rss_before_mib']:>4} MiB  peak {r['peak_mib']:>5} MiB  "
                    f"{r['seconds']:>7.2f} s  {r['outcome'][:150]}"
                )
        print(f"worst peak with the limits: {worst} MiB")


if __name__ == "__main__":
    main()
