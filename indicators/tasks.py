"""Celery tasks: a few lines each, taking ids and calling one service. Redelivery is harmless:
a part rewrites the same commune totals and counts once (``services.rollup_part``), a merge of a
finished run does nothing. A killed worker's task goes back to the queue (``acks_late`` with
``reject_on_worker_lost``, settings.CELERY_TASK_REJECT_ON_WORKER_LOST); a lost one is sent again
by the reaper (``reaper``)."""

import logging
import os

from celery import shared_task

from areas.models import Unit
from households.models import ReviewRound

from . import services
from .models import RollupRun

log = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def rollup_part_task(self, run_id: int, commune_ids: list[int]) -> None:
    # which worker ran which part: docs/scaling-rollup.md reads it from the workers' logs
    log.info(
        "rollup run %s: part of %d communes on %s (pid %s)",
        run_id, len(commune_ids), self.request.hostname or "inline", os.getpid(),
    )  # fmt: skip
    run = RollupRun.objects.select_related("round").get(pk=run_id)
    try:
        services.rollup_part(run=run, commune_ids=commune_ids)
    except Exception as exc:
        services.rollup_fail(run_id=run_id, error=exc)
        raise


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def rollup_merge_task(self, run_id: int) -> None:
    log.info("rollup run %s: merge on %s (pid %s)", run_id, self.request.hostname or "inline",
             os.getpid())  # fmt: skip
    run = RollupRun.objects.select_related("round").get(pk=run_id)
    try:
        services.rollup_merge(run=run)
    except Exception as exc:
        services.rollup_fail(run_id=run_id, error=exc)
        raise


@shared_task(acks_late=True)
def rollup_commune_task(round_id: int, commune_id: int) -> None:
    services.rollup_commune(
        round_=ReviewRound.objects.get(pk=round_id), commune=Unit.objects.get(pk=commune_id)
    )


@shared_task(acks_late=True)
def program_refresh_task(
    commune_ids: list[int], household_ids: list[int], staff: bool = False
) -> None:
    services.program_refresh(commune_ids=commune_ids, household_ids=household_ids, staff=staff)


@shared_task(acks_late=True)
def outbox_drain_task() -> int:
    """After a change's commit, and from beat every minute (``outbox``)."""
    from .outbox import drain

    return drain()


@shared_task
def runs_reap_task() -> dict:
    """Beat, every minute: rollup runs that stopped moving (``reaper``)."""
    from .reaper import reap

    return reap()


@shared_task
def rollup_nightly_task() -> None:
    services.rollup_nightly()
