"""Target progress: the targets the dashboard of the same round and area shows (the area's own,
those of the units and groups holding it and of those within it, that the user may see), with the
stored actual value and the status (``indicators.selectors.targets_for``)."""

from __future__ import annotations

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import IndicatorValue
from indicators.rules import Status
from indicators.selectors import targets_for

from ..xlsx import Column, TableSheet, streamed
from .common import (
    ExportContext,
    Stored,
    filename,
    freshness_line,
    header_for,
)

TITLE = gettext_lazy("Báo cáo tiến độ thực hiện mục tiêu giảm nghèo")


def status_labels() -> dict[str, str]:
    return {
        Status.MET: _("Đạt"),
        Status.ON_TRACK: _("Đúng tiến độ"),
        Status.AT_RISK: _("Có nguy cơ không đạt"),
        Status.MISSED: _("Không đạt"),
        Status.NO_DATA: _("Chưa có số liệu"),
    }


def rows_for(ctx: ExportContext):
    """Exactly the targets the dashboard of the same round and area shows (``targets_for``)."""
    return targets_for(ctx.round, ctx.scope, ctx.owner)


def round_freshness(round_) -> Stored:
    """When the round's values were computed and whether any is provisional. (Not
    ``indicators.selectors.freshness``: its MAX over a boolean fails on PostgreSQL.)"""
    values = IndicatorValue.objects.filter(round=round_)
    as_of = values.aggregate(as_of=Max("computed_at"))["as_of"]
    return Stored(values={}, as_of=as_of, provisional=values.filter(provisional=True).exists())


def columns() -> list[Column]:
    target = _("Mục tiêu")
    return [
        Column(_("STT"), 6),
        Column(_("Chỉ tiêu"), 44),
        Column(_("Địa bàn áp dụng"), 26),
        Column(_("Đơn vị tính"), 10),
        Column(_("Loại"), 14, group=target),
        Column(_("Từ / tối thiểu"), 10, "0.00", target),
        Column(_("Đến / tối đa"), 10, "0.00", target),
        Column(_("Thực hiện"), 11, "0.00"),
        Column(_("Đánh giá"), 18),
        Column(_("Căn cứ"), 30),
    ]


def write(ctx: ExportContext, out, progress=None) -> None:
    rows = rows_for(ctx)
    stored = round_freshness(ctx.round)
    labels = status_labels()
    with streamed(out) as wb:
        sheet = TableSheet(
            wb,
            name=_("Mục tiêu"),
            columns=columns(),
            header=header_for(ctx, str(TITLE), lines=[freshness_line(stored)]),
        )
        for number, row in enumerate(rows, 1):
            t = row.target
            sheet.row(
                [
                    number,
                    t.indicator.name,
                    t.unit.label if t.unit_id else t.group.name,
                    t.indicator.unit,
                    t.get_kind_display(),
                    t.low,
                    t.high,
                    row.actual,
                    labels[row.status],
                    t.source,
                ]
            )
        if not rows:
            sheet.notes([_("Chưa có mục tiêu nào cho năm này trong phạm vi của bạn.")])
        sheet.notes(
            [
                _(
                    "Đánh giá: “Đạt” / “Không đạt” trên số liệu chính thức; “Đúng tiến độ” / "
                    "“Có nguy cơ không đạt” trên số liệu tạm thời (đợt rà soát chưa kết thúc)."
                )
            ]
        )
        sheet.signatures()


def name(ctx: ExportContext) -> str:
    return filename(TITLE, ctx.owner.label, ctx.round.year)
