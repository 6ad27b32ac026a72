"""user_scope: who sees and changes which communes at a date, in a bounded number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from areas.models import Assignment, Role, Unit
from areas.scope import Capability, user_scope
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NOW = dt.date(2026, 11, 28)
BEFORE_REFORM = dt.date(2024, 10, 1)


def codes(qs):
    return sorted(qs.values_list("code", flat=True))


def test_officer_sees_and_changes_only_their_commune(cast):
    scope = user_scope(cast.officer, NOW)
    assert codes(scope.communes()) == ["21484"]
    assert codes(scope.communes(Capability.ENTER)) == ["21484"]
    assert not scope.can(Capability.REVIEW)
    # before the reform the same code was Thị trấn Ba Tơ, another unit
    old = user_scope(cast.officer, BEFORE_REFORM).communes().get()
    assert old.kind == "thi_tran"


def test_district_staff_see_their_district_but_enter_nothing(cast):
    scope = user_scope(cast.district, NOW)
    assert len(codes(scope.communes())) == 8
    assert all(c.startswith("21") for c in codes(scope.communes()))
    assert codes(scope.communes(Capability.ENTER)) == []
    assert codes(scope.communes(Capability.REVIEW)) == codes(scope.communes())
    before = user_scope(cast.district, BEFORE_REFORM)
    assert before.communes().count() == 19
    assert set(before.communes().values_list("parent__code", flat=True)) == {"535"}


def test_leader_sees_the_province_and_changes_nothing(cast):
    now = user_scope(cast.leader, NOW)
    assert now.communes().count() == 96
    assert not now.can(Capability.ENTER)
    assert not now.can(Capability.REVIEW)
    before = user_scope(cast.leader, BEFORE_REFORM)
    assert before.communes().count() == 170
    # old Kon Tum was another province before the reform
    assert not before.communes().filter(parent__parent__code="62").exists()
    kon_tum_commune = Unit.objects.valid_on(BEFORE_REFORM).get(code="23293")
    assert not before.covers(kon_tum_commune)


def test_nobody_sees_another_province(cast):
    kon_tum = Unit.objects.valid_on(BEFORE_REFORM).filter(parent__parent__code="62")
    for user in cast.all():
        scope = user_scope(user, BEFORE_REFORM)
        assert not scope.communes().filter(pk__in=kon_tum).exists(), user


def test_assignments_outside_their_dates_count_for_nothing(cast):
    user = make_user(
        "expired",
        Role.COMMUNE_OFFICER,
        (Unit.objects.valid_on(NOW).get(code="21490"), dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        (Unit.objects.valid_on(NOW).get(code="21496"), dt.date(2027, 1, 1), None),
    )
    assert codes(user_scope(user, NOW).communes()) == []
    assert codes(user_scope(user, dt.date(2025, 12, 31)).communes()) == ["21490"]
    assert codes(user_scope(user, dt.date(2027, 1, 1)).communes()) == ["21496"]


def test_outsider_does_not_see_ba_to(cast):
    scope = user_scope(cast.outsider, NOW)
    assert codes(scope.communes()) == ["21220"]
    assert not scope.covers(Unit.objects.valid_on(NOW).get(code="21484"))


def test_inactive_and_anonymous_users_see_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    cast.officer.is_active = False
    assert not user_scope(cast.officer, NOW).communes().exists()
    assert not user_scope(AnonymousUser(), NOW).communes().exists()


def test_query_count_does_not_grow_with_assignments(cast):
    def queries_for(user):
        with CaptureQueriesContext(connection) as ctx:
            list(user_scope(user, NOW).communes())
        return len(ctx)

    base = queries_for(cast.district)
    many = make_user("many", Role.COMMUNE_OFFICER)
    communes = list(Unit.objects.valid_on(NOW).communes()[:40])
    Assignment.objects.bulk_create(
        Assignment(user=many, role=Role.COMMUNE_OFFICER, unit=u, valid_from=dt.date(2025, 7, 1))
        for u in communes
    )
    Assignment.objects.create(
        user=many,
        role=Role.DISTRICT_STAFF,
        group=cast.district.assignments.get().group,
        valid_from=dt.date(2025, 7, 1),
    )
    assert base <= 3
    assert queries_for(many) <= 3
    assert user_scope(many, NOW).communes().count() == len(
        {u.pk for u in communes}
        | set(user_scope(cast.district, NOW).communes().values_list("pk", flat=True))
    )
