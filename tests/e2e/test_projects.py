"""Browser journey of a livelihood project: the commune officer proposes it with participants,
district staff return it with a comment, the officer fixes and resubmits, district staff approve
it; a commune officer of another district cannot open it."""

import re

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from projects.loading import program_load
from projects.models import Project
from tests.conftest import unit
from tests.projects.factories import households

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the uploaded minutes stay out of var/


@pytest.fixture
def ba_to_households(cast):
    program_load()  # a transactional test starts from a flushed database
    return households(cast.officer, unit("21484"), 4)


def switch_user(page, login, username):
    page.context.clear_cookies()
    login(username)


def open_project(page, live_server, project):
    page.goto(f"{live_server.url}/du-an/{project.pk}/")


def test_propose_return_fix_resubmit_approve(cast, ba_to_households, page, login, live_server):
    try:
        journey(ba_to_households, page, login, live_server)
    finally:
        # The body reads the database while the browser runs; on PostgreSQL that connection
        # stays open after the test unless closed here, and the test database cannot be dropped.
        connections.close_all()


def journey(ba_to_households, page, login, live_server):
    # --- the commune officer proposes ---------------------------------------------------------
    login("officer")
    page.get_by_role("link", name="Dự án sinh kế").click()
    page.get_by_role("link", name="Đề xuất dự án").click()
    page.get_by_label("Tên dự án").fill("Nuôi bò cái sinh sản thôn Gò Nghênh")
    page.get_by_label("Hình thức").select_option("community")
    # a project starting in 2027 belongs to the 2026-2030 period (its tree still unconfirmed)
    page.get_by_label("Thuộc dự án / tiểu dự án của Chương trình").select_option(
        label="2026-2030 · Tiểu dự án 3.1: Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp"
        " (chưa đối chiếu văn bản)"
    )
    page.get_by_label("Lĩnh vực").select_option("livestock")
    assert page.get_by_label("Xã Ba Tơ").is_checked()  # the officer's only commune
    page.get_by_label("Nhóm đề xuất").select_option("household_group")
    page.get_by_label("Tên nhóm / đơn vị chủ trì").fill("Nhóm hộ chăn nuôi thôn Gò Nghênh")
    page.get_by_label("Ngày bắt đầu").fill("01/02/2027")
    page.get_by_label("Ngày kết thúc").fill("31/12/2027")
    page.get_by_label("Biên bản họp cộng đồng").set_input_files(
        files=[
            {"name": "bien-ban-hop.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 demo"}
        ]
    )
    page.get_by_role("button", name="Lưu và sang bước 2").click()

    # --- the budget: live sums by the server, a row added without reloading, a refusal -------
    page.evaluate("window.notReloaded = true")  # gone if the page reloads
    totals = page.get_by_test_id("budget-totals")
    page.get_by_label("Tổng kinh phí (đồng)").fill("100.000.000")
    expect(totals.get_by_test_id("total-cost")).to_have_text("100.000.000 đồng")
    page.get_by_label("Ngân sách nhà nước hỗ trợ").fill("90.000.000")
    expect(totals).to_contain_text("thiếu 10.000.000 đồng")  # sources short of the total
    page.get_by_label("Đối ứng bằng tiền").fill("10.000.000")
    for label in (
        "Đối ứng bằng hiện vật",
        "Đối ứng bằng ngày công lao động",
        "Vốn tín dụng chính sách",
        "Nguồn khác",
    ):
        page.get_by_label(label).fill("0")
    page.locator("input[name='items-0-name']").fill("Bò cái giống")
    page.locator("input[name='items-0-unit']").fill("con")
    page.locator("input[name='items-0-quantity']").fill("8")
    page.locator("input[name='items-0-unit_cost']").fill("12.500.000")
    expect(totals).to_contain_text("Các khoản đã khớp với tổng kinh phí.")
    # typing then adding a row at once: the sums still follow (neither request drops the other)
    page.get_by_label("Nguồn khác").fill("1.000.000")
    page.get_by_role("button", name="Thêm dòng").click()
    expect(totals).to_contain_text("thừa 1.000.000 đồng")
    page.get_by_label("Nguồn khác").fill("0")
    page.locator("input[name='items-1-name']").fill("Thức ăn bổ sung")
    page.locator("input[name='items-1-unit']").fill("kg")
    page.locator("input[name='items-1-quantity']").fill("100")
    page.locator("input[name='items-1-unit_cost']").fill("20.000")
    expect(totals).to_contain_text("thừa 2.000.000 đồng")  # items over the total
    expect(page.locator("input[name='items-0-unit_cost']")).to_have_value("12.500.000")
    assert page.evaluate("window.notReloaded === true")
    page.get_by_role("button", name="Lưu và sang bước 3").click()
    expect(page.get_by_test_id("budget-errors")).to_contain_text(
        "Cộng thành tiền các nội dung hỗ trợ (102.000.000 đồng) phải bằng tổng kinh phí"
    )
    expect(page.locator("input[name='items-1-name']")).to_have_value("Thức ăn bổ sung")
    page.locator("input[name='items-1-DELETE']").check()  # fix: drop the extra row
    expect(totals).to_contain_text("Các khoản đã khớp với tổng kinh phí.")
    page.get_by_role("button", name="Lưu và sang bước 3").click()

    page.get_by_label("Tìm hộ theo tên chủ hộ hoặc mã hộ").fill("Chủ hộ")
    page.get_by_role("button", name="Tìm").click()
    expect(page).to_have_url(re.compile(r"[?&]q="))  # the search page, not the one before it
    page.wait_for_load_state("load")
    for household in ba_to_households:
        page.get_by_label(household.code).check()
    for household in ba_to_households:
        expect(page.get_by_label(household.code)).to_be_checked()
    page.get_by_role("button", name="Thêm các hộ đã chọn").click()
    expect(page.get_by_text("Đã thêm 4 hộ tham gia.")).to_be_visible()
    page.get_by_role("link", name="Sang bước 4: kiểm tra và gửi").click()
    expect(page.get_by_text("Hồ sơ đạt các điều kiện")).to_be_visible()
    page.get_by_role("button", name="Gửi đề xuất").click()
    expect(page.get_by_test_id("project-status")).to_have_text("Đã gửi, chờ thẩm định")
    project = Project.objects.get(title="Nuôi bò cái sinh sản thôn Gò Nghênh")
    assert project.participant_count == 4 and project.minutes_name == "bien-ban-hop.pdf"

    # --- district staff return it with a comment -----------------------------------------------
    switch_user(page, login, "district")
    page.get_by_role("link", name="Chờ phê duyệt").click()
    page.get_by_role("link", name="Nuôi bò cái sinh sản thôn Gò Nghênh").click()
    page.get_by_role("button", name="Nhận thẩm định").click()
    page.locator("form[action$='/buoc/return/'] textarea").fill(
        "Ghi rõ đối ứng ngày công của các hộ."
    )
    page.get_by_role("button", name="Trả lại (ghi rõ lý do)").click()
    expect(page.get_by_test_id("project-status")).to_have_text("Bị trả lại")

    # --- the officer fixes it and resubmits -------------------------------------------------
    switch_user(page, login, "officer")
    open_project(page, live_server, project)
    expect(
        page.get_by_test_id("timeline").get_by_text("Ghi rõ đối ứng ngày công của các hộ.")
    ).to_be_visible()
    page.get_by_role("link", name="Sửa hồ sơ").click()
    page.get_by_role("button", name="Lưu và sang bước 2").click()
    page.get_by_label("Đối ứng bằng tiền").fill("5.000.000")
    page.get_by_label("Đối ứng bằng ngày công lao động").fill("5.000.000")
    page.get_by_role("button", name="Lưu và sang bước 3").click()
    page.get_by_role("link", name="Sang bước 4: kiểm tra và gửi").click()
    page.locator("form[action$='/buoc/submit/'] textarea").fill("Đã bổ sung đối ứng ngày công.")
    page.get_by_role("button", name="Gửi đề xuất").click()
    expect(page.get_by_test_id("project-status")).to_have_text("Đã gửi, chờ thẩm định")

    # --- district staff approve it -----------------------------------------------------------
    switch_user(page, login, "district")
    page.get_by_role("link", name="Chờ phê duyệt").click()
    page.get_by_role("link", name="Nuôi bò cái sinh sản thôn Gò Nghênh").click()
    page.get_by_role("button", name="Nhận thẩm định").click()
    page.get_by_label("Số quyết định phê duyệt").fill("25/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(page.get_by_test_id("project-status")).to_have_text("Đã phê duyệt")
    project.refresh_from_db()
    assert project.status == "approved" and project.decision_number == "25/QĐ-UBND"
    assert project.counterpart_labour == 5_000_000
    actions = list(project.steps.values_list("action", flat=True))
    assert actions == ["create", "submit", "appraise", "return", "submit", "appraise", "approve"]

    # --- a commune officer of another district cannot open it ---------------------------------
    switch_user(page, login, "outsider")
    response = page.goto(f"{live_server.url}/du-an/{project.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/du-an/{project.pk}/bien-ban/")
    assert response.status == 404
