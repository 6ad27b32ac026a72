"""Rollups against an independent computation from the raw rows, for every indicator."""

import datetime as dt

import pytest

from areas.models import Unit, UnitGroup
from households.models import Survey
from households.services import (
    commune_accept,
    commune_submit,
    household_exclude,
    round_close,
)
from indicators import services
from indicators.models import CommuneTotals, Indicator, IndicatorValue, RollupRun
from tests.conftest import unit
from tests.households.factories import (
    NEAR_POOR_FIELDS,
    POOR_FIELDS,
    member,
    open_round,
    register,
    save,
)
from tests.indicators.independent import expected_values

pytestmark = pytest.mark.django_db

CLASS_FIELDS = {"poor": POOR_FIELDS, "near": NEAR_POOR_FIELDS, "none": {}}


def run_all(callbacks):
    """Execute on-commit callbacks (the eager Celery tasks) until none are left."""
    while callbacks:
        pending = list(callbacks)
        callbacks.clear()
        for callback in pending:
            callback()


@pytest.fixture
def two_rounds(cast, django_capture_on_commit_callbacks):
    """2025 (closed) and 2026 (open) on the new tree, three communes, every kind of change."""
    admin = cast.admin
    ba_to, ba_vinh, son_tinh = unit("21484"), unit("21490"), unit("21220")
    with django_capture_on_commit_callbacks() as callbacks:
        r25 = open_round(admin, 2025)
        plan = [
            (ba_to, "poor", "near"),
            (ba_to, "poor", "poor"),
            (ba_to, "poor", "none"),
            (ba_to, "near", "poor"),
            (ba_to, "none", None),  # carried over in 2026
            (ba_vinh, "poor", "exclude"),
            (ba_vinh, "near", "near"),
            (son_tinh, "none", None),
            (son_tinh, "poor", "poor"),
        ]
        households = []
        for i, (commune, first, _second) in enumerate(plan):
            members = [member(f"Chủ hộ {i}", ethnicity="hre" if i % 2 else "kinh")]
            if i % 3 == 0:
                members.append(member(f"Con {i}", relation="child", born=dt.date(2015, 1, 1)))
            h = register(admin, commune, members=members)
            save(admin, Survey.objects.get(household=h, round=r25), **CLASS_FIELDS[first])
            households.append(h)
        round_close(by=admin, round_=r25)
        r26 = open_round(admin, 2026)
        for h, (_commune, _first, second) in zip(households, plan, strict=True):
            survey = Survey.objects.get(household=h, round=r26)
            if second == "exclude":
                household_exclude(by=admin, survey=survey, reason="died")
            elif second is not None:
                save(admin, survey, **CLASS_FIELDS[second])
        newcomer = register(admin, son_tinh, arrival="moved_in")
        save(admin, Survey.objects.get(household=newcomer, round=r26), **POOR_FIELDS)
        register(admin, son_tinh)  # still pending
        commune_submit(by=admin, round_=r26, commune=ba_vinh)
        commune_accept(by=cast.district, submission=r26.submissions.get(commune=ba_vinh))
    callbacks.clear()  # the incremental runs queued above are not under test here
    return r25, r26


def units_to_check(round_):
    day = round_.reference_date
    province = Unit.objects.valid_on(day).get(code="51")
    communes = Unit.objects.valid_on(day).communes()
    checks = {("unit", province.pk): set(communes.values_list("pk", flat=True))}
    for code in ("21484", "21490", "21220"):
        u = communes.get(code=code)
        checks[("unit", u.pk)] = {u.pk}
    for group in UnitGroup.objects.filter(code__in=["huyen-cu-535", "mien-nui", "huyen-cu-527"]):
        paths = tuple(group.members.values_list("path", flat=True))
        checks[("group", group.pk)] = {c.pk for c in communes if c.path.startswith(paths)}
    return checks


def assert_matches(round_):
    indicators = {i.code: i for i in Indicator.objects.exclude(kind="program")}
    for (kind, pk), commune_ids in units_to_check(round_).items():
        expected = expected_values(round_, commune_ids)
        stored = dict(
            IndicatorValue.objects.filter(round=round_, **{kind: pk}).values_list(
                "indicator__code", "value"
            )
        )
        assert set(stored) >= set(indicators), (kind, pk)
        for code in indicators:
            assert stored[code] == expected[code], (kind, pk, code)


