"""The Excel summary "Tổng hợp nhu cầu đào tạo nghề": per commune and trade, the workers with a
training need in the year by where they want to work × level, the total and those wanting a job.
One grouped query (``selectors.needs_summary``) whatever the number of workers; for planning the
vocational courses."""

from __future__ import annotations

import io
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from reports.exports.common import filename, province_of
from reports.xlsx import COUNT, Column, Header, TableSheet, streamed

from .models import Level, Where
from .selectors import needs_summary

TITLE = "Tổng hợp nhu cầu đào tạo nghề"
CELLS = [(w, lv) for w in Where.values for lv in Level.values]


def columns() -> list[Column]:
    where = dict(Where.choices)
    level = dict(Level.choices)
    return [
        Column(_("STT"), 6),
        Column(_("Xã"), 22),
        Column(_("Nghề"), 28),
        *(Column(str(level[lv]), 11, COUNT, group=str(where[w])) for w, lv in CELLS),
        Column(_("Tổng số người"), 10, COUNT),
        Column(_("Trong đó có nhu cầu việc làm"), 12, COUNT),
    ]


def needs_rows(communes: list[int], year: int) -> list[list]:
    table: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for row in needs_summary(communes, year):
        key = (row["commune__path"], row["commune__name"], row["trade__order"], row["trade__name"])
        cells = table[key]
        cells[(row["where"], row["level"])] += row["n"]
        cells["total"] += row["n"]
        cells["jobs"] += row["jobs"]
    return [
        [name, trade, *(cells.get(c, 0) for c in CELLS), cells["total"], cells["jobs"]]
        for (_path, name, _order, trade), cells in sorted(table.items())
    ]


def needs_workbook(communes: list[int], year: int, *, area: str, commune=None) -> tuple[bytes, str]:
    out = io.BytesIO()
    committee, place = ("", "")
    if commune is not None:
        committee, place = commune.label, province_of(commune).name
    rows = needs_rows(communes, year)
    with streamed(out) as wb:
        sheet = TableSheet(
            wb,
            name=_("Nhu cầu đào tạo nghề"),
            columns=columns(),
            header=Header(
                committee=committee,
                place=place,
                title=_("Tổng hợp nhu cầu đào tạo nghề"),
                lines=(
                    _("Địa bàn: %(area)s") % {"area": area},
                    _("Năm %(year)s") % {"year": year},
                ),
                day=timezone.localdate(),
            ),
            lettered=2,
            frozen=3,
        )
        for number, row in enumerate(rows, start=1):
            sheet.row([number, *row])
        sheet.notes(
            [
                _(
                    "Người lao động trong độ tuổi lao động của hộ nghèo, hộ cận nghèo được khảo "
                    "sát nhu cầu đào tạo nghề trong năm %(year)s (mỗi người một lần trong năm)."
                )
                % {"year": year}
            ]
        )
        sheet.signatures()
    return out.getvalue(), filename(TITLE, area, year)
