"""Submissions exported by ODK Central or KoboToolbox, read into the import template's rows.

- ODK Central: "Download all data" gives a zip of CSVs: ``<form id>.csv`` (one row per
  submission, its ``KEY``) and ``<form id>-members.csv`` (one row per member, ``PARENT_KEY`` naming
  its submission). A form without repeats may be exported as one plain CSV.
- KoboToolbox: an .xlsx export with the submissions on the first sheet (``_index``) and the
  members on the ``members`` sheet (``_parent_index``).

Columns are found by the form's question names (``xlsform``: the import columns' keys); a
header that is a group path (``group/question``, ``group-question``, ``meta-instanceID``) is read
by its last part. The values are the form's codes (a select_multiple's codes separated by spaces;
dates as yyyy-mm-dd; numbers with a "." decimal point, never read the Vietnamese way), turned
into what the template reader gives (``reader.Row``), so that ``checks`` runs the survey page's
forms on them unchanged: the same errors, preview, confirm and idempotence as a template
workbook. Errors name the sheet (the CSV file's name in a zip), the row number as a spreadsheet
shows it and the column's letter.

The limits of the template apply: the file's size (``columns.MAX_BYTES``), rows per sheet
(``columns.MAX_ROWS``), and for a zip its uncompressed size and ratio (``limits.Limits``) read
from the zip's directory before anything is decompressed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import html
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from reports.imports import columns as C
from reports.imports import reader
from reports.imports.files import (
    ZIP_SIGNATURE,
    CellError,
    FileRejected,
    check_file,
    open_workbook,
    size_error,
)
from reports.imports.limits import Limits, check_archive
from reports.imports.reader import Parsed, Row, Sheet

from .xlsform import MEMBERS

TEMPLATE, ODK_ZIP, ODK_CSV, KOBO = "template", "odk_zip", "odk_csv", "kobo"
MAX_ZIP_ENTRIES = 20
_WORKBOOK_HEAD = 256 * 1024  # sheet names are listed near the start of workbook.xml
_SHEET_NAME = re.compile(r"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")
_HUGE = Decimal(10) ** 15  # past every limit of the forms: left as text, which they refuse
_SEPARATORS = re.compile(r"[/\-]")
_CSV_SIGNATURES = (codecs.BOM_UTF8, b"SubmissionDate", b'"SubmissionDate"', b"KEY")
# The link between a submission and its repeat rows, per tool.
_OWN_KEY = {"key", "_index"}
_PARENT_KEY = {"parent_key", "_parent_index"}
_INSTANCE = {"instanceid", "_uuid"}


def looks_like_csv(head: bytes, name: str = "") -> bool:
    """Is the upload (its first bytes, its name) an ODK Central CSV? The upload form lets it
    through the workbook's signature check."""
    return name.lower().endswith(".csv") or head.startswith(_CSV_SIGNATURES)


