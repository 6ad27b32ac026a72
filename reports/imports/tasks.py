"""Celery tasks of the survey import: a few lines each, taking the job's id.

Redelivery is harmless: each service returns at once when its half of the job already ran.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def import_validate_task(job_id: int) -> None:
    services.import_validate(job_id=job_id)


@shared_task(acks_late=True)
def import_apply_task(job_id: int) -> None:
    services.import_apply(job_id=job_id)


__all__ = ["import_apply_task", "import_validate_task"]
