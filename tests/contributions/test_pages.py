"""The fund's pages: scope (404 outside), forms re-rendered with nothing saved, the detail's
uses, the yearly summary and its Excel file naming no household and no anonymous donor."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from areas.scope import user_reach
from contributions import selectors
from contributions.models import Contribution, ContributionUse
from tests.conftest import unit

from .conftest import give, house, kind, spend

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(cast, homes):
    named = give(cast.officer, homes.ba_to, cash=60_000_000, name="Công ty Điện lực Quảng Ngãi",
                 purpose_kind=kind("housing"))  # fmt: skip
    hidden = give(cast.officer, homes.ba_to, cash=5_000_000, name="Bà Lê Thị Kín Đáo",
                  donor_kind="individual", anonymous=True)  # fmt: skip
    use = spend(cast.officer, named, amount=40_000_000, records=[house(cast.officer, homes.poor)],
                day=dt.date(2026, 4, 1))  # fmt: skip
    outside = give(cast.outsider, homes.son_tinh, cash=9_000_000, name="Hợp tác xã Sơn Tịnh")
    return named, hidden, use, outside


def test_the_list_in_scope(cast, homes, fund, client):
    named, hidden, _use, outside = fund
    client.force_login(cast.officer)
    body = client.get(reverse("contributions_list")).content.decode()
    assert named.donor_name in body and hidden.donor_name in body  # officers see every name
    assert outside.donor_name not in body
    assert "65.000.000" in body or "65,000,000" in body  # the total
    body = client.get(reverse("contributions_list"), {"donor_kind": "individual"}).content.decode()
    assert named.donor_name not in body and hidden.donor_name in body
    body = client.get(reverse("contributions_list"), {"year": 2025}).content.decode()
    assert named.donor_name not in body
    client.force_login(cast.leader)
    body = client.get(reverse("contributions_list")).content.decode()
    assert outside.donor_name in body and named.donor_name in body


def test_outside_and_unknown_are_404(cast, fund, client):
    named, _hidden, use, outside = fund
    client.force_login(cast.outsider)
    for name, pk in [("contributions_detail", named.pk), ("contributions_edit", named.pk),
                     ("contributions_detail", 999_999)]:  # fmt: skip
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.post(reverse("contributions_use_delete", args=[use.pk])).status_code == 404
    assert ContributionUse.objects.count() == 1
    assert client.get(reverse("contributions_detail", args=[outside.pk])).status_code == 200


def test_create_and_a_refusal_re_rendered(cast, homes, client):
    client.force_login(cast.officer)
    data = {
        "unit": homes.ba_to.pk, "received_on": "02/03/2026", "donor_name": "Ngân hàng Chính sách",
        "donor_kind": "organisation", "cash_amount": "", "in_kind": "", "in_kind_value": "",
    }  # fmt: skip
    page = client.post(reverse("contributions_create"), data)
    assert page.status_code == 200
    assert "Nhập số tiền mặt hoặc giá trị hiện vật" in page.content.decode()
    assert Contribution.objects.count() == 0
    page = client.post(reverse("contributions_create"), {**data, "cash_amount": "12.000.000"})
    gift = Contribution.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse(
        "contributions_detail", args=[gift.pk]
    )
    assert gift.cash_amount == 12_000_000 and gift.created_by == cast.officer


def test_a_use_over_the_value_is_refused_on_the_page(cast, fund, client):
    named, *_ = fund
    client.force_login(cast.officer)
    url = reverse("contributions_detail", args=[named.pk])
    page = client.post(url, {"used_on": "10/04/2026", "amount": "20.000.001",
                             "description": "Mua bò giống"})  # fmt: skip
    assert page.status_code == 200
    assert "Vượt giá trị đóng góp: còn lại 20.000.000 đ" in page.content.decode()
    assert ContributionUse.objects.count() == 1
    page = client.post(url, {"used_on": "10/04/2026", "amount": "20.000.000",
                             "description": "Mua bò giống"})  # fmt: skip
    assert page.status_code == 302 and ContributionUse.objects.count() == 2


def test_the_detail_links_the_household_for_those_who_see_it(cast, homes, fund, client):
    named, _hidden, use, _outside = fund
    client.force_login(cast.officer)
    body = client.get(reverse("contributions_detail", args=[named.pk])).content.decode()
    assert reverse("household_detail", args=[homes.poor.pk]) in body
    assert homes.poor.code in body
    # an outsider's reach does not see the household (the page itself is 404 for them)
    assert selectors.visible_households(user_reach(cast.outsider), [use]) == set()
    assert selectors.visible_households(user_reach(cast.leader), [use]) == {homes.poor.pk}


def test_the_edit_form(cast, fund, client):
    named, *_ = fund
    client.force_login(cast.district)
    assert client.get(reverse("contributions_edit", args=[named.pk])).status_code == 403
    client.force_login(cast.officer)
    url = reverse("contributions_edit", args=[named.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, {"received_on": "02/03/2026", "donor_name": named.donor_name,
                             "donor_kind": "enterprise", "cash_amount": "39.000.000"})  # fmt: skip
    assert page.status_code == 200 and "đã sử dụng 40.000.000 đ" in page.content.decode()
    named.refresh_from_db()
    assert named.cash_amount == 60_000_000


def test_the_summary_names_no_household_and_no_anonymous_donor(cast, homes, fund, client):
    named, hidden, *_ = fund
    for user in (cast.officer, cast.leader, cast.admin):
        client.force_login(user)
        page = client.get(reverse("contributions_summary"), {"year": 2026})
        body = page.content.decode()
        assert page.status_code == 200
        assert named.donor_name in body
        assert hidden.donor_name not in body
        assert "1 đóng góp không công khai tên" in body
        for secret in (homes.poor.code, homes.poor.head_name, "Đinh Văn Nghèo"):
            assert secret not in body
        assert "Nhà ở" in body or kind("housing").name in body  # what it paid for


def test_the_summary_of_an_area(cast, fund, client):
    named, _hidden, _use, outside = fund
    client.force_login(cast.leader)
    body = client.get(
        reverse("contributions_summary"), {"year": 2026, "unit": unit("21220").pk}
    ).content.decode()
    assert outside.donor_name in body and named.donor_name not in body


def test_the_excel_file(cast, homes, fund, client):
    named, hidden, *_ = fund
    client.force_login(cast.officer)
    response = client.get(reverse("contributions_summary_export"), {"year": 2026})
    assert response.status_code == 200
    assert "quy-vi-nguoi-ngheo-2026.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tiếp nhận", "Đã hỗ trợ", "Nhà tài trợ"]
    cells = {
        name: [c for row in book[name].iter_rows(values_only=True) for c in row if c is not None]
        for name in book.sheetnames
    }
    assert "QUỸ VÌ NGƯỜI NGHÈO NĂM 2026: TIẾP NHẬN ĐÓNG GÓP" in cells["Tiếp nhận"]
    assert 65_000_000 in cells["Tiếp nhận"] and 40_000_000 in cells["Tiếp nhận"]
    assert "Doanh nghiệp" in cells["Tiếp nhận"] and "Cá nhân" in cells["Tiếp nhận"]
    assert kind("housing").name in cells["Đã hỗ trợ"]
    assert named.donor_name in cells["Nhà tài trợ"]
    everything = " ".join(str(c) for values in cells.values() for c in values)
    for secret in (hidden.donor_name, homes.poor.code, homes.poor.head_name):
        assert secret not in everything


def test_the_provinces_summary_holds_both_trees(cast, fund, client):
    old = unit("21484", dt.date(2025, 6, 30))
    give(cast.officer, old, cash=3_000_000, day=dt.date(2025, 3, 1), name="Doanh nghiệp Trước")
    client.force_login(cast.leader)
    body = client.get(
        reverse("contributions_summary"), {"year": 2025, "unit": unit("51").pk}
    ).content.decode()
    assert "Doanh nghiệp Trước" in body
