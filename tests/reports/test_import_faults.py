"""Faults during an import, on PostgreSQL: the database connection is lost in the middle of the
write (the server ends the session, as a restart or a network cut does). Nothing is half written,
and the job does not stay "running": the reaper takes it over and it ends, written once or
failed with a message."""

from __future__ import annotations

import contextlib
import datetime as dt

import psycopg2
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
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )
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
