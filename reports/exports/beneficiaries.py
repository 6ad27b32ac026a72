"""Poor and near-poor households by beneficiary group: households with no working capacity, with
a person of revolutionary merit, under social protection, and ethnic-minority households."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.models import Household

from .breakdown import write_breakdown
from .common import ExportContext, filename

TITLE = gettext_lazy("Hộ nghèo, hộ cận nghèo theo nhóm đối tượng")
FLAGS = ("no_working_capacity", "revolutionary_merit", "social_protection")


def parts() -> dict[str, Q]:
    out = {flag: Q(**{f"household__{flag}": True}) for flag in FLAGS}
    out["ethnic_minority"] = Q(is_ethnic_minority=True)  # as recorded in the round's entry
    return out


def labels() -> dict[str, str]:
    out = {}
    for flag in FLAGS:
        text = str(Household._meta.get_field(flag).verbose_name)
        out[flag] = text[:1].upper() + text[1:]
    out["ethnic_minority"] = _("Hộ dân tộc thiểu số")
    return out


def write(ctx: ExportContext, out, progress=None) -> None:
    write_breakdown(
        ctx,
        out,
        title=str(TITLE),
        sheet_name=_("Nhóm đối tượng"),
        parts=parts(),
        labels=labels(),
        notes=[
            _(
                "Một hộ có thể thuộc nhiều nhóm. Đặc điểm hộ theo sổ hộ hiện tại; hộ dân tộc "
                "thiểu số theo phiếu của đợt rà soát."
            )
        ],
    )


def name(ctx: ExportContext) -> str:
    return filename(TITLE, ctx.owner.label, ctx.round.year)
