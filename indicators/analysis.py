"""The analysis (pivot) page: some indicators for the rows under an area (its units or unit
groups), in columns of rounds, or of a breakdown of one round (ethnic minority or not, urban or
rural, mountainous or not). Read from stored figures only, whatever the number of households:

- round columns read ``IndicatorValue`` rows (one query);
- breakdown columns add up the stored ``CommuneTotals`` of each row's communes in SQL (one
  statement: JSON key extraction and SUM, grouped by row and part) and apply the catalog's
  formula (``rules.rate``, ``rules.reduction``), as the rollup does.

Who sees what follows ``indicators.visibility``: the area is checked by ``selectors.owner_for``
(the user's default area with a notice, or a 404), rows keep only the units the user may see and
the groups they may see whole, and the page says how many it left out.

No breakdown by beneficiary group (no working capacity, revolutionary merit, social protection):
the rollup stores no totals for those groups, and this page reads stored figures only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import GroupKind, Level, Role, Unit, UnitGroup
from areas.scope import Scope
from areas.selectors import area_across
from areas.services import NEW_TREE_FROM
from households.models import ReviewRound

from . import rules, visibility
from .models import CommuneTotals, Indicator, IndicatorValue
from .rollups import _JSON, _q
from .selectors import Owner, dashboard_rounds, owner_for

# Who may open the page: leaders, administrators and district staff. Commune officers get a 403
# (their commune's figures are on the dashboard; a pivot over one commune says nothing more).
ANALYSTS = frozenset({Role.DISTRICT_STAFF, Role.PROVINCIAL_LEADER, Role.ADMINISTRATOR})

FORMULAS = ("count", "rate", "reduction")  # what a breakdown can recompute from commune totals

ROWS = (
    ("children", gettext_lazy("Địa bàn cấp dưới")),
    ("district", gettext_lazy("Các huyện")),
    ("commune", gettext_lazy("Các xã")),
    (f"group:{GroupKind.FORMER_DISTRICT}", gettext_lazy("Các huyện cũ (nhóm)")),
    (f"group:{GroupKind.MOUNTAINOUS}", gettext_lazy("Nhóm vùng miền núi")),
    (f"group:{GroupKind.OTHER}", gettext_lazy("Nhóm đơn vị khác")),
)
COLUMNS = (
    ("rounds", gettext_lazy("Các đợt rà soát")),
    ("ethnic", gettext_lazy("Dân tộc thiểu số / không")),
    ("urban", gettext_lazy("Thành thị / nông thôn")),
    ("mountainous", gettext_lazy("Miền núi / không")),
)
BREAKDOWNS = ("ethnic", "urban", "mountainous")
DEFAULT_CODES = ("poor_rate", "poor_households")

# Ethnic minority: the stored keys of the ethnic-minority part of a commune's totals. The other
# part is the total minus these. An indicator splits by ethnicity when every key it reads has one.
ETHNIC_KEYS = {
    "households": "em_households",
    "poor": "em_poor",
    "near": "em_near",
    "poor_or_near": "em_poor_or_near",  # em_poor + em_near, added below
    "prev_households": "prev_em_households",
    "prev_poor": "prev_em_poor",
}


class AnalysisError(Exception):
    """A valid request that cannot be answered (message for the user)."""


def can_analyse(scope: Scope) -> bool:
    return bool(scope.roles & ANALYSTS)


def periodic_rounds() -> list[ReviewRound]:
    """The periodic rounds, newest first."""
    return list(dashboard_rounds())


def default_rounds(rounds: list[ReviewRound]) -> list[ReviewRound]:
    """The newest round with stored values and up to two rounds before it on the same tree."""
    with_values = set(
        IndicatorValue.objects.filter(round__in=rounds).values_list("round_id", flat=True)
    )
    newest = next((r for r in rounds if r.pk in with_values), rounds[0] if rounds else None)
    if newest is None:
        return []
    same = [
        r for r in rounds if r.starts_on <= newest.starts_on and new_tree(r) == new_tree(newest)
    ]
    return same[:3]


def new_tree(round_: ReviewRound) -> bool:
    return round_.reference_date >= NEW_TREE_FROM


def needed_keys(indicator: Indicator) -> list[str]:
    keys = [indicator.numerator]
    if indicator.kind in ("rate", "reduction"):
        keys.append(indicator.denominator)
    if indicator.kind == "reduction":
        keys += [f"prev_{k}" for k in list(keys)]
    return keys


def splits(indicator: Indicator, columns: str) -> bool:
    """Whether stored commune totals give this indicator for the breakdown's parts."""
    if indicator.kind not in FORMULAS:
        return False
    if columns == "ethnic":
        return all(k in ETHNIC_KEYS for k in needed_keys(indicator))
    return True


