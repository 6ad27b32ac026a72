"""Browser journey: a provincial leader reads the 2024 targets and drills down."""

import re

import pytest

from demodata.households import demo_households_seed
from households.models import ReviewRound
from indicators.services import indicators_load, rollup_start
from indicators.targets import targets_seed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(cast):
    demo_households_seed(households=300)
    indicators_load()
    targets_seed()
    for round_ in ReviewRound.objects.filter(kind="periodic"):
        rollup_start(round_=round_)  # outside a transaction: runs at once (eager tasks)
    return ReviewRound.objects.get(kind="periodic", year=2024)


def test_leader_reads_the_2024_targets_and_drills_down(cast, page, login, live_server, demo):
    from playwright.sync_api import expect

    login("leader")
    page.goto(f"{live_server.url}/chi-tieu/?round={demo.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh Quảng Ngãi")
    targets = page.get_by_test_id("targets")
    province_row = (
        targets.locator("tr")
        .filter(has=page.get_by_role("link", name="Tỉnh Quảng Ngãi", exact=True))
        .filter(has_text="Mức giảm tỷ lệ hộ nghèo")
    )
    expect(province_row).to_contain_text("1,58–1,60")
    expect(province_row.locator("[data-status]")).to_have_attribute(
        "data-status", re.compile("met|missed")
    )  # the 2024 round is closed: official figures, met or missed
    mountain_row = targets.locator("tr").filter(
        has=page.get_by_role("link", name="Các huyện miền núi", exact=True)
    )
    expect(mountain_row).to_contain_text("6–7")

    mountain_row.get_by_role("link", name="Các huyện miền núi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Các huyện miền núi")
    expect(page.get_by_test_id("breakdown")).to_contain_text("Xã")  # its communes

    page.goto(f"{live_server.url}/chi-tieu/?round={demo.pk}")
    page.get_by_test_id("breakdown").get_by_role("link", name="Huyện Ba Tơ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huyện Ba Tơ")
    expect(page.get_by_test_id("kpi-poor_rate")).not_to_have_text("—")


def test_charts_and_map_load_after_the_page(cast, page, login, live_server, demo):
    """The chart data comes from its own URL (fetched by charts.js) and the map from htmx; a
    second visit draws them again from the browser's cache."""
    from playwright.sync_api import expect

    r26 = ReviewRound.objects.get(kind="periodic", year=2026)
    login("leader")
    loads = []
    page.on("response", lambda r: loads.append((r.url, r.status)) if "/chi-tieu/b" in r.url else 0)
    for _visit in range(2):
        page.goto(f"{live_server.url}/chi-tieu/?round={r26.pk}")
        page.wait_for_function("() => window.Chart && Chart.getChart('chart-breakdown')")
        assert page.evaluate("Chart.getChart('chart-trend').data.labels.length") >= 2
        page.get_by_test_id("map").scroll_into_view_if_needed()  # loaded when revealed
        expect(page.get_by_test_id("map").locator("svg path").first).to_be_attached()
    charts = [(url, status) for url, status in loads if "/chi-tieu/bieu-do/" in url]
    assert charts and all(status == 200 for _url, status in charts)


def test_the_dashboard_and_a_household_print_on_a4(cast, page, login, live_server, demo):
    """Print media at A4's width (794 px at 96 dpi): no navigation, forms or buttons, nothing
    wider than the page (issue 12, print)."""
    from households.models import Household

    login("leader")
    household = Household.objects.filter(commune__code="21484").first()
    page.set_viewport_size({"width": 794, "height": 1123})
    page.emulate_media(media="print")
    for url in (f"/chi-tieu/?round={demo.pk}", f"/ho/{household.pk}/"):
        page.goto(f"{live_server.url}{url}")
        assert not page.locator("nav.navbar").is_visible(), url
        assert page.locator(".btn:visible, form:visible").count() == 0, url
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 794, (url, width)
        assert page.locator("h1").first.is_visible(), url
