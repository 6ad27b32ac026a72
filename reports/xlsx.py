"""Small helpers on openpyxl for the official exports: safe text, the official header block,
two-level merged column headers, a numbering row, number formats and frozen panes.

Every workbook is written in write-only mode, big or small: rows stream to a temporary file, so
memory stays flat whatever the number of households (bench/export_detailed_list.py). Write-only
worksheets have constraints that shape this module:
- column widths, frozen panes, print titles and page setup are written with the sheet's top, so
  they are set before the first row (``TableSheet.__init__``);
- merged ranges are written with the sheet's tail, so they can be added at any time
  (``ws.merged_cells.add``; a write-only sheet has no ``merge_cells`` method);
- a cell with a style (number format, font, border) or a forced data type must be a
  ``WriteOnlyCell``; plain values are cheaper, so big lists only style the cells that need it.

Formula injection: a text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
(a household head typed as ``=HYPERLINK(...)``) is written as a text cell (inline string) with the
quote prefix, never as a formula: Excel shows it as typed and does not evaluate it, even after the
cell is edited.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from types import MethodType
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml import LXML

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Number formats (Excel shows the reader's own separators: 1.500.000 on a Vietnamese machine).
TEXT = ""
COUNT = "#,##0"
MONEY = "#,##0"
RATE = "0.00"
DATE = "dd/mm/yyyy"

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 32767  # Excel's limit for one cell

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center")
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
TITLE = Font(bold=True, size=14)
PLAIN = Font()


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


@contextmanager
def streamed(out):
    """A write-only workbook saved to ``out`` when the block succeeds; when it fails, the
    sheets' temporary files are removed (a worker lives long: nothing half-written stays)."""
    wb = new_workbook()
    try:
        yield wb
    except BaseException:
        discard(wb)
        raise
    wb.save(out)


def discard(wb: Workbook) -> None:
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            if ws._rows is not None:
                ws._rows.close()
            writer.close()
        except Exception:  # noqa: S110 (already failing: only the temporary file matters)
            pass
        ws._rows = None
        if isinstance(writer.out, str) and os.path.exists(writer.out):
            writer.cleanup()


# --- the big lists' row writer ---------------------------------------------------------------
#
# openpyxl turns every value into a Cell and every Cell into an XML element (about 20 µs a
# cell: 70 s of CPU for a province's 4.4 million cells, and most of a poor list's time). A
# ``PlainRow`` of an unstyled sheet is written here as one string instead: the same XML
# openpyxl writes (inline strings, "%.16g" numbers, a style index for formatted cells), checked
# by tests/reports/test_export_xlsx.py against openpyxl's own reading. It needs et_xmlfile's
# text writer (openpyxl without lxml, as this project installs it); anything it does not know
# (a formula, a comment, a hyperlink, row dimensions, lxml) goes through openpyxl.


class PlainRow(list):
    """The values of one unstyled data row (``TableSheet.fast``)."""


@dataclass(frozen=True, slots=True)
class Styled:
    """A number (a date as Excel's serial number) with the index of a registered cell style."""

    number: str
    style: int


SIMPLE = (str, int, float, Decimal)


def _text_xml(ref: str, style: str, text: str) -> str:
    # openpyxl's whitespace(): keep leading or trailing spaces of a text that is not all spaces
    space = ""
    if (text[0].isspace() or text[-1].isspace()) and text.strip():
        space = ' xml:space="preserve"'
    if "&" in text or "<" in text or ">" in text:
        text = escape(text)
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell_xml(ws, ref: str, cell: Cell) -> str | None:
    """A Cell's XML when it is a plain text, number or date (else None: openpyxl writes it)."""
    value, kind = cell._value, cell.data_type
    if value is None or value == "" or cell.hyperlink or cell._comment is not None:
        return None
    style = f' s="{cell.style_id}"' if cell.has_style else ""
    if kind == "s" and isinstance(value, str):
        return _text_xml(ref, style, value)
    if kind == "n":
        return f'<c r="{ref}"{style} t="n"><v>{safe_string(value)}</v></c>'
    if kind == "d" and not ws.parent.iso_dates and getattr(value, "tzinfo", None) is None:
        number = safe_string(to_excel(value, ws.parent.epoch))
        return f'<c r="{ref}"{style} t="n"><v>{number}</v></c>'
    return None


