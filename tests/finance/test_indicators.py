"""The funds as program indicators: disbursement rate and funds disbursed per commune, group and
province, against an independent count from the raw rows; a target on the rate shows on the
dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from areas.models import UnitGroup
from areas.scope import user_scope
from finance.models import Allocation, Disbursement
from indicators import services as indicator_services
from indicators.models import Indicator, IndicatorValue, Target
from indicators.selectors import Owner, targets_for
from tests.conftest import unit
from tests.finance.conftest import allocate, disburse, make_plan
from tests.households.factories import open_round
from tests.projects.factories import approved, households, proposal

pytestmark = pytest.mark.django_db
YEAR = 2026
MILLION = Decimal(1_000_000)


@pytest.fixture
def funds(cast, program, django_capture_on_commit_callbacks):
    ba_to, ba_vinh, son_tinh = unit("21484"), unit("21490"), unit("21220")
    with django_capture_on_commit_callbacks(execute=True):
        round_ = open_round(cast.admin, YEAR)
        plan = make_plan(cast.admin, unit("51"), amount=500_000_000, carried_over=50_000_000)
        to_ba_to = allocate(cast.admin, plan, ba_to, amount=100_000_000)
        to_ba_vinh = allocate(cast.admin, plan, ba_vinh, amount=60_000_000)
        project = approved(
            proposal(cast.officer, [ba_to], households(cast.officer, ba_to, 1)),
            cast.officer, cast.district,
        )  # fmt: skip
        project.communes.add(ba_vinh)  # a project over two communes
        to_project = allocate(cast.admin, plan, project=project, amount=40_000_001)
        to_son_tinh = allocate(cast.admin, plan, son_tinh, amount=50_000_000)
        disburse(cast.district, to_ba_to, amount=70_000_000)
        disburse(cast.district, to_ba_vinh, amount=15_000_000)
        disburse(cast.district, to_project, amount=30_000_000)
        disburse(cast.admin, to_son_tinh, amount=50_000_000)
        # another year's allocation does not count in this round
        old = make_plan(cast.admin, ba_to, year=2025)
        allocate(cast.admin, old, ba_to, amount=10_000_000, day=dt.date(2025, 8, 1))
        indicator_services.rollup_start(round_=round_)
    return round_


def independent(communes) -> tuple[Decimal, Decimal]:
    """(disbursed, allocated) in millions, counted from the raw rows: allocations to the
    communes, and each project allocation's share (its communes in the set ÷ all its communes)."""
    ids = {c.pk for c in communes}
    rows = Allocation.objects.filter(plan__year=YEAR)
    allocated = Decimal(rows.filter(commune__in=ids).aggregate(s=Sum("amount"))["s"] or 0)
    paid = Decimal(
        Disbursement.objects.filter(allocation__in=rows, allocation__commune__in=ids).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    for allocation in rows.filter(project__isnull=False):
        mine = [c for c in allocation.project.communes.all() if c.pk in ids]
        n = allocation.project.communes.count()
        share = Decimal(len(mine)) / n
        allocated += allocation.amount * share
        spent = allocation.disbursements.aggregate(s=Sum("amount"))["s"] or 0
        paid += spent * share
    return paid / MILLION, allocated / MILLION


def stored(round_, code, **owner):
    return IndicatorValue.objects.get(round=round_, indicator__code=code, **owner)


@pytest.mark.parametrize("where", ["21484", "21490", "group", "51"])
def test_disbursement_rate_matches_an_independent_count(cast, funds, where):
    group = UnitGroup.objects.get(code="huyen-cu-535")
    if where == "group":
        owner = {"group": group}
        communes = list(group.members.filter(level="commune"))
    else:
        owner = {"unit": unit(where)}
        communes = list(unit(where).__class__.objects.valid_on(dt.date(YEAR, 11, 1)).filter(
            level="commune", path__startswith=unit(where).path))  # fmt: skip
    paid, allocated = independent(communes)
    rate = stored(funds, "disbursement_rate", **owner)
    assert rate.numerator.quantize(Decimal("0.01")) == paid.quantize(Decimal("0.01"))
    assert rate.denominator.quantize(Decimal("0.01")) == allocated.quantize(Decimal("0.01"))
    assert rate.value == (paid * 100 / allocated).quantize(Decimal("0.01"))
    disbursed = stored(funds, "funds_disbursed", **owner)
    assert disbursed.value.quantize(Decimal("0.01")) == paid.quantize(Decimal("0.01"))


def test_the_figures(funds):
    """The same, by hand: Ba Tơ 100 + 20 allocated, 70 + 15 disbursed; Ba Vinh 60 + 20, 15 + 15;
    the province adds Sơn Tịnh's 50 of 50."""
    assert stored(funds, "disbursement_rate", unit=unit("21484")).value == Decimal("70.83")
    assert stored(funds, "disbursement_rate", unit=unit("21490")).value == Decimal("37.50")
    assert stored(funds, "disbursement_rate", unit=unit("51")).value == Decimal("66.00")
    assert stored(funds, "funds_disbursed", unit=unit("51")).value == Decimal("165.00")


def test_a_disbursement_refreshes_the_values(cast, funds, django_capture_on_commit_callbacks):
    allocation = Allocation.objects.get(commune=unit("21490"))
    with django_capture_on_commit_callbacks(execute=True):
        disburse(cast.district, allocation, amount=45_000_000)
    assert stored(funds, "disbursement_rate", unit=unit("21490")).value == Decimal("93.75")


def test_a_target_on_the_rate_shows_on_the_dashboard(cast, funds, client):
    province = unit("51")
    Target.objects.create(
        indicator=Indicator.objects.get(code="disbursement_rate"), unit=province, year=YEAR,
        kind="at_least", low=Decimal("90"), source="Kế hoạch giải ngân",
    )  # fmt: skip
    rows = targets_for(funds, user_scope(cast.leader), Owner(unit=province))
    row = next(r for r in rows if r.target.indicator.code == "disbursement_rate")
    assert row.actual == Decimal("66.00")
    client.force_login(cast.leader)
    page = client.get(reverse("dashboard"), {"round": funds.pk, "unit": province.pk})
    body = page.content.decode()
    assert "Tỷ lệ giải ngân vốn đã phân bổ về xã, dự án" in body
    assert "66,00" in body or "66.00" in body
