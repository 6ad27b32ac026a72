"""Rules of the law kept as rows an administrator edits: state-share caps by project form and
area type, and which level of People's Committee approves each form. Seeded from projects/data/
(values marked unconfirmed in DOMAIN.md §6 stay unconfirmed here)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import ApprovalLevelChoice, AreaType, ProjectForm
from .program import PERCENT, Program


class StateShareCap(models.Model):
    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="caps"
    )
    form = models.CharField(_("hình thức"), max_length=20, choices=ProjectForm.choices)
    area_type = models.CharField(_("loại địa bàn"), max_length=20, choices=AreaType.choices)
    max_share = models.DecimalField(
        _("ngân sách nhà nước hỗ trợ tối đa (%)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
    )
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("mức hỗ trợ tối đa của ngân sách")
        verbose_name_plural = _("mức hỗ trợ tối đa của ngân sách")
        ordering = ["program", "form", "area_type"]
        constraints = [
            models.UniqueConstraint(fields=["program", "form", "area_type"], name="one_cap")
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} · {self.get_area_type_display()} · {self.max_share}%"


class ApprovalLevel(models.Model):
    form = models.CharField(_("hình thức"), max_length=20, choices=ProjectForm.choices)
    level = models.CharField(_("cấp phê duyệt"), max_length=10, choices=ApprovalLevelChoice.choices)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cấp phê duyệt theo hình thức")
        verbose_name_plural = _("cấp phê duyệt theo hình thức")
        ordering = ["form", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["form", "valid_from"], name="one_level_per_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="approval_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} · {self.get_level_display()}"
