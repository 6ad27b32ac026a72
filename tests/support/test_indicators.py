"""The support indicators stored by the rollup equal an independent count from the raw rows, for
a commune, a former-district group and the province; a change recounts them; a target on one
shows on the dashboard's target list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from households.models import Survey
from indicators import services as indicator_services
from indicators.models import Indicator, IndicatorValue, Target
from indicators.rules import rate
from indicators.selectors import owner_for, targets_for
from support import services
from support.models import HelperAssignment, SupportPlanItem, SupportRecord
from tests.conftest import unit
from tests.indicators.independent import sample_owners

from .conftest import YEAR, classified, kind

pytestmark = pytest.mark.django_db

CODES = (
    "poor_near_with_helper_share",
    "poor_near_with_plan_share",
    "poor_near_supported_share",
    "households_supported",
)


def independent(round_, paths: list[str]) -> dict[str, tuple[int, int]]:
    """From the raw rows, household by household (a test may loop; the rollup may not)."""
    entries = [
        s
        for s in Survey.objects.filter(round=round_).select_related("commune")
        if s.effective_class in ("poor", "near_poor")
        and any(s.commune.path.startswith(p) for p in paths)
    ]
    first, last = dt.date(round_.year, 1, 1), dt.date(round_.year, 12, 31)
    helper = plan = supported = 0
    for s in entries:
        helper += any(
            a.starts_on <= last and (a.ends_on is None or a.ends_on >= first)
            for a in HelperAssignment.objects.filter(household_id=s.household_id)
        )
        plan += any(
            p.status != "dropped" and p.created_at.date() <= last and p.due_on >= first
            for p in SupportPlanItem.objects.filter(household_id=s.household_id)
        )
        supported += any(
            first <= r.received_on <= last
            for r in SupportRecord.objects.filter(household_id=s.household_id)
        )
    n = len(entries)
    return {
        "poor_near_with_helper_share": (helper, n),
        "poor_near_with_plan_share": (plan, n),
        "poor_near_supported_share": (supported, n),
        "households_supported": (supported, None),
    }


def stored(round_, code, **owner):
    row = IndicatorValue.objects.filter(round=round_, indicator__code=code, **owner).first()
    return None if row is None else (row.numerator, row.denominator, row.value)


def expected(counts):
    n, d = counts
    if d is None:
        return (n, None, Decimal(n)) if n else None
    return (n, d, rate(n, d)) if d else None


@pytest.fixture
def supported(cast, homes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        more = classified(cast.officer, homes.round, homes.ba_to, "poor", "Hồ Văn Thêm")
        services.helper_assign(
            by=cast.officer,
            household=homes.poor,
            helper_name="A",
            organisation="Đảng ủy xã",
            starts_on=dt.date(YEAR, 3, 1),
        )
        # ended last year: not a helper in the round's year
        services.helper_assign(by=cast.officer, household=more, helper_name="B",
                               organisation="Hội Nông dân", starts_on=dt.date(YEAR - 2, 1, 1),
                               ends_on=dt.date(YEAR - 1, 12, 31))  # fmt: skip
        services.plan_item_add(by=cast.officer, household=homes.near, need="credit",
                               kind=kind("credit"), action="Vay vốn", due_on=dt.date(YEAR, 12, 1),
                               responsible="NHCSXH")  # fmt: skip
        dropped = services.plan_item_add(
            by=cast.officer,
            household=more,
            kind=kind("other"),
            action="X",
            due_on=dt.date(YEAR, 12, 1),
            responsible="Y",
        )
        services.plan_item_set_status(by=cast.officer, item=dropped, status="dropped")
        services.support_record(by=cast.officer, household=homes.poor, kind=kind("housing"),
                                source="central", received_on=dt.date(YEAR, 5, 1),
                                amount=40_000_000)  # fmt: skip
        # last year's support does not count
        services.support_record(by=cast.officer, household=homes.near, kind=kind("credit"),
                                source="credit", received_on=dt.date(YEAR - 1, 5, 1),
                                amount=50_000_000)  # fmt: skip
        services.helper_assign(
            by=cast.outsider,
            household=homes.outside,
            helper_name="C",
            organisation="Đoàn Thanh niên",
            starts_on=dt.date(YEAR, 1, 1),
        )
        indicator_services.indicators_load()
        indicator_services.rollup_start(round_=homes.round)
    return homes


def test_values_equal_an_independent_count(supported):
    round_ = supported.round
    owners = sample_owners(round_, supported.ba_to, supported.son_tinh)
    province = owners["province"][0]["unit"]
    for name, (owner, paths) in owners.items():
        counts = independent(round_, paths)
        for code in CODES:
            assert stored(round_, code, **owner) == expected(counts[code]), (name, code)
    # and the figures themselves, by hand: Ba Tơ has 3 poor or near-poor entries
    assert stored(round_, "poor_near_with_helper_share", unit=supported.ba_to)[:2] == (1, 3)
    assert stored(round_, "poor_near_with_plan_share", unit=supported.ba_to)[:2] == (1, 3)
    assert stored(round_, "poor_near_supported_share", unit=supported.ba_to)[:2] == (1, 3)
    assert stored(round_, "poor_near_with_helper_share", unit=province)[:2] == (2, 4)


def test_a_new_record_recounts_the_commune(cast, supported, django_capture_on_commit_callbacks):
    round_ = supported.round
    with django_capture_on_commit_callbacks(execute=True):
        services.support_record(by=cast.officer, household=supported.near, kind=kind("credit"),
                                source="credit", received_on=dt.date(YEAR, 6, 1),
                                amount=30_000_000)  # fmt: skip
    assert stored(round_, "poor_near_supported_share", unit=supported.ba_to)[:2] == (2, 3)
    assert stored(round_, "households_supported", unit=unit("51"))[0] == 2


def test_a_target_on_a_support_indicator_shows_on_the_dashboard(cast, supported):
    round_ = supported.round
    province = unit("51")
    Target.objects.create(
        indicator=Indicator.objects.get(code="poor_near_with_helper_share"),
        unit=province, year=YEAR, kind="at_least", low=Decimal("80"), source="Kế hoạch 2024",
    )  # fmt: skip
    owner, scope = owner_for(cast.leader, round_, unit_pk=province.pk)
    rows = [r for r in targets_for(round_, scope, owner)
            if r.target.indicator.code == "poor_near_with_helper_share"]  # fmt: skip
    assert len(rows) == 1
    assert rows[0].actual == rate(2, 4)
