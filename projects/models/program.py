"""The program's structure as data: a program period and its tree of projects and sub-projects
(Decision 90/QĐ-TTg for 2021–2025). Livelihood projects, models and trainings are filed under one
node of the tree. Seeded from projects/data/program-2021-2025.csv; administrators edit it and add
later periods in the admin."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Program(models.Model):
    code = models.SlugField(_("mã chương trình"), max_length=20, unique=True)
    name = models.CharField(_("tên chương trình"), max_length=255)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    # Decree 27/2022 art. 20–22 (as amended by Decree 38/2023): kept per period, not in code.
    min_beneficiary_share = models.DecimalField(
        _("tỷ lệ tối thiểu người tham gia thuộc đối tượng (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=PERCENT,
    )
    priority_share = models.DecimalField(
        _("tỷ lệ đối tượng để được ưu tiên (trên, %)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70.00"),
        validators=PERCENT,
    )
    # A period or tree row not yet checked against its legal text stays editable data, marked.
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="program_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class ProgramComponent(models.Model):
    """A project of the program ("Dự án 3") or one of its sub-projects ("Tiểu dự án 1")."""

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="components"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc dự án"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    number = models.CharField(
        _("số hiệu"), max_length=10, help_text=_("Dự án: “3”; tiểu dự án: “3.1”.")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên"), max_length=255)
    for_projects = models.BooleanField(_("dùng cho dự án sinh kế, mô hình"), default=False)
    for_trainings = models.BooleanField(_("dùng cho tập huấn, đào tạo, việc làm"), default=False)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("dự án / tiểu dự án của chương trình")
        verbose_name_plural = _("dự án / tiểu dự án của chương trình")
        ordering = ["program", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="component_number")
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.number}: {self.name}"

    @property
    def is_sub_project(self) -> bool:
        return self.parent_id is not None

    @property
    def kind_label(self) -> str:
        return str(_("Tiểu dự án") if self.is_sub_project else _("Dự án"))
