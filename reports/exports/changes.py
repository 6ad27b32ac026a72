"""Changes in poor (or near-poor) households during the round: the balance of DOMAIN.md §4 in
columns 1–9 (start, three decreases, four increases, end), a households row and a persons row
per area.

Both rows come from the same rollup: the households row from the stored indicator values, the
persons row from the stored commune totals (the catalog holds no transitions in persons), every
household weighted by its members as recorded this round (at leaving, for a household that
left), by ``households.counting``: the persons row balances exactly like the households row.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.choices import TRANSITION
from households.rules import BALANCE_NEAR_POOR, BALANCE_POOR
from indicators.models import CommuneTotals

from ..xlsx import COUNT, Column, TableSheet, streamed
from .common import (
    ExportContext,
    add_lines,
    filename,
    freshness_line,
    header_for,
    lines_for,
    stored_values,
)
from .tables import lead_columns

KINDS = {
    "poor": {
        "title": gettext_lazy("Kết quả giảm hộ nghèo, tăng hộ nghèo"),
        "class": "poor",
        "balance": BALANCE_POOR,
        "start": "poor_start",
        "end": "poor_households",
        "start_label": gettext_lazy("Số hộ nghèo đầu kỳ"),
        "end_label": gettext_lazy("Số hộ nghèo cuối kỳ"),
    },
    "near_poor": {
        "title": gettext_lazy("Kết quả giảm hộ cận nghèo, tăng hộ cận nghèo"),
        "class": "near_poor",
        "balance": BALANCE_NEAR_POOR,
        "start": "near_poor_start",
        "end": "near_poor_households",
        "start_label": gettext_lazy("Số hộ cận nghèo đầu kỳ"),
        "end_label": gettext_lazy("Số hộ cận nghèo cuối kỳ"),
    },
}


def balance_columns(kind: str) -> tuple[list[Column], list[str]]:
    """Columns 1–9 and the keys of their figures ("start", "t_<transition>", "end")."""
    spec = KINDS[kind]
    labels = dict(TRANSITION)
    decreases = [t for t, sign in spec["balance"].items() if sign < 0]
    increases = [t for t, sign in spec["balance"].items() if sign > 0]
    down, up = _("Giảm trong kỳ"), _("Tăng trong kỳ")
    columns = [Column(str(spec["start_label"]), 12, COUNT)]
    keys = ["start"]
    for group, transitions in ((down, decreases), (up, increases)):
        for t in transitions:
            columns.append(Column(str(labels[t.value]), 13, COUNT, group))
            keys.append(f"t_{t.value}")
    columns.append(Column(str(spec["end_label"]), 12, COUNT))
    keys.append("end")
    return columns, keys


def persons_by_commune(round_, commune_ids, kind: str, keys: list[str]) -> dict[int, dict]:
    """Persons per column and commune, from the stored commune totals of the same rollup as the
    households row (``indicators.CommuneTotals``: ``prev_*_persons``, ``*_persons``,
    ``tp_<transition>``, counted by ``households.counting``). One query."""
    cls = "poor" if kind == "poor" else "near"
    stored = {"start": f"prev_{cls}_persons", "end": f"{cls}_persons"}
    stored.update({k: f"tp_{k.removeprefix('t_')}" for k in keys if k.startswith("t_")})
    out: dict[int, dict] = {}
    rows = CommuneTotals.objects.filter(round=round_, commune_id__in=commune_ids)
    for commune_id, data in rows.values_list("commune_id", "data"):
        out[commune_id] = {k: data.get(stored[k], 0) for k in keys}
    return out


def write(ctx: ExportContext, out, progress=None, *, kind: str) -> None:
    spec = KINDS[kind]
    figures, keys = balance_columns(kind)
    codes = {"start": spec["start"], "end": spec["end"]}
    codes.update({k: k for k in keys if k.startswith("t_")})
    lines = lines_for(ctx.round, ctx.owner)
    stored = stored_values(ctx.round, ctx.owner, lines, codes.values())
    persons = add_lines(lines, persons_by_commune(ctx.round, lines[0].communes, kind, keys), keys)
    with streamed(out) as wb:
        columns = [*lead_columns(), Column(_("Đơn vị tính"), 10), *figures]
        sheet = TableSheet(
            wb,
            name=_("Biến động"),
            columns=columns,
            header=header_for(ctx, str(spec["title"]), lines=[freshness_line(stored)]),
            lettered=3,
            frozen=3,
        )
        for line in lines:
            bold = line.is_total or not line.is_commune
            households = [stored.get(line, codes[k]) for k in keys]
            people = [persons[line.key][k] for k in keys]
            if all(v is None for v in households) and not any(people):
                people = [None] * len(keys)  # nobody on the list there: blank, like the stored row
            first = sheet.row([line.number, line.label, _("Hộ"), *households], bold=bold)
            sheet.row([None, None, _("Người"), *people], bold=bold)
            sheet.merge(first, 1, first + 1, 1)
            sheet.merge(first, 2, first + 1, 2)
        sheet.notes(
            [
                _(
                    "Cột 9 = cột 1 − cột 2 − cột 3 − cột 4 + cột 5 + cột 6 + cột 7 + cột 8. "
                    "Dòng hộ và dòng người lấy từ cùng một lần tổng hợp số liệu; mỗi hộ tính "
                    "theo số nhân khẩu ghi nhận trong đợt này."
                )
            ]
        )
        sheet.signatures()


def name(ctx: ExportContext, *, kind: str) -> str:
    return filename(KINDS[kind]["title"], ctx.owner.label, ctx.round.year)