def indicators_for(codes) -> list[Indicator]:
    """The catalog's indicators of these codes, in catalog order."""
    return list(Indicator.objects.filter(code__in=list(codes)).order_by("order", "pk"))


@dataclass(frozen=True)
class Spec:
    """One analysis, as the form validated it."""

    codes: tuple[str, ...]
    rows: str
    columns: str
    rounds: tuple[ReviewRound, ...]  # newest first
    area: tuple[str, int] | None = None

    def query(self) -> str:
        """The page's query string (bookmarks, saved analyses, the xlsx link)."""
        params = [("indicators", c) for c in self.codes]
        params += [("rows", self.rows), ("columns", self.columns)]
        params += [("rounds", r.pk) for r in self.rounds]
        if self.area:
            params.append(("area", f"{self.area[0]}:{self.area[1]}"))
        return urlencode(params)


@dataclass
class Cell:
    value: Decimal | None
    provisional: bool = False
    is_count: bool = False  # written as a whole number (else with two decimals)


@dataclass
class Column:
    indicator: Indicator
    label: str  # the round ("2026") or the part ("Dân tộc thiểu số")
    key: object  # the round's pk or the part's key

    @property
    def is_count(self) -> bool:
        return self.indicator.unit not in ("%", "điểm %")


@dataclass
class Line:
    label: str
    kind: str  # "unit" / "group"
    pk: int
    communes: tuple[int, ...]
    is_total: bool = False
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    spec: Spec
    owner: Owner
    indicators: list[Indicator]
    columns: list[Column]
    lines: list[Line]
    hidden: int = 0
    total_rows: int = 0
    as_of: dt.datetime | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return any(c.provisional for line in self.lines for c in line.cells)

    @property
    def blocks(self) -> list[tuple[Indicator, int]]:
        """(indicator, number of its columns) for the header's upper row."""
        out: list[tuple[Indicator, int]] = []
        for column in self.columns:
            if out and out[-1][0].pk == column.indicator.pk:
                out[-1] = (column.indicator, out[-1][1] + 1)
            else:
                out.append((column.indicator, 1))
        return out

    @property
    def hidden_note(self) -> str:
        if not self.hidden:
            return ""
        words = {"shown": self.total_rows - self.hidden, "total": self.total_rows}
        return _("Chỉ hiện %(shown)s/%(total)s hàng trong phạm vi của bạn.") % words

    def chart(self) -> dict:
        """The first indicator's columns as bar series over the rows (the total row when there
        are no others). Labels are text; Chart.js writes the numbers in the page's language."""
        lines = [line for line in self.lines if not line.is_total] or self.lines
        first = self.indicators[0] if self.indicators else None
        idx = [i for i, c in enumerate(self.columns) if first and c.indicator.pk == first.pk]
        if self.spec.columns == "rounds":
            idx.reverse()  # oldest round first
        return {
            "title": f"{first.name} ({first.unit})" if first else "",
            "labels": [line.label for line in lines],
            "series": [
                {"label": self.columns[i].label, "data": [_num(ln.cells[i].value) for ln in lines]}
                for i in idx
            ],
        }


def _num(value):
    return float(value) if value is not None else None


# --- rows ---------------------------------------------------------------------------------------


def _communes(day: dt.date) -> list[tuple[int, str]]:
    """(pk, path) of every commune valid at the day: a few hundred rows, one query."""
    return list(Unit.objects.valid_on(day).communes().values_list("pk", "path"))


def _inside(communes, paths) -> tuple[int, ...]:
    paths = tuple(paths)
    return tuple(pk for pk, path in communes if path.startswith(paths))


