"""Deprivation analysis of poor (or near-poor) households: per area, the households of the class
and, for each indicator of the round's standard (numbered 1..N as the reports number them), how
many are deprived and their share (stored indicator values only)."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ..xlsx import COUNT, RATE, Column
from .common import ExportContext, filename, freshness_line, header_for, lines_for, stored_values
from .tables import write_table

KINDS = {
    "poor": {
        "title": gettext_lazy("Phân tích thiếu hụt các dịch vụ xã hội cơ bản của hộ nghèo"),
        "prefix": "dep_poor",
        "total": "poor_households",
        "total_label": gettext_lazy("Tổng số hộ nghèo"),
    },
    "near_poor": {
        "title": gettext_lazy("Phân tích thiếu hụt các dịch vụ xã hội cơ bản của hộ cận nghèo"),
        "prefix": "dep_near",
        "total": "near_poor_households",
        "total_label": gettext_lazy("Tổng số hộ cận nghèo"),
    },
}


def columns(round_, kind: str) -> list[tuple[Column, str]]:
    spec = KINDS[kind]
    english = (get_language() or "vi").startswith("en")
    out = [(Column(str(spec["total_label"]), 11, COUNT), spec["total"])]
    for indicator in round_.get_standard().indicators:
        name = indicator.name_en if english else indicator.name_vi
        group = f"{indicator.number}. {name}"
        code = f"{spec['prefix']}_{indicator.code}"
        out.append((Column(_("Số hộ"), 9, COUNT, group), code))
        out.append((Column(_("Tỷ lệ (%)"), 9, RATE, group), f"{code}_share"))
    return out


def write(ctx: ExportContext, out, progress=None, *, kind: str) -> None:
    spec = columns(ctx.round, kind)
    codes = [code for _column, code in spec]
    lines = lines_for(ctx.round, ctx.owner)
    stored = stored_values(ctx.round, ctx.owner, lines, codes)
    write_table(
        out,
        sheet_name=_("Thiếu hụt"),
        header=header_for(ctx, str(KINDS[kind]["title"]), lines=[freshness_line(stored)]),
        columns=[column for column, _code in spec],
        lines=lines,
        figures=lambda line: [stored.get(line, code) for code in codes],
        notes=[
            _(
                "Tỷ lệ = số hộ thiếu hụt chỉ số ÷ tổng số hộ của nhóm × 100. Chỉ tính các phiếu "
                "đã rà soát trong đợt; hộ chưa rà soát được tính theo kết quả kỳ trước ở cột tổng."
            )
        ],
    )


def name(ctx: ExportContext, *, kind: str) -> str:
    return filename(KINDS[kind]["title"], ctx.owner.label, ctx.round.year)
