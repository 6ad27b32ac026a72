"""The communication indicators stored by the rollup equal an independent count from the raw
rows, for a commune, a former-district group and the province; a change recounts them; a target
on one shows on the dashboard's target list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from areas.models import Level
from communication.models import Activity, InformationKind
from households.models import Survey
from indicators import services as indicator_services
from indicators.models import Indicator, IndicatorValue, Target
from indicators.selectors import owner_for, targets_for
from support import services as support_services
from support.models import SupportKind, SupportRecord
from tests.conftest import unit
from tests.indicators.independent import sample_owners
from tests.support.conftest import YEAR, classified

from .conftest import activity

pytestmark = pytest.mark.django_db

CODES = ("communication_activities", "communication_reach", "information_support_households")


def independent(round_, paths: list[str]) -> dict[str, int]:
    """From the raw rows, one by one (a test may loop; the rollup may not)."""
    first, last = dt.date(round_.year, 1, 1), dt.date(round_.year, 12, 31)
    mine = [
        a
        for a in Activity.objects.select_related("unit")
        if a.unit.level == Level.COMMUNE
        and first <= a.held_on <= last
        and any(a.unit.path.startswith(p) for p in paths)
    ]
    info = set(InformationKind.objects.values_list("support_kind_id", flat=True))
    informed = 0
    for s in Survey.objects.filter(round=round_).select_related("commune"):
        if s.effective_class not in ("poor", "near_poor"):
            continue
        if not any(s.commune.path.startswith(p) for p in paths):
            continue
        informed += any(
            r.kind_id in info and first <= r.received_on <= last
            for r in SupportRecord.objects.filter(household_id=s.household_id)
        )
    return {
        "communication_activities": len(mine),
        "communication_reach": sum(a.reach for a in mine),
        "information_support_households": informed,
    }


def stored(round_, code, **owner):
    row = IndicatorValue.objects.filter(round=round_, indicator__code=code, **owner).first()
    return None if row is None else row.numerator


def record(by, household, code, day, **amount):
    support_services.support_record(
        by=by, household=household, kind=SupportKind.objects.get(code=code), source="central",
        received_on=day, **(amount or {"quantity": 1}),
    )  # fmt: skip


@pytest.fixture
def communicated(cast, homes, django_capture_on_commit_callbacks):
    ba_to, ba_vinh, son_tinh = homes.ba_to, unit("21490"), homes.son_tinh
    with django_capture_on_commit_callbacks(execute=True):
        more = classified(cast.officer, homes.round, ba_to, "poor", "Hồ Văn Thêm")
        activity(cast.officer, ba_to, reach=80)
        activity(cast.officer, ba_to, code="printed", reach=20, held_on=dt.date(YEAR, 2, 1))
        activity(cast.officer, ba_to, reach=999, held_on=dt.date(YEAR - 1, 6, 1))  # last year
        activity(cast.district, ba_vinh, code="equipment", reach=300)
        activity(cast.admin, unit("51"), code="broadcast", reach=10_000)  # not per commune
        activity(cast.outsider, son_tinh, reach=45)
        record(cast.officer, homes.poor, "info-tv", dt.date(YEAR, 4, 1))
        record(cast.officer, homes.poor, "info-phone", dt.date(YEAR, 5, 1))  # same household
        record(cast.officer, more, "info-radio", dt.date(YEAR - 1, 5, 1))  # last year
        record(cast.officer, homes.near, "housing", dt.date(YEAR, 5, 1), amount=1_000_000)
        record(cast.outsider, homes.outside, "info-internet", dt.date(YEAR, 3, 1))
        indicator_services.indicators_load()
        indicator_services.rollup_start(round_=homes.round)
    return homes


def test_values_equal_an_independent_count(communicated):
    round_ = communicated.round
    owners = sample_owners(round_, communicated.ba_to, communicated.son_tinh)
    province = owners["province"][0]["unit"]
    for name, (owner, paths) in owners.items():
        counts = independent(round_, paths)
        for code in CODES:
            assert (stored(round_, code, **owner) or 0) == counts[code], (name, code)
    # by hand: Ba Tơ held 2 activities this year reaching 100, one household informed
    assert stored(round_, "communication_activities", unit=communicated.ba_to) == 2
    assert stored(round_, "communication_reach", unit=communicated.ba_to) == 100
    assert stored(round_, "information_support_households", unit=communicated.ba_to) == 1
    # the province's own broadcast is not a commune's: 4 commune activities in the province
    assert stored(round_, "communication_activities", unit=province) == 4
    assert stored(round_, "communication_reach", unit=province) == 445
    assert stored(round_, "information_support_households", unit=province) == 2


def test_a_new_activity_recounts_the_commune(
    cast, communicated, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        activity(cast.officer, communicated.ba_to, code="event", reach=50)
    round_ = communicated.round
    assert stored(round_, "communication_activities", unit=communicated.ba_to) == 3
    assert stored(round_, "communication_reach", unit=communicated.ba_to) == 150


def test_a_target_on_a_communication_indicator_shows_on_the_dashboard(cast, communicated):
    round_ = communicated.round
    province = unit("51")
    Target.objects.create(
        indicator=Indicator.objects.get(code="communication_activities"),
        unit=province, year=YEAR, kind="at_least", low=Decimal("10"), source="Kế hoạch 2024",
    )  # fmt: skip
    owner, scope = owner_for(cast.leader, round_, unit_pk=province.pk)
    rows = [r for r in targets_for(round_, scope, owner)
            if r.target.indicator.code == "communication_activities"]  # fmt: skip
    assert len(rows) == 1
    assert rows[0].actual == Decimal(4)
