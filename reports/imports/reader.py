"""Read the survey workbook into typed rows: sheets, headers, and each cell by its column's kind.

Streaming (openpyxl read-only mode): memory grows with the rows kept, not with the file's XML.
What a cell *is* (a number, a date, a label of the list, a formula) is decided here; what a value
*may be* (required, ranges, formats, household rules) is left to the survey page's own forms in
``checks``, so the file and the page apply the same rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter, range_boundaries

from households.forms import MemberForm

from . import columns as C
from .columns import Column
from .files import CellError, FileRejected, check_file, merged_ranges, open_workbook
from .limits import check_archive

_SPLIT = re.compile(r"[;\n]+")
_COMMUNE_CODE = re.compile(r"\d{5}")
_DIGITS = re.compile(r"\d+")


@dataclass
class Row:
    number: int  # as Excel shows it
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)  # keys whose cell was already reported


@dataclass
class Sheet:
    title: str  # as in the file
    columns: dict[str, tuple[Column, int]]  # key -> (column, 0-based index)
    rows: list[Row] = field(default_factory=list)
    lookups: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> label -> code

    def letter(self, key: str) -> str:
        return get_column_letter(self.columns[key][1] + 1) if key in self.columns else ""

    def header(self, key: str) -> str:
        return str(self.columns[key][0].header) if key in self.columns else ""


@dataclass
class Parsed:
    households: Sheet
    members: Sheet
    errors: list[CellError]

    def error(self, sheet: Sheet, row: int | None, key: str, message: str) -> None:
        self.errors.append(
            CellError(sheet.title, row, sheet.letter(key), sheet.header(key), str(message))
        )


Progress = Callable[..., None]  # progress(fraction done, total=rows expected)


def read(handle, *, size: int, standard, progress: Progress | None = None) -> Parsed:
    """The workbook's two data sheets as typed rows with the cell errors found; raises
    ``FileRejected`` when the file as a whole cannot be read (the message says why)."""
    check_file(handle, size)
    check_archive(handle)  # streamed, before openpyxl builds anything in memory
    workbook = open_workbook(handle)
    try:
        titles = _find_sheets(workbook.sheetnames)
        sheets = []
        errors: list[CellError] = []
        merged = merged_ranges(handle, titles)
        estimate = sum(workbook[t].max_row or 0 for t in titles) or 1  # as the file says
        if progress:
            progress(0.0, total=estimate)
        read_so_far = 0
        for title, spec in zip(titles, (C.HOUSEHOLD_COLUMNS, C.MEMBER_COLUMNS), strict=True):
            ws = workbook[title]
            ws.reset_dimensions()  # the stored size may be wrong (openpyxl docs): read to the end
            rows = ws.iter_rows()
            sheet = _header(title, next(rows, ()), spec, standard)
            errors.extend(_merged_errors(sheet, merged.get(title, [])))
            for number, cells in enumerate(rows, start=2):
                row = _row(sheet, number, cells, errors)
                if row is None:
                    continue
                if len(sheet.rows) >= C.MAX_ROWS:
                    raise FileRejected(
                        _("Trang “%(sheet)s” có hơn 50.000 dòng dữ liệu: hãy chia thành nhiều tệp.")
                        % {"sheet": title},
                        sheet=title,
                    )
                sheet.rows.append(row)
                read_so_far += 1
                if progress and read_so_far % 1000 == 0:
                    progress(min(read_so_far / estimate, 1.0))
            sheets.append(sheet)
    finally:
        workbook.close()
    households, members = sheets
    if not households.rows:
        raise FileRejected(
            _("Trang “%(sheet)s” không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 2).")
            % {"sheet": households.title},
            sheet=households.title,
        )
    return Parsed(households=households, members=members, errors=errors)


def _find_sheets(names: list[str]) -> list[str]:
    by_key = {C.key(name): name for name in names}
    found, missing = [], []
    for wanted in (C.HOUSEHOLD_SHEET, C.MEMBER_SHEET):
        title = next((by_key[k] for k in C.in_every_language(wanted) if k in by_key), None)
        (found if title else missing).append(title or str(wanted))
    if missing:
        raise FileRejected(
            _("Tệp thiếu trang: %(sheets)s. Hãy dùng tệp mẫu (các trang “%(all)s”).")
            % {
                "sheets": ", ".join(f"“{m}”" for m in missing),
                "all": "”, “".join(
                    str(s) for s in (C.HOUSEHOLD_SHEET, C.MEMBER_SHEET, C.README_SHEET)
                ),
            }
        )
    return found


def _header(title: str, cells, spec: tuple[Column, ...], standard) -> Sheet:
    """Columns are found by their header (row 1) in any order; unknown columns are ignored."""
    aliases = {alias: column for column in spec for alias in C.in_every_language(column.header)}
    found: dict[str, tuple[Column, int]] = {}
    for index, cell in enumerate(cells):
        if cell.value is None:
            continue
        column = aliases.get(C.key(cell.value))
        if column is None:
            continue
        if column.key in found:
            raise FileRejected(
                _("Trang “%(sheet)s”: cột “%(header)s” xuất hiện hai lần (cột %(a)s và %(b)s).")
                % {
                    "sheet": title,
                    "header": column.header,
                    "a": get_column_letter(found[column.key][1] + 1),
                    "b": get_column_letter(index + 1),
                },
                sheet=title,
                column=get_column_letter(index + 1),
                header=str(column.header),
            )
        found[column.key] = (column, index)
    missing = [
        str(c.header)
        for c in spec
        if c.used_by(standard) and not c.may_be_absent and c.key not in found
    ]
    if missing:
        raise FileRejected(
            _("Trang “%(sheet)s” thiếu cột: %(columns)s (tiêu đề ở dòng 1, như tệp mẫu).")
            % {"sheet": title, "columns": ", ".join(f"“{m}”" for m in missing)},
            sheet=title,
        )
    lookups = {
        key: C.choice_lookup(column)
        for key, (column, _index) in found.items()
        if column.kind in (C.CHOICE, C.CHOICES, C.YES_NO, C.FLAG)
    }
    return Sheet(title=title, columns=found, lookups=lookups)


def _merged_errors(sheet: Sheet, ranges: list[str]) -> list[CellError]:
    """A merged range touching a column we read hides values: report it at its first cell."""
    used = {index + 1: key for key, (_column, index) in sheet.columns.items()}
    errors = []
    for ref in ranges:
        min_col, min_row, max_col, _max_row = range_boundaries(ref)
        touched = [used[c] for c in range(min_col, max_col + 1) if c in used]
        if touched:
            errors.append(
                CellError(
                    sheet.title,
                    min_row,
                    sheet.letter(touched[0]),
                    sheet.header(touched[0]),
                    _("Ô bị gộp (%(range)s): bỏ gộp ô và nhập giá trị vào từng ô.")
                    % {"range": ref},
                )
            )
    return errors


def _row(sheet: Sheet, number: int, cells, errors: list[CellError]) -> Row | None:
    values: dict[str, Any] = {}
    bad: set[str] = set()
    blank = True
    for key, (column, index) in sheet.columns.items():
        cell = cells[index] if index < len(cells) else None
        raw = getattr(cell, "value", None)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            values[key] = _blank(column)
            continue
        blank = False
        letter = get_column_letter(index + 1)
        data_type = getattr(cell, "data_type", "n")
        if data_type == "f":
            message = _("Ô chứa công thức: hãy nhập giá trị (sao chép rồi “Dán giá trị”).")
        elif data_type == "e":
            message = _("Ô chứa giá trị lỗi %(value)s: hãy nhập giá trị đúng.") % {"value": raw}
        else:
            value, message = read_cell(column, raw, sheet.lookups.get(key))
            values[key] = value
        if message:
            values[key] = None
            bad.add(key)
            errors.append(CellError(sheet.title, number, letter, str(column.header), message))
    return None if blank else Row(number=number, values=values, bad=bad)


def _blank(column: Column):
    if column.kind == C.FLAG:
        return False
    if column.kind == C.CHOICES:
        return []
    if column.kind in (C.CHOICE, C.TEXT, C.CITIZEN_ID):
        return column.default
    return None


def read_cell(column: Column, raw, lookup: dict[str, str] | None = None) -> tuple[Any, str]:
    """(value for the form, "") or (None, message). Blank cells never reach here. ``lookup``:
    ``columns.choice_lookup(column)``, built once per file for the list columns."""
    if lookup is None and column.kind in (C.CHOICE, C.CHOICES, C.YES_NO, C.FLAG):
        lookup = C.choice_lookup(column)
    return _READERS[column.kind](column, raw, lookup)


def _is_number(raw) -> bool:
    return isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool)


def _text(column: Column, raw, lookup=None):
    if _is_number(raw):
        return (str(int(raw)) if raw == int(raw) else str(raw)), ""
    if isinstance(raw, str):
        return " ".join(raw.split()), ""
    return None, _("Nhập dạng văn bản.")


def _commune(column: Column, raw, lookup=None):
    if _is_number(raw) and raw == int(raw):
        raw = f"{int(raw):05d}"
    if isinstance(raw, str) and _COMMUNE_CODE.fullmatch(raw):
        return raw, ""
    return None, _("Mã xã gồm đúng 5 chữ số, ví dụ 21484.")


def _citizen_id(column: Column, raw, lookup=None):
    if _is_number(raw):
        digits = str(int(raw)) if raw == int(raw) else ""
        if len(digits) == 12:
            return digits, ""
        return None, _(
            "Số định danh đang được Excel lưu dạng số nên mất số 0 ở đầu: định dạng ô là Văn bản "
            "(Text) rồi nhập lại đủ 12 chữ số."
        )
    if isinstance(raw, str):
        return raw, ""  # the form strips spaces and dots and checks the 12 digits
    return None, _("Nhập dạng văn bản.")


def _number(column: Column, raw, lookup=None):
    if _is_number(raw):
        if column.kind == C.DECIMAL:
            try:
                return Decimal(str(raw)), ""
            except InvalidOperation:
                return None, _("Nhập một số.")
        return raw, ""  # the form refuses a fraction with its own message
    if isinstance(raw, str):
        return raw, ""  # typed as text: the form reads "1.500.000" as the page does
    return None, _("Nhập một số.")


def _date(column: Column, raw, lookup=None):
    if isinstance(raw, dt.datetime):
        return raw.date(), ""
    if isinstance(raw, dt.date):
        return raw, ""
    if isinstance(raw, str):
        return raw, ""  # the form reads dd/mm/yyyy
    return None, str(MemberForm.base_fields["birth_date"].error_messages["invalid"])


def _yes_no(column: Column, raw, lookup):
    if isinstance(raw, bool):
        return raw, ""
    if _is_number(raw) and raw in (0, 1):
        return bool(raw), ""
    code = lookup.get(C.key(raw))
    if code is None:
        return None, _("Nhập Có hoặc Không (hoặc 1 / 0).")
    return code == "1", ""


def _choice(column: Column, raw, lookup):
    code = lookup.get(C.key(_text(column, raw)[0] or ""))
    if code is None:
        return None, _not_in_list(column, raw)
    return code, ""


def _choices(column: Column, raw, lookup):
    text = _text(column, raw)[0] or ""
    codes, unknown = [], []
    for part in (p for p in _SPLIT.split(text) if p.strip()):
        code = lookup.get(C.key(part))
        if code is not None:
            codes.append(code)
            continue
        # "Thiếu vốn, Thiếu đất sản xuất": commas instead of semicolons, when every piece is known
        pieces = [lookup.get(C.key(p)) for p in part.split(",") if p.strip()]
        if pieces and all(pieces):
            codes.extend(pieces)
        else:
            unknown.append(part.strip())
    if unknown:
        return None, _not_in_list(column, "; ".join(unknown))
    return list(dict.fromkeys(codes)), ""


def _not_in_list(column: Column, raw) -> str:
    return _("“%(value)s” không có trong danh sách của cột: xem các giá trị ở trang Hướng dẫn.") % {
        "value": raw
    }


_READERS = {
    C.TEXT: _text,
    C.COMMUNE: _commune,
    C.CITIZEN_ID: _citizen_id,
    C.INTEGER: _number,
    C.DECIMAL: _number,
    C.DATE: _date,
    C.YES_NO: _yes_no,
    C.FLAG: _yes_no,
    C.CHOICE: _choice,
    C.CHOICES: _choices,
}