def _owner_paths(owner: Owner) -> tuple[str, ...]:
    if owner.unit:
        return (owner.unit.path,)
    return tuple(owner.group.members.values_list("path", flat=True))


def rows_for(round_: ReviewRound, owner: Owner, scope: Scope, rows: str):
    """(lines, how many rows there were before the visibility filter): the total line of the
    owner first (all its communes: its own figure), then the rows the user may see."""
    day = round_.reference_date
    communes = _communes(day)
    mine = _inside(communes, _owner_paths(owner))
    if owner.unit:
        total = Line(owner.unit.label, "unit", owner.unit.pk, mine, is_total=True)
    else:
        total = Line(owner.group.name, "group", owner.group.pk, mine, is_total=True)
    if rows == "children":
        rows = _children(day, owner)
    if rows.startswith("group:"):
        found = _groups(rows.split(":", 1)[1], communes, set(mine))
        ids = visibility.visible_group_ids(scope, [g for g, _c in found]) if found else set()
        lines = [Line(g.name, "group", g.pk, c) for g, c in found if g.pk in ids]
        return [total, *lines], len(found)
    level = Level.DISTRICT if rows == "district" else Level.COMMUNE
    units = Unit.objects.valid_on(day).filter(level=level)
    units = units.filter(_under(_owner_paths(owner))).order_by("code")
    if owner.unit:
        units = units.exclude(pk=owner.unit.pk)
    units = list(units)
    shown = visibility.visible_units(scope, units)
    lines = [Line(u.label, "unit", u.pk, _inside(communes, [u.path])) for u in shown]
    return [total, *lines], len(units)


def _under(paths) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    return q


def _children(day: dt.date, owner: Owner) -> str:
    """What "the areas below" are, as on the dashboard: districts under a province on the old
    tree, former-district groups on the new one, communes under a district or in a group."""
    if owner.unit and owner.unit.level == Level.PROVINCE:
        has_districts = (
            Unit.objects.valid_on(day).filter(parent=owner.unit, level=Level.DISTRICT).exists()
        )
        return "district" if has_districts else f"group:{GroupKind.FORMER_DISTRICT}"
    return "commune"


def _groups(kind: str, communes, mine: set[int]) -> list[tuple[UnitGroup, tuple[int, ...]]]:
    """The groups of a kind with a commune in the owner's area, with their communes."""
    groups = list(UnitGroup.objects.filter(kind=kind).order_by("name"))
    paths: dict[int, list[str]] = {g.pk: [] for g in groups}
    for group_id, path in UnitGroup.members.through.objects.filter(
        unitgroup_id__in=list(paths)
    ).values_list("unitgroup_id", "unit__path"):
        paths[group_id].append(path)
    found = []
    for g in groups:
        theirs = _inside(communes, paths[g.pk])
        if theirs and set(theirs) & mine:
            found.append((g, theirs))
    return found


# --- the table ----------------------------------------------------------------------------------


def analysis_build(user, spec: Spec) -> Table:
    """The table of an analysis as the user may see it (404 for an area they may not see)."""
    reference = spec.rounds[0]
    kind, pk = spec.area or (None, None)
    owner, scope = owner_for(
        user,
        reference,
        unit_pk=pk if kind == "unit" else None,
        group_pk=pk if kind == "group" else None,
    )
    lines, total_rows = rows_for(reference, owner, scope, spec.rows)
    indicators = indicators_for(spec.codes)
    table = Table(spec, owner, indicators, [], lines, total_rows=total_rows)
    table.hidden = total_rows - (len(lines) - 1)
    if not total_rows and spec.rows != "children":
        table.notes.append(
            _(
                "Không có hàng nào dưới địa bàn này theo cách chia đã chọn (từ 01/07/2025 không "
                "còn cấp huyện: chọn các huyện cũ)."
            )
        )
    if spec.columns == "rounds":
        _by_rounds(table)
    else:
        _by_parts(table, reference)
    for line in table.lines:
        for column, cell in zip(table.columns, line.cells, strict=True):
            cell.is_count = column.is_count
    return table


