"""Export tasks: a few lines calling the service (idempotent: see services.export_run)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def export_task(job_id: int) -> None:
    services.export_run(job_id=job_id)


__all__ = ["export_task"]
