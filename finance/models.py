"""The program's funds: the capital plan of a year per program project/sub-project, unit and
source; allocations from a plan down to communes and to livelihood projects; disbursements of an
allocation. Money is integer VND. Every write goes through ``finance.services``, which holds the
checks (allocations within the plan, disbursements within the allocation, dates in the plan's
year, targets under the plan's unit): see docs/finance.md."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.models import Unit
from projects.models import ProgramComponent, Project

VND = models.PositiveBigIntegerField


class Source(models.TextChoices):
    CENTRAL_BUDGET = "central_budget", _("Ngân sách trung ương")
    LOCAL_BUDGET = "local_budget", _("Ngân sách địa phương")
    COUNTERPART = "counterpart", _("Vốn đối ứng")
    CREDIT = "credit", _("Vốn tín dụng ưu đãi")
    MOBILISED = "mobilised", _("Vốn huy động")


class CapitalPlan(models.Model):
    """One line of a year's capital plan: this much of this source for this program project or
    sub-project, held by this unit (province, district or commune valid in that year).

    ``carried_over``: funds of the previous year's plan not disbursed by its end and moved to
    this year (entered on the receiving year's line, disbursed within this year)."""

    year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    component = models.ForeignKey(
        ProgramComponent,
        verbose_name=_("dự án / tiểu dự án"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị được giao"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("nguồn vốn"), max_length=20, choices=Source.choices)
    amount = VND(_("kế hoạch vốn năm (đồng)"))
    carried_over = VND(_("vốn năm trước chuyển sang (đồng)"), default=0)
    decision_ref = models.CharField(_("số quyết định giao vốn"), max_length=60, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    # The first day of ``year`` on which ``unit`` exists (``services.plan_start``): the date the
    # scope rules (areas.scope.reach_q) judge the plan by.
    starts_on = models.DateField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế hoạch vốn")
        verbose_name_plural = _("kế hoạch vốn")
        ordering = ["-year", "component__position", "component__number", "unit__code", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "component", "unit", "source"], name="one_plan_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.component.number} · {self.unit} · {self.get_source_display()}"

    @property
    def total(self) -> int:
        """What may be allocated: the year's plan and what the previous year carried over."""
        return self.amount + self.carried_over

    @property
    def year_start(self) -> dt.date:
        return self.starts_on

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


class Allocation(models.Model):
    """Funds of a plan line allocated to one commune, or to one livelihood project."""

    plan = models.ForeignKey(
        CapitalPlan,
        verbose_name=_("kế hoạch vốn"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    commune = models.ForeignKey(
        Unit,
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("dự án sinh kế"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_allocations",
    )
    amount = VND(_("số vốn phân bổ (đồng)"))
    allocated_on = models.DateField(_("ngày phân bổ"))
    decision_ref = models.CharField(_("số quyết định phân bổ"), max_length=60, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân bổ vốn")
        verbose_name_plural = _("phân bổ vốn")
        ordering = ["plan", "allocated_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commune__isnull=True, project__isnull=False)
                | Q(commune__isnull=False, project__isnull=True),
                name="allocation_one_target",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} → {self.target_label}"

    @property
    def target_label(self) -> str:
        return str(self.project) if self.project_id else self.commune.label


class Disbursement(models.Model):
    """Money paid out of an allocation: when, how much, for what."""

    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("phân bổ"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    paid_on = models.DateField(_("ngày giải ngân"))
    amount = VND(_("số tiền giải ngân (đồng)"))
    purpose = models.CharField(_("nội dung chi"), max_length=255)
    voucher_ref = models.CharField(_("số chứng từ"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giải ngân")
        verbose_name_plural = _("giải ngân")
        ordering = ["allocation", "paid_on", "pk"]
        indexes = [models.Index(fields=["paid_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on:%d/%m/%Y} · {self.amount:,} đ"
