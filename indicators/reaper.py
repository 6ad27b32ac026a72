"""Rollup runs that finish or fail, never hang (the jobs' twin: reports.jobs).

A full run is QUEUED, then RUNNING while its parts store commune totals, then the merge makes it
DONE. Every part and the merge stamp ``heartbeat_at``. ``reap`` (beat, every minute) looks at
runs not finished whose heartbeat (or creation) is older than ``STALE_AFTER``: their worker died
(the broker then redelivers the message, ``acks_late`` with ``reject_on_worker_lost``, and the
part counts once: ``services.rollup_part``), or the broker lost the messages. The reaper sends
the parts not yet stored again (or the merge, when every part is), up to ``MAX_ATTEMPTS`` times,
then fails the run with a message and its reference; the previous values stay as they were.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from povertyportal.celery import BROKER_ERRORS

from .models import RollupRun, RunStatus

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=10)  # a part at 1,000,000 households takes under a minute
MAX_ATTEMPTS = 3


def reap(now: dt.datetime | None = None) -> dict[str, int]:
    from . import services
    from .tasks import rollup_part_task

    now = now or timezone.now()
    done = {"resent": 0, "failed": 0}
    stale = (
        RollupRun.objects.annotate(last=Coalesce("heartbeat_at", "created_at"))
        .filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING), last__lt=now - STALE_AFTER)
        .select_related("round")
    )
    for run in stale:
        if run.attempts >= MAX_ATTEMPTS or not run.full:
            log.error("rollup run %s: no progress after %s attempts", run.reference, run.attempts)
            services.rollup_fail(
                run_id=run.pk,
                message=_(
                    "Việc tính số liệu bị gián đoạn và không tiếp tục được; số liệu cũ vẫn được "
                    "giữ nguyên. Hãy tính lại (mã tham chiếu %(ref)s)."
                )
                % {"ref": run.reference},
            )
            done["failed"] += 1
            continue
        RollupRun.objects.filter(pk=run.pk).update(heartbeat_at=now, attempts=F("attempts") + 1)
        stored = set(run.parts_done)
        missing = [p for p in services.partition(run.round) if services.part_key(p) not in stored]
        log.warning("rollup run %s: no heartbeat, sending %d parts again", run.reference,
                    len(missing))  # fmt: skip
        try:
            if missing:
                for commune_ids in missing:
                    rollup_part_task.delay(run.pk, commune_ids)
            else:
                services._send_merge(run.pk)
            done["resent"] += 1
        except BROKER_ERRORS:
            log.warning("rollup run %s: broker unreachable", run.reference, exc_info=True)
    return done
