"""The labour indicators stored by the rollup equal an independent count from the raw rows, for
a commune, a former-district group and the province; a new hire recounts them; hires feed the
sustainable-employment share; a target on one shows on the dashboard's target list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from areas.models import Level
from households.models import Survey
from indicators import services as indicator_services
from indicators.models import Indicator, IndicatorValue, Target
from indicators.selectors import owner_for, targets_for
from labour.models import JobFair, TrainingNeed
from projects.models import EmploymentRecord
from projects.services import employment_record_create
from tests.conftest import unit
from tests.indicators.independent import sample_owners

from .conftest import YEAR
from .factories import fair, hire, need

pytestmark = pytest.mark.django_db

CODES = ("training_needs_workers", "job_fair_hires", "workers_placed_abroad")


def head(household):
    return household.members.order_by("pk").first()


def independent(round_, paths: list[str]) -> dict[str, int]:
    """From the raw rows, entry by entry (a test may loop; the rollup may not)."""
    needs = abroad = 0
    for s in Survey.objects.filter(round=round_).select_related("commune"):
        if not any(s.commune.path.startswith(p) for p in paths):
            continue
        needs += TrainingNeed.objects.filter(
            member__household_id=s.household_id, year=round_.year
        ).count()
        abroad += sum(
            1
            for r in EmploymentRecord.objects.filter(member__household_id=s.household_id)
            if r.is_abroad and r.starts_on.year == round_.year
        )
    hires = sum(
        f.hires
        for f in JobFair.objects.select_related("unit")
        if f.held_on.year == round_.year
        and f.unit.level == Level.COMMUNE
        and any(f.unit.path.startswith(p) for p in paths)
    )
    return {"training_needs_workers": needs, "job_fair_hires": hires,
            "workers_placed_abroad": abroad}  # fmt: skip


def stored(round_, code, **owner):
    row = IndicatorValue.objects.filter(round=round_, indicator__code=code, **owner).first()
    return None if row is None else (row.numerator, row.denominator, row.value)


def expected(n):
    return (n, None, Decimal(n)) if n else None


@pytest.fixture
def placed(cast, homes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need(cast.officer, head(homes.poor))
        need(cast.officer, head(homes.near), code="construction", where="abroad")
        need(cast.officer, head(homes.near), on=dt.date(YEAR - 1, 5, 1))  # last year
        need(cast.outsider, head(homes.outside))
        made = fair(cast.officer, homes.ba_to, hires=7)
        hire(cast.officer, made, head(homes.poor), abroad=True)
        fair(cast.admin, unit("51"), hires=30)  # the province's: in no commune
        fair(cast.officer, homes.ba_to, held_on=dt.date(YEAR - 1, 6, 1), hires=4)  # last year
        employment_record_create(by=cast.outsider, member=head(homes.outside), contract="abroad",
                                 employer="Công ty XKLĐ", starts_on=dt.date(YEAR, 2, 1),
                                 is_abroad=True)  # fmt: skip
        employment_record_create(by=cast.officer, member=head(homes.near), contract="abroad",
                                 employer="Công ty XKLĐ", starts_on=dt.date(YEAR - 1, 2, 1),
                                 is_abroad=True)  # fmt: skip
        indicator_services.indicators_load()
        indicator_services.rollup_start(round_=homes.round)
    return homes


def test_values_equal_an_independent_count(placed):
    round_ = placed.round
    owners = sample_owners(round_, placed.ba_to, placed.son_tinh)
    province = owners["province"][0]["unit"]
    for name, (owner, paths) in owners.items():
        counts = independent(round_, paths)
        for code in CODES:
            assert stored(round_, code, **owner) == expected(counts[code]), (name, code)
    # by hand
    assert stored(round_, "training_needs_workers", unit=placed.ba_to)[0] == 2
    assert stored(round_, "training_needs_workers", unit=province)[0] == 3
    assert stored(round_, "job_fair_hires", unit=province)[0] == 7
    assert stored(round_, "workers_placed_abroad", unit=province)[0] == 2
    assert stored(round_, "workers_placed_abroad", unit=placed.ba_to)[0] == 1


def test_a_hire_recounts_and_feeds_sustainable_employment(
    cast, placed, django_capture_on_commit_callbacks
):
    round_ = placed.round
    before = stored(round_, "sustainable_employment_share", unit=placed.ba_to)
    made = JobFair.objects.filter(unit=placed.ba_to, held_on__year=YEAR).get()
    with django_capture_on_commit_callbacks(execute=True):
        hire(cast.officer, made, head(placed.near), abroad=True, starts_on=dt.date(YEAR, 6, 20))
    assert stored(round_, "workers_placed_abroad", unit=placed.ba_to)[0] == 2
    after = stored(round_, "sustainable_employment_share", unit=placed.ba_to)
    # Ba Tơ: 2 poor or near-poor entries; the poor head hired (sustainable) at the fair before,
    # now the near-poor head too
    assert before[:2] == (1, 2)
    assert after[:2] == (2, 2)


def test_a_target_on_a_labour_indicator_shows_on_the_dashboard(cast, placed):
    round_ = placed.round
    province = unit("51")
    Target.objects.create(
        indicator=Indicator.objects.get(code="workers_placed_abroad"),
        unit=province, year=YEAR, kind="at_least", low=Decimal("10"), source="Kế hoạch 2024",
    )  # fmt: skip
    owner, scope = owner_for(cast.leader, round_, unit_pk=province.pk)
    rows = [r for r in targets_for(round_, scope, owner)
            if r.target.indicator.code == "workers_placed_abroad"]  # fmt: skip
    assert len(rows) == 1
    assert rows[0].actual == Decimal(2)
