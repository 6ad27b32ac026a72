"""Browser journey: a commune officer imports surveys from Excel: template, a file with two errors,
the corrected file, the preview, confirm, and the households in the round's list."""

import copy
import datetime as dt

import openpyxl
import pytest

from households.models import Survey
from reports.imports import columns as C
from tests.households.factories import open_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOUSEHOLDS = [
    {"commune": "21484", "code": "BT-0101", "village": "Thôn Gò Khôn", "income_per_person": 900000,
     "walls_durable": "Không", "columns_durable": "Không", "roof_durable": "Có", "floor_area": 30,
     "water_source": "Nước sông, suối, ao, hồ", "has_hygienic_latrine": "Không",
     "uses_internet": "Không", "devices": "Radio", "causes": "Thiếu vốn; Thiếu đất sản xuất",
     "needs": "Vay vốn tín dụng"},
    {"commune": "21484", "code": "BT-0102", "village": "Thôn Gò Khôn", "income_per_person": 4000000,
     "walls_durable": "Có", "columns_durable": "Có", "roof_durable": "Có", "floor_area": 80,
     "water_source": "Nước giếng", "has_hygienic_latrine": "Có", "uses_internet": "Có",
     "devices": "Ti vi; Điện thoại thông minh"},
]  # fmt: skip
MEMBERS = [
    {"household": "BT-0101", "full_name": "Đinh Văn Lía", "sex": "Nam",
     "birth_date": dt.date(1975, 4, 2), "relation": "Chủ hộ", "ethnicity": "Hrê",
     "has_health_insurance": "Có", "schooling": "Không đi học",
     "education_level": "Tiểu học", "employment": "Tự làm (nông nghiệp, buôn bán...)"},
    {"household": "BT-0102", "full_name": "Trần Thị Hoa", "sex": "Nữ", "birth_date": "31/02/1980",
     "relation": "Chủ hộ", "ethnicity": "Kinh", "citizen_id": "051180000777",
     "has_health_insurance": "Có", "schooling": "Không đi học",
     "education_level": "Trung học phổ thông",
     "employment": "Làm công ăn lương, có hợp đồng lao động"},
]  # fmt: skip


def fill(path, households, members):
    """What the officer does in Excel: type the rows under the template's headers."""
    workbook = openpyxl.load_workbook(path)
    for title, spec, rows in (
        ("Hộ", C.HOUSEHOLD_COLUMNS, households),
        ("Thành viên", C.MEMBER_COLUMNS, members),
    ):
        ws = workbook[title]
        by_header = {C.key(c.header): c.key for c in spec}
        keys = [by_header.get(C.key(cell.value)) for cell in ws[1]]
        for row in rows:
            ws.append([row.get(k) if k else None for k in keys])
    workbook.save(path)


@pytest.fixture
def round_(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return open_round(cast.admin, 2026)


def test_officer_imports_surveys_from_excel(page, login, live_server, round_, tmp_path):
    from playwright.sync_api import expect

    households, members = copy.deepcopy(HOUSEHOLDS), copy.deepcopy(MEMBERS)

    login("officer")
    page.goto(f"{live_server.url}/ho/")
    page.get_by_test_id("import-excel").click()
    expect(page.locator("h1")).to_have_text("Nhập phiếu rà soát từ Excel")
    with page.expect_download() as download:
        page.get_by_test_id(f"template-{round_.pk}").click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)

    # a file with two errors: an unknown water source, an impossible birth date
    wrong = tmp_path / "phieu-loi.xlsx"
    wrong.write_bytes(template.read_bytes())
    fill(wrong, households, members)
    page.set_input_files("input[name=file]", str(wrong))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("import-rejected")).to_contain_text("2 lỗi")
    errors = page.get_by_test_id("error-list").locator("tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("Hộ")
    expect(errors.nth(0).locator("td").nth(1)).to_have_text("3")
    expect(errors.nth(0)).to_contain_text("Q · Nguồn nước sinh hoạt")
    expect(errors.nth(0)).to_contain_text("“Nước giếng” không có trong danh sách")
    expect(errors.nth(1)).to_contain_text("Thành viên")
    expect(errors.nth(1).locator("td").nth(1)).to_have_text("3")
    expect(errors.nth(1)).to_contain_text("D · Ngày sinh")
    expect(errors.nth(1)).to_contain_text("dd/mm/yyyy")
    assert not Survey.objects.filter(household__code__startswith="BT-").exists()

    # corrected, uploaded again from the rejected file's page
    households[1]["water_source"] = "Giếng khoan"
    members[1]["birth_date"] = "28/02/1980"
    fixed = tmp_path / "phieu.xlsx"
    fixed.write_bytes(template.read_bytes())
    fill(fixed, households, members)
    page.get_by_test_id("upload-again").click()
    page.set_input_files("input[name=file]", str(fixed))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("import-validated")).to_be_visible()
    expect(page.get_by_test_id("count-new")).to_have_text("2")
    expect(page.get_by_test_id("preview-sample")).to_contain_text("Đinh Văn Lía")
    expect(page.locator('tr[data-household="BT-0101"]')).to_contain_text("Hộ nghèo")

    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("import-done")).to_be_visible()
    page.get_by_test_id("to-list").click()
    first = page.locator('tr[data-household="BT-0101"]')
    expect(first).to_contain_text("Đinh Văn Lía")
    expect(first).to_contain_text("Hộ nghèo")
    expect(page.locator('tr[data-household="BT-0102"]')).to_contain_text("Trần Thị Hoa")
    assert Survey.objects.get(household__code="BT-0102").poverty_class == "none"


def test_page_follows_a_check_running_on_a_worker(
    page, login, live_server, round_, celery_eager, tmp_path
):
    """With a worker (services mode) the upload returns at once; the page polls the job and shows
    the preview when the check is done."""
    from playwright.sync_api import expect

    from reports.imports import services, template
    from reports.models import Job

    path = tmp_path / "phieu.xlsx"
    path.write_bytes(
        template.write_rows(
            [{**HOUSEHOLDS[0], "code": "BT-0201"}],
            [{**MEMBERS[0], "household": "BT-0201"}],
            standard=round_.get_standard(),
        )
    )
    celery_eager.conf.task_always_eager = False  # queued in memory: no worker picks it up
    login("officer")
    page.goto(f"{live_server.url}/nhap-phieu/")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_test_id("upload").click()
    expect(page.locator("#job-progress")).to_have_attribute("data-status", "queued")
    services.import_validate(job_id=Job.objects.get().pk)  # what the worker does
    expect(page.get_by_test_id("import-validated")).to_be_visible()
    expect(page.get_by_test_id("count-new")).to_have_text("1")
