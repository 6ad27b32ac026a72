"""“Quỹ Vì người nghèo năm YYYY”: the summary page's figures as a workbook (a direct download of a
few dozen rows, built from ``selectors.summary``). Three sheets: the contributions received (by
donor kind and by purpose), what they paid for (support records by kind), and the largest donors
who did not ask to stay anonymous. No household is named."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from reports.xlsx import COUNT, MONEY, Column, Header, TableSheet, streamed

from .selectors import Summary


def _header(summary: Summary, title: str) -> Header:
    area = summary.area.label if summary.area else _("Các địa bàn trong phạm vi của bạn")
    return Header(
        committee=_("Tỉnh Quảng Ngãi"),
        place=_("Quảng Ngãi"),
        title=title,
        lines=(
            _("Địa bàn: %(area)s") % {"area": area},
            _("Số liệu đến ngày %(day)s") % {"day": timezone.localdate().strftime("%d/%m/%Y")},
        ),
        day=timezone.localdate(),
    )


def summary_workbook(summary: Summary) -> bytes:
    out = io.BytesIO()
    year = summary.year
    with streamed(out) as wb:
        money = _("Giá trị (đồng)")
        received = TableSheet(
            wb,
            name=_("Tiếp nhận"),
            columns=[
                Column(_("STT"), 6, COUNT),
                Column(_("Nội dung"), 44),
                Column(_("Số lượt đóng góp"), 12, COUNT),
                Column(_("Tiền mặt"), 18, MONEY, money),
                Column(_("Hiện vật (ước tính)"), 18, MONEY, money),
                Column(_("Tổng giá trị"), 18, MONEY, money),
            ],
            header=_header(
                summary, _("QUỸ VÌ NGƯỜI NGHÈO NĂM %(year)s: TIẾP NHẬN ĐÓNG GÓP") % {"year": year}
            ),
        )

        def figures(t):
            return [t.count, t.cash, t.in_kind, t.value]

        received.row(["I", _("Theo loại nhà tài trợ"), None, None, None, None], bold=True)
        for i, (label, t) in enumerate(summary.by_donor_kind, 1):
            received.row([i, label, *figures(t)])
        received.row(["II", _("Theo mục đích"), None, None, None, None], bold=True)
        for i, (label, t) in enumerate(summary.by_purpose, 1):
            received.row([i, label, *figures(t)])
        received.row([None, _("Tổng cộng"), *figures(summary.total)], bold=True)
        received.row([None, _("Đã sử dụng"), None, None, None, summary.used], bold=True)
        received.notes(
            [
                _(
                    "Tổng giá trị = tiền mặt + giá trị hiện vật ước tính. Mỗi đóng góp tính vào "
                    "quỹ của đơn vị tiếp nhận (xã, huyện cũ hoặc tỉnh) trong năm tiếp nhận."
                )
            ]
        )
        received.signatures()

        paid = TableSheet(
            wb,
            name=_("Đã hỗ trợ"),
            columns=[
                Column(_("STT"), 6, COUNT),
                Column(_("Loại hỗ trợ"), 44),
                Column(_("Số lượt hỗ trợ"), 14, COUNT),
                Column(_("Đơn vị tính"), 12),
                Column(_("Số hộ được hỗ trợ"), 14, COUNT),
            ],
            header=_header(
                summary, _("QUỸ VÌ NGƯỜI NGHÈO NĂM %(year)s: ĐÃ HỖ TRỢ") % {"year": year}
            ),
        )
        for i, r in enumerate(summary.paid_for, 1):
            paid.row([i, r["kind__name"], r["records"], r["kind__unit"], r["households"]])
        paid.notes([_("Các khoản hỗ trợ đã trao cho hộ được chi từ đóng góp tiếp nhận trong năm.")])

        donors = TableSheet(
            wb,
            name=_("Nhà tài trợ"),
            columns=[
                Column(_("STT"), 6, COUNT),
                Column(_("Nhà tài trợ"), 44),
                Column(_("Loại"), 24),
                Column(_("Số lượt đóng góp"), 12, COUNT),
                Column(_("Tổng giá trị"), 18, MONEY, money),
            ],
            header=_header(
                summary,
                _("QUỸ VÌ NGƯỜI NGHÈO NĂM %(year)s: CÁC NHÀ TÀI TRỢ LỚN") % {"year": year},
            ),
        )
        for i, d in enumerate(summary.top_donors, 1):
            donors.row([i, d["donor_name"], d["kind"], d["count"], d["value"]])
        if summary.anonymous.count:
            donors.row(
                [
                    None,
                    _("Nhà tài trợ không công khai tên"),
                    None,
                    summary.anonymous.count,
                    summary.anonymous.value,
                ]
            )
    return out.getvalue()
