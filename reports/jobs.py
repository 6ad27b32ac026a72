"""Jobs that finish or fail, never hang (exports and imports; rollup runs: indicators.reaper).

- **Sending** (``send``): after the commit, a job's task is sent to the broker; if the broker
  does not answer, the job simply stays QUEUED and the reaper sends it again.
- **Heartbeat** (``beat``): a job is stamped when it is claimed and whenever it advances.
- **Reaper** (``reap``, beat every minute): a QUEUED job not picked up for ``RESEND_AFTER`` is
  sent again (the broker lost the message, or was down); one QUEUED for ``GIVE_UP_AFTER`` fails.
  A RUNNING job without a heartbeat for ``STALE_AFTER`` lost its worker (killed, out of memory):
  it is put back in the queue, up to ``MAX_ATTEMPTS`` claims, then fails.
- **Messages**: a user never sees an exception's text. ``failure_message`` logs the traceback
  with the job's reference (``J<id>``) and returns a sentence with that reference to quote.
- **Retry** (``retry``): the owner restarts a failed job from the "Báo cáo của tôi" page: an
  export is built again; an import is checked again (its checked plan is not kept after a
  failure), and asks for confirmation again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from povertyportal.celery import BROKER_ERRORS

from .models import Job, JobKind, JobStatus

log = logging.getLogger(__name__)

RESEND_AFTER = dt.timedelta(minutes=2)
GIVE_UP_AFTER = dt.timedelta(minutes=30)
STALE_AFTER = dt.timedelta(minutes=10)  # progress is written at least every 2 % of the work
MAX_ATTEMPTS = 3


def _task(job: Job):
    if job.kind == JobKind.EXPORT:
        from .exports.tasks import export_task

        return export_task
    from .imports.tasks import import_apply_task, import_validate_task

    return import_apply_task if job.summary.get("phase") == "apply" else import_validate_task


def send_now(job: Job) -> bool:
    """Send the job's task; False (and the job left QUEUED for the reaper) if the broker fails."""
    try:
        _task(job).delay(job.pk)
    except BROKER_ERRORS:
        log.warning("job %s: broker unreachable, the reaper will send it again", job.reference,
                    exc_info=True)  # fmt: skip
        return False
    return True


def send(job: Job) -> None:
    """Send the job's task once the current transaction commits."""
    transaction.on_commit(lambda: send_now(job), robust=True)


def claim(job_id: int, *, statuses=(JobStatus.QUEUED,)) -> bool:
    """Mark the job RUNNING if it is in one of ``statuses``; False if another worker has it."""
    return bool(
        Job.objects.filter(pk=job_id, status__in=statuses).update(
            status=JobStatus.RUNNING, heartbeat_at=timezone.now(), attempts=F("attempts") + 1
        )
    )


def beat(job_id: int) -> None:
    Job.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())


def failure_message(job: Job, error: BaseException, *, doing: str) -> str:
    """The sentence a user sees for an unexpected error; the traceback goes to the log. Errors
    raised on purpose for the user (a permission or a validation message) are shown as such."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, PermissionDenied | PermissionError) and str(error):
        return str(error)
    log.error("job %s: %s failed", job.reference, doing, exc_info=error)
    return _(
        "Lỗi không mong đợi khi %(doing)s. Hãy thử lại; nếu lỗi lặp lại, báo cho quản trị viên "
        "mã tham chiếu %(reference)s."
    ) % {"doing": doing, "reference": job.reference}


def _fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk, status=job.status).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now()
    )


def reap(now: dt.datetime | None = None) -> dict[str, int]:
    """Resend, requeue or fail the jobs that stopped moving. Returns counts by what was done."""
    now = now or timezone.now()
    done = {"resent": 0, "requeued": 0, "failed": 0}
    last = Coalesce("heartbeat_at", "created_at")
    queued = Job.objects.annotate(last=last).filter(status=JobStatus.QUEUED)
    for job in queued.filter(last__lt=now - RESEND_AFTER):
        if job.created_at < now - GIVE_UP_AFTER and job.attempts == 0:
            message = _("Máy chủ xử lý không nhận công việc; hãy thử lại sau ít phút (mã %(ref)s).")
            _fail(job, message % {"ref": job.reference})
            done["failed"] += 1
            continue
        Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(heartbeat_at=now)
        done["resent"] += send_now(job)
    running = Job.objects.annotate(last=last).filter(
        status=JobStatus.RUNNING, last__lt=now - STALE_AFTER
    )
    for job in running:
        if job.attempts >= MAX_ATTEMPTS:
            log.error("job %s: no heartbeat after %s attempts, failed", job.reference, job.attempts)
            message = _("Công việc bị gián đoạn nhiều lần; hãy thử lại (mã %(ref)s).")
            _fail(job, message % {"ref": job.reference})
            done["failed"] += 1
            continue
        log.warning("job %s: no heartbeat since %s, queued again", job.reference, job.last)
        if Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED, heartbeat_at=now
        ):
            done["requeued"] += 1
            send_now(job)
    return done


def retry(*, by, job: Job) -> Job:
    """The owner restarts a failed job (a new attempt from the start of its current phase)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.owner_id != by.pk:
            raise PermissionDenied
        if job.status != JobStatus.FAILED:
            raise ValidationError(_("Chỉ thử lại được công việc bị lỗi."))
        summary = job.summary
        if job.kind == JobKind.IMPORT:
            summary = {"phase": "validate"}  # the plan is dropped after a failure: check again
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED, error="", done=0, attempts=0, heartbeat_at=None,
            finished_at=None, result="", summary=summary,
        )  # fmt: skip
        job.refresh_from_db()
        send(job)
    return job


def stuck(now: dt.datetime | None = None):
    """Jobs an administrator should look at: queued or running without a recent heartbeat."""
    now = now or timezone.now()
    return Job.objects.annotate(last=Coalesce("heartbeat_at", "created_at")).filter(
        Q(status=JobStatus.QUEUED, last__lt=now - RESEND_AFTER)
        | Q(status=JobStatus.RUNNING, last__lt=now - STALE_AFTER)
    )


# --- reads: a user's own jobs ------------------------------------------------------------------


def job_list_for_user(user):
    return Job.objects.filter(owner=user)


def job_get_for_user(user, pk: int) -> Job:
    """Jobs are private to their owner: anyone else gets a 404."""
    from django.http import Http404

    job = job_list_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def job_round(job: Job):
    """The review round an import job is for (None if it was deleted)."""
    from households.models import ReviewRound

    return ReviewRound.objects.filter(pk=job.params.get("round")).first()