def detect(handle, name: str = "") -> str:
    """Which reader: the template's (also for anything unknown: it says what is wrong), an ODK
    Central zip or CSV, or a KoboToolbox workbook (a ``members`` sheet, no "Hộ" sheet). Nothing
    is parsed as XML here: the sheet names are matched in the first bytes of workbook.xml (the
    limits and the DTD check of ``limits.check_archive`` run before any XML parser)."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if not head.startswith(ZIP_SIGNATURE):
        return ODK_CSV if looks_like_csv(head, name) else TEMPLATE
    try:
        with zipfile.ZipFile(handle) as archive:
            names = archive.namelist()
            titles = []
            if "xl/workbook.xml" in names:
                with archive.open("xl/workbook.xml") as part:
                    xml = part.read(_WORKBOOK_HEAD).decode("utf-8", "replace")
                titles = [html.unescape(t) for t in _SHEET_NAME.findall(xml)]
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return TEMPLATE
    finally:
        handle.seek(0)
    if "xl/workbook.xml" in names:
        if any(C.key(t) in C.in_every_language(C.HOUSEHOLD_SHEET) for t in titles):
            return TEMPLATE
        return KOBO if any(C.key(t) == MEMBERS for t in titles) else TEMPLATE
    return ODK_ZIP if any(n.lower().endswith(".csv") for n in names) else TEMPLATE


def read_upload(handle, *, size: int, standard, name: str = "", progress=None):
    """(Parsed, annotatable): the template through ``reader.read``, the tools' exports here.
    ``annotatable``: the error report can be written on the uploaded workbook itself."""
    kind = detect(handle, name)
    if kind == TEMPLATE:
        return reader.read(handle, size=size, standard=standard, progress=progress), True
    if kind == KOBO:
        return _read_kobo(handle, size=size, standard=standard), True
    message = size_error(size)
    if message:
        raise FileRejected(message)
    if kind == ODK_CSV:
        handle.seek(0)
        main = _csv(handle, name or "submissions.csv")
        return _parsed(main, None, standard), False
    return _read_odk_zip(handle, standard=standard), False


# --- ODK Central ---------------------------------------------------------------------------------


def _read_odk_zip(handle, *, standard) -> Parsed:
    limits = Limits.from_settings()
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRejected(_("Tệp .zip bị hỏng (không giải nén được).")) from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        _check_zip(infos, limits)
        csvs = [i for i in infos if i.filename.lower().endswith(".csv")]
        members = [i for i in csvs if _base(i.filename).lower().endswith(f"-{MEMBERS}.csv")]
        mains = [i for i in csvs if i not in members and "-" not in _base(i.filename)]
        if len(mains) != 1:
            mains = [i for i in csvs if i not in members]
        if len(mains) != 1:
            raise FileRejected(
                _(
                    "Không tìm thấy tệp CSV chính trong tệp .zip (tệp “<mã biểu mẫu>.csv” do ODK "
                    "Central xuất ra): tải lại dữ liệu từ ODK Central và tải lên nguyên tệp .zip."
                )
            )
        try:
            with archive.open(mains[0]) as main_part:
                main = _csv(main_part, _base(mains[0].filename))
                if not members:
                    return _parsed(main, None, standard)
                with archive.open(members[0]) as member_part:
                    repeat = _csv(member_part, _base(members[0].filename))
                    return _parsed(main, repeat, standard)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
            raise FileRejected(_("Tệp .zip bị hỏng (không giải nén được).")) from exc


def _check_zip(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """From the zip's directory, before decompressing anything: a zip bomb is refused here (the
    reading then stops at each entry's declared size: ``zipfile`` never returns more)."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileRejected(_("Tệp .zip có quá nhiều tệp bên trong."))
    unzipped = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unzipped > limits.unzipped_bytes or (
        unzipped > limits.ratio_from_bytes and unzipped / packed > limits.ratio
    ):
        raise FileRejected(
            _(
                "Tệp .zip khi giải nén quá lớn (%(mb)s MB): hãy xuất dữ liệu theo từng xã hoặc "
                "từng đợt nhỏ hơn."
            )
            % {"mb": unzipped // (1024 * 1024)}
        )


def _base(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def _csv(stream, title: str):
    """(title, header, records): the records are read as they are consumed (``_parsed`` keeps
    only the cells of the form's questions), with the limits of rows and characters per cell."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    limits = Limits.from_settings()
    reader_ = csv.reader(text)
    try:
        header = next(reader_, [])
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _unreadable(title) from exc
    if len(header) > limits.columns * 3:  # split select_multiple columns: more than a workbook
        raise FileRejected(_("Tệp “%(sheet)s” có quá nhiều cột.") % {"sheet": title}, sheet=title)

    def records():
        kept = 0
        try:
            for number, cells in enumerate(reader_, start=2):
                if not any(c.strip() for c in cells):
                    continue
                kept += 1
                if kept > C.MAX_ROWS:
                    raise FileRejected(
                        _("Trang “%(sheet)s” có hơn 50.000 dòng dữ liệu: hãy chia thành nhiều tệp.")
                        % {"sheet": title},
                        sheet=title,
                    )
                if len(cells) > limits.columns * 3 or any(
                    len(c) > limits.cell_chars for c in cells
                ):
                    raise FileRejected(
                        _("Dòng %(row)s của “%(sheet)s” có ô dài quá %(n)s ký tự hoặc quá nhiều ô.")
                        % {"row": number, "sheet": title, "n": limits.cell_chars},
                        sheet=title,
                    )
                yield number, cells
        except (UnicodeDecodeError, csv.Error) as exc:
            raise _unreadable(title) from exc

    return title, header, records()


def _unreadable(title: str) -> FileRejected:
    return FileRejected(
        _(
            "Không đọc được tệp “%(sheet)s”: tệp CSV bị hỏng hoặc không ở dạng mã hóa UTF-8 như "
            "ODK Central xuất ra."
        )
        % {"sheet": title},
        sheet=title,
    )


# --- KoboToolbox ---------------------------------------------------------------------------------


def _read_kobo(handle, *, size: int, standard) -> Parsed:
    check_file(handle, size)
    check_archive(handle)  # the template's streamed limits: cells, rows, columns, sizes
    workbook = open_workbook(handle)
    try:
        titles = workbook.sheetnames
        repeat_title = next(t for t in titles if C.key(t) == MEMBERS)
        main_title = next(t for t in titles if t != repeat_title)
        main, repeat = (_kobo_sheet(workbook[t]) for t in (main_title, repeat_title))
        return _parsed(main, repeat, standard)
    finally:
        workbook.close()


def _kobo_sheet(ws):
    ws.reset_dimensions()
    rows = ws.iter_rows(values_only=True)
    header = ["" if v is None else str(v) for v in next(rows, ())]

    def records():
        kept = 0
        for number, values in enumerate(rows, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            kept += 1
            if kept > C.MAX_ROWS:
                raise FileRejected(
                    _("Trang “%(sheet)s” có hơn 50.000 dòng dữ liệu: hãy chia thành nhiều tệp.")
                    % {"sheet": ws.title},
                    sheet=ws.title,
                )
            yield number, list(values)

    return ws.title, header, records()


# --- into the template's rows --------------------------------------------------------------------


def _parsed(main, repeat, standard) -> Parsed:
    errors: list[CellError] = []
    title, header, records = main
    households = _sheet(title, header, C.HOUSEHOLD_COLUMNS, standard, link=_OWN_KEY)
    own = households.columns.pop("_link", None)
    codes: dict[str, str] = {}
    for number, cells in records:
        row = _row(households, number, cells, errors)
        households.rows.append(row)
        if own is not None:
            link = _cell(cells, own[1])
            if link not in (None, ""):
                codes[str(link).strip()] = row.values.get("code") or ""
    if not households.rows:
        raise FileRejected(
            _("Trang “%(sheet)s” không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 2).")
            % {"sheet": title},
            sheet=title,
        )
    if repeat is None:
        members = Sheet(title=str(C.MEMBER_SHEET), columns={})
        return Parsed(households=households, members=members, errors=errors)
    title, header, records = repeat
    members = _sheet(title, header, C.MEMBER_COLUMNS, standard, link=_PARENT_KEY)
    parent = members.columns.pop("_link", None)
    if parent is None or own is None:
        raise FileRejected(
            _(
                "Không nối được thành viên với hộ: thiếu cột %(columns)s. Hãy tải lên nguyên tệp "
                "do ODK Central (.zip) hoặc KoboToolbox (.xlsx) xuất ra."
            )
            % {"columns": "KEY / PARENT_KEY, _index / _parent_index"},
            sheet=title,
        )
    members.columns["household"] = (C.MEMBER_COLUMNS[0], parent[1])
    for number, cells in records:
        row = _row(members, number, cells, errors)
        link = _cell(cells, parent[1])
        code = codes.get(str(link).strip()) if link not in (None, "") else None
        if code is None:
            row.bad.add("household")
            errors.append(
                CellError(
                    title,
                    number,
                    get_column_letter(parent[1] + 1),
                    str(header[parent[1]]),
                    _("Thành viên không thuộc bản ghi nào của trang “%(sheet)s”.")
                    % {"sheet": households.title},
                )
            )
        row.values["household"] = code or ""
        members.rows.append(row)
    return Parsed(households=households, members=members, errors=errors)


def _name(header) -> tuple[str, str]:
    """(the question's name, its group): "members/full_name" → ("full_name", "members")."""
    parts = [p for p in _SEPARATORS.split(str(header or "").strip()) if p]
    if not parts:
        return "", ""
    return parts[-1], (parts[-2] if len(parts) > 1 else "")


def _sheet(title: str, header: list, spec: tuple[C.Column, ...], standard, *, link) -> Sheet:
    by_key = {c.key: c for c in spec if c.key != "household"}
    multiple = {c.key for c in spec if c.kind == C.CHOICES}
    found: dict[str, tuple[C.Column, int]] = {}
    exact: set[str] = set()
    for index, text in enumerate(header):
        name, group = _name(text)
        if name.lower() in link and "_link" not in found:
            found["_link"] = (spec[0], index)
            continue
        if group in multiple:
            continue  # "devices/tv": one option of a select_multiple split into columns
        column = by_key.get(name)
        if column is None:
            continue
        if column.key in found and column.key in exact:
            continue  # the plain question's column wins over a group path's
        found[column.key] = (column, index)
        if str(text).strip() == name:
            exact.add(name)
    missing = [
        c.key
        for c in spec
        if c.key != "household" and c.used_by(standard) and not c.may_be_absent
        and c.key not in found
        and (c.required or c.kind in (C.YES_NO,))
    ]  # fmt: skip
    if missing:
        raise FileRejected(
            _(
                "Trang “%(sheet)s” thiếu cột: %(columns)s. Hãy dùng biểu mẫu ODK do cổng tải về "
                "cho đợt rà soát này, và xuất dữ liệu với tên câu hỏi (không phải nhãn)."
            )
            % {"sheet": title, "columns": ", ".join(missing)},
            sheet=title,
        )
    lookups = {
        key: C.choice_lookup(column)
        for key, (column, _index) in found.items()
        if key != "_link" and column.kind in (C.CHOICE, C.CHOICES, C.YES_NO, C.FLAG)
    }
    return Sheet(title=title, columns=found, lookups=lookups)


def _cell(cells: list, index: int):
    return cells[index] if index < len(cells) else None


def _row(sheet: Sheet, number: int, cells: list, errors: list[CellError]) -> Row:
    values: dict[str, Any] = {}
    bad: set[str] = set()
    for key, (column, index) in sheet.columns.items():
        raw = _cell(cells, index)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            values[key] = reader._blank(column)
            continue
        value, message = reader.read_cell(column, _typed(column, raw), sheet.lookups.get(key))
        values[key] = value
        if message:
            values[key] = None
            bad.add(key)
            errors.append(
                CellError(
                    sheet.title, number, get_column_letter(index + 1), str(column.header), message
                )
            )
    return Row(number=number, values=values, bad=bad)


def _typed(column: C.Column, raw):
    """The tools write values as text in their own formats: numbers with a "." decimal point
    (the portal's forms would read "60.500" the Vietnamese way, as 60500), dates as yyyy-mm-dd,
    a select_multiple's codes separated by spaces."""
    if not isinstance(raw, str):
        return raw
    if column.kind in (C.INTEGER, C.DECIMAL):
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return raw  # the form says it is not a number
        if not number.is_finite() or abs(number) >= _HUGE:
            return raw  # "1e999999999": never made into an integer; the form refuses the text
        if number == number.to_integral_value():
            return int(number)  # "45" and "45.0": no decimal places for the form to count
        return number.normalize()  # "60.500": 60.5, within the form's two decimal places
    if column.kind == C.DATE and re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", raw):
        try:
            return dt.date.fromisoformat(raw[:10])
        except ValueError:
            return raw
    if column.kind == C.CHOICES:
        return ";".join(raw.split())
    return raw
