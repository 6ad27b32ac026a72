"""The openpyxl helpers, without a database: safe text, the official block, merged headers,
numbering, number formats and frozen panes, in write-only mode."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.worksheet._writer import WorksheetWriter

from reports.xlsx import (
    COUNT,
    DATE,
    MONEY,
    RATE,
    Column,
    Header,
    TableSheet,
    new_workbook,
    roman,
    safe_text,
)

RISKY = ["=SUM(A1)", "+84 905 000 000", "-1+2", "@cmd", "\tTab", "\rCR", "#N/A"]
HEADER = Header(
    committee="Xã Ba Tơ",
    place="Quảng Ngãi",
    title="Danh sách thử",
    lines=("Địa bàn: Xã Ba Tơ", "Đợt rà soát định kỳ năm 2026"),
    day=dt.date(2026, 11, 28),
)
COLUMNS = [
    Column("STT", 6),
    Column("Tên", 20),
    Column("Số hộ", 10, COUNT, "Hộ nghèo"),
    Column("Tỷ lệ (%)", 10, RATE, "Hộ nghèo"),
    Column("Ngày", 12, DATE),
]


def build(styled: bool, rows) -> bytes:
    wb = new_workbook()
    sheet = TableSheet(wb, name="Thử", columns=COLUMNS, header=HEADER, styled=styled)
    for row in rows:
        sheet.row(row)
    sheet.signatures()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_risky_text_stays_text_in_both_row_paths():
    for styled in (True, False):
        rows = [[i, text, None, None, None] for i, text in enumerate(RISKY, 1)]
        ws = load_workbook(io.BytesIO(build(styled, rows))).active
        first = 12  # 3 block rows, blank, title, 2 lines, blank, 2 header rows, numbering
        for i, text in enumerate(RISKY):
            cell = ws.cell(row=first + i, column=2)
            assert cell.value == text.replace("\r", "\n") or cell.value == text, (styled, text)
            assert cell.data_type == "s", (styled, text)
            assert cell.quotePrefix, (styled, text)


def test_safe_text_for_plain_appends():
    wb = new_workbook()
    ws = wb.create_sheet("x")
    ws.append([safe_text("=1+1", ws), safe_text("bình thường", ws), safe_text("a\x00b\x07", ws)])
    out = io.BytesIO()
    wb.save(out)
    row = next(load_workbook(out).active.iter_rows())
    assert [c.value for c in row] == ["=1+1", "bình thường", "ab"]
    assert [c.data_type for c in row] == ["s", "s", "s"]


def test_header_block_numbering_merges_formats_and_panes():
    content = build(True, [[1, "Xã Ba Tơ", 12, Decimal("41.67"), dt.date(2026, 9, 1)]])
    ws = load_workbook(io.BytesIO(content)).active
    assert ws["A1"].value == "ỦY BAN NHÂN DÂN"
    assert ws["A2"].value == "XÃ BA TƠ"
    right = [c.value for c in ws[1] if c.value and c.column > 2]
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert "Độc lập - Tự do - Hạnh phúc" in [c.value for c in ws[2]]
    assert "Quảng Ngãi, ngày 28 tháng 11 năm 2026" in [c.value for c in ws[3]]
    assert ws["A5"].value == "DANH SÁCH THỬ"
    assert [ws["A6"].value, ws["A7"].value] == ["Địa bàn: Xã Ba Tơ", "Đợt rà soát định kỳ năm 2026"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A5:E5", "A9:A10", "B9:B10", "C9:D9", "E9:E10"} <= merged
    assert [c.value for c in ws[9]][:3] == ["STT", "Tên", "Hộ nghèo"]
    assert [c.value for c in ws[10]][2:4] == ["Số hộ", "Tỷ lệ (%)"]
    assert [c.value for c in ws[11]] == ["A", "B", "1", "2", "3"]
    assert ws.freeze_panes == "C12"
    assert ws.print_title_rows == "$9:$11"
    data = ws[12]
    assert data[2].value == 12 and data[2].number_format == COUNT
    assert data[3].value == 41.67 and data[3].number_format == RATE
    assert data[4].value == dt.datetime(2026, 9, 1) and data[4].number_format == DATE
    assert "NGƯỜI LẬP BIỂU" in [c.value for row in ws.iter_rows(min_row=13) for c in row]


def test_fast_rows_style_only_what_needs_a_format():
    ws = load_workbook(io.BytesIO(build(False, [[1, "Tên", 3, None, dt.date(2000, 1, 2)]]))).active
    row = ws[12]
    assert row[0].value == 1 and not row[0].has_style
    assert row[4].number_format == DATE


def test_plain_rows_written_as_text_read_back_like_openpyxls_own(monkeypatch):
    """The big lists write their data rows as text (reports.xlsx._write_rows_fast): the values,
    types and number formats read back exactly as the same rows written cell by cell."""
    columns = [
        Column("STT", 6),
        Column("Tên", 20),
        Column("Số", 10, COUNT),
        Column("Tiền", 10, MONEY),
        Column("Ngày", 12, DATE),
        Column("Cờ", 6),
        Column("Ghi chú", 20),
    ]
    rows = [
        [1, "Nguyễn Văn A & <con>", 3, 1_500_000, dt.date(1980, 5, 17), True, None],
        [2, "  khoảng trắng  ", Decimal("2"), Decimal("1.5"), None, False, "x"],
        [3, '=HYPERLINK("http://example.invalid")', 0, None, dt.date(2026, 1, 1), None, ""],
        [None, "Con", None, None, dt.date(2012, 5, 2), None, "Tên có\ndòng mới"],
        [4, "𠀋 ngoài BMP", 2.5, 7, dt.datetime(2026, 9, 1, 8, 30), None, "#N/A"],
    ]

    by_openpyxl = []  # rows openpyxl wrote cell by cell
    real_write_row = WorksheetWriter.write_row

    def write_row(self, xf, row, row_idx):
        by_openpyxl.append(row_idx)
        return real_write_row(self, xf, row, row_idx)

    monkeypatch.setattr(WorksheetWriter, "write_row", write_row)

    def read(fast: bool):
        by_openpyxl.clear()
        wb = new_workbook()
        sheet = TableSheet(wb, name="Thử", columns=columns, header=HEADER, styled=False)
        sheet.plain = fast  # False: cells for openpyxl, appended as a plain list (its path)
        for row in rows:
            values = sheet.fast(row)
            sheet.append(values if fast else list(values))
        out = io.BytesIO()
        wb.save(out)
        ws = load_workbook(io.BytesIO(out.getvalue())).active
        data = range(sheet.first_data_row, sheet.first_data_row + len(rows))
        assert set(data).isdisjoint(by_openpyxl) == fast
        return [
            [(c.value, c.data_type, c.number_format, c.quotePrefix) for c in row]
            for row in ws.iter_rows(min_row=sheet.first_data_row)
        ]

    fast, slow = read(True), read(False)
    assert fast == slow
    assert fast[0][1][0] == "Nguyễn Văn A & <con>" and fast[1][1][0] == "  khoảng trắng  "
    assert fast[0][3][2] == MONEY and fast[0][4][2] == DATE and fast[0][5][:2] == (True, "b")
    assert fast[2][1][1:] == ("s", "General", True)  # a formula typed as a name stays text


def test_roman():
    assert [roman(n) for n in (1, 4, 9, 13, 14)] == ["I", "IV", "IX", "XIII", "XIV"]
