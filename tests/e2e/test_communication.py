"""Browser journey of project 6: the commune officer records a communication activity from the
menu (a negative reach is refused with a message), finds it in the list with the totals and in the
summary by unit; the pages fit a 390 px phone.

``COMMUNICATION_SCREENS=docs/screens`` saves communication-desktop.png and
communication-phone.png there."""

import os
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

from communication.models import Activity
from tests.conftest import unit
from tests.e2e.test_phone_width import OVERFLOW

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_records_an_activity(cast, page, login, live_server, browser):
    try:
        journey(page, login, live_server, browser)
    finally:
        connections.close_all()  # the body read the database while the browser ran


def journey(page, login, live_server, browser):
    from playwright.sync_api import expect

    screens = os.environ.get("COMMUNICATION_SCREENS")
    ba_to = unit("21484")
    login("officer")
    page.get_by_test_id("nav-program").click()  # the menu's "Chương trình"
    page.locator("#nav").get_by_role("link", name="Truyền thông", exact=True).click()
    page.get_by_role("link", name="Ghi hoạt động").click()
    page.get_by_label("Loại hoạt động").select_option(label="Hội nghị, đối thoại chính sách (6.2)")
    page.get_by_label("Ngày thực hiện").fill("12/03/2026")
    page.get_by_label("Đơn vị thực hiện").select_option(label=ba_to.label)
    page.get_by_label("Tên hoạt động").fill("Đối thoại chính sách với hộ nghèo thôn 2")
    page.get_by_label("Hộ nghèo, hộ cận nghèo").check()
    page.get_by_label("Số người tham dự, tiếp cận").fill("-5")
    page.get_by_label("Số sản phẩm, tài liệu (tờ rơi, tin bài, thiết bị …)").fill("120")
    page.get_by_label("Kinh phí (đồng)").fill("4500000")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".invalid-feedback, .errorlist").first).to_be_visible()
    assert not Activity.objects.exists()
    page.get_by_label("Số người tham dự, tiếp cận").fill("85")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đối thoại chính sách với hộ nghèo thôn 2"
    )
    expect(page.get_by_text("4.500.000")).to_be_visible()
    page.get_by_test_id("nav-program").click()
    page.locator("#nav").get_by_role("link", name="Truyền thông", exact=True).click()
    expect(page.get_by_test_id("communication-table")).to_contain_text("Đối thoại chính sách")
    expect(page.get_by_test_id("communication-totals")).to_contain_text("85")
    page.get_by_role("link", name="Tổng hợp theo đơn vị").click()
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("communication-summary")).to_contain_text(ba_to.label)
    if screens:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(Path(screens) / "communication-desktop.png"), full_page=True)
    detail = reverse("communication_detail", args=[Activity.objects.get().pk])

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    try:
        small = phone.new_page()
        small.set_default_timeout(15_000)
        small.context.add_cookies(page.context.cookies())
        for url in (
            reverse("communication_list"),
            f"{reverse('communication_summary')}?year=2026",
            reverse("communication_create"),
            detail,
        ):
            small.goto(f"{live_server.url}{url}")
            measured = small.evaluate(OVERFLOW)
            assert measured["scroll"] <= measured["client"], (url, measured)
        if screens:
            small.goto(f"{live_server.url}{reverse('communication_list')}")
            small.screenshot(path=str(Path(screens) / "communication-phone.png"), full_page=True)
    finally:
        phone.close()
