"""Hostile workbooks (the issue "Faults and hostile users", item 4): each is refused whole, before
openpyxl reads it, with a Vietnamese message saying where and what the limit is; nothing is
written; a normal file still imports. Peak memory of the big ones: bench/hostile_uploads.py."""

from __future__ import annotations

import io
import zipfile

import pytest

from reports.imports import limits
from reports.models import JobStatus
from tests.reports.test_import_data import confirm, edit, validate, xlsx
from tests.reports.test_import_files import HOUSEHOLDS, base, find, rejected

pytestmark = pytest.mark.django_db
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"  # "Hộ" in write_rows' workbooks


@pytest.fixture
def ok(round_) -> bytes:
    return xlsx(*base(), round_)


def replaced(content: bytes, parts: dict[str, bytes]) -> bytes:
    """The workbook with some parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = parts.get(name, source.read(name))
            target.writestr(name, data, zipfile.ZIP_DEFLATED)
        for name, data in parts.items():
            if name not in source.namelist():
                target.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_strings(content: bytes, strings: str, rows: str) -> bytes:
    """The workbook with a shared-strings part (declared in [Content_Types].xml, where openpyxl
    looks for it) and its first sheet's rows."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        types = source.read("[Content_Types].xml").decode()
    override = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    types = types.replace("</Types>", override + "</Types>")
    sst = f'<?xml version="1.0"?><sst xmlns="{MAIN}">{strings}</sst>'
    return replaced(
        content,
        {
            "[Content_Types].xml": types.encode(),
            "xl/sharedStrings.xml": sst.encode(),
            SHEET: sheet(rows),
        },
    )


def sheet(rows: str) -> bytes:
    return f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()  # noqa: E501


def refused(user, round_, content: bytes, message: str) -> dict:
    job = rejected(user, round_, content)  # nothing written, state compared before and after
    assert job.summary["error_count"] == 1
    assert not job.result  # the file as a whole: nothing to annotate
    return find(job, message)


def test_a_normal_file_still_imports(cast, round_, ok):
    job = validate(cast.officer, round_, ok)
    assert job.status == JobStatus.VALIDATED, job.summary
    assert confirm(cast.officer, job).status == JobStatus.DONE


def test_huge_inline_string(cast, round_, ok):
    content = replaced(
        ok,
        {
            SHEET: sheet(
                f'<row r="3"><c r="D3" t="inlineStr"><is><t>{"x" * 5000}</t></is></c></row>'
            )
        },
    )
    error = refused(cast.officer, round_, content, "Trang “Hộ”, ô D3: nội dung dài hơn 1.000 ký tự")
    assert (error["sheet"], error["column"]) == (HOUSEHOLDS, "D")


def test_inline_string_longer_than_a_chunk_is_counted_across_chunks(cast, round_, ok, settings):
    settings.IMPORT_MAX_CELL_CHARS = 100_000
    text = "ă" * 150_000  # 300 KB of UTF-8: expat hands it over in several pieces
    content = replaced(
        ok, {SHEET: sheet(f'<row><c t="inlineStr"><is><t>{text}</t></is></c></row>')}
    )
    refused(cast.officer, round_, content, "ô A1: nội dung dài hơn 100.000 ký tự")


def test_huge_shared_string_is_reported_at_the_cell_using_it(cast, round_, ok):
    strings = (
        "<si><t>Thôn 1</t></si>"
        f"<si><r><t>{'Thôn ' * 150}</t></r><r><t>{'Xóm ' * 150}</t></r></si>"
    )  # 1,350 characters in two runs of rich text
    rows = '<row r="2"><c r="C2" t="s"><v>0</v></c><c r="D2" t="s"><v>1</v></c></row>'
    content = with_strings(ok, strings, rows)
    error = refused(cast.officer, round_, content, "Trang “Hộ”, ô D2: nội dung dài hơn 1.000")
    assert error["column"] == "D"


def test_long_shared_string_no_cell_uses(cast, round_, ok):
    content = with_strings(ok, f"<si><t>{'y' * 2000}</t></si>", "")
    refused(cast.officer, round_, content, "một đoạn văn bản dài hơn 1.000 ký tự")


def test_shared_strings_part_too_large(cast, round_, ok, settings):
    settings.IMPORT_MAX_SHARED_STRINGS_BYTES = 100
    content = with_strings(ok, "<si><t>Thôn</t></si>" * 20, "")
    refused(cast.officer, round_, content, "(xl/sharedStrings.xml) là 1 MB, vượt giới hạn 1 MB")


def test_too_many_shared_strings(cast, round_, ok, settings):
    settings.IMPORT_MAX_SHARED_STRINGS = 3
    content = with_strings(ok, "".join(f"<si><t>Thôn {n}</t></si>" for n in range(4)), "")
    refused(cast.officer, round_, content, "có hơn 3 đoạn văn bản khác nhau, vượt giới hạn")


def test_shared_string_index_out_of_the_table(cast, round_, ok):
    content = with_strings(
        ok, "<si><t>Thôn</t></si>", '<row r="2"><c r="E2" t="s"><v>5</v></c></row>'
    )
    refused(cast.officer, round_, content, "Tệp .xlsx bị hỏng (trang “Hộ”, ô E2 không đọc được)")


