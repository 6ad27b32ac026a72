"""Browser journey: the household list shows its rows at once, loads the exact totals of an
unstored filter after it is shown (htmx), and pages by key to the last page and back."""

import pytest

from households.models import Survey
from tests.conftest import unit
from tests.households.factories import POOR_FIELDS, open_round, register, save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def round_of_55(cast):
    """55 households of Xã Ba Tơ in the open 2026 round, the first 5 surveyed poor."""
    round_ = open_round(cast.admin, 2026)
    for i in range(55):
        household = register(cast.officer, unit("21484"), village="Thôn Gò")
        if i < 5:
            save(cast.officer, Survey.objects.get(household=household, round=round_), **POOR_FIELDS)
    return round_


def test_officer_pages_the_list_and_sees_the_counted_totals(page, login, live_server, round_of_55):
    from playwright.sync_api import expect

    login("officer")
    page.goto(f"{live_server.url}/ho/?village=g%C3%B2")  # an unstored filter: counted after
    rows = page.locator("tr[data-household]")
    expect(rows).to_have_count(50)
    totals = page.get_by_test_id("totals")
    expect(totals).to_have_attribute("data-source", "counted")  # swapped in by htmx
    expect(totals.locator('[data-total="entries"]')).to_have_text("55")
    expect(totals.locator('[data-total="poor"]')).to_have_text("5")

    page.locator('[data-page="last"]').click()
    expect(rows).to_have_count(50)
    expect(page.locator('[data-page="last"]')).to_have_count(0)
    page.locator('[data-page="previous"]').click()
    expect(rows).to_have_count(5)  # the start of the list
    expect(page.locator('[data-page="previous"]')).to_have_count(0)
    assert "village=g%C3%B2" in page.url