def _write_plain_row(ws, xf, raw, row: PlainRow, row_idx: int, letters: list[str]) -> None:
    parts = [f'<row r="{row_idx}">']
    for i, value in enumerate(row):
        if value is None or value == "":
            continue
        kind = type(value)
        if kind is str:
            parts.append(_text_xml(f"{letters[i]}{row_idx}", "", value))
        elif kind is Styled:
            parts.append(
                f'<c r="{letters[i]}{row_idx}" s="{value.style}" t="n"><v>{value.number}</v></c>'
            )
        elif kind is bool:
            parts.append(f'<c r="{letters[i]}{row_idx}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, SIMPLE):
            parts.append(f'<c r="{letters[i]}{row_idx}" t="n"><v>{safe_string(value)}</v></c>')
        else:
            cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value)
            cell.row, cell.column = row_idx, i + 1
            xml = _cell_xml(ws, f"{letters[i]}{row_idx}", cell)
            if xml is None:  # openpyxl writes this one, after what is pending
                raw("".join(parts))
                parts = []
                write_cell(xf, ws, cell, cell.has_style)
            else:
                parts.append(xml)
    parts.append("</row>")
    raw("".join(parts))


def _write_rows_fast(self):
    """``WriteOnlyWorksheet._write_rows`` of openpyxl 3.1 (pinned in requirements.txt), with
    ``PlainRow`` rows written as text."""
    xf = self._writer.xf.send(True)
    raw = getattr(xf, "_file", None)  # et_xmlfile's text writer; lxml's xmlfile has none
    letters = [get_column_letter(i) for i in range(1, 703)]  # A..ZZ; longer rows: openpyxl
    with xf.element("sheetData"):
        row_idx = 1
        try:
            while True:
                row = yield
                plain = raw is not None and isinstance(row, PlainRow) and len(row) <= len(letters)
                if plain and row_idx not in self.row_dimensions:
                    _write_plain_row(self, xf, raw, row, row_idx, letters)
                    row_idx += 1
                    continue
                self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                row_idx += 1
        except GeneratorExit:
            pass
    self._writer.xf.send(None)