def test_an_undeclared_shared_strings_part_is_still_checked_for_a_dtd(cast, round_, ok):
    bad = '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "ha">]><sst/>'
    content = replaced(ok, {"xl/sharedStrings.xml": bad.encode()})
    refused(cast.officer, round_, content, "(trong phần xl/sharedStrings.xml)")


def test_too_many_rows(cast, round_, ok, settings):
    settings.IMPORT_MAX_SHEET_ROWS = 10

    def far_row(wb):
        wb[HOUSEHOLDS].cell(row=11, column=1, value="21484")

    error = refused(
        cast.officer, round_, edit(ok, far_row), "đến dòng 11, vượt giới hạn 10 dòng mỗi trang"
    )
    assert error["sheet"] == HOUSEHOLDS


def test_too_many_rows_by_default(cast, round_, ok):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(200_002))
    content = replaced(ok, {SHEET: sheet(rows)})
    refused(cast.officer, round_, content, "đến dòng 200.001, vượt giới hạn 200.000 dòng")


def test_too_many_columns(cast, round_, ok):
    content = replaced(ok, {SHEET: sheet('<row r="1"><c r="XFD1"><v>1</v></c></row>')})
    error = refused(cast.officer, round_, content, "Trang “Hộ”, ô XFD1: trang có hơn 100 cột")
    assert error["column"] == "XFD"


def test_zip_bomb_by_ratio(cast, round_, ok):
    blanks = b" " * (12 * 1024 * 1024)  # 12 MB of XML blanks: about 12 KB zipped
    content = replaced(ok, {SHEET: sheet("")[:-12] + blanks + b"</worksheet>"})
    assert len(content) < 100_000
    refused(cast.officer, round_, content, "Tệp nén bất thường")


def test_zip_bomb_by_total(cast, round_, ok, settings):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    content = replaced(ok, {"xl/media/padding.bin": b"\0" * (2 * 1024 * 1024)})
    refused(cast.officer, round_, content, "khi giải nén là 2 MB, vượt giới hạn 1 MB")


def test_a_run_without_tags_is_refused_while_streaming(cast, round_, ok):
    """Under the ratio check's floor (10 MB), a long run between two tags stops the stream."""
    blanks = b" " * (3 * 1024 * 1024)
    content = replaced(ok, {SHEET: sheet("")[:-12] + blanks + b"</worksheet>"})
    refused(cast.officer, round_, content, "có một ô hoặc thẻ XML dài hơn 1 MB")


def test_too_much_text_in_all(cast, round_, ok, settings):
    settings.IMPORT_MAX_TEXT_CHARS = 50
    refused(cast.officer, round_, ok, "Tệp có hơn 50 ký tự dữ liệu")


@pytest.mark.parametrize(
    ("part", "xml"),
    [
        (
            "xl/workbook.xml",
            '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            f'<workbook xmlns="{MAIN}"><sheets><sheet name="&xxe;" sheetId="1"/></sheets>'
            "</workbook>",
        ),
        (
            "xl/sharedStrings.xml",
            '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            f'<sst xmlns="{MAIN}"><si><t>&b;</t></si></sst>',
        ),
        ("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE Types SYSTEM "http://x/"><T/>'),
    ],
    ids=["xxe", "billion-laughs", "external-dtd"],
)
def test_dtd_and_entities_are_refused(cast, round_, ok, part, xml):
    content = replaced(ok, {part: xml.encode()})
    error = refused(
        cast.officer, round_, content, f"khai báo DTD / thực thể XML (trong phần {part})"
    )
    assert "ValueError" not in error["message"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<!doctype html><html><body>x</body></html>", "không phải là sổ tính Excel .xlsx"),
        (b"ma_xa;ma_ho\n21484;N1\n", "có thể là tệp CSV"),  # CSVs are not accepted
    ],
    ids=["html", "csv"],
)
def test_not_a_zip(cast, round_, content, message):
    refused(cast.officer, round_, content, message)


def test_a_zip_without_content_types_is_not_a_workbook(cast, round_, ok):
    with zipfile.ZipFile(io.BytesIO(ok)) as source:
        parts = {n: source.read(n) for n in source.namelist() if n != "[Content_Types].xml"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    refused(cast.officer, round_, out.getvalue(), "có thể là tệp của chương trình khác")


def test_shared_string_cell_without_a_number(cast, round_, ok):
    content = replaced(ok, {SHEET: sheet('<row r="2"><c r="B2" t="s"><v>abc</v></c></row>')})
    refused(cast.officer, round_, content, "Tệp .xlsx bị hỏng (trang “Hộ”, ô B2 không đọc được)")


def test_malformed_xml_part(cast, round_, ok):
    content = replaced(ok, {SHEET: b"<worksheet><sheetData><row></sheetData>"})
    refused(cast.officer, round_, content, "phần xl/worksheets/sheet1.xml không đọc được")


def test_limits_come_from_the_settings(settings):
    settings.IMPORT_MAX_CELL_CHARS = 7
    settings.IMPORT_MAX_COLUMNS = 3
    found = limits.Limits.from_settings()
    assert (found.cell_chars, found.columns, found.rows) == (7, 3, settings.IMPORT_MAX_SHEET_ROWS)
