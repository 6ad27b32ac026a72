"""Livelihood (production-support) projects and poverty-reduction models: the dossier, its
participants and support items, every workflow step, amendments after approval, and the
evaluation of results.

Derived columns (area type, shares, priority, participant count) are written by the services
from the rules whenever the dossier changes, so lists filter and sum them in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.models import Unit
from households.models import Household

from ..choices import (
    Action,
    ApprovalLevelChoice,
    AreaType,
    Category,
    GroupKind,
    ProjectForm,
    Rating,
    Sector,
    Status,
)
from ..files import MINUTES_VALIDATORS, minutes_path
from .program import ProgramComponent

VND = models.PositiveBigIntegerField

# Budget sources of the dossier, in display order (integer VND).
SOURCES = (
    "state_support",
    "counterpart_cash",
    "counterpart_kind",
    "counterpart_labour",
    "policy_credit",
    "other_funds",
)
LOCKED = (Status.APPROVED, Status.IN_PROGRESS, Status.COMPLETED, Status.EVALUATED)
EDITABLE = (Status.DRAFT, Status.RETURNED)


class Project(models.Model):
    code = models.CharField(_("mã dự án"), max_length=30, unique=True)
    title = models.CharField(_("tên dự án"), max_length=255)
    form = models.CharField(_("hình thức"), max_length=20, choices=ProjectForm.choices)
    component = models.ForeignKey(
        ProgramComponent,
        verbose_name=_("thuộc dự án / tiểu dự án"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    sector = models.CharField(_("lĩnh vực"), max_length=20, choices=Sector.choices)
    communes = models.ManyToManyField(Unit, verbose_name=_("xã thực hiện"), related_name="+")
    group_kind = models.CharField(_("loại nhóm đề xuất"), max_length=20, choices=GroupKind.choices)
    group_name = models.CharField(_("tên nhóm / đơn vị chủ trì"), max_length=200)
    group_leader = models.CharField(_("người đại diện"), max_length=100, blank=True)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    expected_outputs = models.TextField(_("kết quả, sản phẩm dự kiến"), blank=True)
    income_effect = models.TextField(_("hiệu quả về thu nhập dự kiến"), blank=True)
    minutes = models.FileField(
        _("biên bản họp cộng đồng"),
        upload_to=minutes_path,
        validators=MINUTES_VALIDATORS,
        blank=True,
        max_length=200,
    )
    minutes_name = models.CharField(max_length=200, blank=True, editable=False)
    # --- budget, integer VND -------------------------------------------------------------------
    total_cost = VND(_("tổng kinh phí"), default=0)
    state_support = VND(_("ngân sách nhà nước hỗ trợ"), default=0)
    counterpart_cash = VND(_("đối ứng bằng tiền"), default=0)
    counterpart_kind = VND(_("đối ứng bằng hiện vật"), default=0)
    counterpart_labour = VND(_("đối ứng bằng ngày công lao động"), default=0)
    policy_credit = VND(_("vốn tín dụng chính sách"), default=0)
    other_funds = VND(_("nguồn khác"), default=0)
    # --- derived by the services from the rules ------------------------------------------------
    area_type = models.CharField(
        _("loại địa bàn"), max_length=20, choices=AreaType.choices, default=AreaType.OTHER
    )
    participant_count = models.PositiveIntegerField(_("số hộ tham gia"), default=0)
    beneficiary_share = models.DecimalField(
        _("tỷ lệ hộ thuộc đối tượng (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    state_share = models.DecimalField(
        _("tỷ lệ ngân sách nhà nước (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    is_priority = models.BooleanField(_("ưu tiên"), default=False)
    # --- workflow ------------------------------------------------------------------------------
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approval_level = models.CharField(
        _("cấp phê duyệt"), max_length=10, choices=ApprovalLevelChoice.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    replicated_from = models.ForeignKey(
        "self",
        verbose_name=_("nhân rộng từ mô hình"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[communes])

    class Meta:
        verbose_name = _("dự án hỗ trợ sản xuất")
        verbose_name_plural = _("dự án hỗ trợ sản xuất")
        ordering = ["-starts_on", "code"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="project_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | ~Q(decision_number=""),
                name="approved_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def is_model(self) -> bool:
        return self.form == ProjectForm.MODEL

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def counterpart_total(self) -> int:
        return self.counterpart_cash + self.counterpart_kind + self.counterpart_labour

    @property
    def sources_total(self) -> int:
        return sum(getattr(self, f) for f in SOURCES)

    def budget(self) -> dict[str, int]:
        return {f: getattr(self, f) for f in ("total_cost", *SOURCES)}


class ProjectParticipant(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    household = models.ForeignKey(
        Household, verbose_name=_("hộ"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("đối tượng"), max_length=20, choices=Category.choices)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hộ tham gia dự án")
        verbose_name_plural = _("hộ tham gia dự án")
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "household"], name="one_row_per_household")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.household_id}"


class SupportItem(models.Model):
    """One line of the estimate: seed, breeding animals, feed, fertiliser, tools, sheds..."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("nội dung hỗ trợ"), max_length=200)
    unit = models.CharField(_("đơn vị tính"), max_length=30)
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=2)
    unit_cost = VND(_("đơn giá (đồng)"))
    amount = VND(_("thành tiền (đồng)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung hỗ trợ")
        verbose_name_plural = _("nội dung hỗ trợ")
        ordering = ["project", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ProjectStep(models.Model):
    """Who did what to the project, when, and why: the timeline on the project page."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)
    decision_number = models.CharField(max_length=50, blank=True)
    decision_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("bước xử lý dự án")
        verbose_name_plural = _("các bước xử lý dự án")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%d/%m/%Y %H:%M}"


class ProjectAmendment(models.Model):
    """A recorded change of an approved project's budget, items or participants."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("lần điều chỉnh"))
    reason = models.TextField(_("lý do điều chỉnh"))
    decision_number = models.CharField(_("số quyết định điều chỉnh"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("điều chỉnh dự án")
        verbose_name_plural = _("điều chỉnh dự án")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="amendment_number")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.number}"


class ProjectEvaluation(models.Model):
    """Economic, social and environmental effect, and measured income change (models must be
    evaluated before they are replicated)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="evaluation")
    economic_rating = models.CharField(_("hiệu quả kinh tế"), max_length=10, choices=Rating.choices)
    economic_note = models.TextField(_("nhận xét về kinh tế"), blank=True)
    social_rating = models.CharField(_("hiệu quả xã hội"), max_length=10, choices=Rating.choices)
    social_note = models.TextField(_("nhận xét về xã hội"), blank=True)
    environmental_rating = models.CharField(
        _("tác động môi trường"), max_length=10, choices=Rating.choices
    )
    environmental_note = models.TextField(_("nhận xét về môi trường"), blank=True)
    income_before = VND(_("thu nhập bình quân trước (đồng/người/tháng)"), null=True, blank=True)
    income_after = VND(_("thu nhập bình quân sau (đồng/người/tháng)"), null=True, blank=True)
    households_measured = models.PositiveIntegerField(_("số hộ có số liệu đo"), default=0)
    recommend_replication = models.BooleanField(_("đề nghị nhân rộng"), default=False)
    conclusion = models.TextField(_("kết luận"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá dự án, mô hình")
        verbose_name_plural = _("đánh giá dự án, mô hình")

    def __str__(self) -> str:
        return str(self.project)

    @property
    def income_change(self) -> int | None:
        if self.income_before is None or self.income_after is None:
            return None
        return self.income_after - self.income_before
