"""Retention (the issue "Faults and hostile users", item 5): export results and import uploads
are deleted after REPORTS_RETENTION_DAYS, files no row names once a day old; the job's pages then
say so instead of offering a broken link."""

import datetime as dt
import os

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from projects.models import Project
from reports import retention
from reports.models import Job, JobStatus
from reports.tasks import files_expire_task
from tests.projects.factories import dossier

pytestmark = pytest.mark.django_db
EXPIRED = "Tệp đã bị xóa theo thời hạn lưu trữ"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORTS_RETENTION_DAYS = 30


def make_job(owner, *, kind="export", status=JobStatus.DONE, days_old=0, source=b"", result=b""):
    job = Job.objects.create(
        owner=owner, kind=kind, report="results", title="Kết quả", status=status
    )
    if source:
        job.source.save(f"{job.pk}-phieu.xlsx", ContentFile(source), save=False)
    if result:
        job.result.save(f"{job.pk}-ket-qua.xlsx", ContentFile(result), save=False)
    job.save()
    created = timezone.now() - dt.timedelta(days=days_old)
    Job.objects.filter(pk=job.pk).update(created_at=created)
    job.refresh_from_db()
    return job


def age(name: str, days: int) -> None:
    path = default_storage.path(name)
    when = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(path, (when, when))


def test_old_job_files_are_deleted_and_the_row_kept(cast, django_capture_on_commit_callbacks):
    old_export = make_job(cast.officer, days_old=31, result=b"PK export")
    old_import = make_job(
        cast.officer,
        kind="import",
        status=JobStatus.REJECTED,
        days_old=40,
        source=b"PK upload",
        result=b"PK report",
    )
    plan = default_storage.save(
        f"reports/{cast.officer.pk}/import/9-plan.json.gz", ContentFile(b"x")
    )
    Job.objects.filter(pk=old_import.pk).update(summary={"plan": plan})
    recent = make_job(cast.officer, days_old=29, result=b"PK recent")
    waiting = make_job(
        cast.officer, kind="import", status=JobStatus.VALIDATED, days_old=60, source=b"PK wait"
    )
    running = make_job(cast.officer, status=JobStatus.RUNNING, days_old=60, result=b"PK run")
    names = {
        "old": [old_export.result.name, old_import.source.name, old_import.result.name, plan],
        "kept": [recent.result.name, waiting.source.name, running.result.name],
    }
    with django_capture_on_commit_callbacks(execute=True):
        counts = retention.files_expire()
    assert counts == {"jobs": 2, "orphans": 0}
    assert not any(default_storage.exists(n) for n in names["old"])
    assert all(default_storage.exists(n) for n in names["kept"])
    for job in (old_export, old_import):
        job.refresh_from_db()
        assert not job.result and not job.source and job.files_expired_at is not None
        assert job.status in (JobStatus.DONE, JobStatus.REJECTED)  # the row and its status stay
    for job in (recent, waiting, running):
        job.refresh_from_db()
        assert job.files_expired_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.files_expire() == {"jobs": 0, "orphans": 0}  # idempotent


def test_the_days_are_a_setting(cast, settings, django_capture_on_commit_callbacks):
    settings.REPORTS_RETENTION_DAYS = 5
    job = make_job(cast.officer, days_old=6, result=b"PK export")
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.files_expire()["jobs"] == 1
    assert not default_storage.exists(job.result.name)


def test_orphans_are_deleted_once_a_day_old(cast, tmp_path):
    named = make_job(cast.officer, result=b"PK named")
    age(named.result.name, 3)
    orphan = default_storage.save("reports/1/export/lost.xlsx", ContentFile(b"PK lost"))
    old_minutes = default_storage.save("projects/minutes/2025/old.pdf", ContentFile(b"%PDF-"))
    fresh = default_storage.save("reports/1/import/uploading.xlsx", ContentFile(b"PK new"))
    for name in (orphan, old_minutes):
        age(name, 2)
    assert retention.files_expire() == {"jobs": 0, "orphans": 2}
    assert not default_storage.exists(orphan) and not default_storage.exists(old_minutes)
    assert default_storage.exists(fresh)  # may be an upload whose row is not committed yet
    assert default_storage.exists(named.result.name)


def test_project_minutes_are_referenced(cast):
    name = default_storage.save("projects/minutes/2026/kept.pdf", ContentFile(b"%PDF-"))
    age(name, 400)
    project = Project(code="DA-1", created_by=cast.officer, **dossier())
    project.minutes.name = name
    project.save()
    assert name in retention.referenced()
    assert retention.files_expire()["orphans"] == 0
    assert default_storage.exists(name)


def test_the_task_runs_the_service(cast, django_capture_on_commit_callbacks):
    job = make_job(cast.officer, days_old=31, result=b"PK export")
    with django_capture_on_commit_callbacks(execute=True):
        files_expire_task.delay()
    job.refresh_from_db()
    assert job.files_expired_at is not None


def test_scheduled_every_night():
    entry = django_settings.CELERY_BEAT_SCHEDULE["reports-retention"]
    assert entry["task"] == "reports.tasks.files_expire_task"
    assert files_expire_task.name == entry["task"]


def test_pages_say_the_file_was_deleted(client, cast, django_capture_on_commit_callbacks):
    job = make_job(cast.officer, days_old=31, result=b"PK export")
    with django_capture_on_commit_callbacks(execute=True):
        retention.files_expire()
    client.force_login(cast.officer)
    download = reverse("job_download", args=[job.pk, "ket-qua"])
    for url, headers in (
        (reverse("job_list"), {}),
        (reverse("job_detail", args=[job.pk]), {}),
        (reverse("job_detail", args=[job.pk]), {"HTTP_HX_REQUEST": "true"}),
    ):
        body = client.get(url, **headers).content.decode()
        assert EXPIRED in body, url
        assert download not in body
    assert client.get(download).status_code == 404
