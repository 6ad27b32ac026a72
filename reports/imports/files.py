"""The uploaded file as a file: is it a workbook we may open, and the error report written on it.

Nothing here knows about households. ``check_file`` runs before openpyxl reads anything (size,
signature, zip sanity; then ``limits.check_archive`` streams the XML against the limits);
``merged_ranges`` finds merged cells, which openpyxl's read-only mode does not report, by scanning
the sheet's XML as a stream; ``annotate`` returns the uploaded workbook
with a "Lỗi" column and the bad cells filled red.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree import ElementTree

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter

from .columns import ERROR_HEADER, MAX_BYTES, in_every_language, key

ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003), and password-protected .xlsx
ERROR_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
NO_FILL = PatternFill(fill_type=None)
NORMAL_LOAD_ROWS = 20_000  # above this the error report is copied in streaming modes
# ... and above this much sheet XML (uncompressed): a normal load costs about 12 times the XML in
# memory (10,000 households, 17 MB of XML: 253 MiB; bench/results/hostile-uploads.txt)
NORMAL_LOAD_BYTES = 8 * 1024 * 1024


class FileRejected(Exception):
    """The file as a whole cannot be imported; the message says why, for the user."""

    def __init__(self, message: str, *, sheet: str = "", column: str = "", header: str = ""):
        super().__init__(message)
        self.message, self.sheet, self.column, self.header = message, sheet, column, header


@dataclass(frozen=True)
class CellError:
    """One problem of the file: sheet, row and column as Excel shows them (row None: the sheet or
    the file as a whole; column "": the row as a whole)."""

    sheet: str
    row: int | None
    column: str
    header: str
    message: str

    def as_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }


EMPTY = gettext_lazy("Tệp rỗng (0 byte): hãy chọn lại tệp Excel đã nhập dữ liệu.")


def too_large() -> str:
    return _("Tệp lớn hơn 20 MB: hãy chia thành nhiều tệp nhỏ hơn (ví dụ theo xã).")


def size_error(size: int) -> str:
    if size == 0:
        return str(EMPTY)
    if size > MAX_BYTES:
        return too_large()
    return ""


def signature_error(head: bytes) -> str:
    """The first bytes tell an .xlsx (a zip) from an .xls, a CSV or anything else."""
    if head.startswith(ZIP_SIGNATURE):
        return ""
    if head.startswith(OLE2_SIGNATURE):
        return _(
            "Tệp là định dạng Excel cũ (.xls) hoặc đã đặt mật khẩu: mở tệp bằng Excel, bỏ mật "
            "khẩu nếu có, rồi lưu lại dạng “Excel Workbook (.xlsx)”."
        )
    return _(
        "Tệp không phải là sổ tính Excel .xlsx (có thể là tệp CSV hoặc tệp khác được đổi tên): "
        "hãy dùng tệp mẫu và lưu dạng “Excel Workbook (.xlsx)”."
    )


def check_file(handle, size: int) -> None:
    """Everything that can be said before openpyxl parses the workbook; raises FileRejected."""
    message = size_error(size)
    if message:
        raise FileRejected(message)
    handle.seek(0)
    message = signature_error(handle.read(8))
    if message:
        raise FileRejected(message)
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRejected(
            _("Tệp .xlsx bị hỏng (không giải nén được): hãy mở bằng Excel và lưu lại.")
        ) from exc
    finally:
        handle.seek(0)
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise FileRejected(
            _(
                "Tệp không phải là sổ tính Excel .xlsx (có thể là tệp của chương trình khác): "
                "hãy dùng tệp mẫu và lưu dạng “Excel Workbook (.xlsx)”."
            )
        )


def open_workbook(handle):
    """The workbook in read-only mode (constant memory), formulas kept as formulas."""
    try:
        return openpyxl.load_workbook(handle, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise FileRejected(
            _("Không mở được tệp Excel (tệp hỏng hoặc không đúng định dạng .xlsx): %(error)s")
            % {"error": type(exc).__name__}
        ) from exc


# --- merged cells ----------------------------------------------------------------------------

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_CHUNK = 1 << 20


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> path of its XML inside the zip (workbook.xml and its relationships)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 (small, ours to parse)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    paths = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        if target.startswith("/"):
            paths[sheet.get("name")] = target.lstrip("/")
        elif target:
            paths[sheet.get("name")] = posixpath.normpath(posixpath.join("xl", target))
    return paths


def merged_ranges(handle, titles: Iterable[str]) -> dict[str, list[str]]:
    """Merged ranges ("A2:C2") of the named sheets, streaming their XML (read-only mode of
    openpyxl does not read ``mergeCells``; a normal load of a big file would cost gigabytes)."""
    found: dict[str, list[str]] = defaultdict(list)
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            paths = _sheet_paths(archive)
            for title in titles:
                path = paths.get(title)
                if not path:
                    continue
                with archive.open(path) as xml:
                    tail = b""
                    while chunk := xml.read(_CHUNK):
                        data = tail + chunk
                        end = 0
                        for match in _MERGE.finditer(data):
                            found[title].append(match.group(1).decode())
                            end = match.end()
                        tail = data[max(end, len(data) - 512) :]
    except (KeyError, ElementTree.ParseError):
        pass  # an unusual layout: openpyxl reports a damaged file while reading anyway
    finally:
        handle.seek(0)
    return found


# --- the error report ------------------------------------------------------------------------


def annotate(handle, errors: Iterable[CellError], *, rows: int = 0) -> bytes:
    """The uploaded workbook with a "Lỗi" column on each sheet listing each row's messages and
    the bad cells filled red. A report re-uploaded after fixing reuses its "Lỗi" column.

    Up to ``NORMAL_LOAD_ROWS`` data rows and ``NORMAL_LOAD_BYTES`` of sheet XML the workbook is
    loaded normally (not read-only), so the report keeps its formatting and drop-downs; a bigger
    one would take gigabytes that way, so it is copied row by row (values only) in read-only and
    write-only modes."""
    by_sheet: dict[str, dict[int, list[CellError]]] = defaultdict(lambda: defaultdict(list))
    for error in errors:
        if error.sheet and error.row:
            by_sheet[error.sheet][error.row].append(error)
    handle.seek(0)
    if rows > NORMAL_LOAD_ROWS or _sheets_bytes(handle) > NORMAL_LOAD_BYTES:
        return _annotate_streaming(handle, by_sheet)
    workbook = openpyxl.load_workbook(handle)
    error_keys = in_every_language(ERROR_HEADER)
    for ws in workbook.worksheets:
        old = next(
            (c.column for c in ws[1] if c.value is not None and key(c.value) in error_keys), None
        )
        for row in ws.iter_rows():
            for cell in row:
                if cell.fill is not None and cell.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb:
                    cell.fill = NO_FILL
                if old and cell.column == old and cell.row > 1:
                    cell.value = None
        rows = by_sheet.get(ws.title)
        if not rows:
            continue
        column = old or (ws.max_column + 1)
        header = ws.cell(row=1, column=column, value=str(ERROR_HEADER))
        header.font = Font(bold=True, color="FF9C0006")
        header.fill = ERROR_FILL
        ws.column_dimensions[get_column_letter(column)].width = 60
        for number, row_errors in sorted(rows.items()):
            cell = ws.cell(row=number, column=column)
            cell.value = "\n".join(_describe(e) for e in row_errors)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(color="FF9C0006")
            for error in row_errors:
                if error.column:
                    ws[f"{error.column}{number}"].fill = ERROR_FILL
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheets_bytes(handle) -> int:
    """Uncompressed size of the sheets' XML (the zip's own record; limits.py has checked it)."""
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            return sum(
                i.file_size for i in archive.infolist() if i.filename.startswith("xl/worksheets/")
            )
    finally:
        handle.seek(0)


def _annotate_streaming(handle, by_sheet) -> bytes:
    source = openpyxl.load_workbook(handle, read_only=True, data_only=False)
    target = openpyxl.Workbook(write_only=True)
    error_keys = in_every_language(ERROR_HEADER)
    try:
        for ws in source.worksheets:
            out = target.create_sheet(ws.title)
            ws.reset_dimensions()
            rows = by_sheet.get(ws.title, {})
            column = 0  # 0-based index of the "Lỗi" column, found on the header row
            for number, cells in enumerate(ws.iter_rows(), start=1):
                values = [_copied(out, cell) for cell in cells]
                if number == 1:
                    old = [i for i, c in enumerate(cells) if c.value and key(c.value) in error_keys]
                    column = old[0] if old else len(values)
                    if rows:
                        out.column_dimensions[get_column_letter(column + 1)].width = 60
                if column < len(values):
                    values[column] = None
                row_errors = rows.get(number, [])
                if row_errors or (number == 1 and rows):
                    values += [None] * (column + 1 - len(values))
                    text = "\n".join(_describe(e) for e in row_errors)
                    values[column] = _text(out, str(ERROR_HEADER) if number == 1 else text)
                for e in row_errors:
                    index = column_index_from_string(e.column) - 1 if e.column else -1
                    if 0 <= index < len(values):
                        values[index] = _marked(out, values[index])
                out.append(values)
    finally:
        source.close()
    buffer = io.BytesIO()
    target.save(buffer)
    return buffer.getvalue()


def _copied(ws, cell):
    """A cell's value as it was: text that looks like a formula stays text (never run)."""
    value = cell.value
    if isinstance(value, str) and getattr(cell, "data_type", "s") != "f":
        return _text(ws, value)
    return value


def _text(ws, value: str) -> Cell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _marked(ws, value) -> Cell:
    cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=value)
    cell.fill = ERROR_FILL
    return cell


def _describe(error: CellError) -> str:
    if error.column:
        return f"{error.column} ({error.header}): {error.message}"
    return error.message
