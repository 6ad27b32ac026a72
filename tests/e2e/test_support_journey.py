"""Browser journey (issue 13): a commune officer assigns a helper to a poor household, records a
visit, a plan item from the household's needs and the support it received, and the household
page shows needs → plan → support received.

Screenshots of the section (desktop and a 390 px phone):
``SUPPORT_SCREENS=docs/screens pytest tests/e2e/test_support_journey.py``."""

import os
import re
from pathlib import Path

import pytest
from django.db import connections

from households.models import Survey
from support.models import HelperAssignment, SupportPlanItem, SupportRecord, Visit
from tests.conftest import unit
from tests.households.factories import POOR_FIELDS, member, open_round, register, save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def poor_household(cast):
    round_ = open_round(cast.admin, 2026)
    household = register(
        cast.officer, unit("21484"), members=[member("Đinh Văn Khó"), member("Đinh Thị Bé",
                                                                           relation="child")]
    )  # fmt: skip
    save(cast.officer, Survey.objects.get(household=household, round=round_), **POOR_FIELDS,
         needs=",housing,health,", causes=",land,capital,")  # fmt: skip
    return household


def test_officer_assigns_a_helper_records_a_visit_and_a_support(
    cast, page, login, live_server, poor_household
):
    from playwright.sync_api import expect

    household = poor_household
    try:
        login("officer")
        detail = f"{live_server.url}/ho/{household.pk}/"
        page.goto(detail)
        section = page.get_by_test_id("household-support")
        expect(section).to_contain_text("Nhu cầu chưa có trong kế hoạch")

        section.get_by_role("link", name="Phân công người giúp đỡ").click()
        page.fill("#id_helper_name", "Phạm Văn Giúp")
        page.fill("#id_organisation", "Đảng ủy xã")
        page.fill("#id_position", "đảng viên")
        page.fill("#id_starts_on", "01/10/2026")
        page.fill("#id_ends_on", "01/09/2026")  # before the start: refused, nothing saved
        page.get_by_role("button", name="Lưu").click()
        expect(page.locator("body")).to_contain_text("Ngày kết thúc phải sau hoặc bằng")
        assert not HelperAssignment.objects.exists()
        page.fill("#id_ends_on", "")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(rf"/ho/{household.pk}/"))
        expect(section).to_contain_text("Phạm Văn Giúp")

        section.get_by_role("link", name="Ghi lần thăm hộ").click()
        page.fill("#id_visited_on", "15/10/2026")
        page.fill("#id_note", "Hướng dẫn gia đình làm hồ sơ hỗ trợ nhà ở")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(rf"/ho/{household.pk}/"))
        expect(section).to_contain_text("Hướng dẫn gia đình làm hồ sơ hỗ trợ nhà ở")

        section.get_by_role("link", name="Thêm kế hoạch hỗ trợ").click()
        page.select_option("#id_need", "housing")
        page.select_option("#id_kind", label="Hỗ trợ nhà ở (căn)")
        page.fill("#id_action", "Hỗ trợ sửa chữa nhà ở")
        page.fill("#id_due_on", "31/12/2026")
        page.fill("#id_responsible", "UBND xã")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(rf"/ho/{household.pk}/"))
        expect(section.get_by_test_id("support-plan")).to_contain_text("Hỗ trợ sửa chữa nhà ở")

        section.get_by_role("link", name="Ghi hỗ trợ đã nhận").click()
        page.select_option("#id_kind", label="Hỗ trợ nhà ở (căn)")
        page.fill("#id_received_on", "20/11/2026")
        page.select_option("#id_source", "central")
        page.fill("#id_amount", "40.000.000")
        page.select_option("#id_plan_item", index=1)
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(rf"/ho/{household.pk}/"))
        expect(section.get_by_test_id("support-records")).to_contain_text("40.000.000")
        expect(section.get_by_test_id("support-plan")).to_contain_text("1 lần hỗ trợ đã nhận")

        assert Visit.objects.count() == 1
        assert SupportPlanItem.objects.get().status == "done"
        assert SupportRecord.objects.get().amount == 40_000_000

        screens = os.environ.get("SUPPORT_SCREENS")
        if screens:
            page.set_viewport_size({"width": 1280, "height": 900})
            section.screenshot(path=str(Path(screens) / "support-household.png"))
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(f"{detail}#ho-tro")
            section.screenshot(path=str(Path(screens) / "support-household-phone.png"))
        # the commune's list counts the household as helped, planned and supported
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/ho-tro/")
        expect(page.get_by_test_id("support-summary")).to_contain_text("(100%)")
    finally:
        connections.close_all()
