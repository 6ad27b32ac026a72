"""Durable rollup requests (indicators/outbox.py): a change owes its rollup in its own
transaction; a broker that does not answer loses nothing and holds no save."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from households.models import Survey
from indicators import outbox, services
from indicators.models import IndicatorValue, RollupRun, StaleCommune
from tests.conftest import unit
from tests.households.factories import POOR_FIELDS, save
from tests.indicators.test_rollups import cast_admin, run_all

pytestmark = pytest.mark.django_db


def poor(round_, commune):
    return IndicatorValue.objects.get(round=round_, unit=commune, indicator__code="poor_households")


@pytest.fixture
def rolled(two_rounds, django_capture_on_commit_callbacks):
    r25, r26 = two_rounds
    assert StaleCommune.objects.filter(round=r26).exists()  # the fixture's saves owe rollups
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.rollup_start(round_=r25)
        services.rollup_start(round_=r26)
    run_all(callbacks)
    assert not StaleCommune.objects.exists()  # the full runs settled them
    return r26


def test_a_rolled_back_change_owes_nothing(rolled):
    survey = Survey.objects.filter(round=rolled, commune=unit("21484"), status="surveyed").first()
    with pytest.raises(RuntimeError), transaction.atomic():
        save(cast_admin(), survey, **POOR_FIELDS)
        assert StaleCommune.objects.filter(round=rolled, commune=unit("21484")).exists()
        raise RuntimeError("the request fails after the save")
    assert not StaleCommune.objects.exists()


def test_a_change_owes_its_rollup_until_a_drain_pays_it(rolled, django_capture_on_commit_callbacks):
    ba_to = unit("21484")
    before = poor(rolled, ba_to).value
    survey = (
        Survey.objects.filter(round=rolled, commune=ba_to, status="surveyed")
        .exclude(poverty_class="poor")
        .first()
    )
    with django_capture_on_commit_callbacks(execute=False):  # the request to the broker is lost
        save(cast_admin(), survey, **POOR_FIELDS)
    assert outbox.waiting(rolled) == 1
    assert poor(rolled, ba_to).value == before  # stale, and the page says so
    assert outbox.drain() == 1  # beat, a minute later
    assert outbox.waiting(rolled) == 0
    assert poor(rolled, ba_to).value == before + 1


def test_a_change_during_the_rollup_stays_owed(rolled):
    """The rollup read the row's version before the totals; a change that came after bumps the
    version, so settling leaves the row for the next drain."""
    ba_to = unit("21484")
    outbox.mark_stale(rolled.pk, [ba_to.pk])
    seen = outbox.versions(rolled, [ba_to.pk])
    outbox.mark_stale(rolled.pk, [ba_to.pk])  # a save commits while the totals are read
    outbox.settle(rolled, seen)
    assert StaleCommune.objects.get(round=rolled, commune=ba_to).version == 2
    outbox.drain()
    assert not StaleCommune.objects.exists()


def test_the_dashboard_says_how_many_communes_wait(client, cast, rolled):
    outbox.mark_stale(rolled.pk, [unit("21484").pk, unit("21490").pk])
    client.force_login(cast.leader)
    page = client.get("/chi-tieu/", {"round": rolled.pk}).content.decode()
    assert 'data-testid="waiting">2 xã đang chờ cập nhật số liệu' in page


def test_with_the_broker_down_a_save_returns_quickly_and_loses_nothing(
    rolled, broker_down, django_capture_on_commit_callbacks
):
    ba_to = unit("21484")
    before = poor(rolled, ba_to).value
    survey = (
        Survey.objects.filter(round=rolled, commune=ba_to, status="surveyed")
        .exclude(poverty_class="poor")
        .first()
    )
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        save(cast_admin(), survey, **POOR_FIELDS)
    assert time.monotonic() - started < 2.0
    assert outbox.waiting(rolled) == 1
    runs = RollupRun.objects.count()
    assert outbox.drain() == 1  # the broker is back: beat's drain
    assert RollupRun.objects.count() == runs + 1
    assert poor(rolled, ba_to).value == before + 1
