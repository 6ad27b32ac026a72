"""The workbook "Báo cáo kiểm tra, giám sát" of a year and an area in the user's scope: visits by
kind and commune, recommendations by responsible commune (total, done, not done, overdue), and
the list of recommendations not done yet with their due dates. A few grouped queries; small
enough to be written in the request.

Counts per commune are commune-visits: a visit of three communes counts once in each, so the
total line counts a visit once per commune it covered (the line says so)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Unit
from areas.scope import Capability, Reach, reach_q
from reports.exports.common import committee_for, exported_line, filename, province_of
from reports.xlsx import BOLD, BOX, COUNT, DATE, Column, Header, TableSheet, streamed

from .indicators import visit_commune_pairs
from .models import NOT_DONE, PENDING, Recommendation, RecommendationStatus, VisitKind
from .selectors import visit_list_for_user, visits_under


def _seen(reach: Reach, ids, day: dt.date) -> set[int]:
    """The communes among ``ids`` the user sees (today, or at ``day`` for the old tree)."""
    q = reach_q(reach, Capability.SEE, unit="", start=day)
    return set(Unit.objects.filter(q, pk__in=list(ids)).values_list("pk", flat=True))


def gather(reach: Reach, year: int, unit: Unit | None, today: dt.date) -> dict:
    visits = visit_list_for_user(reach).filter(held_on__year=year)
    if unit is not None:
        visits = visits_under(visits, unit)
    pairs = visit_commune_pairs(visits)
    if unit is not None:
        under = set(
            Unit.objects.filter(
                pk__in={c for _v, c, _k in pairs}, path__startswith=unit.path
            ).values_list("pk", flat=True)
        )
        pairs = {p for p in pairs if p[1] in under}
    seen = _seen(reach, {c for _v, c, _k in pairs}, dt.date(year, 12, 31)) | _seen(
        reach, {c for _v, c, _k in pairs}, dt.date(year, 1, 1)
    )
    by_kind: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _visit, commune, kind in pairs:
        if commune in seen:
            by_kind[commune][kind] += 1
    recommendations = Recommendation.objects.filter(
        visit__in=visits.values("pk"), commune_id__in=seen
    )
    counts = {
        row["commune_id"]: row
        for row in recommendations.order_by()
        .values("commune_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=RecommendationStatus.DONE)),
            open=Count("pk", filter=Q(status__in=NOT_DONE)),
            overdue=Count("pk", filter=Q(status__in=PENDING, due_on__lt=today)),
        )
    }
    ids = set(by_kind) | set(counts)
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=ids).select_related("parent").order_by("path")
    }
    pending = list(
        recommendations.filter(status__in=NOT_DONE)
        .select_related("visit", "commune", "project")
        .order_by("due_on", "pk")
    )
    return {"units": units, "by_kind": by_kind, "counts": counts, "pending": pending}


def unit_label(unit: Unit) -> str:
    return f"{unit.label}, {unit.parent.label}" if unit.parent_id else unit.label


def write(reach: Reach, year: int, unit: Unit | None, out, today: dt.date | None = None):
    today = today or timezone.localdate()
    data = gather(reach, year, unit, today)
    area = unit.label if unit else _("Toàn bộ địa bàn được phân công")
    if unit is not None:
        committee, place = unit.label, province_of(unit).name
    else:
        committee, place = committee_for(None, reach.today)
    header = Header(
        committee=committee,
        place=place,
        title=_("Báo cáo kiểm tra, giám sát năm %(year)s") % {"year": year},
        lines=(_("Địa bàn: %(area)s") % {"area": area},),
        day=today,
    )
    kinds = list(VisitKind.choices)
    by_kind_group = _("Số lượt theo hình thức")
    with streamed(out) as wb:
        sheet = TableSheet(
            wb,
            name=_("Đợt theo xã"),
            columns=[
                Column(_("STT"), 6),
                Column(_("Xã"), 36),
                *(Column(str(lbl), 12, COUNT, by_kind_group) for _k, lbl in kinds),
                Column(_("Tổng"), 10, COUNT),
            ],
            header=header,
        )

        def by_kind(row):
            values = [row.get(k, 0) for k, _name in kinds]
            return [*values, sum(values)]

        _unit_rows(
            sheet, data["units"], data["by_kind"], by_kind, _("Cộng (lượt xã)"), len(kinds) + 1
        )
        sheet.notes(
            [
                _(
                    "Một đợt kiểm tra, giám sát nhiều xã (hoặc dự án của nhiều xã) được tính một "
                    "lượt ở mỗi xã."
                ),
                exported_line(),
            ]
        )

        sheet = TableSheet(
            wb,
            name=_("Kiến nghị theo xã"),
            columns=[
                Column(_("STT"), 6),
                Column(_("Xã chịu trách nhiệm"), 36),
                Column(_("Tổng số kiến nghị"), 12, COUNT),
                Column(_("Đã thực hiện"), 12, COUNT),
                Column(_("Chưa xong"), 12, COUNT),
                Column(_("Quá hạn"), 12, COUNT),
            ],
            header=header,
        )
        _unit_rows(
            sheet, data["units"], data["counts"],
            lambda row: [row["total"], row["done"], row["open"], row["overdue"]], _("Cộng"), 4,
        )  # fmt: skip
        sheet.notes(
            [
                _(
                    "Quá hạn: chưa thực hiện hoặc đang thực hiện, hạn trước ngày %(day)s. "
                    "“Chưa xong” gồm cả kiến nghị xã đã báo cáo, chờ huyện xác nhận."
                )
                % {"day": today.strftime("%d/%m/%Y")},
                exported_line(),
            ]
        )

        sheet = TableSheet(
            wb,
            name=_("Kiến nghị chưa xong"),
            columns=[
                Column(_("STT"), 6),
                Column(_("Xã chịu trách nhiệm"), 30),
                Column(_("Nội dung kiến nghị"), 50),
                Column(_("Đợt kiểm tra, giám sát"), 24),
                Column(_("Hạn thực hiện"), 12, DATE),
                Column(_("Tình trạng"), 20),
            ],
            header=header,
        )
        for number, r in enumerate(data["pending"], 1):
            state = r.get_status_display()
            if r.is_overdue(today):
                state = _("Quá hạn")
            sheet.append(
                [
                    sheet.cell(number, border=BOX),
                    sheet.cell(r.commune.label, border=BOX),
                    sheet.cell(r.text, border=BOX),
                    sheet.cell(
                        f"{r.visit.get_kind_display()} {r.visit.held_on:%d/%m/%Y}", border=BOX
                    ),
                    sheet.cell(r.due_on, fmt=DATE, border=BOX),
                    sheet.cell(state, border=BOX),
                ]
            )
        sheet.notes([exported_line()])


def name(year: int, unit: Unit | None) -> str:
    return filename(_("bao cao kiem tra giam sat"), unit.label if unit else "", year)


def _unit_rows(sheet, units, rows, values_of, total_label, width: int) -> None:
    """One numbered row per unit that has a row (its ``width`` counts, ``values_of(row)``), then
    the total row."""
    totals = [0] * width
    number = 0
    for pk, u in units.items():
        row = rows.get(pk)
        if not row:
            continue
        number += 1
        values = values_of(row)
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        sheet.append(
            [
                sheet.cell(number, border=BOX),
                sheet.cell(unit_label(u), border=BOX),
                *(sheet.cell(v, fmt=COUNT, border=BOX) for v in values),
            ]
        )
    sheet.append(
        [
            sheet.cell("", border=BOX),
            sheet.cell(total_label, border=BOX, font=BOLD),
            *(sheet.cell(v, fmt=COUNT, border=BOX, font=BOLD) for v in totals),
        ]
    )
