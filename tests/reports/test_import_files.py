"""Bad files and bad cells: each is refused with a clear message at its sheet, row and column, and
nothing is written. Also the template and the annotated error report."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from households.models import Household, Member, Survey
from reports.imports import columns as C
from reports.imports import template
from reports.models import JobStatus
from tests.conftest import unit
from tests.households.factories import member, open_round, register
from tests.reports.test_import_data import edit, hh, mb, state, validate, xlsx

pytestmark = pytest.mark.django_db
HOUSEHOLDS, MEMBERS = "Hộ", "Thành viên"


def letter(key: str, sheet: str = HOUSEHOLDS, standard=None) -> str:
    spec = C.HOUSEHOLD_COLUMNS if sheet == HOUSEHOLDS else C.MEMBER_COLUMNS
    if standard is not None:
        spec = C.columns_for(spec, standard)
    else:
        spec = tuple(c for c in spec if not c.indicator)  # the 2026 round: Decree 07/2021
    return get_column_letter([c.key for c in spec].index(key) + 1)


def base() -> tuple[list[dict], list[dict]]:
    """Two valid households: N1 with a head and a child, N2 with its head."""
    households = [hh("N1"), hh("N2", village="Thôn 2")]
    members = [
        mb("N1", citizen_id="051085000101"),
        mb("N1", "Nguyễn Thị Bé", sex="Nữ", birth_date=dt.date(2015, 5, 2), relation="Con",
           schooling="Đang học trung học cơ sở", education_level="Tiểu học",
           employment="Không tham gia lao động (đi học, nội trợ, già yếu)"),
        mb("N2", "Trần Văn Cường", citizen_id="051085000102"),
    ]  # fmt: skip
    return households, members


def rejected(user, round_, content: bytes):
    before = state()
    counts = (Household.objects.count(), Member.objects.count(), Survey.objects.count())
    job = validate(user, round_, content)
    assert job.status == JobStatus.REJECTED, job.summary
    assert state() == before
    assert (Household.objects.count(), Member.objects.count(), Survey.objects.count()) == counts
    return job


def find(job, message: str) -> dict:
    found = [e for e in job.summary["errors"] if message in e["message"]]
    assert found, [e["message"] for e in job.summary["errors"]]
    return found[0]


# --- files that cannot be read at all -----------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _drop_sheet(title):
    return lambda wb: wb.remove(wb[title])


def _drop_column(key):
    def change(wb):
        ws = wb[HOUSEHOLDS]
        ws.delete_cols(letter_index(key))

    return change


def letter_index(key: str) -> int:
    return openpyxl.utils.column_index_from_string(letter(key))


def _duplicate_header(wb):
    ws = wb[HOUSEHOLDS]
    ws.cell(row=1, column=ws.max_column + 1, value="Mã hộ")


def _no_rows(wb):
    wb[HOUSEHOLDS].delete_rows(2, 10)


BAD_FILES = [
    ("csv", lambda ok: b"ma_xa,ma_ho\n21484,N1\n", "không phải là sổ tính Excel .xlsx"),
    ("xls", lambda ok: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel cũ (.xls)"),
    ("empty", lambda ok: b"", "Tệp rỗng"),
    ("damaged zip", lambda ok: b"PK\x03\x04" + b"\x00" * 200, "bị hỏng"),
    ("other zip", lambda ok: _zip({"word/document.xml": b"<w/>"}), "chương trình khác"),
    ("missing sheet", lambda ok: edit(ok, _drop_sheet(MEMBERS)), "Tệp thiếu trang: “Thành viên”"),
    (
        "missing column",
        lambda ok: edit(ok, _drop_column("water_source")),
        "thiếu cột: “Nguồn nước sinh hoạt”",
    ),
    ("duplicate column", lambda ok: edit(ok, _duplicate_header), "xuất hiện hai lần"),
    ("no data", lambda ok: edit(ok, _no_rows), "không có dòng dữ liệu nào"),
]


@pytest.mark.parametrize(("case", "make", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_files_are_refused_with_a_message(cast, round_, case, make, message):
    ok = xlsx(*base(), round_)
    job = rejected(cast.officer, round_, make(ok))
    error = find(job, message)
    assert error["row"] is None
    assert job.summary["error_count"] == 1
    assert not job.result  # nothing to annotate: the file as a whole


def test_too_large_file(cast, round_, monkeypatch):
    monkeypatch.setattr("reports.imports.files.MAX_BYTES", 1000)
    job = rejected(cast.officer, round_, xlsx(*base(), round_))
    find(job, "lớn hơn 20 MB")


def test_too_many_rows(cast, round_, monkeypatch):
    monkeypatch.setattr("reports.imports.columns.MAX_ROWS", 1)
    job = rejected(cast.officer, round_, xlsx(*base(), round_))
    assert find(job, "hơn 50.000 dòng")["sheet"] == HOUSEHOLDS


def test_formula_and_merged_cells(cast, round_):
    def change(wb):
        ws = wb[HOUSEHOLDS]
        ws[f"{letter('income_per_person')}2"] = "=1000000*2"
        ws.merge_cells(f"{letter('village')}3:{letter('address')}3")

    job = rejected(cast.officer, round_, edit(xlsx(*base(), round_), change))
    formula = find(job, "Ô chứa công thức")
    assert (formula["sheet"], formula["row"], formula["column"]) == (
        HOUSEHOLDS, 2, letter("income_per_person"),
    )  # fmt: skip
    merged = find(job, "Ô bị gộp")
    assert (merged["sheet"], merged["row"], merged["column"]) == (HOUSEHOLDS, 3, letter("village"))


# --- cells ----------------------------------------------------------------------------------------


def _hh(n: int, **over):
    def change(households, members):
        households[n].update(over)

    return change


def _mb(n: int, **over):
    def change(households, members):
        members[n].update(over)

    return change


def _drop_members_of(code):
    def change(households, members):
        members[:] = [m for m in members if m["household"] != code]

    return change


def _add_member(**over):
    def change(households, members):
        members.append(mb(**over))

    return change


def _duplicate_household(households, members):
    households.append(hh("N1", village="Thôn 9"))


LONG = "x" * 101

# (case, change, sheet, row, key, message)
BAD_CELLS = [
    ("commune code", _hh(0, commune="2148"), HOUSEHOLDS, 2, "commune", "Mã xã gồm đúng 5 chữ số"),
    ("unknown commune", _hh(0, commune="99999"), HOUSEHOLDS, 2, "commune", "Không có xã mã 99999"),
    ("commune outside scope", _hh(1, commune="21220"), HOUSEHOLDS, 3, "commune",
     "Bạn không được nhập liệu cho"),
    ("blank commune", _hh(0, commune=None), HOUSEHOLDS, 2, "commune", "Nhập mã xã."),
    ("blank code", _hh(1, code=None), HOUSEHOLDS, 3, "code", "Trường này là bắt buộc."),
    ("duplicate code", _duplicate_household, HOUSEHOLDS, 4, "code", "Mã hộ N1 trùng với dòng 2"),
    ("blank village", _hh(0, village=None), HOUSEHOLDS, 2, "village", "Trường này là bắt buộc."),
    ("long village", _hh(0, village=LONG), HOUSEHOLDS, 2, "village", "tối đa 100 kí tự"),
    ("income as words", _hh(0, income_per_person="nhiều"), HOUSEHOLDS, 2, "income_per_person",
     "Nhập một số nguyên"),
    ("negative income", _hh(0, income_per_person=-5), HOUSEHOLDS, 2, "income_per_person",
     "Thu nhập không được là số âm."),
    ("no income", _hh(1, income_per_person=None), HOUSEHOLDS, 3, "income_per_person",
     "Nhập thu nhập bình quân đầu người hoặc tổng thu nhập của hộ."),
    ("income fraction", _hh(0, income_per_person=1500000.5), HOUSEHOLDS, 2, "income_per_person",
     "Nhập một số nguyên"),
    ("B1 score", _hh(0, b1_score=2000), HOUSEHOLDS, 2, "b1_score", "Điểm B1 phải từ 0 đến 1.000."),
    ("floor area zero", _hh(0, floor_area=0), HOUSEHOLDS, 2, "floor_area",
     "Diện tích nhà ở phải lớn hơn 0."),
    ("floor area decimals", _hh(0, floor_area=36.125), HOUSEHOLDS, 2, "floor_area",
     "2 chữ số thập phân"),
    ("water label", _hh(1, water_source="Nước giếng"), HOUSEHOLDS, 3, "water_source",
     "“Nước giếng” không có trong danh sách"),
    ("blank yes/no", _hh(0, walls_durable=None), HOUSEHOLDS, 2, "walls_durable",
     "Nhập Có hoặc Không"),
    ("wrong yes/no", _hh(0, roof_durable="Chắc"), HOUSEHOLDS, 2, "roof_durable",
     "Nhập Có hoặc Không"),
    ("date in a flag", _hh(0, is_farm_household=dt.date(2020, 1, 1)), HOUSEHOLDS, 2,
     "is_farm_household", "Nhập Có hoặc Không"),
    ("device label", _hh(0, devices="Ti vi; Máy fax"), HOUSEHOLDS, 2, "devices",
     "“Máy fax” không có trong danh sách"),
    ("no members", _drop_members_of("N2"), HOUSEHOLDS, 3, "code", "chưa có thành viên nào"),
    ("no head", _mb(2, relation="Con"), HOUSEHOLDS, 3, "code", "Hộ phải có đúng một chủ hộ."),
    ("two heads", _mb(1, relation="Chủ hộ"), MEMBERS, 3, "relation",
     "Hộ phải có đúng một chủ hộ."),
    ("member of no household", _add_member(code="X9"), MEMBERS, 5, "household",
     "Mã hộ X9 không có trên trang “Hộ”"),
    ("blank name", _mb(0, full_name=None), MEMBERS, 2, "full_name", "Nhập họ và tên."),
    ("sex label", _mb(0, sex="Trai"), MEMBERS, 2, "sex", "“Trai” không có trong danh sách"),
    ("impossible date", _mb(0, birth_date="31/02/1980"), MEMBERS, 2, "birth_date",
     "Nhập ngày theo dạng dd/mm/yyyy"),
    ("number as date", _mb(0, birth_date=1980), MEMBERS, 2, "birth_date",
     "Nhập ngày theo dạng dd/mm/yyyy"),
    ("future birth", _mb(1, birth_date=dt.date(2030, 1, 1)), MEMBERS, 3, "birth_date",
     "Ngày sinh không được sau ngày hôm nay."),
    ("short citizen ID", _mb(0, citizen_id="05108500010"), MEMBERS, 2, "citizen_id",
     "phải gồm đúng 12 chữ số"),
    ("citizen ID as a number", _mb(0, citizen_id=51085000101), MEMBERS, 2, "citizen_id",
     "mất số 0 ở đầu"),
    ("citizen ID twice in a household", _mb(1, citizen_id="051085000101"), MEMBERS, 3,
     "citizen_id", "Hai thành viên trong hộ không thể có cùng số định danh."),
    ("citizen ID in two households", _mb(2, citizen_id="051085000101"), MEMBERS, 4,
     "citizen_id", "trùng với dòng 2 (hộ N1)"),
    ("insurance blank", _mb(0, has_health_insurance=None), MEMBERS, 2, "has_health_insurance",
     "Nhập Có hoặc Không"),
    ("education label", _mb(0, education_level="Lớp 12"), MEMBERS, 2, "education_level",
     "không có trong danh sách"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "change", "sheet", "row", "key", "message"),
    BAD_CELLS,
    ids=[c[0] for c in BAD_CELLS],
)
def test_bad_cells_are_reported_at_their_place(
    cast, round_, case, change, sheet, row, key, message
):
    households, members = base()
    change(households, members)
    job = rejected(cast.officer, round_, xlsx(households, members, round_))
    error = find(job, message)
    assert (error["sheet"], error["row"], error["column"]) == (sheet, row, letter(key, sheet))
    assert error["header"]
    assert job.result  # the annotated workbook


def test_citizen_id_of_someone_in_another_household(cast, round_):
    register(cast.officer, unit("21484"), members=[member(citizen_id="051085000102")])
    job = rejected(cast.officer, round_, xlsx(*base(), round_))
    error = find(job, "Số định danh 051085000102 đã thuộc về một người ở hộ khác.")
    assert (error["sheet"], error["row"], error["column"]) == (
        MEMBERS, 4, letter("citizen_id", MEMBERS),
    )  # fmt: skip


def test_column_the_round_does_not_use(cast, round_):
    def change(wb):
        ws = wb[HOUSEHOLDS]
        column = ws.max_column + 1
        ws.cell(row=1, column=column, value="Sử dụng dịch vụ số")
        ws.cell(row=2, column=column, value="Có")

    job = rejected(cast.officer, round_, edit(xlsx(*base(), round_), change))
    error = find(job, "không có chỉ số này")
    assert (error["row"], error["column"]) == (2, get_column_letter(len(letter_keys()) + 1))


def letter_keys():
    return [c.key for c in C.HOUSEHOLD_COLUMNS if not c.indicator]


def test_every_error_is_reported_at_once(cast, round_):
    households, members = base()
    households[0]["water_source"] = "Nước giếng"
    members[2]["birth_date"] = "31/02/1980"
    households[1]["commune"] = "21220"
    job = rejected(cast.officer, round_, xlsx(households, members, round_))
    assert job.summary["error_count"] == 3
    assert [(e["sheet"], e["row"]) for e in job.summary["errors"]] == [
        (HOUSEHOLDS, 2), (HOUSEHOLDS, 3), (MEMBERS, 4),
    ]  # fmt: skip


# --- the error report ---------------------------------------------------------------------------


def test_annotated_workbook_has_an_error_column_and_red_cells(cast, round_):
    households, members = base()
    households[1]["water_source"] = "Nước giếng"
    members[0]["birth_date"] = "31/02/1980"
    job = rejected(cast.officer, round_, xlsx(households, members, round_))
    with job.result.open("rb") as handle:
        workbook = openpyxl.load_workbook(handle)
    ws = workbook[HOUSEHOLDS]
    error_column = ws.max_column
    assert ws.cell(row=1, column=error_column).value == "Lỗi"
    assert ws.cell(row=1, column=error_column).font.b  # loaded normally: styled
    assert "Nước giếng" in ws.cell(row=3, column=error_column).value
    assert ws.cell(row=2, column=error_column).value is None
    assert ws[f"{letter('water_source')}3"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws[f"{letter('village')}3"].fill.fill_type is None
    members_ws = workbook[MEMBERS]
    assert "dd/mm/yyyy" in members_ws.cell(row=2, column=members_ws.max_column).value
    assert members_ws[f"{letter('birth_date', MEMBERS)}2"].fill.fgColor.rgb == "FFFFC7CE"


def test_fixed_error_report_can_be_uploaded_again(cast, round_):
    households, members = base()
    households[1]["water_source"] = "Nước giếng"
    job = rejected(cast.officer, round_, xlsx(households, members, round_))
    with job.result.open("rb") as handle:
        report = handle.read()

    def fix(wb):
        wb[HOUSEHOLDS][f"{letter('water_source')}3"] = "Giếng khoan"

    job = validate(cast.officer, round_, edit(report, fix))
    assert job.status == JobStatus.VALIDATED, job.summary.get("errors")
    assert job.summary["counts"]["new"] == 2


# --- the template ---------------------------------------------------------------------------------


def test_template_sheets_drop_downs_and_readme(cast, round_):
    workbook = openpyxl.load_workbook(io.BytesIO(template.build(user=cast.officer, round_=round_)))
    assert workbook.sheetnames[:3] == [HOUSEHOLDS, MEMBERS, "Hướng dẫn"]
    assert workbook["Danh mục"].sheet_state == "hidden"
    ws = workbook[HOUSEHOLDS]
    headers = [c.value for c in ws[1]]
    assert headers[:2] == ["Mã xã", "Mã hộ"]
    assert "Sử dụng dịch vụ số" not in headers  # Decree 07/2021 in the 2026 review
    validated = {str(dv.sqref).split(":")[0] for dv in ws.data_validations.dataValidation}
    assert f"{letter('water_source')}2" in validated
    assert f"{letter('commune')}2" in validated
    members_ws = workbook[MEMBERS]
    member_validated = {
        str(dv.sqref).split(":")[0] for dv in members_ws.data_validations.dataValidation
    }
    assert f"{letter('relation', MEMBERS)}2" in member_validated
    readme = "\n".join(
        str(c.value) for row in workbook["Hướng dẫn"].iter_rows() for c in row if c.value
    )
    for column in (*C.HOUSEHOLD_COLUMNS, *C.MEMBER_COLUMNS):
        if not column.indicator:
            assert str(column.header) in readme
    assert "Giếng đào được bảo vệ" in readme
    assert "21484" in readme and "21220" not in readme  # the officer's commune only


def test_template_of_a_2027_round_has_the_new_indicators(cast):
    round_ = open_round(cast.admin, 2027)
    workbook = openpyxl.load_workbook(io.BytesIO(template.build(user=cast.admin, round_=round_)))
    headers = [c.value for c in workbook[HOUSEHOLDS][1]]
    assert "Sử dụng dịch vụ số" in headers and "Rác thải được thu gom, xử lý" in headers


def test_filled_template_reads_back(cast, round_):
    """The template as downloaded, filled in a spreadsheet program, then uploaded."""
    content = template.build(user=cast.officer, round_=round_)
    households, members = base()

    def fill(wb):
        for sheet, rows in ((HOUSEHOLDS, households), (MEMBERS, members)):
            ws = wb[sheet]
            keys = [C.key(c.value) for c in ws[1]]
            spec = C.HOUSEHOLD_COLUMNS if sheet == HOUSEHOLDS else C.MEMBER_COLUMNS
            by_header = {C.key(c.header): c.key for c in spec}
            for row in rows:
                ws.append([row.get(by_header[k]) for k in keys])

    job = validate(cast.officer, round_, edit(content, fill))
    assert job.status == JobStatus.VALIDATED, job.summary.get("errors")
    assert job.summary["rows"] == {"households": 2, "members": 3}


@pytest.mark.parametrize("limit", ["NORMAL_LOAD_ROWS", "NORMAL_LOAD_BYTES"])
def test_error_report_of_a_big_file_is_streamed(cast, round_, monkeypatch, limit):
    monkeypatch.setattr(f"reports.imports.files.{limit}", 0)
    households, members = base()
    households[1]["water_source"] = "Nước giếng"
    job = rejected(cast.officer, round_, xlsx(households, members, round_))
    with job.result.open("rb") as handle:
        workbook = openpyxl.load_workbook(handle)
    ws = workbook[HOUSEHOLDS]
    error_column = len(letter_keys()) + 1
    assert ws.cell(row=1, column=error_column).value == "Lỗi"
    assert not ws.cell(row=1, column=error_column).font.b  # copied as values: no bold header
    assert "Nước giếng" in ws.cell(row=3, column=error_column).value
    assert ws[f"{letter('water_source')}3"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws[f"{letter('code')}3"].value == "N2"  # the values are all there
    assert workbook[MEMBERS].cell(row=4, column=2).value == "Trần Văn Cường"


@pytest.mark.parametrize("streamed", [False, True])
def test_error_report_never_turns_text_into_a_formula(cast, round_, monkeypatch, streamed):
    if streamed:
        monkeypatch.setattr("reports.imports.files.NORMAL_LOAD_ROWS", 0)
    households, members = base()
    households[0]["address"] = '=HYPERLINK("http://example.invalid","bấm")'
    households[1]["water_source"] = '=HYPERLINK("http://example.invalid","x")'

    def as_text(wb):  # typed as text (a formula would be refused as such)
        for row in (2, 3):
            for key in ("address", "water_source"):
                cell = wb[HOUSEHOLDS][f"{letter(key)}{row}"]
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"

    job = rejected(cast.officer, round_, edit(xlsx(households, members, round_), as_text))
    find(job, "không có trong danh sách")
    with job.result.open("rb") as handle:
        workbook = openpyxl.load_workbook(handle)
    for row in workbook[HOUSEHOLDS].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
