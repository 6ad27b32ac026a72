"""Trainings (courses and their participants) and employment records of household members.

These feed three targets of the plan (DOMAIN.md §5): production capacity of workers in poor
households, sustainable employment, and poverty-reduction staff trained this year (rollups.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.models import Unit
from households.models import Member

from ..choices import Contract, CourseKind
from .program import ProgramComponent


class Course(models.Model):
    title = models.CharField(_("tên lớp / hoạt động"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=CourseKind.choices)
    component = models.ForeignKey(
        ProgramComponent,
        verbose_name=_("thuộc dự án / tiểu dự án"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    # The unit that holds the course: it decides who sees and manages it.
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    place = models.CharField(_("địa điểm"), max_length=200)
    organiser = models.CharField(_("cơ quan tổ chức"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lớp tập huấn, đào tạo")
        verbose_name_plural = _("lớp tập huấn, đào tạo")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="course_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CourseParticipant(models.Model):
    """A staff user or a household member on a course, with attendance and completion."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_participations",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("thành viên hộ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_participations",
    )
    attended = models.BooleanField(_("có tham dự"), default=False)
    completed = models.BooleanField(_("hoàn thành"), default=False)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("người tham gia lớp")
        verbose_name_plural = _("người tham gia lớp")
        ordering = ["course", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(member__isnull=True))
                | (Q(user__isnull=True) & Q(member__isnull=False)),
                name="participant_user_xor_member",
            ),
            models.CheckConstraint(
                condition=Q(completed=False) | Q(attended=True), name="completed_needs_attended"
            ),
            models.UniqueConstraint(
                fields=["course", "user"], condition=Q(user__isnull=False), name="course_user"
            ),
            models.UniqueConstraint(
                fields=["course", "member"],
                condition=Q(member__isnull=False),
                name="course_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.user_id or self.member_id}"


class EmploymentRecord(models.Model):
    member = models.ForeignKey(
        Member,
        verbose_name=_("người lao động"),
        on_delete=models.PROTECT,
        related_name="employment_records",
    )
    employer = models.CharField(
        _("nơi làm việc"), max_length=200, blank=True, help_text=_("Để trống nếu tự tạo việc làm.")
    )
    contract = models.CharField(_("hợp đồng"), max_length=12, choices=Contract.choices)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    is_abroad = models.BooleanField(_("làm việc ở nước ngoài"), default=False)
    is_sustainable = models.BooleanField(_("việc làm bền vững"), default=False)
    course = models.ForeignKey(
        Course,
        verbose_name=_("qua lớp / phiên giao dịch việc làm"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employment_records",
    )
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("việc làm")
        verbose_name_plural = _("việc làm")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="employment_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.employer or self.get_contract_display()}"

    @property
    def is_self_employed(self) -> bool:
        return self.contract == Contract.SELF
