"""Browser journey of the funds: district staff allocate part of their commune's plan line to an
approved livelihood project and record disbursements (one refused, over the allocation, with the
amount left); the provincial leader's dashboard shows the year's disbursement rate, the same as
the summary page; the pages fit a 390 px phone.

``FINANCE_SCREENS=docs/screens`` saves finance-desktop.png and finance-phone.png there."""

import os
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

from finance import services
from indicators.services import indicators_load, rollup_start
from projects.loading import program_load
from tests.conftest import unit
from tests.e2e.test_phone_width import OVERFLOW
from tests.households.factories import open_round
from tests.projects.factories import approved, component, households, proposal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def funds(cast):
    program_load()  # a transactional test starts from a flushed database
    indicators_load()
    ba_to = unit("21484")
    round_ = open_round(cast.admin, 2026)
    project = approved(
        proposal(cast.officer, [ba_to], households(cast.officer, ba_to, 2)),
        cast.officer,
        cast.district,
    )
    plan = services.plan_create(
        by=cast.admin, year=2026, component=component("3.1"), unit=ba_to,
        source="local_budget", amount=100_000_000, decision_ref="15/QĐ-UBND",
    )  # fmt: skip
    rollup_start(round_=round_)  # outside a transaction: runs at once (eager tasks)
    return {"plan": plan, "project": project, "round": round_}


def test_allocate_disburse_and_read_the_rate(cast, funds, page, login, live_server, browser):
    try:
        journey(funds, page, login, live_server, browser)
    finally:
        connections.close_all()  # the body read the database while the browser ran


def journey(funds, page, login, live_server, browser):
    from playwright.sync_api import expect

    screens = os.environ.get("FINANCE_SCREENS")
    project = funds["project"]

    # --- district staff allocate to the project ------------------------------------------------
    login("district")
    page.get_by_test_id("nav-program").click()  # the menu's "Chương trình"
    page.get_by_role("link", name="Vốn", exact=True).click()
    page.get_by_test_id("plan-table").get_by_role("link", name="Tiểu dự án 3.1").click()
    expect(page.get_by_test_id("plan-remaining")).to_have_text("100.000.000 đ")
    form = page.get_by_test_id("allocation-form")
    form.get_by_label("hoặc cho dự án sinh kế").select_option(
        label=f"{project.code} · {project.title}"
    )
    form.get_by_label("Số vốn phân bổ (đồng)").fill("120.000.000")
    form.get_by_label("Ngày phân bổ").fill("02/03/2026")
    form.get_by_role("button", name="Phân bổ").click()
    expect(page.get_by_text("Vượt kế hoạch vốn: còn lại 100.000.000 đ")).to_be_visible()
    form = page.get_by_test_id("allocation-form")
    form.get_by_label("Số vốn phân bổ (đồng)").fill("40.000.000")
    form.get_by_role("button", name="Phân bổ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(project.code)

    # --- and record disbursements ---------------------------------------------------------------
    form = page.get_by_test_id("disbursement-form")
    form.get_by_label("Ngày giải ngân").fill("01/04/2026")
    form.get_by_label("Số tiền giải ngân (đồng)").fill("50.000.000")
    form.get_by_label("Nội dung chi (giải ngân cho việc gì)").fill("Mua bò giống đợt 1")
    form.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_text("Vượt số vốn đã phân bổ: còn lại 40.000.000 đ")).to_be_visible()
    form = page.get_by_test_id("disbursement-form")
    form.get_by_label("Số tiền giải ngân (đồng)").fill("30.000.000")
    form.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_test_id("allocation-remaining")).to_have_text("10.000.000 đ")
    expect(page.get_by_test_id("disbursement-table")).to_contain_text("Mua bò giống đợt 1")
    allocation_url = page.url

    # --- the leader's dashboard shows the disbursement rate -------------------------------------
    page.context.clear_cookies()
    login("leader")
    page.goto(f"{live_server.url}{reverse('dashboard')}?round={funds['round'].pk}")
    panel = page.get_by_test_id("funds-panel")
    expect(panel).to_contain_text("Giải ngân vốn năm 2026")
    expect(panel.get_by_test_id("funds-rate")).to_have_text("30,00 %")
    expect(panel.get_by_test_id("funds-disbursed")).to_have_text("30.000.000 đ")
    panel.get_by_role("link", name="Chi tiết giải ngân").click()
    expect(page.get_by_test_id("sum-rate")).to_have_text("30,00 %")
    expect(page.get_by_test_id("funds-component")).to_contain_text("3.1")
    if screens:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(Path(screens) / "finance-desktop.png"), full_page=True)

    # --- on a phone ------------------------------------------------------------------------------
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    try:
        small = phone.new_page()
        small.set_default_timeout(15_000)
        small.context.add_cookies(page.context.cookies())
        for url in (
            reverse("finance_plan_list"),
            reverse("finance_summary"),
            reverse("finance_plan_detail", args=[funds["plan"].pk]),
            allocation_url.removeprefix(live_server.url),
        ):
            small.goto(f"{live_server.url}{url}")
            measured = small.evaluate(OVERFLOW)
            assert measured["scroll"] <= measured["client"], (url, measured)
        if screens:
            small.screenshot(path=str(Path(screens) / "finance-phone.png"), full_page=True)
    finally:
        phone.close()
