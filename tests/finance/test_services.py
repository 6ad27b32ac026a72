"""The funds' services: every check refuses with a clear message and saves nothing; concurrent
allocations cannot overrun the plan."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from finance import services
from finance.models import Allocation, CapitalPlan, Disbursement
from finance.rules import money, rate, split_evenly
from tests.conftest import require, unit
from tests.finance.conftest import DAY, allocate, disburse, make_plan
from tests.projects.factories import approved, households, proposal

pytestmark = pytest.mark.django_db


def counts():
    return (CapitalPlan.objects.count(), Allocation.objects.count(), Disbursement.objects.count())


def messages(error) -> str:
    return " ".join(error.value.messages)


def test_rules():
    assert money(12_000_000) == "12.000.000 đ"
    assert split_evenly(10, [5, 3, 4]) == {3: 4, 4: 3, 5: 3}
    assert sum(split_evenly(1_000_001, [1, 2, 3]).values()) == 1_000_001
    assert rate(1, 3) == rate(2, 6) and rate(5, 0) is None


def test_a_plan_allocation_and_disbursement(cast, ba_to):
    plan = make_plan(cast.admin, ba_to, amount=100_000_000, carried_over=20_000_000)
    assert plan.total == 120_000_000 and plan.starts_on == dt.date(2026, 1, 1)
    allocation = allocate(cast.district, plan, ba_to, amount=120_000_000)
    disburse(cast.district, allocation, amount=30_000_000)
    assert Disbursement.objects.get().allocation == allocation


def test_allocations_may_not_exceed_the_plan(cast, ba_to):
    plan = make_plan(cast.admin, ba_to, amount=100_000_000, carried_over=12_000_000)
    allocate(cast.district, plan, ba_to, amount=100_000_000)
    before = counts()
    with pytest.raises(ValidationError) as error:
        allocate(cast.district, plan, ba_to, amount=12_000_001)
    assert "Vượt kế hoạch vốn: còn lại 12.000.000 đ" in messages(error)
    assert counts() == before
    allocate(cast.district, plan, ba_to, amount=12_000_000)  # exactly what is left


def test_disbursements_may_not_exceed_the_allocation(cast, ba_to):
    plan = make_plan(cast.admin, ba_to)
    allocation = allocate(cast.district, plan, ba_to, amount=40_000_000)
    disburse(cast.district, allocation, amount=28_000_000)
    before = counts()
    with pytest.raises(ValidationError) as error:
        disburse(cast.district, allocation, amount=12_000_001)
    assert "Vượt số vốn đã phân bổ: còn lại 12.000.000 đ" in messages(error)
    assert counts() == before


def test_an_allocation_cannot_shrink_below_its_disbursements_nor_be_deleted(cast, ba_to):
    plan = make_plan(cast.admin, ba_to)
    allocation = allocate(cast.district, plan, ba_to, amount=40_000_000)
    disburse(cast.district, allocation, amount=30_000_000)
    with pytest.raises(ValidationError) as error:
        services.allocation_update(
            by=cast.district, allocation=allocation, amount=29_999_999, allocated_on=DAY
        )
    assert "đã giải ngân 30.000.000 đ" in messages(error)
    with pytest.raises(ValidationError) as error:
        services.allocation_delete(by=cast.district, allocation=allocation)
    assert "không xoá được" in messages(error)
    allocation.refresh_from_db()
    assert allocation.amount == 40_000_000 and counts() == (1, 1, 1)
    services.allocation_update(
        by=cast.district, allocation=allocation, amount=30_000_000, allocated_on=DAY
    )
    # growing it past the plan is refused like a new one
    with pytest.raises(ValidationError) as error:
        services.allocation_update(
            by=cast.district, allocation=allocation, amount=100_000_001, allocated_on=DAY
        )
    assert "còn lại 100.000.000 đ" in messages(error)


def test_an_allocation_without_disbursements_is_deleted(cast, ba_to):
    plan = make_plan(cast.admin, ba_to)
    allocation = allocate(cast.district, plan, ba_to)
    services.allocation_delete(by=cast.district, allocation=allocation)
    assert counts() == (1, 0, 0)


def test_a_plan_cannot_shrink_below_its_allocations(cast, ba_to):
    plan = make_plan(cast.admin, ba_to)
    allocate(cast.district, plan, ba_to, amount=60_000_000)
    with pytest.raises(ValidationError) as error:
        services.plan_update(by=cast.admin, plan=plan, amount=50_000_000, carried_over=0)
    assert "đã phân bổ 60.000.000 đ" in messages(error)
    plan.refresh_from_db()
    assert plan.amount == 100_000_000
    services.plan_update(by=cast.admin, plan=plan, amount=50_000_000, carried_over=10_000_000)


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2025, 12, 31), "phải trong năm kế hoạch 2026"),
        (dt.date(2027, 1, 1), "phải trong năm kế hoạch 2026"),
    ],
)
def test_dates_stay_in_the_plans_year(cast, ba_to, day, words):
    plan = make_plan(cast.admin, ba_to)
    with pytest.raises(ValidationError) as error:
        allocate(cast.district, plan, ba_to, day=day)
    assert words in messages(error)
    allocation = allocate(cast.district, plan, ba_to)
    with pytest.raises(ValidationError) as error:
        disburse(cast.district, allocation, day=day)
    assert words in messages(error)
    with pytest.raises(ValidationError) as error:
        disburse(cast.district, allocation, day=DAY - dt.timedelta(days=1))
    assert "không được trước ngày phân bổ" in messages(error)
    assert counts() == (1, 1, 0)


def test_targets_must_lie_under_the_plans_unit(cast, ba_to, son_tinh):
    plan = make_plan(cast.admin, ba_to)
    with pytest.raises(ValidationError) as error:
        allocate(cast.admin, plan, son_tinh)
    assert "không thuộc Xã Ba Tơ" in messages(error)
    province_plan = make_plan(cast.admin, unit("51"), number="3.2")
    with pytest.raises(ValidationError) as error:
        allocate(cast.admin, province_plan, unit("51"))
    assert "Chỉ phân bổ vốn về cấp xã" in messages(error)
    old = unit("21484", dt.date(2024, 6, 1))  # Thị trấn Ba Tơ, gone on 1 July 2025
    with pytest.raises(ValidationError) as error:
        allocate(cast.admin, province_plan, old)
    assert counts() == (2, 0, 0)


def test_a_plan_unit_must_exist_in_its_year(cast, program):
    old_district = unit("535", dt.date(2024, 6, 1))
    with pytest.raises(ValidationError) as error:
        make_plan(cast.admin, old_district, year=2026)
    assert "không còn hiệu lực trong năm 2026" in messages(error)
    make_plan(cast.admin, old_district, year=2024)
    with pytest.raises(ValidationError) as error:
        make_plan(cast.admin, old_district, year=2024)
    assert "Đã có dòng kế hoạch năm 2024" in messages(error)
    assert CapitalPlan.objects.count() == 1


def test_project_allocations(cast, ba_to, son_tinh):
    plan = make_plan(cast.admin, ba_to)
    draft = proposal(cast.officer, [ba_to], households(cast.officer, ba_to, 2))
    with pytest.raises(ValidationError) as error:
        allocate(cast.district, plan, project=draft)
    assert "chưa được phê duyệt" in messages(error)
    project = approved(draft, cast.officer, cast.district)
    allocation = allocate(cast.district, plan, project=project, amount=30_000_000)
    disburse(cast.district, allocation, amount=30_000_000)
    other = make_plan(cast.admin, ba_to, number="2")
    with pytest.raises(ValidationError) as error:
        allocate(cast.district, other, project=project)
    assert "không thuộc 2 của kế hoạch" in messages(error)


def test_who_may_write(cast, ba_to, son_tinh):
    with pytest.raises(PermissionDenied):
        make_plan(cast.district, ba_to)
    with pytest.raises(PermissionDenied):
        make_plan(cast.leader, ba_to)
    plan = make_plan(cast.admin, ba_to)
    for user in (cast.officer, cast.leader, cast.outsider):
        with pytest.raises(PermissionDenied):
            allocate(user, plan, ba_to)
    allocation = allocate(cast.district, plan, ba_to)
    for user in (cast.officer, cast.leader, cast.outsider):
        with pytest.raises(PermissionDenied):
            disburse(user, allocation)
    assert counts() == (1, 1, 0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_cannot_exceed_the_plan(cast, program):
    """Six threads, each its own connection, allocate 30 million of a 100 million plan at once:
    three pass, three are refused, and the plan is never overrun (PostgreSQL)."""
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    ba_to = unit("21484")
    plan = make_plan(cast.admin, ba_to, amount=100_000_000)
    barrier = threading.Barrier(6)
    done, refused, errors = [], [], []

    def take():
        try:
            barrier.wait(5)
            allocate(cast.district, plan, ba_to, amount=30_000_000)
            done.append(1)
        except ValidationError:
            refused.append(1)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert (len(done), len(refused)) == (3, 3)
    assert sum(Allocation.objects.values_list("amount", flat=True)) == 90_000_000


@pytest.mark.django_db(transaction=True)
def test_concurrent_disbursements_cannot_exceed_the_allocation(cast, program):
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    ba_to = unit("21484")
    allocation = allocate(cast.district, make_plan(cast.admin, ba_to), ba_to, amount=50_000_000)
    barrier = threading.Barrier(4)
    errors = []

    def take():
        try:
            barrier.wait(5)
            disburse(cast.district, allocation, amount=20_000_000)
        except ValidationError:
            pass
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert sum(Disbursement.objects.values_list("amount", flat=True)) == 40_000_000


def test_a_wrong_disbursement_is_deleted_with_its_history_kept(cast, ba_to):
    allocation = allocate(cast.district, make_plan(cast.admin, ba_to), ba_to)
    wrong = disburse(cast.district, allocation, amount=10_000_000)
    with pytest.raises(PermissionDenied):
        services.disbursement_delete(by=cast.officer, disbursement=wrong)
    services.disbursement_delete(by=cast.district, disbursement=wrong)
    assert not Disbursement.objects.exists()
    assert Disbursement.history.filter(id=wrong.pk, history_type="-").exists()