def test_full_rollup_matches_independent_counts(two_rounds, django_capture_on_commit_callbacks):
    r25, r26 = two_rounds
    for round_ in (r25, r26):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.rollup_start(round_=round_)
        run.refresh_from_db()
        assert run.status == "done" and run.done_parts == run.total_parts > 1
        assert_matches(round_)


def test_2026_figures_that_matter(two_rounds, django_capture_on_commit_callbacks):
    _, r26 = two_rounds
    with django_capture_on_commit_callbacks(execute=True):
        services.rollup_start(round_=r26)
    ba_to = unit("21484")
    values = dict(
        IndicatorValue.objects.filter(round=r26, unit=ba_to).values_list("indicator__code", "value")
    )
    # 2025: 3 poor, 1 near-poor of 5; 2026: 2 poor (near->poor, poor->poor) of 5
    assert values["poor_rate"] == 40
    assert values["poor_rate_reduction"] == 20  # 60% -> 40%
    assert values["t_poor_to_near_poor"] == 1
    assert values["t_poor_to_none"] == 1
    assert values["t_near_poor_to_poor"] == 1
    stored = IndicatorValue.objects.filter(round=r26, unit=ba_to).first()
    assert stored.provisional  # Ba Tơ has not been accepted yet
    ba_vinh = IndicatorValue.objects.filter(round=r26, unit=unit("21490")).first()
    assert not ba_vinh.provisional


def test_incremental_touches_only_the_commune_line(two_rounds, django_capture_on_commit_callbacks):
    _, r26 = two_rounds
    with django_capture_on_commit_callbacks(execute=True):
        services.rollup_start(round_=r26)
    son_tinh = unit("21220")
    before = IndicatorValue.objects.get(round=r26, unit=son_tinh, indicator__code="poor_rate")
    survey = Survey.objects.filter(round=r26, commune=unit("21484"), status="surveyed").first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        save(cast_admin(), survey, **POOR_FIELDS)
    run_all(callbacks)
    run = RollupRun.objects.filter(full=False).latest("created_at")
    assert run.status == "done" and run.commune == unit("21484")
    after = IndicatorValue.objects.get(round=r26, unit=son_tinh, indicator__code="poor_rate")
    assert after.computed_at == before.computed_at  # untouched
    ba_to_value = IndicatorValue.objects.get(
        round=r26, unit=unit("21484"), indicator__code="poor_rate"
    )
    assert ba_to_value.computed_at > before.computed_at
    assert_matches(r26)


def cast_admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


def test_a_failing_merge_leaves_previous_values(
    two_rounds, django_capture_on_commit_callbacks, monkeypatch
):
    _, r26 = two_rounds
    with django_capture_on_commit_callbacks(execute=True):
        services.rollup_start(round_=r26)
    snapshot = sorted(IndicatorValue.objects.filter(round=r26).values_list("pk", "value"))

    def broken(*args, **kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr("indicators.services.values_by_owner_store", broken)
    # the callback is robust: the request that queued the run does not fail with it
    with django_capture_on_commit_callbacks(execute=True):
        services.rollup_start(round_=r26)
    run = RollupRun.objects.latest("created_at")
    # the page gives a reference, never the exception's text (it goes to the log)
    assert run.status == "failed" and run.reference in run.error
    assert "worker lost" not in run.error
    assert sorted(IndicatorValue.objects.filter(round=r26).values_list("pk", "value")) == snapshot


def test_interleaved_runs_do_not_double_count(two_rounds, django_capture_on_commit_callbacks):
    _, r26 = two_rounds
    with django_capture_on_commit_callbacks() as first:
        run_a = services.rollup_start(round_=r26)
    with django_capture_on_commit_callbacks() as second:
        run_b = services.rollup_start(round_=r26)
    parts = services.partition(r26)
    for commune_ids in parts:  # run A's parts, then B's, then both merges
        services.rollup_part(run=run_a, commune_ids=commune_ids)
    for commune_ids in parts:
        services.rollup_part(run=run_b, commune_ids=commune_ids)
    services.rollup_merge(run=run_b)
    services.rollup_merge(run=run_a)
    del first, second
    with_rows = set(Survey.objects.filter(round=r26).values_list("commune_id", flat=True))
    assert CommuneTotals.objects.filter(round=r26).count() == len(with_rows)
    province = unit("51")
    assert (
        IndicatorValue.objects.filter(round=r26, unit=province, indicator__code="poor_rate").count()
        == 1
    )
    assert_matches(r26)
