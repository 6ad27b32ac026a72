"""Files kept for a while, then deleted: generated exports and uploaded imports after
``REPORTS_RETENTION_DAYS`` days, and files under MEDIA_ROOT that no row names (run nightly by
beat, ``reports.tasks.files_expire_task``).

A job whose files are gone keeps its row (title, status, counts) with ``files_expired_at`` set:
its pages say "Tệp đã bị xóa theo thời hạn lưu trữ" instead of a broken link. Jobs still queued,
running, or validated and waiting for the user's confirmation keep their files (the confirmation
reads the stored plan or the upload again). A file no row names is deleted only once it is a day
old: an upload being saved right now is not yet named by its committed row.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from projects.models import Project

from .models import Job, JobStatus

log = logging.getLogger(__name__)
ORPHAN_MIN_AGE = dt.timedelta(days=1)
_KEEP = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.VALIDATED)


def files_expire(*, days: int | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete expired job files, then orphans; returns counts. Idempotent."""
    days = settings.REPORTS_RETENTION_DAYS if days is None else days
    now = now or timezone.now()
    return {"jobs": _jobs_expire(now - dt.timedelta(days=days), now), "orphans": _orphans(now)}


def _jobs_expire(before: dt.datetime, now: dt.datetime) -> int:
    expired = 0
    jobs = (
        Job.objects.filter(created_at__lt=before, files_expired_at__isnull=True)
        .exclude(status__in=_KEEP)
        .exclude(source="", result="")
    )
    for job in jobs.iterator():
        names = [job.source.name, job.result.name, (job.summary or {}).get("plan") or ""]
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(source="", result="", files_expired_at=now)
            storage = job.source.storage
            transaction.on_commit(lambda s=storage, n=names: _delete(s, n))
        expired += 1
    return expired


def _delete(storage, names) -> None:
    for name in names:
        if name:
            storage.delete(name)


def referenced() -> set[str]:
    """Storage names of every file a row names."""
    names: set[str] = set()
    for source, result, summary in Job.objects.values_list("source", "result", "summary"):
        names.update((source, result, (summary or {}).get("plan") or ""))
    names.update(Project.objects.exclude(minutes="").values_list("minutes", flat=True))
    names.discard("")
    return names


def _orphans(now: dt.datetime) -> int:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return 0
    names = referenced()
    oldest = (now - ORPHAN_MIN_AGE).timestamp()
    deleted = 0
    for folder, _dirs, files in os.walk(root):
        for file in files:
            path = Path(folder) / file
            name = path.relative_to(root).as_posix()
            if name in names or path.stat().st_mtime > oldest:
                continue
            default_storage.delete(name)
            deleted += 1
    if deleted:
        log.info("retention: %s files no row names deleted", deleted)
    return deleted
