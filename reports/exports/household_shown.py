"""The household list page as shown: the same round, the same filters (``SurveyFilter``), the same
scope and order as /ho/, every page of it, with the page's columns."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Kind
from areas.scope import user_scope
from households import choices, selectors
from households.filters import SurveyFilter
from households.models import SurveyStatus

from ..xlsx import Column, TableSheet, streamed
from .common import ExportContext, exported_line, filename, header_for
from .household_list import CHUNK, _chunks
from .shown import describe_filters

TITLE = gettext_lazy("Danh sách hộ gia đình")


def chosen_round(query: QueryDict):
    """The page's rule: ?round=<pk> when it exists, else the current round."""
    wanted = query.get("round", "")
    if wanted:
        chosen = selectors.round_list().filter(pk=wanted).first() if wanted.isdigit() else None
        if chosen is not None:
            return chosen
    return selectors.round_current()


def survey_filter(ctx: ExportContext) -> SurveyFilter | None:
    query = QueryDict(ctx.params.get("query", ""))
    round_ = chosen_round(query)
    if round_ is None:
        return None
    scope = user_scope(ctx.user)
    entries = selectors.survey_list_for_user(scope).filter(round=round_)
    return SurveyFilter(query, queryset=entries, scope=scope, standard=round_.get_standard())


def rows(ctx: ExportContext):
    """The page's rows, in the page's order."""
    found = survey_filter(ctx)
    if found is None:
        return None, None
    qs = found.qs.order_by("commune__code", "household__village", "household__code")
    return found, qs


def total(ctx: ExportContext) -> int:
    _found, qs = rows(ctx)
    return qs.count() if qs is not None else 0


def columns() -> list[Column]:
    return [
        Column(_("STT"), 6),
        Column(_("Mã hộ"), 14),
        Column(_("Chủ hộ"), 26),
        Column(_("Hộ dân tộc thiểu số"), 10),
        Column(_("Xã"), 20),
        Column(_("Thôn / tổ dân phố"), 18),
        Column(_("Phân loại"), 16),
        Column(_("Biến động"), 24),
        Column(_("Số chỉ số thiếu hụt"), 10),
        Column(_("Trạng thái phiếu"), 16),
    ]


def write(ctx: ExportContext, out, progress=None) -> None:
    found, qs = rows(ctx)
    if found is None:
        raise ValueError(_("Chưa có đợt rà soát nào."))
    chosen = chosen_round(QueryDict(ctx.params.get("query", "")))
    context = ExportContext(user=ctx.user, round=chosen, owner=None, scope=ctx.scope, params={})
    with streamed(out) as wb:
        sheet = TableSheet(
            wb,
            name=_("Hộ gia đình"),
            columns=columns(),
            header=header_for(
                context, str(TITLE), lines=[*describe_filters(found), exported_line()]
            ),
            lettered=0,
            frozen=3,
            styled=False,
        )
        classes = {k: str(v) for k, v in choices.POVERTY_CLASS}
        transitions = {k: str(v) for k, v in choices.TRANSITION}
        statuses = {k: str(v) for k, v in SurveyStatus.choices}
        minority = _("DTTS")
        values = qs.values_list(
            "household__code", "household__head_name", "is_ethnic_minority", "commune__kind",
            "commune__name", "household__village", "poverty_class", "transition", "deprived_count",
            "status",
        )  # fmt: skip
        kinds = {k: str(v) for k, v in Kind.choices}
        number = 0
        for chunk in _chunks(values.iterator(chunk_size=CHUNK), CHUNK):
            for code, head, em, kind, commune, village, cls, transition, deprived, status in chunk:
                number += 1
                sheet.row(
                    [
                        number,
                        code,
                        head,
                        minority if em else None,
                        f"{kinds.get(kind, '')} {commune}",
                        village,
                        classes.get(cls, cls),
                        transitions.get(transition, transition),
                        None if status == "pending" else deprived,
                        statuses.get(status, status),
                    ]
                )
            if progress is not None:
                progress(number)
        sheet.signatures()


def name(ctx: ExportContext) -> str:
    chosen = chosen_round(QueryDict(ctx.params.get("query", "")))
    return filename(TITLE, chosen.year if chosen else "")


def title(ctx: ExportContext) -> str:
    chosen = chosen_round(QueryDict(ctx.params.get("query", "")))
    return f"{TITLE} ({_('theo bộ lọc')}) · {chosen or ''}"
