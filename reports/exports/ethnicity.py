"""Poor and near-poor households by the ethnicity of the household head (the head member on the
household's register; a household without one counts under "other")."""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.choices import Ethnicity, Relation
from households.models import Member

from .breakdown import entries, write_breakdown
from .common import ExportContext, filename, lines_for

TITLE = gettext_lazy("Hộ nghèo, hộ cận nghèo theo dân tộc của chủ hộ")


def with_head_ethnicity(queryset):
    head = Member.objects.filter(
        household=OuterRef("household_id"), relation=Relation.HEAD, is_current=True
    ).order_by("pk")
    return queryset.annotate(
        head_ethnicity=Coalesce(Subquery(head.values("ethnicity")[:1]), Value(Ethnicity.OTHER))
    )


def write(ctx: ExportContext, out, progress=None) -> None:
    lines = lines_for(ctx.round, ctx.owner)
    write_breakdown(
        ctx,
        out,
        title=str(TITLE),
        sheet_name=_("Dân tộc"),
        parts={e.value: Q(head_ethnicity=e.value) for e in Ethnicity},
        labels={e.value: str(e.label) for e in Ethnicity},
        queryset=with_head_ethnicity(entries(ctx.round, lines[0].communes)),
        notes=[_("Dân tộc của chủ hộ theo sổ hộ hiện tại.")],
    )


def name(ctx: ExportContext) -> str:
    return filename(TITLE, ctx.owner.label, ctx.round.year)
