"""Household support (docs/support.md): the helpers assigned to poor and near-poor households and
their visits, each household's support plan (from its survey's needs) and the support it received.

What is data: the kinds of support (``SupportKind``, rows editable in the admin, seeded by
migration 0002). What is code: the sources of funds (``Source``) and the plan item statuses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from households.models import Household, Member


class SupportKind(models.Model):
    """A kind of support (health insurance card, housing, preferential credit …): a list kept
    as data, editable in the admin; ``confirmed`` is off for the rows not yet checked against
    the province's documents."""

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    group = models.CharField(
        _("chương trình, chính sách"),
        max_length=120,
        blank=True,
        help_text=_("Chính sách hoặc chương trình thường cấp loại hỗ trợ này."),
    )
    unit = models.CharField(
        _("đơn vị tính"), max_length=20, blank=True, help_text=_("Ví dụ: thẻ, con, m³, lượt.")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("loại hỗ trợ")
        verbose_name_plural = _("loại hỗ trợ")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    CENTRAL = "central", _("Ngân sách trung ương")
    LOCAL = "local", _("Ngân sách địa phương")
    CREDIT = "credit", _("Vốn tín dụng ưu đãi")
    MOBILISED = "mobilised", _("Vốn huy động, xã hội hóa")
    OTHER = "other", _("Nguồn khác")


class HelperAssignment(models.Model):
    """A person (a party member, a cadre, a member of a mass organisation) assigned to help a
    poor or near-poor household over a period; not necessarily a user of the portal."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="helper_assignments"
    )
    helper_name = models.CharField(_("họ và tên người giúp đỡ"), max_length=100)
    organisation = models.CharField(
        _("cơ quan, tổ chức"),
        max_length=150,
        help_text=_("Ví dụ: Đảng ủy xã, Hội Nông dân xã, Đoàn Thanh niên."),
    )
    position = models.CharField(
        _("chức vụ, vai trò"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: đảng viên, cán bộ, hội viên."),
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    starts_on = models.DateField(_("giúp đỡ từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân công giúp đỡ hộ")
        verbose_name_plural = _("phân công giúp đỡ hộ")
        ordering = ["household", "-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="helper_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.helper_name} ({self.organisation})"

    def is_active_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class Visit(models.Model):
    assignment = models.ForeignKey(
        HelperAssignment, on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("ngày thăm hộ"))
    note = models.TextField(_("nội dung, kết quả"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần thăm hộ")
        verbose_name_plural = _("lần thăm hộ")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.assignment.helper_name} · {self.visited_on:%d/%m/%Y}"


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    DROPPED = "dropped", _("Không thực hiện")


class SupportPlanItem(models.Model):
    """One line of a household's support plan: for a need of its survey, what (a kind and an
    action), by when, who is responsible."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="plan_items")
    need = models.CharField(_("nhu cầu"), max_length=20, blank=True)
    kind = models.ForeignKey(
        SupportKind, verbose_name=_("loại hỗ trợ"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("nội dung hỗ trợ"), max_length=250)
    due_on = models.DateField(_("thời hạn"))
    responsible = models.CharField(_("đơn vị, người thực hiện"), max_length=150)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch hỗ trợ hộ")
        verbose_name_plural = _("kế hoạch hỗ trợ hộ")
        ordering = ["household", "due_on", "pk"]

    def __str__(self) -> str:
        return self.action


class SupportRecord(models.Model):
    """Support a household (or one of its members) received: a kind, from a program component
    and a source, an amount in VND or a quantity in the kind's unit, on a date."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="support_records"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("thành viên được hỗ trợ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.ForeignKey(
        SupportKind, verbose_name=_("loại hỗ trợ"), on_delete=models.PROTECT, related_name="+"
    )
    plan_item = models.ForeignKey(
        SupportPlanItem,
        verbose_name=_("theo kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    component = models.ForeignKey(
        "projects.ProgramComponent",
        verbose_name=_("dự án, tiểu dự án"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("nguồn kinh phí"), max_length=10, choices=Source.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    quantity = models.DecimalField(
        _("số lượng"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    received_on = models.DateField(_("ngày nhận hỗ trợ"))
    note = models.CharField(_("ghi chú"), max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hỗ trợ đã nhận")
        verbose_name_plural = _("hỗ trợ đã nhận")
        ordering = ["household", "-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(quantity__isnull=False),
                name="support_amount_or_quantity",
            )
        ]
        indexes = [models.Index(fields=["received_on", "household"])]

    def __str__(self) -> str:
        return f"{self.kind} · {self.received_on:%d/%m/%Y}"
