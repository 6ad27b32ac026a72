"""Browser journey (issue 12): the officer filters the pending surveys once, then saves each and
opens the next one without filtering again, and submits the commune when none is left."""

import re

import pytest

from households.models import CommuneSubmission, Survey
from households.services import round_close
from tests.conftest import TODAY, Role, make_user, unit
from tests.households.factories import POOR_FIELDS, member, open_round, register, save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def carried(cast):
    """Three households of Xã Ba Tơ surveyed in 2025: pending in the open 2026 round, each page
    prefilled with last year's answers."""
    r25 = open_round(cast.admin, 2025)
    for name in ("Hồ Văn An", "Hồ Văn Bình", "Hồ Văn Châu"):
        household = register(cast.officer, unit("21484"), members=[member(name)])
        save(cast.officer, Survey.objects.get(household=household, round=r25), **POOR_FIELDS)
    round_close(by=cast.admin, round_=r25)
    r26 = open_round(cast.admin, 2026)
    assert Survey.objects.filter(round=r26, status="pending").count() == 3
    return r26


def test_the_officer_goes_through_the_pending_surveys_without_refiltering(
    cast, page, login, live_server, carried
):
    from playwright.sync_api import expect

    round_ = carried
    login("officer")
    page.goto(f"{live_server.url}/ho/?round={round_.pk}&status=pending")
    page.get_by_role("link", name="Nhập phiếu").first.click()
    for _ in range(3):
        page.wait_for_url(re.compile(r"/phieu/\d+/"))
        page.get_by_test_id("save-next").click()
    # none left: back to the same filtered list, which says so
    page.wait_for_url(re.compile(r"/ho/\?.*status=pending"))
    assert f"round={round_.pk}" in page.url
    expect(page.locator("body")).to_contain_text("Không còn phiếu chưa rà soát")
    assert not Survey.objects.filter(round=round_, status="pending").exists()
    # opening the list again keeps the filter
    page.goto(f"{live_server.url}/ho/?round={round_.pk}")
    assert "status=pending" in page.url
    # and the commune's results go to the district
    page.goto(f"{live_server.url}/dot-ra-soat/{round_.pk}/xa/{unit('21484').pk}/")
    page.get_by_role("button", name="Gửi kết quả lên huyện").click()
    expect(page.get_by_test_id("submission-status")).not_to_have_text("Đang nhập liệu")
    assert CommuneSubmission.objects.get(round=round_, commune=unit("21484")).status == "submitted"


@pytest.fixture
def two_sent(cast):
    """Two communes of former Ba Tơ district (Xã Ba Tơ, Xã Ba Vinh) have sent their 2026 results."""
    from households.services import commune_submit

    round_ = open_round(cast.admin, 2026)
    other = make_user("canbo.bavinh", Role.COMMUNE_OFFICER, (unit("21490"), TODAY, None))
    for officer, code in ((cast.officer, "21484"), (other, "21490")):
        register(officer, unit(code), members=[member("Đinh Văn Tý")])
        for survey in Survey.objects.filter(round=round_, commune=unit(code)):
            save(officer, survey, **POOR_FIELDS)
        commune_submit(by=officer, round_=round_, commune=unit(code))
    return round_


def test_the_district_to_do_count_falls_as_they_accept(cast, page, login, live_server, two_sent):
    from playwright.sync_api import expect

    def waiting():
        page.goto(f"{live_server.url}/")
        line = page.get_by_test_id("todo-item").filter(has_text="chờ tiếp nhận")
        return line

    login("district")
    line = waiting()
    expect(line.get_by_test_id("todo-count")).to_have_text("2")
    for remaining in ("1", None):
        line.get_by_role("link").click()  # the round's page, filtered on results waiting
        page.get_by_test_id("commune-row").first.get_by_role("link").first.click()
        page.get_by_role("button", name="Tiếp nhận").click()
        expect(page.get_by_test_id("submission-status")).to_have_text("Đã tiếp nhận")
        line = waiting()
        if remaining:
            expect(line.get_by_test_id("todo-count")).to_have_text(remaining)
        else:
            expect(line).to_have_count(0)
    assert CommuneSubmission.objects.filter(round=two_sent, status="accepted").count() == 2
