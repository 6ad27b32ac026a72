"""A fault injected into a real worker: killed (SIGKILL) in the middle of a full recompute, on
PostgreSQL and Redis. Before: the run stayed "running" for good, its messages waited for Redis's
visibility timeout, and a redelivered part counted twice. Now the reaper sends the missing parts
to another worker and the run ends DONE with every figure right."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from indicators import reaper, services
from indicators.models import RollupRun
from tests.conftest import require
from tests.indicators.test_rollups import assert_matches

ROOT = Path(__file__).resolve().parents[2]


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "povertyportal", "worker", "-P", "solo",
         "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def worker_env(**extra) -> dict:
    """The environment of a worker process on the test database (committed data only)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, **extra}


def other_session():
    """A second connection to the test database, to hold locks the worker will wait for."""
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )


def _wait(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_rollup_is_replaced_and_the_run_finishes(two_rounds, celery_eager):
    require(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set (no broker)")
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    _, r26 = two_rounds
    app = celery_eager
    app.conf.task_always_eager = False
    app.control.purge()
    env = worker_env()
    # Hold the round's row: the first part computes its totals, then waits for this lock, so the
    # worker is killed in the middle of its work.
    lock = other_session()
    cursor = lock.cursor()
    # NO KEY UPDATE: the foreign keys to the round (a new run) pass, FOR UPDATE waits
    cursor.execute("SELECT 1 FROM households_reviewround WHERE id = %s FOR NO KEY UPDATE", [r26.pk])
    first = second = None
    try:
        first = _worker(env)
        run = services.rollup_start(round_=r26)  # sent to Redis on commit (autocommit here)

        def started():
            run.refresh_from_db()
            return run.heartbeat_at is not None

        assert _wait(started), "the worker never started the run"
        time.sleep(0.5)  # the part is now waiting for the lock
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        lock.rollback()
        run.refresh_from_db()
        assert run.status == "running" and run.done_parts < run.total_parts  # stuck

        second = _worker(env)
        RollupRun.objects.filter(pk=run.pk).update(
            heartbeat_at=timezone.now() - dt.timedelta(hours=1)
        )
        assert reaper.reap()["resent"] == 1

        def finished():
            run.refresh_from_db()
            return run.status in ("done", "failed")

        assert _wait(finished, 90), "the run did not finish after the reaper"
        assert run.status == "done", run.error
        assert run.done_parts == run.total_parts == len(run.parts_done)
        assert_matches(r26)
    finally:
        lock.close()
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                worker.wait(10)
        app.control.purge()
