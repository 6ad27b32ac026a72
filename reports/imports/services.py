"""The survey import as a job: upload, check (validate), confirm, write (apply).

States of the ``Job`` (reports.models): queued → running → ``validated`` (a preview, waiting for
the user) or ``rejected`` (the error list and the annotated workbook; nothing written) or
``failed`` (an unexpected error, said plainly). Confirming queues the writing: queued → running
→ ``done``, or ``failed`` with nothing written. ``summary["phase"]`` says which half ran last.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from areas.scope import Capability, user_scope
from households.models import ReviewRound
from households.services import ConcurrentEdit
from reports import jobs
from reports.models import Job, JobKind, JobStatus
from reports.offline.submissions import read_upload

from . import checks, files, reader
from . import plan as plans
from .apply import apply_plan
from .plan import summarize

log = logging.getLogger(__name__)
REPORT = "surveys"
MAX_STORED_ERRORS = 2000  # the page lists these; the annotated workbook has every one


def import_start(*, by, round_: ReviewRound, upload, language: str = "vi") -> Job:
    """Keep the uploaded file and queue its check (inline in embedded mode)."""

    if not user_scope(by).can(Capability.ENTER):
        raise PermissionDenied
    name = get_valid_filename(Path(upload.name).name) or "tep.xlsx"
    job = Job.objects.create(
        owner=by,
        kind=JobKind.IMPORT,
        report=REPORT,
        title=(_("Nhập phiếu %(round)s: %(file)s") % {"round": round_, "file": name})[:200],
        params={"round": round_.pk, "language": language, "filename": name},
        summary={"phase": "validate"},
    )
    job.source.save(f"{job.pk}-{name}", upload, save=True)
    jobs.send(job)  # a broker that does not answer leaves it QUEUED for the reaper
    return job


def import_validate(*, job_id: int) -> Job:
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.summary.get("phase") != "validate" or job.finished:
        return job  # a redelivered message: already checked
    _set(job, status=JobStatus.RUNNING, total=0, done=0, heartbeat_at=timezone.now())
    Job.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)
    with translation.override(job.params.get("language") or "vi"):
        try:
            outcome = _check(job, _Progress(job))
        except Exception as error:
            return _fail(job, jobs.failure_message(job, error, doing=_("kiểm tra tệp")))
        if outcome.errors:
            return _reject(job, outcome)
        summary = {"phase": "validate", **outcome.rows, **summarize(outcome.plan)}
        summary["plan"] = _store_plan(job, outcome.plan)
        _set(
            job,
            status=JobStatus.VALIDATED,
            summary=summary,
            total=sum(outcome.rows["rows"].values()),
            done=sum(outcome.rows["rows"].values()),
            finished_at=timezone.now(),
        )
    return job


def import_confirm(*, by, job: Job) -> Job:
    """The user saw the preview and confirms: queue the writing, once."""

    if not user_scope(by).can(Capability.ENTER):
        raise PermissionDenied
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk, owner=by, kind=JobKind.IMPORT)
        if job.status != JobStatus.VALIDATED:
            raise ValidationError(_("Tệp này không còn chờ xác nhận."))
        counts = job.summary.get("counts", {})
        job.status, job.done, job.finished_at = JobStatus.QUEUED, 0, None
        job.total = sum(n for action, n in counts.items() if action != "same")
        job.summary = {**job.summary, "phase": "apply"}
        job.save()
        jobs.send(job)
    return job


def import_apply(*, job_id: int) -> Job:
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.summary.get("phase") != "apply" or job.finished:
        return job  # a redelivered message: already written (or refused)
    _set(job, status=JobStatus.RUNNING, done=0, heartbeat_at=timezone.now())
    Job.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)
    with translation.override(job.params.get("language") or "vi"):
        try:
            return _apply(job)
        except ConcurrentEdit:
            return _fail(job, _changed_message())
        except PermissionDenied:
            return _fail(job, _("Bạn không còn quyền nhập liệu cho một xã trong tệp."))
        except ValidationError as exc:
            return _fail(job, " ".join(exc.messages) + " " + _("Không có gì được ghi."))
        except Exception as error:
            message = jobs.failure_message(job, error, doing=_("ghi dữ liệu"))
            return _fail(job, f"{message} {_('Không có gì được ghi.')}")
        finally:
            _drop_plan(job)  # written or refused: a new upload makes a new one


# --- steps -------------------------------------------------------------------------------------


class _Outcome:
    def __init__(self, errors, plan=None, annotatable=False, rows=None):
        self.errors, self.plan, self.annotatable = errors, plan, annotatable
        self.rows = rows or {}


def _check(job: Job, progress) -> _Outcome:
    round_ = ReviewRound.objects.get(pk=job.params["round"])
    message = checks.round_error(round_)
    if message:
        return _Outcome([files.CellError("", None, "", "", message)])
    with job.source.open("rb") as handle:
        try:
            # the template, or submissions exported by ODK Central / KoboToolbox (reports.offline)
            parsed, annotatable = read_upload(
                handle,
                size=job.source.size,
                standard=round_.get_standard(),
                name=job.params.get("filename") or "",
                progress=lambda f, total=None: progress(0.4 * f, total=total),
            )
        except files.FileRejected as exc:
            error = files.CellError(exc.sheet, None, exc.column, exc.header, exc.message)
            return _Outcome([error])
        rows = {"households": len(parsed.households.rows), "members": len(parsed.members.rows)}
        plan = checks.Checker(parsed, user=job.owner, round_=round_).run(
            progress=lambda f: progress(0.4 + 0.6 * f)
        )
    errors = sorted(parsed.errors, key=_error_order(parsed))
    return _Outcome(errors, None if errors else plan, annotatable=annotatable, rows={"rows": rows})


def _error_order(parsed):
    sheets = {parsed.households.title: 0, parsed.members.title: 1}

    def order(e: files.CellError):
        return (sheets.get(e.sheet, 2), e.row or 0, len(e.column), e.column)

    return order


def _reject(job: Job, outcome: _Outcome) -> Job:
    errors = outcome.errors
    by_column: dict[tuple[str, str], int] = {}
    for e in errors:
        by_column[(e.sheet, e.header)] = by_column.get((e.sheet, e.header), 0) + 1
    summary = {
        "phase": "validate",
        **outcome.rows,
        "error_count": len(errors),
        "errors": [e.as_json() for e in errors[:MAX_STORED_ERRORS]],
        "by_column": [
            {"sheet": s, "header": h, "count": n}
            for (s, h), n in sorted(by_column.items(), key=lambda kv: -kv[1])[:10]
        ],
    }
    if outcome.annotatable:
        with job.source.open("rb") as handle:
            report = files.annotate(handle, errors, rows=sum(outcome.rows["rows"].values()))
        name = Path(job.params.get("filename") or "tep.xlsx").stem
        job.result.save(f"{job.pk}-{name}-loi.xlsx", ContentFile(report), save=False)
    rows = sum(outcome.rows.get("rows", {}).values())
    _set(
        job,
        status=JobStatus.REJECTED,
        summary=summary,
        result=job.result,
        total=rows,
        done=rows,
        finished_at=timezone.now(),
    )
    return job


def _apply(job: Job) -> Job:
    # the same check again, against the data as it is now: the bar's first 30%. The rows the
    # forms cleaned were kept at the check (the file cannot have changed): only the checks that
    # depend on the database and on the user's rights run again. Without them, all of it.
    outcome = _recheck(job) or _check(job, _Progress(job, job.total, share=0.3, fixed=True))
    if outcome.errors or outcome.plan is None:
        return _fail(job, _changed_message())
    if outcome.plan.digest() != job.summary.get("digest"):
        return _fail(job, _changed_message())
    plan = outcome.plan
    total = max(len(plan.to_write()), 1)
    progress = _Progress(job, job.total, share=0.7, start=0.3, fixed=True, own_connection=True)
    try:
        with transaction.atomic(), _history_by(job.owner):
            written = apply_plan(plan, user=job.owner, progress=lambda n: progress(n / total))
            job.status, job.done, job.finished_at = JobStatus.DONE, job.total, timezone.now()
            job.summary = {**job.summary, "phase": "apply", "written": written}
            job.save()  # in the same transaction: "done" and the data commit together
    finally:
        progress.close()
    return job


def _recheck(job: Job) -> _Outcome | None:
    items = _stored_plan(job)
    if items is None:
        return None
    round_ = ReviewRound.objects.get(pk=job.params["round"])
    message = checks.round_error(round_)
    if message:
        return _Outcome([files.CellError("", None, "", "", message)])
    parsed = reader.Parsed(
        households=reader.Sheet(title="", columns={}),
        members=reader.Sheet(title="", columns={}),
        errors=[],
    )
    plan = checks.Checker(parsed, user=job.owner, round_=round_).recheck(items)
    return _Outcome(parsed.errors, None if parsed.errors else plan)


def _store_plan(job: Job, plan) -> str:
    storage = job.source.storage
    name = f"{Path(job.source.name).parent}/{job.pk}-plan.json.gz"
    return storage.save(name, ContentFile(plans.dump(plan)))


def _stored_plan(job: Job):
    name = job.summary.get("plan")
    if not name or not job.source.storage.exists(name):
        return None
    with job.source.storage.open(name, "rb") as handle:
        content = handle.read()
    try:
        digest, items = plans.load(content)
    except ValueError:
        log.warning("import job %s: stored plan unreadable, checking the file again", job.pk)
        return None
    return items if digest == job.summary.get("digest") else None


def _drop_plan(job: Job) -> None:
    name = job.summary.get("plan")
    if name:
        job.source.storage.delete(name)


@contextmanager
def _history_by(user):
    """History rows (households, members, surveys) name the user who confirmed, also on a Celery
    worker, where no request is there for simple_history's middleware to take the user from."""
    if getattr(HistoricalRecords.context, "request", None) is not None:
        yield  # inline in the confirming request: the middleware already says who
        return
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def _changed_message() -> str:
    return _(
        "Dữ liệu của một số hộ trong tệp đã thay đổi kể từ lúc kiểm tra (có người vừa lưu phiếu "
        "hoặc đăng ký hộ). Không có gì được ghi: hãy tải tệp lên lại để kiểm tra với dữ liệu mới "
        "nhất."
    )


