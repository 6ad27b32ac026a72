"""The shared shape of the poor and near-poor breakdowns (by beneficiary group, ethnicity, cause):
one grouped SQL query per report over the round's entries in the area's communes, counted per
commune with conditional aggregates, then added up the lines in Python.

These breakdowns are not in the indicator catalog, so they are counted at export time. An entry
not yet surveyed in an open round counts with its previous class, as the stored figures do, so
each section's total equals the stored number of poor (near-poor) households.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q
from django.utils.translation import gettext as _

from households import counting
from households.models import Survey

from ..xlsx import COUNT, Column
from .common import ExportContext, add_lines, exported_line, header_for, lines_for
from .tables import write_table

CLASSES = ("poor", "near_poor")


def class_labels() -> dict[str, str]:
    return {"poor": _("Hộ nghèo"), "near_poor": _("Hộ cận nghèo")}


def entries(round_, commune_ids):
    """The round's poor and near-poor entries in these communes (explicit ids), by the class
    the figures count (the stored ``effective_class``)."""
    return Survey.objects.filter(
        round=round_, commune_id__in=commune_ids, **{f"{counting.CLASS}__in": CLASSES}
    )


def counts_by_commune(queryset, parts: Mapping[str, Q]) -> tuple[dict[int, dict], list[str]]:
    """{commune_id: {"<class>__total": n, "<class>__<part>": n}}: one query."""
    aggregates = {}
    for cls in CLASSES:
        aggregates[f"{cls}__total"] = counting.households(counting.in_class(cls))
        for part, condition in parts.items():
            aggregates[f"{cls}__{part}"] = counting.households(counting.in_class(cls) & condition)
    rows = queryset.order_by().values("commune_id").annotate(**aggregates)
    return {row.pop("commune_id"): row for row in rows}, list(aggregates)


def write_breakdown(
    ctx: ExportContext,
    out,
    *,
    title: str,
    sheet_name: str,
    parts: Mapping[str, Q],
    labels: Mapping[str, str],
    queryset=None,
    notes=(),
) -> None:
    lines = lines_for(ctx.round, ctx.owner)
    base = queryset if queryset is not None else entries(ctx.round, lines[0].communes)
    per_commune, keys = counts_by_commune(base, parts)
    totals = add_lines(lines, per_commune, keys)
    names = class_labels()
    columns = []
    for cls in CLASSES:
        columns.append(Column(_("Tổng số"), 10, COUNT, names[cls]))
        columns += [Column(labels[part], 11, COUNT, names[cls]) for part in parts]
    write_table(
        out,
        sheet_name=sheet_name,
        header=header_for(ctx, title, lines=[exported_line()]),
        columns=columns,
        lines=lines,
        figures=lambda line: [totals[line.key][k] for k in keys],
        notes=notes,
    )
