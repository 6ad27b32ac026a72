"""A full recompute on PostgreSQL with a real Celery worker consuming from Redis."""

import os
import time

import pytest
from django.db import connection

from indicators import services
from indicators.models import RollupRun
from tests.conftest import require
from tests.indicators.test_rollups import assert_matches, two_rounds  # noqa: F401 (fixture)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_full_recompute_with_a_real_worker(two_rounds, celery_eager):  # noqa: F811
    require(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set (no broker)")
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    from celery.contrib.testing.worker import start_worker

    _, r26 = two_rounds
    app = celery_eager
    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False):
        run = services.rollup_start(round_=r26)  # queued on commit, to Redis
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status in ("done", "failed"):
                break
            time.sleep(0.2)
    assert run.status == "done", run.error
    assert run.done_parts == run.total_parts > 1
    assert RollupRun.objects.filter(round=r26, status="done", full=True).exists()
    assert_matches(r26)