def _by_rounds(table: Table) -> None:
    spec, lines = table.spec, table.lines
    rounds = list(spec.rounds)
    unit_rows = any(line.kind == "unit" for line in lines[1:])
    if unit_rows and len({new_tree(r) for r in rounds}) > 1:
        raise AnalysisError(
            _(
                "Các đợt trước và sau ngày 01/07/2025 dùng địa giới khác nhau: khi hàng là huyện "
                "hoặc xã, hãy chọn các đợt cùng một địa giới, hoặc chọn hàng là các huyện cũ "
                "(nhóm) để so sánh qua sắp xếp."
            )
        )
    # Where each line's values are in each round: the same unit or group; the owner's unit on a
    # round of the other tree is the area standing for it (province 51 before and after).
    where: dict[tuple[int, int], tuple[str, int]] = {}
    for r in rounds:
        for i, line in enumerate(lines):
            where[(r.pk, i)] = (line.kind, line.pk)
        if table.owner.unit and not table.owner.unit.is_valid_on(r.reference_date):
            other = area_across(table.owner.unit, r.reference_date)
            if isinstance(other, Unit):
                where[(r.pk, 0)] = ("unit", other.pk)
            elif isinstance(other, UnitGroup):
                where[(r.pk, 0)] = ("group", other.pk)
            else:
                where[(r.pk, 0)] = ("none", 0)
    units = {pk for kind, pk in where.values() if kind == "unit"}
    groups = {pk for kind, pk in where.values() if kind == "group"}
    rows = IndicatorValue.objects.filter(
        Q(unit_id__in=units) | Q(group_id__in=groups),
        round__in=rounds,
        indicator__code__in=spec.codes,
    ).values_list("round_id", "indicator_id", "unit_id", "group_id", "value", "provisional",
                  "computed_at")  # fmt: skip
    stored = {}
    for round_id, indicator_id, unit_id, group_id, value, provisional, at in rows:
        key = ("unit", unit_id) if unit_id else ("group", group_id)
        stored[(round_id, indicator_id, key)] = Cell(value, provisional)
        table.as_of = at if table.as_of is None else max(table.as_of, at)
    for indicator in table.indicators:
        for r in rounds:
            table.columns.append(Column(indicator, str(r.year), r.pk))
    for i, line in enumerate(lines):
        line.cells = [
            stored.get((c.key, c.indicator.pk, where[(c.key, i)]), Cell(None))
            for c in table.columns
        ]
    if any(where[(r.pk, 0)] != (lines[0].kind, lines[0].pk) for r in rounds):
        table.notes.append(
            _("Hàng tổng của các đợt khác địa giới lấy số liệu của địa bàn tương ứng.")
        )


def part_labels(columns: str) -> list[tuple[str, str]]:
    return {
        "ethnic": [("a", _("Dân tộc thiểu số")), ("b", _("Không phải DTTS"))],
        "urban": [("a", _("Thành thị")), ("b", _("Nông thôn"))],
        "mountainous": [("a", _("Miền núi")), ("b", _("Không phải miền núi"))],
    }[columns] + [("all", _("Tổng"))]


def _by_parts(table: Table, round_: ReviewRound) -> None:
    spec = table.spec
    unsplit = [i.name for i in table.indicators if not splits(i, spec.columns)]
    if unsplit:
        raise AnalysisError(
            _("Không có số liệu lưu sẵn để chia theo cột đã chọn cho: %(names)s.")
            % {"names": "; ".join(unsplit)}
        )
    keys = sorted(
        {k for i in table.indicators for k in needed_keys(i)} | {"communes", "accepted"}
        | (set(ETHNIC_KEYS.values()) - {"em_poor_or_near"} if spec.columns == "ethnic" else set())
    )  # fmt: skip
    sums = totals_by_line_part(round_, table.lines, spec.columns, keys)
    parts = part_labels(spec.columns)
    for indicator in table.indicators:
        for key, label in parts:
            table.columns.append(Column(indicator, label, key))
    for i, line in enumerate(table.lines):
        vectors = _part_vectors(sums.get(i, {}), spec.columns)
        line.cells = []
        for column in table.columns:
            vector = vectors.get(column.key)
            if vector is None:
                line.cells.append(Cell(None))
                continue
            provisional = round_.is_open and vector["accepted"] < vector["communes"]
            line.cells.append(Cell(evaluate(column.indicator, vector), provisional))
    communes = {c for line in table.lines for c in line.communes}
    table.as_of = CommuneTotals.objects.filter(round=round_, commune_id__in=communes).aggregate(
        at=Max("computed_at")
    )["at"]


