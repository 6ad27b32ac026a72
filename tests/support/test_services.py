"""Support services: who may record, for which households, and the date and amount rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from support import services
from support.models import HelperAssignment, PlanStatus, SupportRecord, Visit

from .conftest import kind

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 1)


def assign(by, household, **over):
    data = {
        "helper_name": "Đinh Văn Đảng",
        "organisation": "Đảng ủy xã",
        "position": "đảng viên",
        "starts_on": DAY,
    }
    data.update(over)
    return services.helper_assign(by=by, household=household, **data)


def test_officer_assigns_a_helper_to_a_poor_household_and_records_a_visit(cast, homes):
    assignment = assign(cast.officer, homes.poor)
    visit = services.visit_record(
        by=cast.officer, assignment=assignment, visited_on=dt.date(2026, 10, 15),
        note="Hướng dẫn làm hồ sơ vay vốn",
    )  # fmt: skip
    assert assignment.created_by == cast.officer
    assert visit.assignment == assignment
    assert assign(cast.officer, homes.near).household == homes.near


def test_helper_refused_for_a_household_not_poor_or_near_poor(cast, homes):
    with pytest.raises(ValidationError, match="không thuộc diện hộ nghèo, cận nghèo"):
        assign(cast.officer, homes.average)
    with pytest.raises(ValidationError):
        services.plan_item_add(
            by=cast.officer, household=homes.average, kind=kind("housing"), action="Sửa nhà",
            due_on=DAY, responsible="UBND xã",
        )  # fmt: skip
    assert not HelperAssignment.objects.exists()


@pytest.mark.parametrize("who", ["district", "leader", "outsider"])
def test_only_the_communes_officer_records(cast, homes, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        assign(user, homes.poor)
    with pytest.raises(PermissionDenied):
        services.support_record(
            by=user, household=homes.poor, kind=kind("health-insurance"), source="central",
            received_on=DAY, quantity=2,
        )  # fmt: skip
    assert not HelperAssignment.objects.exists() and not SupportRecord.objects.exists()


def test_admin_records_anywhere(cast, homes):
    assert assign(cast.admin, homes.outside).household == homes.outside


def test_dates_checked(cast, homes):
    with pytest.raises(ValidationError) as error:
        assign(cast.officer, homes.poor, ends_on=DAY - dt.timedelta(days=1))
    assert "ends_on" in error.value.error_dict
    assignment = assign(cast.officer, homes.poor, ends_on=dt.date(2026, 10, 31))
    future = dt.date.today() + dt.timedelta(days=3)
    for day in (future, dt.date(2026, 9, 30), dt.date(2026, 11, 1)):
        with pytest.raises(ValidationError) as error:
            services.visit_record(by=cast.officer, assignment=assignment, visited_on=day,
                                  note="Thăm")  # fmt: skip
        assert "visited_on" in error.value.error_dict
    assert not Visit.objects.exists()
    with pytest.raises(ValidationError):
        services.helper_end(by=cast.officer, assignment=assignment, ends_on=DAY - dt.timedelta(1))


def test_plan_from_the_surveys_needs(cast, homes):
    item = services.plan_item_add(
        by=cast.officer, household=homes.poor, need="housing", kind=kind("housing"),
        action="Hỗ trợ xây nhà", due_on=dt.date(2026, 12, 31), responsible="UBND xã",
    )  # fmt: skip
    assert item.status == PlanStatus.PLANNED
    with pytest.raises(ValidationError) as error:
        services.plan_item_add(
            by=cast.officer, household=homes.poor, need="credit", kind=kind("credit"),
            action="Vay vốn", due_on=DAY, responsible="NHCSXH",
        )  # fmt: skip
    assert "need" in error.value.error_dict
    services.plan_item_set_status(by=cast.officer, item=item, status="dropped")
    item.refresh_from_db()
    assert item.status == PlanStatus.DROPPED
    with pytest.raises(PermissionDenied):
        services.plan_item_set_status(by=cast.district, item=item, status="done")


def test_support_record_rules(cast, homes):
    item = services.plan_item_add(
        by=cast.officer, household=homes.poor, need="health", kind=kind("health-insurance"),
        action="Cấp thẻ BHYT", due_on=dt.date(2026, 12, 31), responsible="BHXH huyện",
    )  # fmt: skip
    child = homes.poor.members.get(relation="child")
    stranger = homes.near.members.first()
    base = {"by": cast.officer, "household": homes.poor, "kind": kind("health-insurance"),
            "source": "central", "received_on": DAY}  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.support_record(**base)
    assert "amount" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.support_record(**base, quantity=1, member=stranger)
    assert "member" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.support_record(**{**base, "received_on": dt.date.today() + dt.timedelta(2)},
                                quantity=1)  # fmt: skip
    assert "received_on" in error.value.error_dict
    record = services.support_record(**base, quantity=1, member=child, plan_item=item)
    item.refresh_from_db()
    assert record.member == child and item.status == PlanStatus.DONE
    with pytest.raises(ValidationError):  # not poor, never followed
        services.support_record(**{**base, "household": homes.average}, amount=100_000)
    assert SupportRecord.objects.count() == 1


def test_retired_kind_refused(cast, homes):
    retired = kind("other")
    retired.active = False
    retired.save()
    with pytest.raises(ValidationError) as error:
        services.support_record(
            by=cast.officer, household=homes.poor, kind=retired, source="other",
            received_on=DAY, amount=500_000,
        )  # fmt: skip
    assert "kind" in error.value.error_dict
