"""Starting and running exports: every write of the exports goes through here.

A job export is recorded (who, what, which area) when it is asked for, and built by
``tasks.export_task`` (inline in embedded mode). The workbook is written to a temporary file and
only moved into the job's ``result`` once complete: a failed export keeps nothing half-written,
only its error. Running is idempotent: a redelivered task finds the job no longer queued and
does nothing.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Mapping

from django.conf import settings
from django.core.files import File
from django.db.models import F
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from areas.models import Level
from areas.scope import Capability, user_scope
from households.models import PersonalDataAction
from households.services import personal_data_access_record

from .. import jobs
from ..models import Job, JobKind, JobStatus
from . import household_list
from .common import ExportContext, context_for
from .registry import JOB, Export, export_get

log = logging.getLogger(__name__)

PARAMS = ("round", "unit", "group", "query")


def export_context(user, export: Export, params: Mapping) -> ExportContext:
    """The checked request: a round and area the user may see (404 otherwise); the "as shown"
    exports only need the user to see something (their filters apply the scope)."""
    if export.context is not None:
        return export.context(user, params)
    if not export.listed:
        scope = user_scope(user)
        if not scope.can(Capability.SEE):
            raise Http404
        return ExportContext(user=user, round=None, owner=None, scope=scope, params=params)
    return context_for(user, params)


def export_now(*, by, report: str, params: Mapping) -> tuple[bytes, str]:
    """Build a small export in the request: (the workbook's bytes, its file name)."""
    export = export_get(report)
    ctx = export_context(by, export, params)
    out = io.BytesIO()
    export.write(ctx, out)
    return out.getvalue(), export.name(ctx)


def export_start(*, by, report: str, params: Mapping) -> Job:
    """Record an export job and queue it once the transaction commits."""

    export = export_get(report)
    if export.mode != JOB:
        raise ValueError(f"{report} is built in the request, not as a job")
    kept = {k: str(params[k]) for k in PARAMS if params.get(k) not in (None, "")}
    ctx = export_context(by, export, kept)  # 404 now rather than a failed job later
    title = export.job_title(ctx) if export.job_title else str(export.title)
    job = Job.objects.create(
        owner=by,
        kind=JobKind.EXPORT,
        report=report,
        title=title[:200],
        params={**kept, "language": translation.get_language() or settings.LANGUAGE_CODE},
    )
    jobs.send(job)  # a broker that does not answer leaves it QUEUED for the reaper
    return job


def _personal_data_logged(job: Job, export: Export, ctx: ExportContext) -> None:
    """One access-log row per generated export with personal data (Decree 13/2023): who, which
    job (its id and title: report, area, round), the commune when the area is one commune."""
    unit = ctx.owner.unit if ctx.owner is not None else None
    kind = export.key.removeprefix("list_")
    if export.ids_shown is not None:
        shown = export.ids_shown(ctx)
    else:
        shown = kind in household_list.KINDS and household_list.citizen_ids_shown(ctx, kind)
    personal_data_access_record(
        user=job.owner,
        action=PersonalDataAction.EXPORT,
        commune=unit if unit is not None and unit.level == Level.COMMUNE else None,
        reference=f"#{job.pk} · {job.title}",
        citizen_ids_shown=shown,
    )


def export_run(*, job_id: int) -> None:
    """Build a queued export job's workbook; record the file, or the error."""
    if not jobs.claim(job_id):
        return  # running elsewhere or finished: a redelivered message (the reaper requeues a
        # job whose worker died: reports.jobs)
    job = Job.objects.select_related("owner").get(pk=job_id)
    handle, path = tempfile.mkstemp(prefix="export-", suffix=".xlsx")
    os.close(handle)
    saved = None
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            export = export_get(job.report)
            try:
                ctx = export_context(job.owner, export, job.params)
            except Http404:
                raise PermissionError(
                    _("Bạn không còn quyền xem địa bàn hoặc đợt rà soát của báo cáo này.")
                ) from None
            total = export.total(ctx) if export.total else 0
            Job.objects.filter(pk=job.pk).update(total=total)

            def progress(done: int) -> None:
                Job.objects.filter(pk=job.pk).update(
                    done=min(done, total) if total else done, heartbeat_at=timezone.now()
                )

            with open(path, "wb") as out:
                export.write(ctx, out, progress)
            name = export.name(ctx)
        with open(path, "rb") as f:
            job.result.save(name, File(f), save=False)
        saved = job.result.name
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, result=saved, done=F("total"), finished_at=timezone.now()
        )
        if export.personal:
            _personal_data_logged(job, export, ctx)
    except Exception as error:
        if saved:
            job.result.storage.delete(saved)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            result="",
            error=jobs.failure_message(job, error, doing=_("tạo báo cáo")),
            finished_at=timezone.now(),
        )
    finally:
        os.unlink(path)
