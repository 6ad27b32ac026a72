"""The analysis table as an xlsx file: the same rows and columns as the page, under the official
header block, with the area, rounds, rows and columns chosen, the time of the figures and the
provisional marks. Small (a few hundred cells), so it is written in the request."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from reports.exports.common import committee_for, exported_line, filename
from reports.xlsx import BOLD, BOX, COUNT, ITALIC, RATE, Column, Header, TableSheet, streamed

from .analysis import COLUMNS, ROWS, Table


def choice_label(choices, value) -> str:
    return str(dict(choices).get(value, value))


def describe(table: Table) -> list[str]:
    """The lines under the title: area, rows and columns, rounds, freshness."""
    spec = table.spec
    lines = [_("Địa bàn: %(area)s") % {"area": table.owner.label}]
    if table.owner.notice:
        lines.append(table.owner.notice)
    lines.append(
        _("Hàng: %(rows)s; cột: %(columns)s")
        % {"rows": choice_label(ROWS, spec.rows), "columns": choice_label(COLUMNS, spec.columns)}
    )
    years = ", ".join(str(r.year) for r in spec.rounds)
    lines.append(_("Đợt rà soát định kỳ: %(years)s") % {"years": years})
    if table.as_of:
        at = timezone.localtime(table.as_of).strftime("%d/%m/%Y %H:%M")
        lines.append(_("Số liệu tính lúc %(at)s.") % {"at": at})
    return lines


def notes(table: Table) -> list[str]:
    out = []
    if table.provisional:
        out.append(
            _(
                "(*) Số liệu tạm thời: đợt rà soát chưa kết thúc hoặc còn xã chưa được tiếp nhận "
                "(ô in nghiêng)."
            )
        )
    if table.hidden_note:
        out.append(table.hidden_note)
    out += table.notes
    out.append(exported_line())
    return out


def title(table: Table) -> str:
    return _("Phân tích chỉ tiêu giảm nghèo")


def write(table: Table, out) -> None:
    committee, place = committee_for(table.owner, table.owner.seen_by)
    header = Header(
        committee=committee,
        place=place,
        title=title(table),
        lines=tuple(describe(table)),
        day=timezone.localdate(),
    )
    columns = [Column(_("STT"), 6), Column(_("Địa bàn"), 30)]
    for i, column in enumerate(table.columns):
        group = f"{column.indicator.name} ({column.indicator.unit})"
        label = column.label
        if any(line.cells[i].provisional for line in table.lines):
            label = f"{label} (*)"
        columns.append(Column(label, 12, COUNT if column.is_count else RATE, group))
    with streamed(out) as wb:
        sheet = TableSheet(wb, name=_("Phân tích"), columns=columns, header=header)
        number = 0
        for line in table.lines:
            if not line.is_total:
                number += 1
            font = BOLD if line.is_total else None
            cells = [
                sheet.cell("" if line.is_total else number, border=BOX, font=font),
                sheet.cell(line.label, border=BOX, font=font),
            ]
            for column, cell in zip(table.columns, line.cells, strict=True):
                fmt = COUNT if column.is_count else RATE
                cells.append(
                    sheet.cell(
                        cell.value,
                        fmt=fmt,
                        border=BOX,
                        font=ITALIC if cell.provisional else font,
                    )
                )
            sheet.append(cells)
        sheet.notes(notes(table))


def name(table: Table) -> str:
    years = "-".join(str(r.year) for r in table.spec.rounds)
    return filename(_("phân tích"), table.owner.label, years)
