"""The Excel list "Danh sách hộ nghèo, cận nghèo và người giúp đỡ, hỗ trợ": one row per poor or
near-poor entry of the round in the communes, with its helpers, plan items and the support it
received in the round's year. Four queries whatever the number of households."""

from __future__ import annotations

import io
from collections import defaultdict

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Kind
from households import choices
from reports.exports.common import filename, period_label, province_of
from reports.xlsx import COUNT, MONEY, Column, Header, TableSheet, streamed

from .models import HelperAssignment, SupportPlanItem, SupportRecord
from .rules import year_bounds
from .selectors import helped_entries, helper_in_year, plan_in_year

TITLE = "Danh sách hộ nghèo, cận nghèo và người giúp đỡ, hỗ trợ"


def columns() -> list[Column]:
    return [
        Column(_("STT"), 6),
        Column(_("Mã hộ"), 14),
        Column(_("Chủ hộ"), 24),
        Column(_("Xã"), 20),
        Column(_("Thôn / tổ dân phố"), 16),
        Column(_("Phân loại"), 14),
        Column(_("Người giúp đỡ (cơ quan, tổ chức)"), 36),
        Column(_("Số mục kế hoạch hỗ trợ"), 12, COUNT),
        Column(_("Hỗ trợ đã nhận trong năm"), 40),
        Column(_("Tổng số tiền hỗ trợ trong năm (đồng)"), 18, MONEY),
    ]


def support_rows(round_, communes: list[int]):
    """Yield the list's rows (without the number): the entries, then three grouped reads of
    helpers, plan items and support records over the same households."""
    entries = helped_entries(round_, communes)
    households = entries.values("household_id")
    first, last = year_bounds(round_.year)
    helpers = defaultdict(list)
    for household, name, organisation in (
        HelperAssignment.objects.filter(helper_in_year(round_.year), household_id__in=households)
        .order_by("household_id", "starts_on", "pk")
        .values_list("household_id", "helper_name", "organisation")
    ):
        helpers[household].append(f"{name} ({organisation})")
    plans = dict(
        SupportPlanItem.objects.filter(plan_in_year(round_.year), household_id__in=households)
        .order_by()
        .values_list("household_id")
        .annotate(n=Count("pk"))
    )
    received = defaultdict(list)
    amounts: dict[int, int] = defaultdict(int)
    for household, kind, n, amount in (
        SupportRecord.objects.filter(
            household_id__in=households, received_on__gte=first, received_on__lte=last
        )
        .order_by("household_id", "kind__position")
        .values_list("household_id", "kind__name")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    ):
        received[household].append(kind if n == 1 else f"{kind} ({n})")
        amounts[household] += amount or 0
    classes = {k: str(v) for k, v in choices.POVERTY_CLASS}
    kinds = {k: str(v) for k, v in Kind.choices}
    values = entries.order_by("commune__name", "household__village", "household__code").values_list(
        "household_id", "household__code", "household__head_name", "commune__kind",
        "commune__name", "household__village", "effective_class",
    )  # fmt: skip
    for pk, code, head, commune_kind, commune, village, cls in values.iterator():
        yield [
            code,
            head,
            f"{kinds.get(commune_kind, '')} {commune}".strip(),
            village,
            classes.get(cls, cls),
            "; ".join(helpers.get(pk, ())),
            plans.get(pk, 0),
            "; ".join(received.get(pk, ())),
            amounts.get(pk, 0),
        ]


def support_workbook(round_, communes: list[int], *, area: str, commune=None) -> tuple[bytes, str]:
    out = io.BytesIO()
    committee, place = ("", "")
    if commune is not None:
        committee, place = commune.label, province_of(commune).name
    with streamed(out) as wb:
        sheet = TableSheet(
            wb,
            name=_("Hộ được giúp đỡ, hỗ trợ"),
            columns=columns(),
            header=Header(
                committee=committee,
                place=place,
                title=_("Danh sách hộ nghèo, cận nghèo và người giúp đỡ, hỗ trợ"),
                lines=(_("Địa bàn: %(area)s") % {"area": area}, period_label(round_)),
                day=timezone.localdate(),
            ),
            lettered=0,
            frozen=3,
        )
        for number, row in enumerate(support_rows(round_, communes), start=1):
            sheet.row([number, *row])
        sheet.notes(
            [
                _(
                    "Hộ nghèo, cận nghèo: theo phân loại của hộ trong đợt rà soát (hộ chưa rà "
                    "soát xong tính theo kết quả kỳ trước). Người giúp đỡ: được phân công trong "
                    "năm %(year)s. Hỗ trợ: đã nhận từ 01/01 đến 31/12/%(year)s."
                )
                % {"year": round_.year}
            ]
        )
        sheet.signatures()
    return out.getvalue(), filename(TITLE, area, round_.year)
