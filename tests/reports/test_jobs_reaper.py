"""Jobs that finish or fail, never hang (reports/jobs.py): a lost message is sent again, a job
whose worker died is requeued and then failed, users read a reference and never an exception's
text, and the owner retries a failed job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import jobs
from reports.exports import household_list
from reports.models import Job, JobStatus
from tests.conftest import unit
from tests.reports.test_exports_lists import run_export

pytestmark = pytest.mark.django_db

LONG_AGO = dt.timedelta(hours=1)


def poor_list(review):
    return {"report": "list_poor", "round": review.r25.pk, "area": f"unit:{unit('51').pk}"}


def age(job: Job, ago: dt.timedelta = LONG_AGO, **fields) -> None:
    """Pretend the job was created and last heard of ``ago``."""
    then = timezone.now() - ago
    Job.objects.filter(pk=job.pk).update(created_at=then, heartbeat_at=then, **fields)


def test_an_export_requested_with_the_broker_down_answers_and_stays_queued(
    client, cast, review, broker_down, django_capture_on_commit_callbacks
):
    """Before: the request answered 500 after 19 s and the job stayed "queued" for ever."""
    job = run_export(client, django_capture_on_commit_callbacks, cast.leader, poor_list(review))
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED  # nothing sent, nothing lost


def test_a_job_whose_message_was_lost_is_sent_by_the_reaper(
    client, cast, review, django_capture_on_commit_callbacks
):
    client.force_login(cast.leader)
    with django_capture_on_commit_callbacks(execute=False):  # the message never reaches a worker
        client.post(reverse("export_create"), poor_list(review))
    job = Job.objects.filter(owner=cast.leader).latest("created_at")
    age(job, dt.timedelta(minutes=5))
    assert jobs.reap() == {"resent": 1, "requeued": 0, "failed": 0}  # it runs inline here
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE
    # one the broker never took within half an hour fails with a message
    stale = Job.objects.create(
        owner=cast.leader, kind="export", report="list_poor", title="t", params=poor_list(review)
    )
    age(stale)
    assert jobs.reap()["failed"] == 1
    assert Job.objects.get(pk=stale.pk).reference in Job.objects.get(pk=stale.pk).error


def test_a_job_whose_worker_died_is_requeued_then_failed(client, cast, review, monkeypatch):
    job = Job.objects.create(
        owner=cast.leader, kind="export", report="list_poor", title="t", params=poor_list(review)
    )
    age(job, status=JobStatus.RUNNING, attempts=1)  # claimed, then the worker was killed
    # the redelivered message finds it RUNNING and leaves it; the reaper requeues it, and the
    # requeued message (inline here) builds it
    assert jobs.reap()["requeued"] == 1
    done = Job.objects.get(pk=job.pk)
    assert done.status == JobStatus.DONE and done.attempts == 2
    # a job that keeps dying fails with a message and its reference
    again = Job.objects.create(
        owner=cast.leader, kind="export", report="list_poor", title="t", params=poor_list(review)
    )
    age(again, status=JobStatus.RUNNING, attempts=jobs.MAX_ATTEMPTS)
    assert jobs.reap()["failed"] == 1
    failed = Job.objects.get(pk=again.pk)
    assert failed.status == JobStatus.FAILED and failed.reference in failed.error
    assert failed.finished_at is not None


def test_fresh_jobs_are_left_alone(cast, review):
    job = Job.objects.create(
        owner=cast.leader, kind="export", report="list_poor", title="t", params=poor_list(review),
        status=JobStatus.RUNNING, heartbeat_at=timezone.now(),
    )  # fmt: skip
    assert jobs.reap() == {"resent": 0, "requeued": 0, "failed": 0}
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
    assert not jobs.stuck().exists()


def test_the_owner_retries_a_failed_export(
    client, cast, review, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("/var/lib/secret/path: No space left on device")

    monkeypatch.setattr(household_list, "write_rows", broken)
    job = run_export(client, django_capture_on_commit_callbacks, cast.leader, poor_list(review))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "/var/lib" not in job.error and job.reference in job.error
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-retry"' in page

    monkeypatch.undo()
    client.force_login(cast.outsider)
    assert client.post(reverse("job_retry", args=[job.pk])).status_code == 404
    client.force_login(cast.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result and not job.error
    # only a failed job can be retried
    assert client.post(reverse("job_retry", args=[job.pk]), follow=True).status_code == 200
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE
    assert client.get(reverse("job_retry", args=[job.pk])).status_code == 405
