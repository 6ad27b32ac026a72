"""The household list page as shown: the same round, the same filters (``SurveyFilter``), the same
scope and order as /ho/ (``households.listing``: commune ids, key order), every page of it, with
the page's columns."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Kind
from areas.scope import user_scope
from households import choices, listing, selectors
from households.models import SurveyStatus
from households.paging import KEY

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


def round_list(ctx: ExportContext) -> listing.RoundList | None:
    query = QueryDict(ctx.params.get("query", ""))
    round_ = chosen_round(query)
    if round_ is None:
        return None
    return listing.round_list_for_user(ctx.user, user_scope(ctx.user), round_, query)


def rows(ctx: ExportContext):
    """The page's rows, in the page's order."""
    found = round_list(ctx)
    if found is None:
        return None, None
    return found, found.entries.order_by(*KEY)


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
                context, str(TITLE), lines=[*describe_filters(found.filter), exported_line()]
            ),
            lettered=0,
            frozen=3,
            styled=False,
        )
        classes = {k: str(v) for k, v in choices.POVERTY_CLASS}
        transitions = {k: str(v) for k, v in choices.TRANSITION}
        statuses = {k: str(v) for k, v in SurveyStatus.choices}
        minority = _("DTTS")
        # The class the page shows and counts: a pending entry with its previous class.
        values = qs.values_list(
            "household__code", "household__head_name", "is_ethnic_minority", "commune_id",
            "household__village", "effective_class", "transition", "deprived_count", "status",
        )  # fmt: skip
        kinds = {k: str(v) for k, v in Kind.choices}
        communes = {c.pk: f"{kinds.get(c.kind, '')} {c.name}" for c in found.communes.communes}
        number = 0
        for chunk in _chunks(values.iterator(chunk_size=CHUNK), CHUNK):
            for code, head, em, commune, village, cls, transition, deprived, status in chunk:
                number += 1
                sheet.row(
                    [
                        number,
                        code,
                        head,
                        minority if em else None,
                        communes.get(commune, ""),
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
