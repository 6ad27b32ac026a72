"""Inspection, check and supervision visits to communes and projects, their recommendations
and the follow-up of each recommendation (docs/monitoring.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Unit
from projects.models import Project

from .files import VISIT_FILE_VALIDATORS, visit_file_path


class VisitKind(models.TextChoices):
    INSPECTION = "inspection", _("Thanh tra")
    CHECK = "check", _("Kiểm tra")
    MONITORING = "monitoring", _("Giám sát")
    COMMUNITY = "community", _("Giám sát cộng đồng")


class VisitStatus(models.TextChoices):
    DRAFT = "draft", _("Đang thực hiện")
    CLOSED = "closed", _("Đã kết thúc")


class Visit(models.Model):
    kind = models.CharField(_("hình thức"), max_length=20, choices=VisitKind.choices)
    held_on = models.DateField(_("ngày kiểm tra, giám sát"))
    organiser = models.CharField(_("cơ quan tổ chức"), max_length=200)
    team = models.CharField(_("đoàn kiểm tra, giám sát"), max_length=255)
    lead = models.CharField(_("trưởng đoàn"), max_length=120, blank=True)
    communes = models.ManyToManyField(
        Unit, verbose_name=_("xã được kiểm tra"), related_name="+", blank=True
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("dự án được kiểm tra"), related_name="+", blank=True
    )
    findings = models.TextField(_("kết quả, phát hiện"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đợt kiểm tra, giám sát")
        verbose_name_plural = _("đợt kiểm tra, giám sát")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    REPORTED = "reported", _("Xã báo cáo đã thực hiện, chờ xác nhận")
    DONE = "done", _("Đã thực hiện")


# Not done yet: what the responsible commune still has to do (a report awaiting the district's
# confirmation is the district's to do, not the commune's).
PENDING = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
NOT_DONE = (*PENDING, RecommendationStatus.REPORTED)


class Recommendation(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("nội dung kiến nghị"))
    # The commune responsible: a commune of the visit or of one of its projects.
    commune = models.ForeignKey(
        Unit, verbose_name=_("xã chịu trách nhiệm"), on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("dự án liên quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("hạn thực hiện"))
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["commune", "status", "due_on"])]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in PENDING and self.due_on < today


class FollowUp(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="follow_ups"
    )
    on = models.DateField(_("ngày"))
    note = models.TextField(_("nội dung"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theo dõi thực hiện kiến nghị")
        verbose_name_plural = _("theo dõi thực hiện kiến nghị")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return self.note[:80]


class VisitFile(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(
        _("tệp"), upload_to=visit_file_path, validators=VISIT_FILE_VALIDATORS, max_length=200
    )
    name = models.CharField(_("tên tệp"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
