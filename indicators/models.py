"""Indicator catalog, targets, rollup runs and the stored values pages read.

Pages never compute a rollup: they read ``IndicatorValue`` rows, each stamped with the time it
was computed. ``CommuneTotals`` keeps each commune's raw totals for a round, so that a change in
one commune re-adds only that commune's ancestors and groups.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.models import Unit, UnitGroup
from households.models import ReviewRound

from .rules import TargetKind


class Indicator(models.Model):
    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name_vi = models.CharField(_("tên (tiếng Việt)"), max_length=200)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=200)
    kind = models.CharField(_("cách tính"), max_length=12)
    numerator = models.CharField(_("tử số"), max_length=60, blank=True)
    denominator = models.CharField(_("mẫu số"), max_length=60, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=20)
    persons = models.BooleanField(_("tính theo nhân khẩu"), default=False)
    higher_is_better = models.BooleanField(_("càng cao càng tốt"), default=True)
    group = models.CharField(_("nhóm"), max_length=20)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("danh mục chỉ tiêu")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class Target(models.Model):
    """A target for one indicator, one unit or unit group, one year."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT
    )
    group = models.ForeignKey(
        UnitGroup, verbose_name=_("nhóm đơn vị"), null=True, blank=True, on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(
        _("loại"),
        max_length=10,
        choices=[
            (TargetKind.RANGE.value, _("Khoảng (từ – đến)")),
            (TargetKind.AT_LEAST.value, _("Tối thiểu")),
            (TargetKind.AT_MOST.value, _("Tối đa")),
        ],
    )
    low = models.DecimalField(
        _("từ / tối thiểu"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    high = models.DecimalField(
        _("đến / tối đa"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("căn cứ"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["year", "indicator__order"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(group__isnull=True))
                | (Q(unit__isnull=True) & Q(group__isnull=False)),
                name="target_unit_xor_group",
            ),
            models.CheckConstraint(
                condition=~Q(kind="range") | (Q(low__isnull=False) & Q(high__isnull=False)),
                name="target_range_has_bounds",
            ),
            models.CheckConstraint(
                condition=~Q(kind="at_least") | Q(low__isnull=False),
                name="target_at_least_has_low",
            ),
            models.CheckConstraint(
                condition=~Q(kind="at_most") | Q(high__isnull=False),
                name="target_at_most_has_high",
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=models.F("high")),
                name="target_low_not_above_high",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.unit or self.group} · {self.year}"

    @property
    def label(self) -> str:
        if self.kind == TargetKind.RANGE:
            return f"{_fmt(self.low)}–{_fmt(self.high)}"
        if self.kind == TargetKind.AT_LEAST:
            return f"≥ {_fmt(self.low)}"
        return f"≤ {_fmt(self.high)}"


def _fmt(value) -> str:
    from django.utils.formats import number_format

    return number_format(value.normalize() if value == value.to_integral() else value)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tính")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class RollupRun(models.Model):
    """One recompute of a round: full (fanned out per district) or incremental (one commune)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="rollup_runs")
    full = models.BooleanField(default=True)
    commune = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total_parts = models.PositiveIntegerField(default=0)
    done_parts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The parts stored, by key (their first commune id): a redelivered part counts once. The
    # heartbeat is written when a part or the merge starts or ends; the reaper
    # (indicators.reaper) requeues or fails a run whose heartbeat is too old.
    parts_done = models.JSONField(default=list, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_status_display()}"

    @property
    def reference(self) -> str:
        return f"R{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        return int(100 * self.done_parts / self.total_parts) if self.total_parts else 0


class CommuneTotals(models.Model):
    """Raw totals of one commune in one round (the input of every higher aggregate)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "commune"], name="one_totals_per_commune")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} · {self.round_id}"


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE)
    group = models.ForeignKey(UnitGroup, null=True, blank=True, on_delete=models.CASCADE)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    provisional = models.BooleanField(default=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "round", "unit"],
                condition=Q(unit__isnull=False),
                name="one_value_per_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "round", "group"],
                condition=Q(group__isnull=False),
                name="one_value_per_group",
            ),
        ]
        indexes = [models.Index(fields=["round", "unit"]), models.Index(fields=["round", "group"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.value}"


class StaleCommune(models.Model):
    """The outbox of rollups: "this commune's figures are stale in this round", written in the
    same transaction as the change (a survey save, an exclusion, a move, a submission step), so
    a change can never commit without its rollup being owed, whatever the broker does. Drained
    by ``outbox.drain`` (a task queued after the commit, and beat every minute); ``version``
    grows with each new change, so a drain deletes the row only if no change came meanwhile."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "commune"], name="one_stale_row_per_commune")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} · {self.round_id} · v{self.version}"


class SavedAnalysis(models.Model):
    """An analysis (``indicators.analysis``) a user saved: its name and the page's query string.
    Private to its owner; a pinned one is linked from the owner's home page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_analyses"
    )
    name = models.CharField(_("tên"), max_length=120)
    query = models.CharField(_("tham số"), max_length=2000)
    pinned = models.BooleanField(_("ghim lên trang chủ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân tích đã lưu")
        verbose_name_plural = _("phân tích đã lưu")
        ordering = ["-pinned", "name", "pk"]
        indexes = [models.Index(fields=["user", "pinned"])]

    def __str__(self) -> str:
        return self.name