def _fail(job: Job, message: str) -> Job:
    _set(job, status=JobStatus.FAILED, error=message, finished_at=timezone.now())
    return job


def _set(job: Job, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**values)


class _Progress:
    """Writes ``done`` of the job (out of ``total``) as the work advances, at most every 2%.

    While the data is written inside one transaction, an update of the job row on the same
    connection would only be seen at commit: on PostgreSQL the progress goes through a second,
    autocommit connection. (SQLite runs tasks inline in the request: nobody polls meanwhile.)
    """

    def __init__(self, job, total=0, share=1.0, start=0.0, fixed=False, own_connection=False):
        self.job, self.total, self.share, self.start = job, total, share, start
        self.fixed = fixed  # the total is the households to write, not the rows read
        self.last = -1
        self.conn = None
        if own_connection and connection.vendor == "postgresql":
            self.conn = connections.create_connection("default")

    def __call__(self, fraction: float, total: int | None = None) -> None:
        if total and not self.fixed:
            self.total, self.last = total, -1
        done = int(self.total * (self.start + self.share * min(max(fraction, 0.0), 1.0)))
        if done - self.last < max(self.total // 50, 1) and fraction < 1.0:
            return
        self.last = done
        now = timezone.now()
        if self.conn is None:
            Job.objects.filter(pk=self.job.pk).update(done=done, total=self.total, heartbeat_at=now)
            return
        table = self.conn.ops.quote_name(Job._meta.db_table)
        with self.conn.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET done = %s, total = %s, heartbeat_at = %s "  # noqa: S608
                "WHERE id = %s",
                [done, self.total, now, self.job.pk],
            )

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
