"""Official review results: households and persons; poor, near-poor and average-living households
with their rates, per area (stored indicator values only)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..xlsx import COUNT, RATE, Column
from .common import ExportContext, filename, freshness_line, header_for, lines_for, stored_values
from .tables import write_table

TITLE = gettext_lazy("Kết quả rà soát hộ nghèo, hộ cận nghèo")


def columns() -> list[tuple[Column, str]]:
    poor, near = _("Hộ nghèo"), _("Hộ cận nghèo")
    average = _("Hộ có mức sống trung bình")
    return [
        (Column(_("Tổng số hộ dân cư"), 12, COUNT), "households"),
        (Column(_("Tổng số nhân khẩu"), 12, COUNT), "persons"),
        (Column(_("Số hộ"), 10, COUNT, poor), "poor_households"),
        (Column(_("Tỷ lệ (%)"), 9, RATE, poor), "poor_rate"),
        (Column(_("Số nhân khẩu"), 11, COUNT, poor), "poor_persons"),
        (Column(_("Tỷ lệ nhân khẩu (%)"), 10, RATE, poor), "poor_persons_rate"),
        (Column(_("Số hộ"), 10, COUNT, near), "near_poor_households"),
        (Column(_("Tỷ lệ (%)"), 9, RATE, near), "near_poor_rate"),
        (Column(_("Số nhân khẩu"), 11, COUNT, near), "near_poor_persons"),
        (Column(_("Số hộ"), 10, COUNT, average), "average_households"),
        (Column(_("Tỷ lệ (%)"), 9, RATE, average), "average_rate"),
        (Column(_("Tỷ lệ hộ nghèo đa chiều (%)"), 12, RATE), "multidim_rate"),
        (
            Column(_("Mức giảm tỷ lệ hộ nghèo so với kỳ trước (điểm %)"), 13, RATE),
            "poor_rate_reduction",
        ),
    ]


def write(ctx: ExportContext, out, progress=None) -> None:
    spec = columns()
    codes = [code for _column, code in spec]
    lines = lines_for(ctx.round, ctx.owner)
    stored = stored_values(ctx.round, ctx.owner, lines, codes)
    write_table(
        out,
        sheet_name=_("Kết quả rà soát"),
        header=header_for(ctx, str(TITLE), lines=[freshness_line(stored)]),
        columns=[column for column, _code in spec],
        lines=lines,
        figures=lambda line: [stored.get(line, code) for code in codes],
        notes=[
            _(
                "Tỷ lệ hộ nghèo = số hộ nghèo ÷ tổng số hộ dân cư × 100; tỷ lệ hộ nghèo đa chiều "
                "gồm hộ nghèo và hộ cận nghèo. Mức giảm tính bằng điểm phần trăm so với kỳ rà soát "
                "trước, theo địa bàn hiện nay của từng hộ."
            )
        ],
    )


def name(ctx: ExportContext) -> str:
    return filename(TITLE, ctx.owner.label, ctx.round.year)
