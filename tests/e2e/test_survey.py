"""Browser journey: the commune officer re-surveys a household and sees its class change live."""

import re

import pytest

from households.models import Survey
from tests.conftest import unit
from tests.households.factories import member, open_round, register, save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def near_poor_survey(cast):
    """A household of Xã Ba Tơ, near-poor: income under the line and exactly 2 deprivations
    (water, latrine); its only member, an adult, has health insurance."""
    round_ = open_round(cast.admin, 2026)
    household = register(cast.officer, unit("21484"), members=[member(has_health_insurance=True)])
    survey = Survey.objects.get(household=household, round=round_)
    survey = save(
        cast.officer,
        survey,
        income_per_person=1_200_000,
        water_source="surface",
        has_hygienic_latrine=False,
    )
    assert (survey.poverty_class, survey.deprived_count) == ("near_poor", 2)
    return survey


def test_officer_sees_the_class_turn_poor_before_saving(
    cast, page, login, live_server, near_poor_survey
):
    from playwright.sync_api import expect

    survey = near_poor_survey
    login("officer")
    page.goto(f"{live_server.url}/phieu/{survey.pk}/")
    badge = page.get_by_test_id("survey-class")
    expect(badge).to_have_text("Hộ cận nghèo")
    insurance_row = page.get_by_test_id("indicator-health_insurance")
    expect(insurance_row).to_have_attribute("data-deprived", "no")

    page.locator('input[name="members-0-has_health_insurance"]').uncheck()

    # the server's rules, through the preview: a third deprivation makes the household poor
    expect(badge).to_have_text("Hộ nghèo")
    expect(insurance_row).to_have_attribute("data-deprived", "yes")
    expect(insurance_row).to_contain_text("Nguyễn Văn An, 41 tuổi, không có bảo hiểm y tế")
    expect(page.get_by_test_id("deprived-count")).to_have_text("3 / 12")
    survey.refresh_from_db()
    assert survey.poverty_class == "near_poor"  # nothing saved by the preview

    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(rf"/ho/\?round={survey.round_id}$"))
    survey.refresh_from_db()
    assert (survey.poverty_class, survey.deprived_count) == ("poor", 3)
    assert survey.household.members.get().has_health_insurance is False

    # the round's household list shows the new class on the household's row
    row = page.locator("tr", has_text=survey.household.code)
    expect(row).to_contain_text("Hộ nghèo")


def test_added_member_counts_in_the_preview(cast, page, login, live_server, near_poor_survey):
    from playwright.sync_api import expect

    survey = near_poor_survey
    login("officer")
    page.goto(f"{live_server.url}/phieu/{survey.pk}/")
    expect(page.get_by_test_id("survey-class")).to_have_text("Hộ cận nghèo")
    page.get_by_test_id("add-member").click()
    expect(page.locator('input[name="members-1-full_name"]')).to_be_visible()
    page.fill('input[name="members-1-full_name"]', "Nguyễn Thị Mai")
    page.select_option('select[name="members-1-sex"]', "female")
    page.fill('input[name="members-1-birth_date"]', "02/05/2012")
    page.select_option('select[name="members-1-relation"]', "child")
    page.select_option('select[name="members-1-schooling"]', "not_in_school")
    page.select_option('select[name="members-1-education_level"]', "primary")
    page.select_option('select[name="members-1-employment"]', "not_in_labour_force")
    # a 14-year-old out of school: child schooling is the third deprivation
    row = page.get_by_test_id("indicator-child_schooling")
    expect(row).to_have_attribute("data-deprived", "yes")
    expect(row).to_contain_text("Nguyễn Thị Mai, 14 tuổi, không đi học")
    expect(page.get_by_test_id("survey-class")).to_have_text("Hộ nghèo")
    page.get_by_test_id("save-stay").click()
    page.wait_for_url(f"{live_server.url}/phieu/{survey.pk}/")
    expect(page.get_by_test_id("survey-class")).to_have_text("Hộ nghèo")
    assert survey.household.members.filter(is_current=True).count() == 2
    page.wait_for_load_state("networkidle")  # the reloaded page's preview request is done
