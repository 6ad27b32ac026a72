"""Browser check on a phone (390 × 844): no main page scrolls sideways for any role; tables that
cannot fit scroll inside their own box. On the survey the compact result bar stays in view while
the officer edits the income, fed by the server's preview; the household list's filters fold
behind a button so that the first households show at once.

With PHONE_SCREENS=<folder> the officer's dashboard, household list and survey are saved there as
PNG (viewport only): ``PHONE_SCREENS=docs/screens pytest tests/e2e/test_phone_width.py``."""

import os
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

from demodata.accounts import demo_accounts_seed
from demodata.households import demo_households_seed
from demodata.projects import projects_demo_seed
from households.models import ReviewRound, Survey
from indicators.services import indicators_load, rollup_start
from indicators.targets import targets_seed
from projects.models import Project
from tests.conftest import PASSWORD, unit
from tests.households.factories import register, save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# document wider than its window, and the elements sticking out of it that no scrolling box holds
OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth, out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let held = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const scrolls = ['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX);
      if (scrolls) { held = true; break; }
    }
    const name = `${el.tagName.toLowerCase()}.${el.classList.value}`;
    if (!held) out.push(`${name} → ${Math.round(box.right)}`);
  }
  return {scroll: root.scrollWidth, client: width, wide: out.slice(0, 5)};
}"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo projects' files stay out of var/


@pytest.fixture
def demo(cast, settings):
    """The demo data (households, rounds 2023–2026, projects in every state, models, trainings,
    targets and rollups), and one household of Xã Ba Tơ entered by the test's officer."""
    settings.DEMO_PASSWORD = "demo-mat-khau-1"  # the projects demo acts as the demo accounts
    demo_accounts_seed()
    demo_households_seed(households=300)
    projects_demo_seed()
    indicators_load()
    targets_seed()
    for round_ in ReviewRound.objects.filter(kind="periodic"):
        rollup_start(round_=round_)  # outside a transaction: runs at once (eager tasks)
    open_round = ReviewRound.objects.get(kind="periodic", year=2026)
    household = register(cast.officer, unit("21484"), village="Thôn Làng Mạ")
    survey = save(
        cast.officer,
        Survey.objects.get(household=household, round=open_round),
        income_per_person=1_200_000,
    )
    project = Project.objects.filter(communes__code="21484").first()
    assert project is not None, "the projects demo has no project in Xã Ba Tơ"
    return {"round": open_round, "survey": survey, "project": project}


def main_pages(demo, username: str = "officer") -> list[tuple[str, str]]:
    round_, survey = demo["round"], demo["survey"]
    # the analysis page is for leaders, administrators and district staff (officers: 403)
    analysis = [] if username == "officer" else [
        ("analysis", reverse("analysis")),
        ("analysis by ethnicity", f"{reverse('analysis')}?indicators=poor_rate&indicators="
                                  f"households&rows=commune&columns=ethnic&rounds={round_.pk}"),
    ]  # fmt: skip
    # the import pages are for those who enter data (district staff and leaders: 403)
    entering = [
        ("import", reverse("import_upload")),
        ("offline collection (ODK)", reverse("import_odk")),
    ] if username in ("officer", "admin") else []  # fmt: skip
    return [
        *analysis,
        *entering,
        ("home", reverse("home")),
        ("household list", f"{reverse('household_list')}?round={round_.pk}"),
        ("household", reverse("household_detail", args=[survey.household_id])),
        ("survey", reverse("survey_edit", args=[survey.pk])),
        ("round list", reverse("round_list")),
        ("round", reverse("round_detail", args=[round_.pk])),
        ("dashboard", reverse("dashboard")),
        ("unit browser", reverse("unit_list")),
        ("projects", reverse("project_list")),
        ("project", reverse("project_detail", args=[demo["project"].pk])),
        ("models", reverse("model_register")),
        ("trainings", reverse("course_list")),
        ("support", reverse("support_index")),
        ("visits", reverse("visit_list")),
        ("recommendations", reverse("recommendation_list")),
        ("communication", reverse("communication_list")),
        ("communication summary", f"{reverse('communication_summary')}?year=2026"),
        ("training needs", reverse("labour_index")),
        ("job fairs", reverse("job_fair_list")),
        ("placements", reverse("labour_placements")),
        ("reports", reverse("export_index")),
        ("funds", reverse("finance_plan_list")),
        ("disbursement", reverse("finance_summary")),
        ("contributions", reverse("contributions_list")),
        ("contributions summary", reverse("contributions_summary")),
        ("my jobs", reverse("job_list")),
        ("e-mail notifications", reverse("notification_settings")),
        ("API tokens", reverse("api_tokens")),
    ]


def phone_page(browser, live_server, username: str):
    context = browser.new_context(
        viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", device_scale_factor=1
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_no_main_page_scrolls_sideways_on_a_phone(browser, live_server, cast, demo):
    try:
        too_wide = []
        for username in ("officer", "district", "leader", "admin"):
            context, page = phone_page(browser, live_server, username)
            try:
                for name, path in main_pages(demo, username):
                    response = page.goto(live_server.url + path)
                    assert response.status == 200, (username, name, response.status)
                    page.wait_for_load_state("networkidle")  # htmx totals, charts, map
                    measured = page.evaluate(OVERFLOW)
                    if measured["scroll"] > measured["client"]:
                        too_wide.append((username, name, measured))
                if username == "officer":
                    officer_on_the_phone(page, live_server, demo)
            finally:
                context.close()
        assert not too_wide, too_wide
    finally:
        # the body reads the database while the browser runs (see test_projects.py)
        connections.close_all()


def officer_on_the_phone(page, live_server, demo):
    from playwright.sync_api import expect

    screens = os.environ.get("PHONE_SCREENS")

    # the list: the filters are folded, the first households are on the first screen
    page.goto(f"{live_server.url}{reverse('household_list')}?round={demo['round'].pk}")
    filters = page.locator("#household-filters")
    expect(filters).to_be_hidden()
    expect(page.locator("tr[data-household]").first).to_be_in_viewport()
    page.wait_for_load_state("networkidle")
    if screens:
        page.screenshot(path=str(Path(screens) / "phone-household-list.png"))
    page.get_by_test_id("filters-toggle").click()
    expect(filters).to_be_visible()

    # the survey: the result bar stays in view at the income fields and follows the preview
    page.goto(f"{live_server.url}{reverse('survey_edit', args=[demo['survey'].pk])}")
    bar = page.get_by_test_id("survey-result-bar")
    expect(bar.get_by_test_id("bar-class")).to_have_text("Hộ cận nghèo")
    income = page.locator("input[name=income_per_person]")
    income.scroll_into_view_if_needed()
    expect(bar).to_be_in_viewport()
    expect(income).to_be_in_viewport()
    income.fill("4.000.000")
    expect(bar.get_by_test_id("bar-income")).to_have_text("4.000.000 đ")  # the server's figure
    expect(bar.get_by_test_id("bar-class")).to_have_text("Không nghèo")
    expect(bar.get_by_test_id("bar-deprived")).to_have_text(
        page.get_by_test_id("deprived-count").inner_text()
    )
    expect(bar).to_be_in_viewport()
    if screens:
        page.screenshot(path=str(Path(screens) / "phone-survey.png"))
        page.goto(live_server.url + reverse("dashboard"))
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(Path(screens) / "phone-dashboard.png"))
