"""“Báo cáo giải ngân vốn”: the disbursement of a year's plan by program project/sub-project
(rows, with a subtotal row per project/sub-project) and unit, with planned, carried over,
allocated, disbursed and the rates; a direct download of a few hundred rows at most, built from
``selectors.funds_by`` (the figures of the summary page)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from reports.xlsx import COUNT, MONEY, RATE, Column, Header, TableSheet, streamed

from .selectors import funds_by, funds_total


def disbursement_workbook(plans, year: int) -> bytes:
    rows = funds_by(plans, ("component", "unit"))
    by_component = {r.key: r for r in funds_by(plans, "component")}
    out = io.BytesIO()
    with streamed(out) as wb:
        money = _("Vốn (đồng)")
        rates = _("Tỷ lệ giải ngân (%)")
        sheet = TableSheet(
            wb,
            name=_("Giải ngân"),
            columns=[
                Column(_("STT"), 6, COUNT),
                Column(_("Dự án, tiểu dự án / đơn vị"), 48),
                Column(_("Kế hoạch năm"), 16, MONEY, money),
                Column(_("Năm trước chuyển sang"), 16, MONEY, money),
                Column(_("Tổng kế hoạch"), 16, MONEY, money),
                Column(_("Đã phân bổ"), 16, MONEY, money),
                Column(_("Đã giải ngân"), 16, MONEY, money),
                Column(_("So với kế hoạch"), 12, RATE, rates),
                Column(_("So với phân bổ"), 12, RATE, rates),
            ],
            header=Header(
                committee=_("Tỉnh Quảng Ngãi"),
                place=_("Quảng Ngãi"),
                title=_("BÁO CÁO GIẢI NGÂN VỐN CHƯƠNG TRÌNH NĂM %(year)s") % {"year": year},
                lines=(
                    _("Số liệu đến ngày %(day)s")
                    % {"day": timezone.localdate().strftime("%d/%m/%Y")},
                ),
                day=timezone.localdate(),
            ),
        )

        def figures(r):
            return [
                r.planned,
                r.carried_over,
                r.total,
                r.allocated,
                r.disbursed,
                r.rate,
                r.allocated_rate,
            ]

        current = None
        number = 0
        for row in rows:
            component, _unit = row.key
            if component != current:
                current = component
                number += 1
                head = by_component[component]
                sheet.row([number, head.label, *figures(head)], bold=True)
            sheet.row([None, "   " + row.label.split(" · ", 1)[1], *figures(row)])
        total = funds_total(rows)
        sheet.row([None, _("Tổng cộng"), *figures(total)], bold=True)
        sheet.notes(
            [
                _(
                    "Tổng kế hoạch = kế hoạch năm + vốn năm trước chuyển sang. Tỷ lệ giải ngân so "
                    "với kế hoạch = đã giải ngân ÷ tổng kế hoạch; so với phân bổ = đã giải ngân ÷ "
                    "đã phân bổ. Mỗi dòng kế hoạch tính theo đơn vị được giao vốn."
                )
            ]
        )
        sheet.signatures()
    return out.getvalue()
