import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_sees_vietnamese_and_switches_to_english(cast, page, login, live_server):
    login("officer")
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page.get_by_role("heading", name="Đơn vị được phân công")).to_be_visible()
    expect(page.get_by_role("link", name="Xã Ba Tơ")).to_be_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", name="Assigned units")).to_be_visible()
    page.get_by_test_id("nav-program").click()  # "Programme" menu holds the unit browser
    page.locator("nav").get_by_role("link", name="Administrative units").click()
    expect(page.get_by_role("heading", name="Administrative units")).to_be_visible()
