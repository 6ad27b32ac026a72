"""Project 6 of the program: communication and information poverty (docs/communication.md).

What is data (editable in the admin, seeded by migration 0002, none confirmed yet): the kinds of
activity (``ActivityKind``, each with its sub-project) and which kinds of household support count
as information support (``InformationKind``, rows pointing at ``support.SupportKind``). What is
code: the sub-projects (the numbers of the program tree, 6.1 and 6.2) and the audience groups.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Unit


class SubProject(models.TextChoices):
    """The sub-projects of project 6 (``ProgramComponent.number`` in the program tree of each
    period, Decision 90/QĐ-TTg)."""

    INFORMATION = "6.1", _("Tiểu dự án 1 – Giảm nghèo về thông tin")
    COMMUNICATION = "6.2", _("Tiểu dự án 2 – Truyền thông về giảm nghèo đa chiều")


class Audience(models.TextChoices):
    POOR = "poor", _("Hộ nghèo, hộ cận nghèo")
    ETHNIC = "ethnic", _("Đồng bào dân tộc thiểu số")
    OFFICIALS = "officials", _("Cán bộ làm công tác giảm nghèo")
    PUBLIC = "public", _("Người dân nói chung")


class ActivityKind(models.Model):
    """A kind of communication activity; a list kept as data, ``confirmed`` off until checked
    against the province's documents."""

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    subproject = models.CharField(_("tiểu dự án"), max_length=5, choices=SubProject.choices)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("loại hoạt động truyền thông")
        verbose_name_plural = _("loại hoạt động truyền thông")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """One communication activity (a conference, a training, a broadcast, leaflets …) held by a
    unit: a commune, or a district or the province (then it is not counted per commune)."""

    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("loại hoạt động"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("ngày thực hiện"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên hoạt động"), max_length=250)
    # ",poor,ethnic,": the groups wrapped in commas (like ``Survey.needs``), filtered by
    # ``audience_groups__contains=",poor,"``.
    audience_groups = models.CharField(_("nhóm đối tượng"), max_length=80, blank=True)
    audience = models.CharField(_("đối tượng (mô tả)"), max_length=250, blank=True)
    reach = models.PositiveIntegerField(
        _("số người tham dự, tiếp cận"), default=0, help_text=_("Người tham dự, người nghe, xem.")
    )
    materials = models.PositiveIntegerField(
        _("số sản phẩm, tài liệu"),
        default=0,
        help_text=_("Tờ rơi, pa-nô, tin bài, chương trình phát thanh, thiết bị …"),
    )
    materials_note = models.CharField(_("mô tả sản phẩm, tài liệu"), max_length=250, blank=True)
    cost = models.PositiveBigIntegerField(_("kinh phí (đồng)"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hoạt động truyền thông")
        verbose_name_plural = _("hoạt động truyền thông")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on", "unit"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reach__gte=0) & Q(materials__gte=0), name="activity_counts_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels[g]) for g in self.groups() if g in labels]

    def groups(self) -> list[str]:
        return [g for g in self.audience_groups.split(",") if g]


class InformationKind(models.Model):
    """A kind of household support (``support.SupportKind``) that counts as information support
    (sub-project 6.1: a radio, a TV set, a phone, internet access …). Data: the province adds or
    removes rows in the admin."""

    support_kind = models.OneToOneField(
        "support.SupportKind",
        verbose_name=_("loại hỗ trợ"),
        on_delete=models.CASCADE,
        related_name="information",
    )
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("loại hỗ trợ giảm nghèo về thông tin")
        verbose_name_plural = _("loại hỗ trợ giảm nghèo về thông tin")

    def __str__(self) -> str:
        return str(self.support_kind)