def _part_vectors(by_part: dict[str, dict[str, int]], columns: str) -> dict[str, dict]:
    """{"a", "b", "all": totals} of one line from its sums by part."""
    if not by_part:
        return {}
    if columns == "ethnic":
        total = by_part["all"]
        em = {k: total.get(v, 0) for k, v in ETHNIC_KEYS.items() if v != "em_poor_or_near"}
        em["poor_or_near"] = total.get("em_poor", 0) + total.get("em_near", 0)
        rest = {k: total.get(k, 0) - em[k] for k in em}
        shared = {"communes": total["communes"], "accepted": total["accepted"]}
        return {"a": em | shared, "b": rest | shared, "all": total}
    out = dict(by_part)
    out["all"] = {}
    for vector in by_part.values():
        for k, v in vector.items():
            out["all"][k] = out["all"].get(k, 0) + v
    return out


def evaluate(indicator: Indicator, vector: dict[str, int]) -> Decimal | None:
    """The catalog's formula over a totals vector (as ``rollups._values_sql``)."""

    def get(key: str) -> int:
        return int(vector.get(key) or 0)

    num, den = indicator.numerator, indicator.denominator
    if indicator.kind == "count":
        return Decimal(get(num))
    if indicator.kind == "rate":
        return rules.rate(get(num), get(den))
    return rules.reduction(
        rules.rate(get(f"prev_{num}"), get(f"prev_{den}")), rules.rate(get(num), get(den))
    )


def totals_by_line_part(
    round_: ReviewRound, lines: list[Line], columns: str, keys: list[str]
) -> dict[int, dict[str, dict[str, int]]]:
    """{line index: {part: {key: sum}}}: the stored commune totals of each line's communes added
    up by part (urban "a" / rural "b", mountainous "a" / not "b"; the ethnic split uses one part,
    "all", and its em_* keys). One SQL statement: the (line, commune) pairs as a VALUES list
    joined to the totals and the communes, grouped by line and part."""
    pairs = [(i, c) for i, line in enumerate(lines) for c in line.communes]
    if not pairs:
        return {}
    _each, _agg, get = _JSON[connection.vendor]
    flag = {"urban": "u.is_urban", "mountainous": "u.is_mountainous"}.get(columns)
    part = f"CASE WHEN {flag} THEN 'a' ELSE 'b' END" if flag else "'all'"
    grouped = f"p.column1, {part}" if flag else "p.column1"  # not by a constant (PostgreSQL)
    sums = ", ".join(
        f"SUM(COALESCE(CAST({get.format('t.data', _q(k))} AS BIGINT), 0)) AS s{n}"
        for n, k in enumerate(keys)
    )
    values = ", ".join(["(%s, %s)"] * len(pairs))
    sql = f"""
SELECT p.column1 AS line, {part} AS part, {sums}
FROM (VALUES {values}) p
JOIN indicators_communetotals t ON t.commune_id = p.column2 AND t.round_id = %s
JOIN areas_unit u ON u.id = t.commune_id
GROUP BY {grouped}
"""  # noqa: S608 (catalog keys checked by _q, placeholders only)
    params = [x for pair in pairs for x in pair] + [round_.pk]
    out: dict[int, dict[str, dict[str, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for line, part_key, *numbers in cursor.fetchall():
            out.setdefault(line, {})[part_key] = dict(zip(keys, numbers, strict=True))
    return out


def catalog_indicators() -> list[Indicator]:
    """Every indicator of the catalog, for the form's choices."""
    return list(Indicator.objects.order_by("order", "pk"))


def default_spec(rounds: list[ReviewRound], indicators: list[Indicator]) -> Spec | None:
    """What the page shows before the user picks: the poor rate and poor households of the
    areas below the user's default area, over the newest rounds of one tree."""
    picked = default_rounds(rounds)
    known = {i.code for i in indicators}
    codes = tuple(c for c in DEFAULT_CODES if c in known) or tuple(i.code for i in indicators[:1])
    if not picked or not codes:
        return None
    return Spec(codes=codes, rows="children", columns="rounds", rounds=tuple(picked))
