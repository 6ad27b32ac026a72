"""Celery discovers tasks in <app>.tasks: the export and import tasks live in their packages."""

from celery import shared_task

from . import retention
from .exports.tasks import *  # noqa: F403
from .imports.tasks import *  # noqa: F403


@shared_task
def jobs_reap_task() -> dict:
    """Beat, every minute: resend, requeue or fail the jobs that stopped moving (reports.jobs)."""
    from .jobs import reap

    return reap()


@shared_task
def files_expire_task() -> None:
    """Nightly (CELERY_BEAT_SCHEDULE): expired job files and files no row names."""
    retention.files_expire()
