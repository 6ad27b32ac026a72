"""Contributions to the "Vì người nghèo" (for the poor) fund of a commune, a district or the
province, and what each one paid for (docs/contributions.md).

A contribution is cash (``cash_amount``) and/or goods in kind (``in_kind`` with an estimated
``in_kind_value``); its value is the sum. Its uses (``ContributionUse``) add up to at most that
value: ``contributions.services`` checks it with the contribution's row locked. Money is integer
VND. What is code: the donor kinds (``DonorKind``). What is data: the purposes, which reuse the
kinds of support (``support.SupportKind``, edited in the admin).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.models import Unit
from support.models import SupportKind, SupportRecord

VND = models.PositiveBigIntegerField


class DonorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    ORGANISATION = "organisation", _("Cơ quan, tổ chức")
    INDIVIDUAL = "individual", _("Cá nhân")
    OVERSEAS = "overseas", _("Tổ chức, cá nhân nước ngoài")
    OTHER = "other", _("Khác")


class Contribution(models.Model):
    """One contribution received by the fund of ``unit`` (a commune, a former district or the
    province) on ``received_on``."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("quỹ của đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("ngày tiếp nhận"))
    donor_name = models.CharField(_("tên nhà tài trợ"), max_length=200)
    donor_kind = models.CharField(_("loại nhà tài trợ"), max_length=20, choices=DonorKind.choices)
    anonymous = models.BooleanField(
        _("không công khai tên"),
        default=False,
        help_text=_("Tên nhà tài trợ không hiện trên bảng tổng hợp công khai."),
    )
    cash_amount = VND(_("tiền mặt (đồng)"), default=0)
    in_kind = models.CharField(_("hiện vật"), max_length=255, blank=True)
    in_kind_value = VND(_("giá trị hiện vật ước tính (đồng)"), default=0)
    purpose = models.CharField(_("mục đích"), max_length=255, blank=True)
    purpose_kind = models.ForeignKey(
        SupportKind,
        verbose_name=_("loại hỗ trợ dự kiến"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reference = models.CharField(_("số biên nhận"), max_length=60, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đóng góp Quỹ Vì người nghèo")
        verbose_name_plural = _("đóng góp Quỹ Vì người nghèo")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cash_amount__gt=0) | Q(in_kind_value__gt=0),
                name="contribution_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on:%d/%m/%Y} · {self.donor_name} · {self.value:,} đ"

    @property
    def value(self) -> int:
        return self.cash_amount + self.in_kind_value


class ContributionUse(models.Model):
    """What (part of) a contribution paid for: support records of households, or a described
    spending in a commune."""

    contribution = models.ForeignKey(
        Contribution, verbose_name=_("đóng góp"), on_delete=models.PROTECT, related_name="uses"
    )
    used_on = models.DateField(_("ngày chi"))
    amount = VND(_("số tiền, giá trị (đồng)"))
    description = models.CharField(_("nội dung chi"), max_length=255)
    commune = models.ForeignKey(
        Unit,
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    support_records = models.ManyToManyField(
        SupportRecord, verbose_name=_("hỗ trợ đã trao"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sử dụng đóng góp")
        verbose_name_plural = _("sử dụng đóng góp")
        ordering = ["contribution", "used_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_use_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.used_on:%d/%m/%Y} · {self.amount:,} đ · {self.description}"
