"""Support pages: the household page's section, the officer's forms, the commune list and the
Excel list."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from support import services
from support.models import HelperAssignment, SupportRecord, Visit

from .conftest import YEAR, kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(cast, homes):
    helper = services.helper_assign(
        by=cast.officer, household=homes.poor, helper_name="Đinh Văn Giúp",
        organisation="Hội Nông dân xã", position="hội viên", starts_on=dt.date(YEAR, 2, 1),
    )  # fmt: skip
    services.visit_record(by=cast.officer, assignment=helper, visited_on=dt.date(YEAR, 3, 1),
                          note="Bàn cách nuôi bò")  # fmt: skip
    item = services.plan_item_add(
        by=cast.officer, household=homes.poor, need="housing", kind=kind("housing"),
        action="Hỗ trợ làm nhà", due_on=dt.date(YEAR, 12, 31), responsible="UBND xã",
    )  # fmt: skip
    services.support_record(by=cast.officer, household=homes.poor, kind=kind("housing"),
                            plan_item=item, source="central", received_on=dt.date(YEAR, 6, 1),
                            amount=40_000_000)  # fmt: skip
    services.support_record(by=cast.officer, household=homes.poor, kind=kind("health-insurance"),
                            source="local", received_on=dt.date(YEAR, 1, 10), quantity=2,
                            amount=1_200_000)  # fmt: skip
    return homes


def test_household_page_shows_needs_plan_support_and_helpers(client, cast, followed):
    client.force_login(cast.officer)
    page = client.get(reverse("household_detail", args=[followed.poor.pk])).content.decode()
    section = page[page.index('id="ho-tro"') :]
    for text in ("Nhà ở", "Y tế", "Thiếu đất sản xuất", "Hỗ trợ làm nhà", "Đinh Văn Giúp",
                 "Bàn cách nuôi bò", "41.200.000", "Cấp thẻ bảo hiểm y tế"):  # fmt: skip
        assert text in section, text
    assert reverse("support_helper_add", args=[followed.poor.pk]) in section
    client.force_login(cast.district)
    page = client.get(reverse("household_detail", args=[followed.poor.pk])).content.decode()
    assert "Đinh Văn Giúp" in page
    assert reverse("support_helper_add", args=[followed.poor.pk]) not in page


def test_household_not_poor_has_no_forms(client, cast, homes):
    client.force_login(cast.officer)
    page = client.get(reverse("household_detail", args=[homes.average.pk])).content.decode()
    assert "không thuộc diện hộ nghèo, cận nghèo" in page
    assert reverse("support_helper_add", args=[homes.average.pk]) not in page
    response = client.get(reverse("support_helper_add", args=[homes.average.pk]))
    assert "không thuộc diện hộ nghèo, cận nghèo" in response.content.decode()
    response = client.post(
        reverse("support_helper_add", args=[homes.average.pk]),
        {"helper_name": "A", "organisation": "B", "starts_on": "01/10/2026"},
    )
    assert response.status_code == 200 and not HelperAssignment.objects.exists()


def test_officer_forms_save_and_bad_input_rerenders(client, cast, homes):
    client.force_login(cast.officer)
    url = reverse("support_helper_add", args=[homes.poor.pk])
    response = client.post(url, {"helper_name": "Đinh Văn A", "organisation": "Đảng ủy xã",
                                 "starts_on": "10/10/2026", "ends_on": "01/10/2026"})  # fmt: skip
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu" in response.content.decode()
    assert not HelperAssignment.objects.exists()
    response = client.post(url, {"helper_name": "Đinh Văn A", "organisation": "Đảng ủy xã",
                                 "position": "đảng viên", "starts_on": "01/10/2026"})  # fmt: skip
    assert response.status_code == 302
    helper = HelperAssignment.objects.get()
    visit_url = reverse("support_visit_add", args=[helper.pk])
    response = client.post(visit_url, {"visited_on": "01/01/2030", "note": "Thăm"})
    assert "không được sau ngày hôm nay" in response.content.decode()
    response = client.post(visit_url, {"visited_on": "15/10/2026", "note": "Thăm hộ"})
    assert response.status_code == 302 and Visit.objects.count() == 1
    record_url = reverse("support_record_add", args=[homes.poor.pk])
    data = {"kind": kind("credit").pk, "received_on": "20/10/2026", "source": "credit"}
    response = client.post(record_url, data)
    assert "Nhập số tiền hoặc số lượng hỗ trợ" in response.content.decode()
    response = client.post(record_url, {**data, "amount": "30.000.000"})
    assert response.status_code == 302
    assert SupportRecord.objects.get().amount == 30_000_000
    plan_url = reverse("support_plan_add", args=[homes.poor.pk])
    response = client.post(plan_url, {"need": "housing", "kind": kind("housing").pk,
                                      "action": "Sửa nhà", "due_on": "31/12/2026",
                                      "responsible": "UBND xã"})  # fmt: skip
    assert response.status_code == 302


def test_commune_list_summary_filters_and_scope(client, cast, followed):
    client.force_login(cast.officer)
    url = reverse("support_commune", args=[followed.ba_to.pk])
    page = client.get(url).content.decode()
    assert followed.poor.code in page and followed.near.code in page
    assert followed.average.code not in page
    summary = page[page.index('data-testid="support-summary"') :]
    assert "(50%)" in summary  # 1 of 2 with a helper
    page = client.get(url, {"without": "helper"}).content.decode()
    assert followed.near.code in page and followed.poor.code not in page
    page = client.get(url, {"without": "plan"}).content.decode()
    assert followed.near.code in page and followed.poor.code not in page
    assert client.get(reverse("support_commune", args=[followed.son_tinh.pk])).status_code == 404
    assert client.get(reverse("support_index")).url == url


def sheet_rows(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) + [None] * 10 for r in ws.iter_rows(values_only=True)]


def test_excel_list(client, cast, followed):
    client.force_login(cast.officer)
    response = client.get(reverse("support_export", args=[followed.ba_to.pk]))
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    assert any("HỘ NGHÈO, CẬN NGHÈO VÀ NGƯỜI GIÚP ĐỠ" in str(r).upper() for r in rows), rows[:8]
    data = {r[1]: r for r in rows if r and r[1] in (followed.poor.code, followed.near.code,
                                                    followed.average.code)}  # fmt: skip
    assert set(data) == {followed.poor.code, followed.near.code}
    poor = data[followed.poor.code]
    assert poor[2] == "Đinh Văn Nghèo" and poor[5] == "Hộ nghèo"
    assert poor[6] == "Đinh Văn Giúp (Hội Nông dân xã)"
    assert poor[7] == 1
    assert poor[8] == "Cấp thẻ bảo hiểm y tế; Hỗ trợ nhà ở"
    assert poor[9] == 41_200_000
    near = data[followed.near.code]
    assert near[6] is None and near[7] == 0 and near[9] == 0
    client.force_login(cast.district)
    response = client.get(reverse("support_export_scope"))
    codes = {r[1] for r in sheet_rows(response.content)}
    assert followed.poor.code in codes and followed.outside.code not in codes


def test_end_a_helper_and_change_a_plan_status(client, cast, followed):
    helper = HelperAssignment.objects.get()
    item = followed.poor.plan_items.get()
    client.force_login(cast.officer)
    url = reverse("support_helper_end", args=[helper.pk])
    response = client.post(url, {"ends_on": "01/01/2026"})  # before the start
    assert "Ngày kết thúc phải sau hoặc bằng" in response.content.decode()
    assert client.post(url, {"ends_on": "15/11/2026"}).status_code == 302
    helper.refresh_from_db()
    assert helper.ends_on == dt.date(2026, 11, 15)
    status_url = reverse("support_plan_status", args=[item.pk])
    assert client.post(status_url, {"status": "dropped"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "dropped"
    client.force_login(cast.district)
    assert client.post(status_url, {"status": "done"}).status_code == 403
    item.refresh_from_db()
    assert item.status == "dropped"


def test_kinds_are_data_edited_in_the_admin(client, cast):
    from support.models import SupportKind

    client.force_login(cast.admin)
    cast.admin.is_superuser = True
    cast.admin.save()
    kind_ = SupportKind.objects.get(code="legal-aid")
    assert client.get(reverse("admin:support_supportkind_changelist")).status_code == 200
    response = client.post(
        reverse("admin:support_supportkind_change", args=[kind_.pk]),
        {"code": "legal-aid", "name": "Trợ giúp pháp lý miễn phí", "group": "", "unit": "lượt",
         "position": 9, "active": "on", "confirmed": "on", "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    kind_.refresh_from_db()
    assert kind_.name == "Trợ giúp pháp lý miễn phí" and kind_.confirmed
    # (the communication app adds its four "info-" kinds, unconfirmed as well)
    assert (
        SupportKind.objects.filter(confirmed=False).exclude(code__startswith="info-").count() == 9
    )
