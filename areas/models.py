"""Administrative units as an effective-dated tree, unit groups, the 2025 crosswalk and the
assignments that give users their scope.

A unit code is unique only at a date: on 1 July 2025 many old commune codes were reused for
merged communes with new names (see docs/areas.md). Every unit therefore carries
valid_from / valid_to, and ``path`` (a materialized path of primary keys, "/12/40/311/") lets one
query find every unit below any set of units.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .text import fold


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")


class Kind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO = "thanh_pho", _("Thành phố")
    THI_XA = "thi_xa", _("Thị xã")
    HUYEN = "huyen", _("Huyện")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")


# Phường and thị trấn are urban; xã and đặc khu are rural (DOMAIN.md §2). The income line of the
# poverty standard depends on it.
URBAN_KINDS = frozenset({Kind.PHUONG, Kind.THI_TRAN})


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def communes(self) -> UnitQuerySet:
        return self.filter(level=Level.COMMUNE)


class Unit(models.Model):
    code = models.CharField(_("mã"), max_length=5, db_index=True)
    name = models.CharField(_("tên"), max_length=100)
    # name without diacritics, lower case: search that ignores tone marks (see text.fold)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=64, db_index=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    is_urban = models.BooleanField(_("thành thị"), default=False)
    is_mountainous = models.BooleanField(_("miền núi"), default=False)
    is_poor_district = models.BooleanField(_("huyện nghèo / xã nghèo"), default=False)
    is_coastal_difficult = models.BooleanField(
        _("xã đặc biệt khó khăn vùng bãi ngang, ven biển và hải đảo"), default=False
    )
    is_ethnic_minority_area = models.BooleanField(
        _("vùng đồng bào dân tộc thiểu số"), default=False
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded"}
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            Unit.objects.filter(pk=self.pk).update(path=path)
            if old:  # moved in the tree: carry the subtree along
                for child in Unit.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Unit.objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])

    @property
    def label(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def clean(self) -> None:
        # The database holds "code unique per valid_from"; overlapping periods of one code need a
        # range check that SQLite cannot express, so it lives here (and in load_units).
        end = self.valid_to or dt.date.max
        clash = Unit.objects.filter(code=self.code, valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if self.pk:
            clash = clash.exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                {
                    "code": _("Mã %(code)s đã dùng cho một đơn vị khác trong cùng thời gian.")
                    % {"code": self.code}
                }
            )
        if self.parent_id and self.parent.path and self.pk and f"/{self.pk}/" in self.parent.path:
            raise ValidationError({"parent": _("Đơn vị cấp trên không được là đơn vị cấp dưới.")})

    def ancestors(self) -> models.QuerySet[Unit]:
        ids = [int(p) for p in self.path.strip("/").split("/")[:-1]]
        return Unit.objects.filter(pk__in=ids).order_by("path")

    def descendants(self) -> UnitQuerySet:
        return Unit.objects.filter(path__startswith=self.path).exclude(pk=self.pk)


class GroupKind(models.TextChoices):
    MOUNTAINOUS = "mountainous", _("Vùng miền núi")
    FORMER_DISTRICT = "former_district", _("Huyện cũ")
    OTHER = "other", _("Khác")


class UnitGroup(models.Model):
    """A named set of units: 'the mountainous districts', 'former Ba Tơ district'.

    Members may be of any level; everything below a member belongs to the group. Targets, reports
    and assignments can name a group wherever they name a unit.
    """

    code = models.SlugField(_("mã nhóm"), max_length=40, unique=True)
    name = models.CharField(_("tên nhóm"), max_length=150)
    kind = models.CharField(_("loại nhóm"), max_length=20, choices=GroupKind.choices)
    former_district = models.ForeignKey(
        Unit,
        verbose_name=_("huyện cũ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor_groups",
        limit_choices_to={"level": Level.DISTRICT},
    )
    members = models.ManyToManyField(Unit, verbose_name=_("đơn vị"), related_name="unit_groups")
    description = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("nhóm đơn vị")
        verbose_name_plural = _("nhóm đơn vị")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Share(models.TextChoices):
    FULL = "full", _("Toàn bộ")
    PARTIAL = "partial", _("Một phần")


class UnitSuccession(models.Model):
    """One row of the old→new crosswalk of 1 July 2025 (data/units-crosswalk-2025.csv)."""

    old = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions")
    new = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessions")
    share = models.CharField(max_length=10, choices=Share.choices)

    class Meta:
        verbose_name = _("chuyển đổi đơn vị")
        verbose_name_plural = _("bảng chuyển đổi đơn vị")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="succession_pair")]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ giảm nghèo cấp xã")
    DISTRICT_STAFF = "district_staff", _("Cán bộ cấp huyện")
    PROVINCIAL_LEADER = "provincial_leader", _("Lãnh đạo tỉnh")
    ADMINISTRATOR = "administrator", _("Quản trị viên")


class AssignmentQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> AssignmentQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class Assignment(models.Model):
    """A user holds a role over a unit or a unit group for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, null=True, blank=True
    )
    group = models.ForeignKey(
        UnitGroup, verbose_name=_("nhóm đơn vị"), on_delete=models.PROTECT, null=True, blank=True
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        ordering = ["user", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(group__isnull=True))
                | (Q(unit__isnull=True) & Q(group__isnull=False)),
                name="assignment_unit_xor_group",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="assignment_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit or self.group}"

    def clean(self) -> None:
        if bool(self.unit_id) == bool(self.group_id):
            raise ValidationError(_("Chọn đúng một trong hai: đơn vị hoặc nhóm đơn vị."))
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu.")})
