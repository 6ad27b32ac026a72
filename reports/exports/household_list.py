"""The detailed list of poor (or near-poor) households of a round, with their members: the official
list with names and birth dates, so only for the households the user may see on the household
list; the job row records who exported it, and so does the access log of personal data
(``households.PersonalDataAccess``, written by ``reports.exports.services``). Citizen IDs are in
full only in the communes whose officers enter them (and for administrators), masked for district
staff and leaders: ``households.privacy``, the rule of the pages.

One row per member, the head first: the head's row carries the household's columns. Members are
as surveyed in the round (``Survey.members_snapshot``), with their citizen ID from the register;
an entry not surveyed yet (open round) lists the household's current members.

Streams in write-only mode: entries are read ``CHUNK`` at a time with a database cursor; each
chunk costs two more queries (members, deprived indicators) and moves the job's progress.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Kind
from areas.scope import user_scope
from households import choices, counting
from households.models import Member, SurveyDeprivation
from households.privacy import citizen_id_communes, mask_citizen_id
from households.selectors import round_communes_for_user, round_scope, survey_list_for_round

from ..xlsx import DATE, MONEY, Column, TableSheet, streamed
from .common import ExportContext, area_communes, exported_line, filename, header_for

CHUNK = 2000

KINDS = {
    "poor": {"title": gettext_lazy("Danh sách hộ nghèo"), "class": "poor"},
    "near_poor": {"title": gettext_lazy("Danh sách hộ cận nghèo"), "class": "near_poor"},
}

FIELDS = (
    "pk",
    "household_id",
    "commune_id",
    "household__code",
    "household__head_name",
    "household__village",
    "commune__name",
    "commune__kind",
    "member_count",
    "is_ethnic_minority",
    "household__no_working_capacity",
    "household__revolutionary_merit",
    "household__social_protection",
    "income_per_person",
    "b1_score",
    "b2_score",
    "causes",
    "transition",
    "status",
    "members_snapshot",
)


def entries(ctx: ExportContext):
    """The round's entries in the area's communes that the user sees in the round (the household
    list's rule, ``households.listing``), scoped by explicit commune ids: the plan does not
    depend on the planner guessing how many households a unit path matches."""
    area = list(area_communes(ctx.round, ctx.owner).values_list("pk", flat=True))
    scope = round_scope(ctx.user, ctx.round, user_scope(ctx.user))
    return survey_list_for_round(ctx.round, round_communes_for_user(scope, within=area))


def citizen_ids_shown(ctx: ExportContext, kind: str) -> bool:
    """Whether the export holds any full citizen ID (for the access log)."""
    return queryset(ctx, kind).filter(commune_id__in=revealed_communes(ctx)).exists()


def revealed_communes(ctx: ExportContext) -> frozenset[int]:
    """The communes (at the round's date) whose citizen IDs the user gets in full (one query)."""
    scope = round_scope(ctx.user, ctx.round, user_scope(ctx.user))
    return frozenset(citizen_id_communes(scope).values_list("pk", flat=True))


def queryset(ctx: ExportContext, kind: str):
    """The entries of the class, as the stored figures count it (``effective_class``: a pending
    entry with its previous class), read through the (round, class, commune, household) index."""
    return entries(ctx).filter(counting.in_class(KINDS[kind]["class"]))


def total(ctx: ExportContext, *, kind: str) -> int:
    return queryset(ctx, kind).count()


def columns() -> list[Column]:
    flags = _("Đặc điểm hộ")
    return [
        Column(_("STT"), 6),
        Column(_("Mã hộ"), 14),
        Column(_("Họ và tên"), 26),
        Column(_("Quan hệ với chủ hộ"), 11),
        Column(_("Giới tính"), 7),
        Column(_("Ngày sinh"), 11, DATE),
        Column(_("Dân tộc"), 10),
        Column(_("Số định danh cá nhân"), 15),
        Column(_("Thôn / tổ dân phố"), 16),
        Column(_("Xã"), 18),
        Column(_("Số nhân khẩu"), 8),
        Column(_("Dân tộc thiểu số"), 9, group=flags),
        Column(_("Không có khả năng lao động"), 10, group=flags),
        Column(_("Có người có công với cách mạng"), 10, group=flags),
        Column(_("Thuộc đối tượng bảo trợ xã hội"), 10, group=flags),
        Column(_("Thu nhập bình quân (đồng/người/tháng)"), 13, MONEY),
        Column(_("Điểm B1"), 7),
        Column(_("Điểm B2"), 7),
        Column(_("Các chỉ số thiếu hụt"), 14),
        Column(_("Nguyên nhân nghèo"), 28),
        Column(_("Biến động so với kỳ trước"), 22),
        Column(_("Ghi chú"), 20),
    ]


class Labels:
    """Display texts of the codes, resolved once per export (not once per row)."""

    def __init__(self, round_) -> None:
        self.relation = {k: str(v) for k, v in choices.Relation.choices}
        self.sex = {k: str(v) for k, v in choices.SEX}
        self.ethnicity = {k: str(v) for k, v in choices.Ethnicity.choices}
        self.cause = {k: str(v) for k, v in choices.Cause.choices}
        self.transition = {k: str(v) for k, v in choices.TRANSITION}
        self.kind = {k: str(v) for k, v in Kind.choices}
        self.numbers = {i.code: i.number for i in round_.get_standard().indicators}
        self.pending = _("Chưa rà soát trong đợt: theo kết quả kỳ trước")
        self.mark = "x"

    def causes(self, codes: str) -> str:
        return "; ".join(self.cause.get(c, c) for c in codes.split(",") if c)


def chunk_rows(chunk: list[dict]) -> tuple[dict[int, list[tuple]], dict[int, set[str]]]:
    """Two queries for a chunk of entries: each household's member rows (household id -> rows in
    ``_members``' shape) and each survey's deprived indicators (survey id -> codes). Shared with
    the exchange file (``exchange.py``)."""
    registry: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        Member.objects.filter(household_id__in=[e["household_id"] for e in chunk])
        .order_by("household_id", "pk")
        .values_list(
            "household_id", "pk", "full_name", "birth_date", "citizen_id", "relation", "sex",
            "ethnicity", "is_current",
        )
    ):  # fmt: skip
        registry[row[0]].append(row[1:])
    deprived: dict[int, set[str]] = defaultdict(set)
    for survey_id, code in SurveyDeprivation.objects.filter(
        survey_id__in=[e["pk"] for e in chunk]
    ).values_list("survey_id", "indicator"):
        deprived[survey_id].add(code)
    return registry, deprived


def _members(entry: dict, registry: list[tuple]) -> list[tuple]:
    """(name, relation, sex, birth date, ethnicity, citizen ID), the head first."""
    snapshot = entry["members_snapshot"]
    if snapshot:
        # The snapshot keeps no citizen ID: take it from the register, matched by name and birth.
        ids = {(name, born): cid for _pk, name, born, cid, *_rest in registry}
        rows = []
        for m in snapshot:
            name, born = m.get("full_name", ""), _date(m.get("birth_date"))
            rows.append(
                (name, m.get("relation", ""), m.get("sex", ""), born, m.get("ethnicity", ""),
                 ids.get((name, born), ""))
            )  # fmt: skip
    else:
        rows = [
            (name, relation, sex, born, ethnicity, cid)
            for _pk, name, born, cid, relation, sex, ethnicity, current in registry
            if current
        ]
    rows.sort(key=lambda r: r[1] != "head")  # stable: the survey's order otherwise
    return rows


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_rows(
    sheet: TableSheet, entries, labels: Labels, progress=None, *, revealed: frozenset[int]
) -> int:
    """Stream the entries (a values() queryset of FIELDS, ordered) into the sheet; citizen IDs in
    full for entries of the ``revealed`` communes, masked for the others."""
    number = 0
    mark = labels.mark
    for chunk in _chunks(entries.iterator(chunk_size=CHUNK), CHUNK):
        registry, deprived_codes = chunk_rows(chunk)
        deprived = {
            pk: [labels.numbers.get(code, 0) for code in codes]
            for pk, codes in deprived_codes.items()
        }
        for e in chunk:
            number += 1
            members = _members(e, registry.get(e["household_id"], []))
            if e["commune_id"] not in revealed:
                members = [(*m[:5], mask_citizen_id(m[5])) for m in members]
            head = members[0] if members else (e["household__head_name"], "head", "", None, "", "")
            pending = e["status"] == "pending"
            sheet.row(
                [
                    number,
                    e["household__code"],
                    head[0],
                    labels.relation.get(head[1], head[1]),
                    labels.sex.get(head[2], head[2]),
                    head[3],
                    labels.ethnicity.get(head[4], head[4]),
                    head[5],
                    e["household__village"],
                    f"{labels.kind.get(e['commune__kind'], '')} {e['commune__name']}",
                    e["member_count"],
                    mark if e["is_ethnic_minority"] else None,
                    mark if e["household__no_working_capacity"] else None,
                    mark if e["household__revolutionary_merit"] else None,
                    mark if e["household__social_protection"] else None,
                    None if pending else e["income_per_person"],
                    e["b1_score"],
                    None if pending else e["b2_score"],
                    ", ".join(str(n) for n in sorted(deprived.get(e["pk"], []))),
                    labels.causes(e["causes"]),
                    labels.transition.get(e["transition"], e["transition"]),
                    labels.pending if pending else None,
                ]
            )
            for name, relation, sex, born, ethnicity, cid in members[1:]:
                sheet.row(
                    [
                        None,
                        None,
                        name,
                        labels.relation.get(relation, relation),
                        labels.sex.get(sex, sex),
                        born,
                        labels.ethnicity.get(ethnicity, ethnicity),
                        cid,
                    ]
                )
        if progress is not None:
            progress(number)
    return number


def ordered(queryset):
    return queryset.order_by("commune__code", "household__village", "household__code").values(
        *FIELDS
    )


def write(
    ctx: ExportContext, out, progress: Callable[[int], None] | None = None, *, kind: str
) -> None:
    write_list(ctx, out, queryset(ctx, kind), title=str(KINDS[kind]["title"]), progress=progress)


def write_list(ctx: ExportContext, out, entries, *, title: str, progress=None) -> tuple[int, int]:
    """The list of some entries of the round (bench/export_detailed_list.py times it on all):
    (households, sheet rows) written."""
    lines = [exported_line()]
    if ctx.round.is_open:
        lines.insert(0, _("Đợt rà soát đang mở: danh sách tạm thời."))
    with streamed(out) as wb:
        sheet = TableSheet(
            wb,
            name=title,
            columns=columns(),
            header=header_for(ctx, title, lines=lines),
            lettered=0,
            frozen=3,
            styled=False,
        )
        written = write_rows(
            sheet, ordered(entries), Labels(ctx.round), progress, revealed=revealed_communes(ctx)
        )
        sheet.notes(
            [
                _(
                    "Thành viên theo phiếu rà soát của đợt; hộ chưa rà soát ghi thành viên "
                    "hiện tại trong sổ hộ. Tài liệu có dữ liệu cá nhân (Nghị định "
                    "13/2023/NĐ-CP): chỉ dùng cho công tác giảm nghèo."
                )
            ]
        )
        sheet.signatures()
    return written, sheet.row_index


def name(ctx: ExportContext, *, kind: str) -> str:
    return filename(KINDS[kind]["title"], ctx.owner.label, ctx.round.year)


def title(ctx: ExportContext, *, kind: str) -> str:
    return f"{KINDS[kind]['title']} · {ctx.owner.label} · {ctx.round}"