def clean_text(value: str) -> str:
    """Drop the control characters a worksheet cannot hold and cut to Excel's cell limit."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value[:MAX_TEXT]


def is_risky(value: str) -> bool:
    return value.startswith(RISKY_STARTS) or value in ERROR_CODES


def safe_text(value, ws):
    """A text value for ``ws.append``: the cleaned string itself when it is harmless, else a
    text cell with the quote prefix (never a formula, never an error code)."""
    text = clean_text(str(value))
    if not is_risky(text):
        return text
    return text_cell(ws, text)


def text_cell(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws)
    cell._value = text  # bypass type inference, which would make "=..." a formula
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def as_number(value):
    """Decimals from the database as Excel numbers (ints when whole)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, width, number format and the header above it."""

    title: str
    width: float = 12
    fmt: str = TEXT
    group: str = ""  # consecutive columns with the same group share a merged header above them


@dataclass(frozen=True)
class Header:
    """The official header block of Vietnamese administrative reports."""

    committee: str  # the issuing People's Committee's unit, e.g. "Tỉnh Quảng Ngãi"
    place: str  # for the date line, e.g. "Quảng Ngãi"
    title: str
    lines: tuple[str, ...] = ()  # area, period, data as of, filters... (centred under the title)
    day: dt.date | None = None


@dataclass
class TableSheet:
    """A write-only worksheet holding one report table under the official header block.

    ``lettered`` leading columns are numbered A, B, C... in the numbering row (the descriptive
    columns of the official forms), the others 1, 2, 3...; ``frozen`` leading columns stay in
    view when scrolling right, and the rows above the data when scrolling down. ``styled`` rows
    get borders and fonts on every cell (aggregate reports, a few hundred rows); unstyled rows
    only style the cells that need a number format (the big lists).
    """

    wb: Workbook
    name: str
    columns: Sequence[Column]
    header: Header
    lettered: int = 2
    frozen: int = 2
    styled: bool = True
    row_index: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        ws = self.wb.create_sheet(title=self.name[:31])
        # The big lists: data rows as text (installed before the first row is sent).
        self.plain = not self.styled and not LXML
        if self.plain:
            ws._write_rows = MethodType(_write_rows_fast, ws)
        self.ws = ws
        n = len(self.columns)
        for i, column in enumerate(self.columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = column.width
        self.two_levels = any(c.group for c in self.columns)
        header_rows = 6 + len(self.header.lines)
        self.first_header_row = header_rows + 1
        self.numbering_row = self.first_header_row + (2 if self.two_levels else 1)
        self.first_data_row = self.numbering_row + 1
        ws.freeze_panes = f"{get_column_letter(self.frozen + 1)}{self.first_data_row}"
        ws.print_title_rows = f"{self.first_header_row}:{self.numbering_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self._formats = [c.fmt for c in self.columns]
        self._styles: dict[str, object] = {}
        self._style_ids: dict[str, int] = {}
        self._write_official_block(n)
        self._write_column_headers(n)

    # --- writing rows ---------------------------------------------------------------------

    def append(self, values: Iterable, *, height: float | None = None) -> int:
        self.row_index += 1
        if height:
            self.ws.row_dimensions[self.row_index].height = height
        self.ws.append(values if isinstance(values, PlainRow) else list(values))
        return self.row_index

    def cell(self, value, *, font=None, alignment=None, fmt: str = TEXT, border=None):
        cell = WriteOnlyCell(self.ws)
        if isinstance(value, str):
            value = clean_text(value)
            if is_risky(value):
                cell._value, cell.data_type, cell.quotePrefix = value, "s", True
            else:
                cell.value = value
        elif value is not None:
            cell.value = as_number(value)
        if fmt:
            cell.number_format = fmt
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        if border is not None:
            cell.border = border
        return cell

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        if (first_row, first_col) != (last_row, last_col):
            start = f"{get_column_letter(first_col)}{first_row}"
            end = f"{get_column_letter(last_col)}{last_row}"
            self.ws.merged_cells.add(f"{start}:{end}")

    def row(self, values: Sequence, *, bold: bool = False) -> int:
        """One data row, formatted by its columns."""
        if self.styled:
            font = BOLD if bold else None
            cells = []
            for i, value in enumerate(values):
                fmt = self._formats[i] if i < len(self._formats) else TEXT
                alignment = WRAP_LEFT if not fmt else None
                cells.append(self.cell(value, font=font, fmt=fmt, alignment=alignment, border=BOX))
            return self.append(cells)
        return self.append(self.fast(values))

    def fast(self, values: Sequence) -> list:
        """Plain values where possible: the big lists' path (a styled cell costs ~10× more),
        written as text by ``_write_rows_fast``."""
        out = PlainRow()
        formats = self._formats
        for i, value in enumerate(values):
            if value is None or value == "":
                out.append(None)
            elif isinstance(value, str):
                text = ILLEGAL_CHARACTERS_RE.sub("", value) if not value.isprintable() else value
                out.append(self.cell(text) if is_risky(text) else text[:MAX_TEXT])
            elif formats[i] and not isinstance(value, bool):
                styled = self._styled(value, formats[i]) if self.plain else None
                out.append(styled or self._formatted(value, formats[i]))
            else:
                out.append(as_number(value))
        return out

    def _styled(self, value, fmt: str) -> Styled | None:
        """A number or a date with a number format, for the text writer: the style registered
        once per format (None: a value it does not write, left to openpyxl)."""
        style = self._style_ids.get(fmt)
        if style is None:
            probe = WriteOnlyCell(self.ws)
            probe.number_format = fmt
            style = self._style_ids[fmt] = probe.style_id  # registers it with the workbook
        value = as_number(value)
        if isinstance(value, (dt.date, dt.datetime)):
            if self.wb.iso_dates or getattr(value, "tzinfo", None) is not None:
                return None
            value = to_excel(value, self.wb.epoch)
        elif not isinstance(value, (int, float, Decimal)):
            return None
        return Styled(safe_string(value), style)

    def _formatted(self, value, fmt: str) -> WriteOnlyCell:
        """A value with only a number format, its style copied from a cached one (no lookups)."""
        style = self._styles.get(fmt)
        if style is None:
            probe = WriteOnlyCell(self.ws)
            probe.number_format = fmt
            style = self._styles[fmt] = probe._style
        cell = WriteOnlyCell(self.ws)
        cell._style = copy(style)  # before the value: a date then keeps this format
        cell.value = as_number(value)
        return cell

    def notes(self, lines: Iterable[str]) -> None:
        """Notes under the table (what a figure means, where it comes from), after a blank row."""
        n = len(self.columns)
        lines = list(lines)
        if lines:
            self.append([])
        for text in lines:
            r = self.append([self.cell(text, font=ITALIC, alignment=WRAP_LEFT)])
            self.merge(r, 1, r, n)

    def signatures(self) -> None:
        """The closing block of an official report: who drew it up, who signs for the committee."""
        n = len(self.columns)
        left, right = self._blocks(n)
        self.append([])
        r = self.append(
            [self.cell(_("NGƯỜI LẬP BIỂU"), font=BOLD, alignment=CENTER)]
            + [None] * (right[0] - 2)
            + [self.cell(_("TM. ỦY BAN NHÂN DÂN"), font=BOLD, alignment=CENTER)]
        )
        self.merge(r, 1, r, left[1])
        self.merge(r, right[0], r, right[1])
        r = self.append(
            [self.cell(_("(Ký, ghi rõ họ tên)"), font=ITALIC, alignment=CENTER)]
            + [None] * (right[0] - 2)
            + [self.cell(_("(Ký tên, đóng dấu)"), font=ITALIC, alignment=CENTER)]
        )
        self.merge(r, 1, r, left[1])
        self.merge(r, right[0], r, right[1])

    # --- the header -------------------------------------------------------------------------

    @staticmethod
    def _blocks(n: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """Columns of the left (committee) and right (national motto) blocks."""
        left_end = max(2, min(n // 3, 4))
        right_start = max(left_end + 1, n - max(3, n // 2) + 1)
        return (1, left_end), (right_start, n)

    def _pair(self, left, right, n, *, left_font=BOLD, right_font=BOLD) -> None:
        (l1, l2), (r1, r2) = self._blocks(n)
        values = [self.cell(left, font=left_font, alignment=CENTER) if left else None]
        values += [None] * (r1 - 2)
        values.append(self.cell(right, font=right_font, alignment=CENTER) if right else None)
        r = self.append(values, height=18)
        if left:
            self.merge(r, l1, r, l2)
        if right:
            self.merge(r, r1, r, r2)

    def _write_official_block(self, n: int) -> None:
        h = self.header
        self._pair(
            _("ỦY BAN NHÂN DÂN"), _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), n, left_font=PLAIN
        )
        self._pair(h.committee.upper(), _("Độc lập - Tự do - Hạnh phúc"), n)
        day = h.day or dt.date.today()
        dated = _("%(place)s, ngày %(day)02d tháng %(month)02d năm %(year)d") % {
            "place": h.place,
            "day": day.day,
            "month": day.month,
            "year": day.year,
        }
        self._pair("", dated, n, right_font=ITALIC)
        self.append([])
        r = self.append([self.cell(h.title.upper(), font=TITLE, alignment=WRAP_CENTER)], height=36)
        self.merge(r, 1, r, n)
        for line in h.lines:
            r = self.append([self.cell(line, font=ITALIC, alignment=WRAP_CENTER)], height=18)
            self.merge(r, 1, r, n)
        self.append([])

    def _write_column_headers(self, n: int) -> None:
        top = self.first_header_row
        if not self.two_levels:
            self.append(
                [
                    self.cell(c.title, font=BOLD, alignment=WRAP_CENTER, border=BOX)
                    for c in self.columns
                ],
                height=48,
            )
        else:
            upper, lower = [], []
            spans: list[tuple[int, int]] = []
            i = 0
            while i < n:
                column = self.columns[i]
                if not column.group:
                    upper.append(self._head(column.title))
                    lower.append(self._head(None))
                    self.merge(top, i + 1, top + 1, i + 1)
                    i += 1
                    continue
                j = i
                while j + 1 < n and self.columns[j + 1].group == column.group:
                    j += 1
                spans.append((i + 1, j + 1))
                for k in range(i, j + 1):
                    upper.append(self._head(column.group if k == i else None))
                    lower.append(self._head(self.columns[k].title))
                i = j + 1
            self.append(upper, height=36)
            self.append(lower, height=48)
            for first, last in spans:
                self.merge(top, first, top, last)
        numbers = []
        counter = 0
        for i in range(n):
            if i < self.lettered:
                label = get_column_letter(i + 1)
            else:
                counter += 1
                label = str(counter)
            numbers.append(self.cell(label, font=ITALIC, alignment=CENTER, border=BOX))
        self.append(numbers)

    def _head(self, text):
        return self.cell(text, font=BOLD, alignment=WRAP_CENTER, border=BOX)


def roman(number: int) -> str:
    """I, II, III... for the district sections of the official tables."""
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = []
    for value, letters in numerals:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
