"""The shape every aggregate report shares: STT and area columns, then figures, one row per line
of ``common.lines_for`` (the owner's total, districts, communes), bold totals."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.utils.translation import gettext as _

from ..xlsx import Column, Header, TableSheet, streamed
from .common import Line

NUMBER_COLUMN_WIDTH = 6
AREA_COLUMN_WIDTH = 28


def lead_columns() -> list[Column]:
    return [Column(_("STT"), NUMBER_COLUMN_WIDTH), Column(_("Địa bàn"), AREA_COLUMN_WIDTH)]


def write_table(
    out,
    *,
    sheet_name: str,
    header: Header,
    columns: Sequence[Column],
    lines: Iterable[Line],
    figures: Callable[[Line], Sequence],
    notes: Iterable[str] = (),
) -> None:
    """One sheet: the official block, the column headers, a row per line, notes, signatures."""
    with streamed(out) as wb:
        sheet = TableSheet(wb, name=sheet_name, columns=[*lead_columns(), *columns], header=header)
        for line in lines:
            sheet.row(
                [line.number, line.label, *figures(line)], bold=line.is_total or not line.is_commune
            )
        sheet.notes(notes)
        sheet.signatures()
