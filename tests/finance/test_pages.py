"""The funds' pages: lists and details in scope, forms that refuse with a message and save
nothing, the summary, its Excel report, the project page's panel and the dashboard's panel."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance.models import Allocation, Disbursement
from indicators import services as indicator_services
from tests.conftest import make_user, unit
from tests.finance.conftest import allocate, disburse, make_plan
from tests.households.factories import open_round
from tests.projects.factories import approved, households, proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(cast, ba_to, son_tinh):
    """A province line (3.1, central budget) allocated to Ba Tơ and Sơn Tịnh, and Ba Tơ's own
    line (3.1, local budget)."""
    province = make_plan(cast.admin, unit("51"), amount=300_000_000, carried_over=20_000_000,
                         source="central_budget")  # fmt: skip
    own = make_plan(cast.admin, ba_to, amount=100_000_000)
    a = allocate(cast.admin, province, ba_to, amount=80_000_000)
    b = allocate(cast.admin, province, son_tinh, amount=50_000_000)
    c = allocate(cast.district, own, ba_to, amount=60_000_000)
    disburse(cast.district, a, amount=40_000_000)
    disburse(cast.admin, b, amount=10_000_000)
    disburse(cast.district, c, amount=30_000_000)
    return {"province": province, "own": own, "to_ba_to": a, "to_son_tinh": b, "ba_to": c}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_lists_follow_scope(client, cast, plans):
    client.force_login(cast.officer)
    page = text(client.get(reverse("finance_plan_list"), {"year": 2026}))
    assert reverse("finance_plan_detail", args=[plans["own"].pk]) in page
    assert reverse("finance_plan_detail", args=[plans["province"].pk]) not in page
    # the province's allocation into the officer's commune is listed apart
    assert reverse("finance_allocation_detail", args=[plans["to_ba_to"].pk]) in page
    assert reverse("finance_allocation_detail", args=[plans["to_son_tinh"].pk]) not in page
    client.force_login(cast.outsider)
    page = text(client.get(reverse("finance_plan_list"), {"year": 2026}))
    assert reverse("finance_plan_detail", args=[plans["own"].pk]) not in page
    assert reverse("finance_allocation_detail", args=[plans["to_son_tinh"].pk]) in page


def test_district_staff_of_another_district_get_404(client, cast, plans):
    from areas.models import Role, UnitGroup
    from areas.services import OLD_TREE_FROM

    group = UnitGroup.objects.get(code="huyen-cu-527")
    other = make_user("other_district", Role.DISTRICT_STAFF, (group, OLD_TREE_FROM, None))
    client.force_login(other)
    for name, pk in (("finance_plan_detail", plans["own"].pk),
                     ("finance_allocation_detail", plans["ba_to"].pk),
                     ("finance_allocation_edit", plans["ba_to"].pk)):  # fmt: skip
        assert client.get(reverse(name, args=[pk])).status_code == 404
        assert client.post(reverse(name, args=[pk])).status_code == 404
    # the province's line is not theirs to see; its allocation into their commune is listed
    assert (
        client.get(reverse("finance_plan_detail", args=[plans["province"].pk])).status_code == 404
    )
    page = text(client.get(reverse("finance_plan_list"), {"year": 2026}))
    assert reverse("finance_allocation_detail", args=[plans["to_son_tinh"].pk]) in page
    assert reverse("finance_allocation_detail", args=[plans["to_ba_to"].pk]) not in page


def test_allocation_form_refuses_over_the_plan(client, cast, plans, ba_to):
    client.force_login(cast.district)
    url = reverse("finance_plan_detail", args=[plans["own"].pk])
    before = Allocation.objects.count()
    response = client.post(url, {"commune": ba_to.pk, "amount": "40.000.001",
                                 "allocated_on": "02/03/2026"})  # fmt: skip
    assert response.status_code == 200
    assert "Vượt kế hoạch vốn: còn lại 40.000.000 đ" in text(response)
    assert Allocation.objects.count() == before
    response = client.post(url, {"commune": ba_to.pk, "amount": "40.000.000",
                                 "allocated_on": "02/03/2026"})  # fmt: skip
    assert response.status_code == 302 and Allocation.objects.count() == before + 1


def test_disbursement_form_refuses_over_the_allocation(client, cast, plans):
    client.force_login(cast.district)
    url = reverse("finance_allocation_detail", args=[plans["ba_to"].pk])
    before = Disbursement.objects.count()
    data = {"paid_on": "01/04/2026", "amount": "30.000.001", "purpose": "Mua giống"}
    response = client.post(url, data)
    assert "Vượt số vốn đã phân bổ: còn lại 30.000.000 đ" in text(response)
    assert Disbursement.objects.count() == before
    response = client.post(url, {**data, "amount": "30.000.000"})
    assert response.status_code == 302 and Disbursement.objects.count() == before + 1
    page = text(client.get(url))
    assert "60.000.000 đ" in page  # disbursed, all of it


def test_edit_and_delete(client, cast, plans, ba_to):
    client.force_login(cast.district)
    url = reverse("finance_allocation_edit", args=[plans["ba_to"].pk])
    response = client.post(url, {"amount": "29.000.000", "allocated_on": "02/03/2026"})
    assert "đã giải ngân 30.000.000 đ" in text(response)
    response = client.post(reverse("finance_allocation_delete", args=[plans["ba_to"].pk]))
    assert response.status_code == 302 and Allocation.objects.filter(pk=plans["ba_to"].pk)
    fresh = allocate(cast.district, plans["own"], ba_to, amount=1_000_000)
    response = client.post(reverse("finance_allocation_delete", args=[fresh.pk]))
    assert response.status_code == 302 and not Allocation.objects.filter(pk=fresh.pk).exists()


def test_plan_create_page(client, cast, program, ba_to):
    from tests.projects.factories import component

    client.force_login(cast.admin)
    data = {"year": 2026, "component": component("2").pk, "unit": ba_to.pk,
            "source": "credit", "amount": "0", "carried_over": ""}  # fmt: skip
    response = client.post(reverse("finance_plan_create"), data)
    assert "phải lớn hơn 0" in text(response)
    response = client.post(reverse("finance_plan_create"), {**data, "amount": "5.000.000"})
    assert response.status_code == 302


def test_summary_and_the_excel_report(client, cast, plans):
    client.force_login(cast.leader)
    page = client.get(reverse("finance_summary"), {"year": 2026})
    total = page.context["total"]
    assert (total.total, total.allocated, total.disbursed) == (
        420_000_000, 190_000_000, 80_000_000,
    )  # fmt: skip
    assert str(total.rate) == "19.05"
    by_source = {r.key: r for r in page.context["by_source"]}
    assert by_source["local_budget"].disbursed == 30_000_000
    # district staff: Ba Tơ's own line only (the province's line is not theirs to see)
    client.force_login(cast.district)
    assert client.get(reverse("finance_summary")).context["total"].total == 100_000_000

    client.force_login(cast.leader)
    response = client.get(reverse("finance_summary_export"), {"year": 2026})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    rows = [list(row) for row in wb.active.iter_rows(values_only=True)]
    labels = [r[1] for r in rows if r and isinstance(r[1], str)]
    assert any("3.1" in label for label in labels)
    total_row = next(r for r in rows if r[1] == "Tổng cộng")
    assert list(total_row[2:7]) == [400_000_000, 20_000_000, 420_000_000, 190_000_000, 80_000_000]
    assert round(total_row[7], 2) == 19.05
    unit_rows = [r for r in rows if isinstance(r[1], str) and r[1].strip() == "Tỉnh Quảng Ngãi"]
    assert unit_rows and unit_rows[0][6] == 50_000_000


def test_project_page_shows_its_funds(client, cast, program, ba_to):
    project = approved(proposal(cast.officer, [ba_to], households(cast.officer, ba_to, 1)),
                       cast.officer, cast.district)  # fmt: skip
    plan = make_plan(cast.admin, ba_to)
    allocation = allocate(cast.district, plan, project=project, amount=25_000_000)
    disburse(cast.district, allocation, amount=5_000_000)
    client.force_login(cast.officer)
    page = text(client.get(reverse("project_detail", args=[project.pk])))
    assert "Vốn phân bổ và giải ngân" in page and "25.000.000" in page and "20,00" in page


def test_dashboard_panel_equals_the_summary(
    client, cast, plans, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        round_ = open_round(cast.admin, 2026)
        indicator_services.rollup_start(round_=round_)
    client.force_login(cast.leader)
    summary = client.get(reverse("finance_summary"), {"year": 2026}).context["total"]
    page = client.get(reverse("dashboard"), {"round": round_.pk, "unit": unit("51").pk})
    body = text(page)
    assert "Giải ngân vốn năm 2026" in body

    def shown(testid):
        found = re.search(rf'data-testid="{testid}">([^<]*)<', body)
        return found.group(1).strip()

    assert shown("funds-planned") == f"{summary.total:,} đ".replace(",", ".")
    assert shown("funds-disbursed") == f"{summary.disbursed:,} đ".replace(",", ".")
    assert shown("funds-rate") == "19,05 %"
    # a commune's dashboard: its own line only
    page = client.get(reverse("dashboard"), {"round": round_.pk, "unit": unit("21484").pk})
    assert "100.000.000 đ" in text(page)


def test_navigation(client, cast, program):
    client.force_login(cast.officer)
    assert reverse("finance_plan_list") in text(client.get(reverse("home")))
    assert dt.date.today()  # (the menu is for every role that sees anything)


def test_disbursement_delete_page(client, cast, plans):
    paid = plans["ba_to"].disbursements.get()
    client.force_login(cast.officer)
    url = reverse("finance_disbursement_delete", args=[paid.pk])
    assert client.post(url).status_code == 403
    client.force_login(cast.district)
    response = client.post(url)
    assert response.status_code == 302 and not Disbursement.objects.filter(pk=paid.pk).exists()
