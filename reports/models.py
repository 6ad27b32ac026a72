"""Records of long jobs users start: exports to Excel and survey imports from Excel.

A job belongs to the user who started it ("my exports" lists a user's own jobs only), runs in
Celery (inline in embedded mode), reports progress as done/total, and keeps its result file under
MEDIA_ROOT/reports/ — served only through a login-required view that checks the owner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    EXPORT = "export", _("Xuất báo cáo")
    IMPORT = "import", _("Nhập phiếu từ Excel")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")
    # imports only: validated and waiting for the user to confirm, or rejected with a report
    VALIDATED = "validated", _("Đã kiểm tra, chờ xác nhận")
    REJECTED = "rejected", _("Có lỗi, không ghi dữ liệu")


def job_upload_to(job: Job, filename: str) -> str:
    return f"reports/{job.owner_id}/{job.kind}/{filename}"


class Job(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs"
    )
    kind = models.CharField(max_length=10, choices=JobKind.choices)
    report = models.CharField(_("loại báo cáo"), max_length=40)  # export key, or "surveys"
    title = models.CharField(_("tiêu đề"), max_length=200)
    params = models.JSONField(default=dict, blank=True)  # round, unit/group, filters...
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)  # import: counts, errors per row
    source = models.FileField(upload_to=job_upload_to, blank=True)  # the uploaded workbook
    result = models.FileField(upload_to=job_upload_to, blank=True)  # export or error report
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written whenever the job is claimed or advances; the reaper (reports.jobs) requeues or
    # fails a job whose heartbeat is too old (its worker died, or the broker lost its message).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # set when retention deleted the files (reports/retention.py); the row stays
    files_expired_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "kind", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status in (JobStatus.DONE, JobStatus.VALIDATED, JobStatus.REJECTED):
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def reference(self) -> str:
        """What a user quotes to the administrator; the log lines of the job carry it."""
        return f"J{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status not in (JobStatus.QUEUED, JobStatus.RUNNING)
