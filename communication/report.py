"""The summary "Hoạt động truyền thông và giảm nghèo về thông tin" of a year and an area in the
user's scope: per unit (commune, district or province that held activities), the count of
activities by kind, the people reached, the materials, the cost, and for communes the households
that received information support in the year. A few grouped queries; written in the request."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Unit
from areas.scope import Reach
from reports.exports.common import committee_for, exported_line, filename, province_of
from reports.xlsx import BOLD, BOX, COUNT, Column, Header, TableSheet, streamed

from . import selectors


def unit_label(unit: Unit) -> str:
    return f"{unit.label}, {unit.parent.label}" if unit.parent_id else unit.label


def gather(reach: Reach, year: int, unit: Unit | None) -> dict:
    activities = selectors.filter_activities(
        selectors.activity_list_for_user(reach), year=year, unit=unit
    )
    figures = selectors.summary(activities)
    communes = selectors.visible_communes(reach.today, unit).values_list("pk", flat=True)
    informed = selectors.information_households(year, communes)
    units = selectors.summary_units(set(figures["per_unit"]) | set(informed))
    kinds = selectors.summary_kinds()
    rows, totals = [], {"count": 0, "reach": 0, "materials": 0, "cost": 0, "informed": 0}
    by_kind_total = {k.pk: 0 for k in kinds}
    for u in units:
        fig = figures["per_unit"].get(u.pk, {})
        counts = figures["kinds"].get(u.pk, {})
        row = {
            "unit": u,
            "label": unit_label(u),
            "kinds": [counts.get(k.pk, 0) for k in kinds],
            "count": fig.get("count", 0),
            "reach": fig.get("reach") or 0,
            "materials": fig.get("materials") or 0,
            "cost": fig.get("cost") or 0,
            "informed": informed.get(u.pk, 0),
        }
        for k in kinds:
            by_kind_total[k.pk] += counts.get(k.pk, 0)
        for key in totals:
            totals[key] += row[key]
        rows.append(row)
    totals["kinds"] = [by_kind_total[k.pk] for k in kinds]
    return {"year": year, "unit": unit, "kinds": kinds, "rows": rows, "totals": totals}


def write(reach: Reach, year: int, unit: Unit | None, out, *, data=None, today=None) -> None:
    today = today or timezone.localdate()
    data = data or gather(reach, year, unit)
    area = unit.label if unit else _("Toàn bộ địa bàn được phân công")
    if unit is not None:
        committee, place = unit.label, province_of(unit).name
    else:
        committee, place = committee_for(None, reach.today)
    header = Header(
        committee=committee,
        place=place,
        title=_("Hoạt động truyền thông và giảm nghèo về thông tin năm %(year)s") % {"year": year},
        lines=(_("Địa bàn: %(area)s") % {"area": area},),
        day=today,
    )
    by_kind = _("Số hoạt động theo loại")
    with streamed(out) as wb:
        sheet = TableSheet(
            wb,
            name=_("Theo đơn vị"),
            columns=[
                Column(_("STT"), 6),
                Column(_("Đơn vị"), 36),
                *(Column(k.name, 12, COUNT, by_kind) for k in data["kinds"]),
                Column(_("Tổng số hoạt động"), 12, COUNT),
                Column(_("Số người tham dự, tiếp cận"), 14, COUNT),
                Column(_("Số sản phẩm, tài liệu"), 12, COUNT),
                Column(_("Kinh phí (đồng)"), 16, COUNT),
                Column(_("Hộ được hỗ trợ giảm nghèo về thông tin"), 14, COUNT),
            ],
            header=header,
        )
        for number, row in enumerate(data["rows"], 1):
            values = [
                *row["kinds"], row["count"], row["reach"], row["materials"], row["cost"],
                row["informed"],
            ]  # fmt: skip
            sheet.append(
                [
                    sheet.cell(number, border=BOX),
                    sheet.cell(row["label"], border=BOX),
                    *(sheet.cell(v, fmt=COUNT, border=BOX) for v in values),
                ]
            )
        t = data["totals"]
        values = [*t["kinds"], t["count"], t["reach"], t["materials"], t["cost"], t["informed"]]
        sheet.append(
            [
                sheet.cell("", border=BOX),
                sheet.cell(_("Cộng"), border=BOX, font=BOLD),
                *(sheet.cell(v, fmt=COUNT, border=BOX, font=BOLD) for v in values),
            ]
        )
        sheet.notes(
            [
                _(
                    "Hoạt động do huyện, tỉnh tổ chức được ghi ở dòng của huyện, tỉnh, không chia "
                    "cho các xã. Hộ được hỗ trợ giảm nghèo về thông tin: hộ nhận hỗ trợ thuộc loại "
                    "giảm nghèo về thông tin trong năm, theo xã hiện nay của hộ."
                ),
                exported_line(),
            ]
        )


def name(year: int, unit: Unit | None) -> str:
    return filename(_("truyen thong giam ngheo"), unit.label if unit else "", year)
