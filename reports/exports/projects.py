"""Livelihood (production-support) projects with their budget by source, participants by
beneficiary category and status: for a year and an area (projects with a commune in it, running
during the round's year), and the project list page as shown (``project_shown``).

The total row comes first, as in the other official tables: one aggregate query, then the
projects (a few hundred at most) with their communes and participant counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.scope import user_reach
from projects.choices import Category
from projects.models import Project, ProjectParticipant
from projects.models.project import SOURCES
from projects.selectors.projects import project_list_for_user, project_rows

from ..xlsx import COUNT, DATE, MONEY, RATE, Column, TableSheet, streamed
from .common import ExportContext, exported_line, filename, group_paths, header_for

TITLE = gettext_lazy("Danh sách dự án hỗ trợ phát triển sản xuất")
CHUNK = 500


def in_area(ctx: ExportContext):
    """Projects the user sees, with a commune in the area, running during the round's year."""
    year = ctx.round.year
    owner = ctx.owner
    paths = (owner.unit.path,) if owner.unit else group_paths(owner.group)
    links = Project.communes.through.objects.filter(_unit_under(paths), project=OuterRef("pk"))
    return (
        project_list_for_user(user_reach(ctx.user))
        .filter(Exists(links))
        .filter(starts_on__lte=dt.date(year, 12, 31), ends_on__gte=dt.date(year, 1, 1))
    )


def _unit_under(paths) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(unit__path__startswith=p)
    return q


def columns() -> list[Column]:
    budget, of_which = _("Kinh phí (đồng)"), _("Trong đó, số hộ tham gia là")
    return [
        Column(_("STT"), 6),
        Column(_("Mã dự án"), 14),
        Column(_("Tên dự án"), 34),
        Column(_("Hình thức"), 22),
        Column(_("Thuộc dự án / tiểu dự án"), 12),
        Column(_("Lĩnh vực"), 14),
        Column(_("Xã thực hiện"), 24),
        Column(_("Ngày bắt đầu"), 11, DATE),
        Column(_("Ngày kết thúc"), 11, DATE),
        Column(_("Số hộ tham gia"), 9, COUNT),
        *[Column(str(label), 10, COUNT, of_which) for _value, label in Category.choices],
        Column(_("Tỷ lệ hộ thuộc đối tượng (%)"), 10, RATE),
        Column(_("Tổng kinh phí"), 15, MONEY, budget),
        Column(_("Ngân sách nhà nước"), 15, MONEY, budget),
        Column(_("Đối ứng bằng tiền"), 13, MONEY, budget),
        Column(_("Đối ứng bằng hiện vật"), 13, MONEY, budget),
        Column(_("Đối ứng bằng ngày công"), 13, MONEY, budget),
        Column(_("Vốn tín dụng chính sách"), 13, MONEY, budget),
        Column(_("Nguồn khác"), 13, MONEY, budget),
        Column(_("Trạng thái"), 16),
        Column(_("Quyết định phê duyệt"), 18),
    ]


def _category_counts() -> dict:
    return {
        f"n_{value}": Count("participants", filter=Q(participants__category=value))
        for value, _label in Category.choices
    }


def totals(projects) -> dict:
    """The total row: projects, participants by category, budget by source (one query)."""
    sums = {f: Coalesce(Sum(f), Value(0)) for f in ("total_cost", *SOURCES)}
    row = projects.order_by().aggregate(
        projects=Count("pk"), households=Coalesce(Sum("participant_count"), Value(0)), **sums
    )
    by_category = (
        ProjectParticipant.objects.filter(project__in=projects.values("pk"))
        .values("category")
        .annotate(n=Count("pk"))
    )
    counts = {r["category"]: r["n"] for r in by_category}
    row.update({f"n_{value}": counts.get(value, 0) for value, _label in Category.choices})
    return row


def write_projects(sheet: TableSheet, projects, progress=None) -> int:
    row = totals(projects)
    categories = [value for value, _label in Category.choices]
    sheet.row(
        [
            None,
            None,
            _("Tổng cộng: %(n)s dự án") % {"n": row["projects"]},
            *[None] * 6,
            row["households"],
            *[row[f"n_{c}"] for c in categories],
            None,
            row["total_cost"],
            *[row[f] for f in SOURCES],
            None,
            None,
        ],
        bold=True,
    )
    number = 0
    rows = project_rows(projects).annotate(**_category_counts()).order_by("-starts_on", "code")
    for p in rows.iterator(chunk_size=CHUNK):
        number += 1
        decision = p.decision_number
        if decision and p.decision_date:
            decision = _("%(number)s ngày %(date)s") % {
                "number": decision,
                "date": p.decision_date.strftime("%d/%m/%Y"),
            }
        sheet.row(
            [
                number,
                p.code,
                p.title,
                p.get_form_display(),
                f"{p.component.kind_label} {p.component.number}",
                p.get_sector_display(),
                ", ".join(c.label for c in p.communes.all()),
                p.starts_on,
                p.ends_on,
                p.participant_count,
                *[getattr(p, f"n_{c}") for c in categories],
                p.beneficiary_share,
                p.total_cost,
                *[getattr(p, f) for f in SOURCES],
                p.get_status_display(),
                decision,
            ]
        )
        if progress is not None and number % CHUNK == 0:
            progress(number)
    if progress is not None:
        progress(number)
    return number


def new_sheet(wb, header) -> TableSheet:
    return TableSheet(
        wb, name=_("Dự án"), columns=columns(), header=header, lettered=0, frozen=3, styled=True
    )


def total(ctx: ExportContext) -> int:
    return in_area(ctx).count()


def write(ctx: ExportContext, out, progress=None) -> None:
    with streamed(out) as wb:
        year_line = _("Dự án thực hiện trong năm %(year)s") % {"year": ctx.round.year}
        # Projects are chosen by the round's year, not by the review period: no period line.
        header = header_for(
            replace(ctx, round=None), str(TITLE), lines=[year_line, exported_line()]
        )
        sheet = new_sheet(wb, header)
        write_projects(sheet, in_area(ctx), progress)
        sheet.signatures()


def name(ctx: ExportContext) -> str:
    return filename(TITLE, ctx.owner.label, ctx.round.year)


def title(ctx: ExportContext) -> str:
    return f"{TITLE} · {ctx.owner.label} · {ctx.round.year}"
