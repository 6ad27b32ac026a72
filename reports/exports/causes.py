"""Poor and near-poor households by cause of poverty, as recorded in the round's survey (a
household may give several causes)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.choices import Cause

from .breakdown import write_breakdown
from .common import ExportContext, filename

TITLE = gettext_lazy("Hộ nghèo, hộ cận nghèo theo nguyên nhân nghèo")


def write(ctx: ExportContext, out, progress=None) -> None:
    write_breakdown(
        ctx,
        out,
        title=str(TITLE),
        sheet_name=_("Nguyên nhân"),
        # Survey.causes is comma-wrapped (",land,capital,"): ",code," matches whole codes only.
        parts={c.value: Q(causes__contains=f",{c.value},") for c in Cause},
        labels={c.value: str(c.label) for c in Cause},
        notes=[
            _(
                "Một hộ có thể có nhiều nguyên nhân. Hộ chưa rà soát trong đợt được tính vào cột "
                "tổng số theo kết quả kỳ trước, chưa có nguyên nhân của đợt này."
            )
        ],
    )


def name(ctx: ExportContext) -> str:
    return filename(TITLE, ctx.owner.label, ctx.round.year)
