"""Browser journey of issue 13, end to end: a commune officer assigns a helper to a poor
household, records a visit and a support; district staff allocate funds to a livelihood project
and record a disbursement; the provincial leader's dashboard then shows the share of poor and
near-poor households with a helper and the disbursement rate, each equal to a count from the raw
rows. (tests/e2e/test_support_journey.py and test_finance.py try each part's refusals.)"""

import re

import pytest
from django.db import connections
from django.urls import reverse
from django.utils.formats import number_format

from finance import services as finance_services
from finance.models import Allocation, Disbursement
from households import counting
from households.models import Survey
from indicators.services import indicators_load, rollup_start
from projects.loading import program_load
from support.models import HelperAssignment
from tests.conftest import unit
from tests.households.factories import POOR_FIELDS, member, open_round, register, save
from tests.projects.factories import approved, component, households, proposal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(cast):
    program_load()  # a transactional test starts from a flushed database
    indicators_load()
    ba_to = unit("21484")
    round_ = open_round(cast.admin, 2026)
    poor = register(cast.officer, ba_to, members=[member("Đinh Văn Khó")])
    save(cast.officer, Survey.objects.get(household=poor, round=round_), **POOR_FIELDS,
         needs=",housing,", causes=",land,")  # fmt: skip
    project = approved(
        proposal(cast.officer, [ba_to], households(cast.officer, ba_to, 2)),
        cast.officer,
        cast.district,
    )
    plan = finance_services.plan_create(
        by=cast.admin, year=2026, component=component("3.1"), unit=ba_to,
        source="local_budget", amount=100_000_000, decision_ref="15/QĐ-UBND",
    )  # fmt: skip
    rollup_start(round_=round_)  # outside a transaction: runs at once (eager tasks)
    return {"round": round_, "poor": poor, "project": project, "plan": plan}


def shown(value) -> str:
    """A share as the dashboard prints it (floatformat:"-2", Vietnamese decimal comma)."""
    return f"{number_format(round(value, 2), decimal_pos=2 if value % 1 else 0)} %"


def test_helper_support_funds_and_the_leaders_dashboard(cast, world, page, login, live_server):
    from playwright.sync_api import expect

    try:
        poor, project = world["poor"], world["project"]
        # --- the commune officer: a helper, a visit, a support ---------------------------------
        login("officer")
        page.goto(f"{live_server.url}/ho/{poor.pk}/")
        section = page.get_by_test_id("household-support")
        section.get_by_role("link", name="Phân công người giúp đỡ").click()
        page.fill("#id_helper_name", "Phạm Văn Giúp")
        page.fill("#id_organisation", "Đảng ủy xã")
        page.fill("#id_starts_on", "01/10/2026")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(rf"/ho/{poor.pk}/"))
        section.get_by_role("link", name="Ghi lần thăm hộ").click()
        page.fill("#id_visited_on", "15/10/2026")
        page.fill("#id_note", "Hướng dẫn làm hồ sơ hỗ trợ nhà ở")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(rf"/ho/{poor.pk}/"))
        section.get_by_role("link", name="Ghi hỗ trợ đã nhận").click()
        page.select_option("#id_kind", label="Hỗ trợ nhà ở (căn)")
        page.fill("#id_received_on", "20/11/2026")
        page.select_option("#id_source", "central")
        page.fill("#id_amount", "40.000.000")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(rf"/ho/{poor.pk}/"))
        expect(section.get_by_test_id("support-records")).to_contain_text("40.000.000")

        # --- district staff: an allocation to the project, a disbursement ----------------------
        page.context.clear_cookies()
        login("district")
        page.goto(f"{live_server.url}{reverse('finance_plan_detail', args=[world['plan'].pk])}")
        form = page.get_by_test_id("allocation-form")
        form.get_by_label("hoặc cho dự án sinh kế").select_option(
            label=f"{project.code} · {project.title}"
        )
        form.get_by_label("Số vốn phân bổ (đồng)").fill("40.000.000")
        form.get_by_label("Ngày phân bổ").fill("02/03/2026")
        form.get_by_role("button", name="Phân bổ").click()
        form = page.get_by_test_id("disbursement-form")
        form.get_by_label("Ngày giải ngân").fill("01/04/2026")
        form.get_by_label("Số tiền giải ngân (đồng)").fill("30.000.000")
        form.get_by_label("Nội dung chi (giải ngân cho việc gì)").fill("Mua bò giống")
        form.get_by_role("button", name="Ghi nhận").click()
        expect(page.get_by_test_id("disbursement-table")).to_contain_text("Mua bò giống")

        # --- the leader's dashboard: both figures, each against the raw rows -------------------
        entries = Survey.objects.filter(
            round=world["round"], effective_class__in=(counting.POOR, counting.NEAR_POOR)
        )
        helped = entries.filter(
            household__in=HelperAssignment.objects.values("household_id")
        ).count()
        helper_share = 100 * helped / entries.count()
        allocated = sum(a.amount for a in Allocation.objects.all())
        disbursed = sum(d.amount for d in Disbursement.objects.all())
        page.context.clear_cookies()
        login("leader")
        page.goto(f"{live_server.url}{reverse('dashboard')}?round={world['round'].pk}")
        program = page.locator("tr", has_text="được phân công người giúp đỡ")
        expect(program).to_contain_text(shown(helper_share))
        rate = page.locator("tr", has_text="Tỷ lệ giải ngân vốn đã phân bổ")
        expect(rate).to_contain_text(shown(100 * disbursed / allocated))
        panel = page.get_by_test_id("funds-panel")
        expect(panel.get_by_test_id("funds-disbursed")).to_have_text("30.000.000 đ")
    finally:
        connections.close_all()  # the body read the database while the browser ran
