"""Faults during an import, on PostgreSQL: the database connection is lost in the middle of the
write (the server ends the session, as a restart or a network cut does). Nothing is half written,
and the job does not stay "running": the reaper takes it over and it ends, written once or
failed with a message."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from households.models import Household, Member, SurveyDeprivation
from households.services import bulk, rows
from reports import jobs
from reports.imports import services
from reports.models import Job, JobStatus
from tests.conftest import require
from tests.households.factories import open_round
from tests.reports.test_import_data import validate, xlsx
from tests.reports.test_import_flow import three_new


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _terminate(pid: int) -> None:
    """End a backend from another session, as the server would on a restart."""
    from tests.indicators.test_worker_killed import other_session

    other = other_session()
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


@pytest.mark.django_db(transaction=True)
def test_the_database_lost_during_an_import_writes_nothing_half_and_the_job_ends(cast, monkeypatch):
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    round_ = open_round(cast.admin, 2026)
    households_before = Household.objects.count()
    job = validate(cast.officer, round_, xlsx(*three_new(), round_))
    monkeypatch.setattr(bulk, "BULK_BATCH", 2)
    real = rows.insert
    calls = []

    def cut(model, batch, *args, **kwargs):
        if model is SurveyDeprivation:
            calls.append(1)
            if len(calls) == 2:  # the first batch is written (uncommitted) by now
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    _terminate(cursor.fetchone()[0])
        return real(model, batch, *args, **kwargs)

    monkeypatch.setattr(rows, "insert", cut)
    # confirmed: on commit the write runs (inline here) and loses its connection midway; the
    # task dies with it (in a worker: the process's task fails, the job row is not updated)
    with contextlib.suppress(Exception):
        services.import_confirm(by=cast.officer, job=job)
    connection.close()  # the next task gets a new connection (Celery closes stale ones)
    monkeypatch.setattr(rows, "insert", real)
    assert len(calls) >= 2
    # nothing of the interrupted write is there
    assert Household.objects.count() == households_before
    assert not Member.objects.filter(household__code__startswith="P1").exists()
    left = Job.objects.get(pk=job.pk)
    assert left.status in (JobStatus.RUNNING, JobStatus.FAILED)
    if left.status == JobStatus.RUNNING:  # its worker died with the connection: the reaper
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
        jobs.reap()
    ended = Job.objects.get(pk=job.pk)
    assert ended.finished, ended.status
    if ended.status == JobStatus.DONE:  # written once, whole
        assert Household.objects.count() == households_before + 3
    else:
        assert Household.objects.count() == households_before
        assert ended.reference in ended.error or "tải tệp lên lại" in ended.error.lower()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_is_replaced_and_the_import_written_once(
    cast, celery_eager, settings
):
    """A real worker (Celery on Redis) is killed (SIGKILL) while it writes an import: the job
    stays "running" until the reaper puts it back in the queue; another worker writes it, once."""
    import os
    import signal
    import time

    from tests.indicators.test_worker_killed import _wait, _worker, other_session, worker_env

    require(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set (no broker)")
    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    round_ = open_round(cast.admin, 2026)
    households_before = Household.objects.count()
    job = validate(cast.officer, round_, xlsx(*three_new(), round_))
    app = celery_eager
    app.conf.task_always_eager = False
    app.control.purge()
    # the stored plan is read from MEDIA_ROOT
    env = worker_env(DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT))
    # Hold the households table against inserts: the worker's write waits there, mid-job.
    lock = other_session()
    cursor = lock.cursor()
    cursor.execute("LOCK TABLE households_household IN SHARE MODE")
    first = second = None
    try:
        first = _worker(env)
        services.import_confirm(by=cast.officer, job=job)  # sent to Redis on commit

        def running():
            return Job.objects.get(pk=job.pk).status == JobStatus.RUNNING

        assert _wait(running), "the worker never took the job"
        time.sleep(0.5)  # now waiting for the lock, in the middle of its transaction
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        lock.rollback()
        assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING  # stuck, before
        assert Household.objects.count() == households_before  # nothing half written

        second = _worker(env)
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
        assert jobs.reap()["requeued"] == 1

        def finished():
            return Job.objects.get(pk=job.pk).finished

        assert _wait(finished, 90), "the job did not end after the reaper"
        ended = Job.objects.get(pk=job.pk)
        assert ended.status == JobStatus.DONE, ended.error
        assert Household.objects.count() == households_before + 3  # written once
    finally:
        lock.close()
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                worker.wait(10)
        app.control.purge()
