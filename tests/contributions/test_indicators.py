"""``contributions_received`` against an independent count from the raw rows (a commune, a
former district's group, the province), a recount after a change, and a target on it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F, Sum
from django.urls import reverse

from areas.models import Unit, UnitGroup
from areas.scope import user_scope
from contributions.models import Contribution
from indicators import services as indicator_services
from indicators.models import Indicator, IndicatorValue, Target
from indicators.selectors import Owner, targets_for
from tests.conftest import unit
from tests.households.factories import open_round

from .conftest import give

pytestmark = pytest.mark.django_db
YEAR = 2026
MILLION = Decimal(1_000_000)


@pytest.fixture
def fund(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        round_ = open_round(cast.admin, YEAR)
        give(cast.officer, unit("21484"), cash=50_000_000, in_kind="Xi măng",
             in_kind_value=30_000_000)  # fmt: skip
        give(cast.officer, unit("21484"), cash=1_500_000, name="Ông Nguyễn Văn B",
             donor_kind="individual", anonymous=True)  # fmt: skip
        give(cast.admin, unit("21490"), cash=20_000_000)
        give(cast.outsider, unit("21220"), cash=10_000_000)
        give(cast.admin, unit("51"), cash=100_000_000)  # the province's fund: not a commune's
        give(cast.officer, unit("21484"), cash=7_000_000, day=dt.date(2025, 8, 1))  # other year
        indicator_services.rollup_start(round_=round_)
    return round_


def independent(communes) -> Decimal:
    rows = Contribution.objects.filter(received_on__year=YEAR, unit__in=[c.pk for c in communes])
    total = rows.aggregate(s=Sum(F("cash_amount") + F("in_kind_value")))["s"] or 0
    return Decimal(total) / MILLION


def stored(round_, **owner) -> IndicatorValue:
    return IndicatorValue.objects.get(
        round=round_, indicator__code="contributions_received", **owner
    )


@pytest.mark.parametrize("where", ["21484", "21490", "group", "51"])
def test_received_matches_an_independent_count(fund, where):
    if where == "group":
        group = UnitGroup.objects.get(code="huyen-cu-535")
        owner = {"group": group}
        communes = list(group.members.filter(level="commune"))
    else:
        owner = {"unit": unit(where)}
        communes = list(
            Unit.objects.valid_on(dt.date(YEAR, 11, 1)).filter(
                level="commune", path__startswith=unit(where).path
            )
        )
    value = stored(fund, **owner)
    assert value.value.quantize(Decimal("0.01")) == independent(communes).quantize(Decimal("0.01"))


def test_the_figures(fund):
    """By hand: Ba Tơ 50 + 30 + 1.5; the province adds Ba Vinh's 20 and Sơn Tịnh's 10, not its
    own fund's 100 nor 2025's 7."""
    assert stored(fund, unit=unit("21484")).value == Decimal("81.50")
    assert stored(fund, unit=unit("51")).value == Decimal("111.50")


def test_a_contribution_refreshes_the_values(cast, fund, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        give(cast.admin, unit("21490"), cash=5_000_000)
    assert stored(fund, unit=unit("21490")).value == Decimal("25.00")


def test_a_target_on_it_shows_on_the_dashboard(cast, fund, client):
    province = unit("51")
    Target.objects.create(
        indicator=Indicator.objects.get(code="contributions_received"), unit=province, year=YEAR,
        kind="at_least", low=Decimal("200"), source="Kế hoạch vận động",
    )  # fmt: skip
    rows = targets_for(fund, user_scope(cast.leader), Owner(unit=province))
    row = next(r for r in rows if r.target.indicator.code == "contributions_received")
    assert row.actual == Decimal("111.50")
    client.force_login(cast.leader)
    page = client.get(reverse("dashboard"), {"round": fund.pk, "unit": province.pk})
    assert "Đóng góp Quỹ Vì người nghèo của xã tiếp nhận trong năm" in page.content.decode()


def test_a_former_communes_contribution_counts_in_the_new_tree_round(
    cast, django_capture_on_commit_callbacks
):
    """A contribution to Thị trấn Ba Tơ's fund on 1 March 2025 counts, in the 2025 round (new
    tree), for the communes it was merged into, shared equally."""
    from areas.models import UnitSuccession

    old = unit("21484", dt.date(2025, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        round_ = open_round(cast.admin, 2025)
        give(cast.officer, old, cash=9_000_000, day=dt.date(2025, 3, 1))
        indicator_services.rollup_start(round_=round_)
    successors = list(UnitSuccession.objects.filter(old=old).values_list("new", flat=True))
    assert successors
    share = Decimal(9_000_000 // len(successors)) / MILLION
    for new in successors:
        value = stored(round_, unit_id=new).value
        assert share <= value <= share + Decimal("0.01")
    assert stored(round_, unit=unit("51")).value == Decimal("9.00")
