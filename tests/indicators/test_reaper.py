"""Rollup runs that finish or fail, never hang: parts recorded by key (a redelivery counts once),
a reaper that sends the missing parts again, then fails the run with a reference."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import pytest
from django.utils import timezone

from indicators import reaper, services
from indicators.models import RollupRun
from tests.indicators.test_rollups import assert_matches

pytestmark = pytest.mark.django_db


def test_a_redelivered_part_counts_once_and_the_merge_waits_for_every_part(
    two_rounds,
    django_capture_on_commit_callbacks,
):
    """Before: ``done_parts + 1`` for every delivery, so a part delivered twice started the
    merge before the last part was stored, and the run still ended DONE."""
    _, r26 = two_rounds
    with django_capture_on_commit_callbacks(execute=False):  # the parts' messages are not sent
        run = services.rollup_start(round_=r26)
    parts = services.partition(r26)
    assert len(parts) >= 2
    with django_capture_on_commit_callbacks(execute=False) as merges:
        services.rollup_part(run=run, commune_ids=parts[0])
        services.rollup_part(run=run, commune_ids=parts[0])  # redelivered after a worker died
        for part in parts[1:-1]:
            services.rollup_part(run=run, commune_ids=part)
    run.refresh_from_db()
    assert run.done_parts == len(parts) - 1 and not merges  # no merge yet
    with django_capture_on_commit_callbacks(execute=True) as merges:
        services.rollup_part(run=run, commune_ids=parts[-1])
    assert len(merges) == 1
    run.refresh_from_db()
    assert run.status == "done" and run.done_parts == len(parts)
    assert_matches(r26)


def test_the_reaper_sends_the_missing_parts_again(two_rounds, django_capture_on_commit_callbacks):
    _, r26 = two_rounds
    with django_capture_on_commit_callbacks(execute=False):
        run = services.rollup_start(round_=r26)
    parts = services.partition(r26)
    services.rollup_part(run=run, commune_ids=parts[0])  # then the worker was killed
    RollupRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):  # the merge, after the last part
        assert reaper.reap() == {"resent": 1, "failed": 0}  # the missing parts run inline
    run.refresh_from_db()
    assert run.status == "done" and run.attempts == 1
    assert_matches(r26)


def test_a_run_that_never_moves_fails_with_a_reference(
    two_rounds, django_capture_on_commit_callbacks
):
    _, r26 = two_rounds
    with django_capture_on_commit_callbacks(execute=False):
        run = services.rollup_start(round_=r26)
    RollupRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=2), attempts=reaper.MAX_ATTEMPTS
    )
    assert reaper.reap() == {"resent": 0, "failed": 1}
    run.refresh_from_db()
    assert run.status == "failed" and run.reference in run.error


def test_with_redis_down_sending_a_task_takes_no_time():
    """Before: the Redis result backend retried its connection 20 times, a 19 s survey save.
    A separate process, with REDIS_URL on a port where nothing listens."""
    code = (
        "import django, time; django.setup()\n"
        "from indicators.tasks import outbox_drain_task\n"
        "from povertyportal.celery import BROKER_ERRORS\n"
        "t = time.monotonic()\n"
        "try:\n    outbox_drain_task.delay()\nexcept BROKER_ERRORS:\n    pass\n"
        "print(time.monotonic() - t)\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "povertyportal.settings",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "PATH": "/usr/bin:/bin",
    }
    started = time.monotonic()
    out = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert float(out.stdout.strip().splitlines()[-1]) < 2.0
    assert time.monotonic() - started < 30
