"""Set-based rollups of a round, in SQL: per-commune totals, then every unit and group.

Two statements do the work, whatever the number of households:

- ``totals_by_commune`` groups the round's surveys, exclusions and deprivations of some communes
  (one SQL statement, three grouped subqueries and the accepted submissions) into a totals
  vector per commune (see FIELDS). The parts of a full recompute call it for a district each and
  keep the result as ``CommuneTotals``.
- ``values_by_owner_store`` adds the stored commune totals up the unit tree (materialized paths)
  and into unit groups, evaluates the catalog's formulas (``Indicator.kind``: count, rate,
  reduction, over the keys named by ``numerator`` and ``denominator``) and writes the values with
  one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` per owner kind (units, groups). An update of an
  existing value changes no indexed column, so PostgreSQL rewrites it in place (HOT, see the
  table's fillfactor) with no index or foreign-key work; values of owners that no longer have
  communes are deleted.

"Last round" is re-aggregated onto this round's units by construction: each survey and exclusion
of this round carries the household's previous class (``previous_class``), so the previous
round's figures are counted from this round's rows, by where each household is now.

The SQL runs on PostgreSQL and SQLite (the embedded mode); the only difference is the JSON
functions (``_JSON``). bench/floor.sql is the same computation as one hand-written statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from django.db import connection, transaction

from households import counting
from households.models import ReviewRound

from .catalog import TRANSITIONS, indicator_codes

POOR, NEAR, AVERAGE = counting.POOR, counting.NEAR_POOR, counting.AVERAGE
CLASS_KEY = {POOR: "poor", NEAR: "near"}
TRANSITION_CODES = [code for code, _, _ in TRANSITIONS]
FORMULAS = ("count", "rate", "reduction")  # Indicator.kind evaluated here; "program": program.py
# Counted per commune with the other totals (the households' part of a program share), read by
# program.py: able workers of poor households, and those supported by a production course.
PROGRAM_FIELDS = ["workers", "workers_supported"]


def fields() -> list[str]:
    """Every key of a totals vector."""
    base = [
        "households", "persons", "poor", "poor_persons", "near", "near_persons", "average",
        "average_persons", "poor_or_near", "em_households", "em_poor", "em_near",
        "prev_households", "prev_poor", "prev_near", "prev_poor_or_near", "prev_em_households",
        "prev_em_poor", "pending", "surveyed", "carried", "excluded", "communes", "accepted",
        "prev_poor_persons", "prev_near_persons",
    ]  # fmt: skip
    base += [f"t_{code}" for code in TRANSITION_CODES]
    base += [f"tp_{code}" for code in TRANSITION_CODES]  # the same in persons
    for cls in CLASS_KEY.values():
        base += [f"dep_{cls}_{code}" for code, _, _ in indicator_codes()]
    return base + PROGRAM_FIELDS


FIELDS = fields()


def jit_off() -> None:
    """For the rest of the current transaction, no JIT compilation on PostgreSQL: for these
    short grouped statements LLVM spends longer compiling than the statement runs (about a
    third of the program shares' time at 1,000,000 households, bench/results/rollup.txt)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _q(value: str) -> str:
    """A code from the catalog or the choices as an SQL literal (codes are [a-z0-9_])."""
    if not value.replace("_", "").isalnum():
        raise ValueError(f"not a code: {value!r}")
    return f"'{value}'"


def _survey_columns() -> list[tuple[str, str]]:
    """(key, aggregate over households_survey): the counting rules of ``households.counting``."""
    cls, persons = counting.SQL_CLASS, counting.PERSONS
    listed = counting.SQL_LISTED_AT_START
    columns = [("households", "COUNT(*)"), ("persons", f"SUM({persons})")]
    for key, value in (("poor", POOR), ("near", NEAR), ("average", AVERAGE)):
        columns += [
            (key, f"COUNT(*) FILTER (WHERE {cls} = {_q(value)})"),
            (f"{key}_persons", f"SUM({persons}) FILTER (WHERE {cls} = {_q(value)})"),
        ]
    columns += [
        ("em_households", "COUNT(*) FILTER (WHERE is_ethnic_minority)"),
        ("em_poor", f"COUNT(*) FILTER (WHERE is_ethnic_minority AND {cls} = {_q(POOR)})"),
        ("em_near", f"COUNT(*) FILTER (WHERE is_ethnic_minority AND {cls} = {_q(NEAR)})"),
        ("prev_households", f"COUNT(*) FILTER (WHERE {listed})"),
        ("prev_poor", f"COUNT(*) FILTER (WHERE {listed} AND previous_class = {_q(POOR)})"),
        ("prev_near", f"COUNT(*) FILTER (WHERE {listed} AND previous_class = {_q(NEAR)})"),
        ("prev_poor_persons",
         f"SUM({persons}) FILTER (WHERE {listed} AND previous_class = {_q(POOR)})"),
        ("prev_near_persons",
         f"SUM({persons}) FILTER (WHERE {listed} AND previous_class = {_q(NEAR)})"),
        ("prev_em_households", f"COUNT(*) FILTER (WHERE {listed} AND is_ethnic_minority)"),
        ("prev_em_poor", f"COUNT(*) FILTER (WHERE {listed} AND is_ethnic_minority "
                         f"AND previous_class = {_q(POOR)})"),
        ("pending", "COUNT(*) FILTER (WHERE status = 'pending')"),
        ("surveyed", "COUNT(*) FILTER (WHERE status = 'surveyed')"),
        ("carried", "COUNT(*) FILTER (WHERE status = 'carried_over')"),
    ]  # fmt: skip
    for code in TRANSITION_CODES:
        columns += [
            (f"t_{code}", f"COUNT(*) FILTER (WHERE transition = {_q(code)})"),
            (f"tp_{code}", f"SUM({persons}) FILTER (WHERE transition = {_q(code)})"),
        ]
    return columns


def _exclusion_columns() -> list[tuple[str, str]]:
    """(key, aggregate over households_exclusion e joined to its household h): a household that
    left was on the list at the start, with the members recorded when it left."""
    listed = counting.SQL_EXIT_LISTED_AT_START
    persons = f"e.{counting.PERSONS}"
    columns = [
        ("excluded", "COUNT(*)"),
        ("prev_households", f"COUNT(*) FILTER (WHERE {listed})"),
        ("prev_poor", f"COUNT(*) FILTER (WHERE e.previous_class = {_q(POOR)})"),
        ("prev_near", f"COUNT(*) FILTER (WHERE e.previous_class = {_q(NEAR)})"),
        ("prev_poor_persons", f"SUM({persons}) FILTER (WHERE e.previous_class = {_q(POOR)})"),
        ("prev_near_persons", f"SUM({persons}) FILTER (WHERE e.previous_class = {_q(NEAR)})"),
        ("prev_em_households", f"COUNT(*) FILTER (WHERE {listed} AND h.is_ethnic_minority)"),
        ("prev_em_poor",
         f"COUNT(*) FILTER (WHERE e.previous_class = {_q(POOR)} AND h.is_ethnic_minority)"),
    ]  # fmt: skip
    for code in TRANSITION_CODES:
        columns += [
            (f"t_{code}", f"COUNT(*) FILTER (WHERE e.transition = {_q(code)})"),
            (f"tp_{code}", f"SUM({persons}) FILTER (WHERE e.transition = {_q(code)})"),
        ]
    return columns


def _deprivation_columns() -> list[tuple[str, str]]:
    """(key, count over deprivations d of surveyed poor and near-poor entries v)."""
    return [
        (
            f"dep_{key}_{code}",
            f"COUNT(*) FILTER (WHERE v.poverty_class = {_q(cls)} AND d.indicator = {_q(code)})",
        )
        for cls, key in CLASS_KEY.items()
        for code, _, _ in indicator_codes()
    ]


def _select(columns, prefix: str) -> str:
    return ",\n    ".join(f"{sql} AS {prefix}{key}" for key, sql in columns)


def _totals_sql(n: int) -> str:
    ids = ", ".join(["%s"] * n)
    classes = f"{_q(POOR)}, {_q(NEAR)}"
    return f"""
SELECT c.id AS commune_id, s.*, x.*, d.*, a.id AS accepted_id
FROM areas_unit c
LEFT JOIN (
    SELECT commune_id AS s_commune_id, {_select(_survey_columns(), "s_")}
    FROM households_survey
    WHERE round_id = %s AND commune_id IN ({ids})
    GROUP BY commune_id
) s ON s.s_commune_id = c.id
LEFT JOIN (
    SELECT e.commune_id AS x_commune_id, {_select(_exclusion_columns(), "x_")}
    FROM households_exclusion e JOIN households_household h ON h.id = e.household_id
    WHERE e.round_id = %s AND e.commune_id IN ({ids})
    GROUP BY e.commune_id
) x ON x.x_commune_id = c.id
LEFT JOIN (
    SELECT v.commune_id AS d_commune_id, {_select(_deprivation_columns(), "d_")}
    FROM households_surveydeprivation d JOIN households_survey v ON v.id = d.survey_id
    WHERE v.round_id = %s AND v.commune_id IN ({ids})
      AND v.status = 'surveyed' AND v.poverty_class IN ({classes})
    GROUP BY v.commune_id
) d ON d.d_commune_id = c.id
LEFT JOIN households_communesubmission a
    ON a.round_id = %s AND a.commune_id = c.id AND a.status = 'accepted'
WHERE c.id IN ({ids}) AND (s.s_commune_id IS NOT NULL OR x.x_commune_id IS NOT NULL)
"""  # noqa: S608 (catalog codes and placeholders only)


def totals_by_commune(round_: ReviewRound, commune_ids: Iterable[int]) -> dict[int, dict]:
    """Totals of the given communes in a round: {commune_id: {field: int}}, one SQL statement,
    and one more for the workers of poor households (``workers_by_commune``). A commune with
    neither entries nor exclusions in the round has no totals."""
    ids = sorted(set(commune_ids))
    if not ids:
        return {}
    params = [round_.pk, *ids] * 3 + [round_.pk, *ids]
    with transaction.atomic(), connection.cursor() as cursor:
        jit_off()
        cursor.execute(_totals_sql(len(ids)), params)
        names = [col[0] for col in cursor.description]
        rows = cursor.fetchall()
    totals = {}
    for row in rows:
        record = dict(zip(names, row, strict=True))
        vector = dict.fromkeys(FIELDS, 0)
        for name, value in record.items():
            key = name[2:]
            if name[:2] in ("s_", "x_", "d_") and key in vector and value:
                vector[key] += value
        vector["poor_or_near"] = vector["poor"] + vector["near"]
        vector["prev_poor_or_near"] = vector["prev_poor"] + vector["prev_near"]
        vector["communes"] = 1
        vector["accepted"] = 1 if record["accepted_id"] is not None else 0
        totals[record["commune_id"]] = vector
    for commune, (supported, workers) in workers_by_commune(round_, list(totals)).items():
        totals[commune].update(workers=workers, workers_supported=supported)
    return totals


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def workers_by_commune(round_: ReviewRound, communes: Collection[int]) -> dict[int, tuple]:
    """{commune id: (supported, able workers)}: current members of working age on the round's
    date of the communes' poor households able to work, and those of them who completed a
    production-technique or vocational course during the round's year. Work in proportion to
    the poor households' members: the entries index is keyed by round, commune and class."""
    from django.db.models import Count, Exists, OuterRef, Q

    from households.models import Member
    from projects.choices import CourseKind
    from projects.models import CourseParticipant

    if not communes:
        return {}
    day = round_.reference_date
    trained = CourseParticipant.objects.filter(
        member=OuterRef("pk"),
        completed=True,
        course__kind__in=(CourseKind.TECHNIQUE, CourseKind.VOCATIONAL),
        course__ends_on__year=round_.year,
    )
    rows = (
        Member.objects.filter(
            household__surveys__round=round_,
            household__surveys__commune_id__in=list(communes),
            household__surveys__effective_class=POOR,
            is_current=True,
            birth_date__lte=_years_before(day, 15),
            birth_date__gt=_years_before(day, 60),
            household__no_working_capacity=False,
        )
        .order_by()
        .values_list("household__surveys__commune_id")
        .annotate(n=Count("pk", filter=Q(Exists(trained))), d=Count("pk"))
    )
    return {commune: (n, d) for commune, n, d in rows}


# --- units and groups -------------------------------------------------------------------------

# Units valid on the round's date, and (owner, commune) pairs: each unit on a commune's path and
# each group with a member on it (a group counts each commune once).
_UNITS = """units AS (
    SELECT id, path, level FROM areas_unit
    WHERE valid_from <= %(day)s AND (valid_to IS NULL OR valid_to >= %(day)s)
)"""
_PAIRS = {
    "unit": """SELECT DISTINCT a.id AS owner_id, cu.id AS commune_id
        FROM units cu JOIN units a ON substr(cu.path, 1, length(a.path)) = a.path
        WHERE cu.level = 'commune'""",
    "group": """SELECT DISTINCT gm.unitgroup_id AS owner_id, cu.id AS commune_id
        FROM units cu JOIN units m ON substr(cu.path, 1, length(m.path)) = m.path
        JOIN areas_unitgroup_members gm ON gm.unit_id = m.id
        WHERE cu.level = 'commune'""",
}


def owner_pairs(round_: ReviewRound) -> list[tuple[str, int, int]]:
    """(kind, owner id, commune id) for every commune of the round's tree: the units on its
    path (itself included) and the groups holding it. A few hundred rows, one query."""
    sql = f"""WITH {_UNITS}
        SELECT 'unit', owner_id, commune_id FROM ({_PAIRS["unit"]}) p
        UNION ALL
        SELECT 'group', owner_id, commune_id FROM ({_PAIRS["group"]}) q"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, {"day": round_.reference_date})
        return cursor.fetchall()


def owners_of(round_: ReviewRound, commune_ids: Collection[int]) -> dict[str, set[int]]:
    """{"unit": ids, "group": ids} of the owners holding any of the communes."""
    owners: dict[str, set[int]] = {"unit": set(), "group": set()}
    for kind, owner_id, commune_id in owner_pairs(round_):
        if commune_id in commune_ids:
            owners[kind].add(owner_id)
    return owners


# (unpivot a JSON object into key/value rows, aggregate rows into one, read a key). SQLite reads
# a quoted key: '$.' alone (a count's empty denominator) is not a valid path.
_JSON = {
    "postgresql": ("jsonb_each_text({})", "jsonb_object_agg({}, {})", "({} ->> ({}))"),
    "sqlite": (
        "json_each({})",
        "json_group_object({}, {})",
        """json_extract({}, '$."' || ({}) || '"')""",
    ),
}


def _values_sql(kind: str, only: list[str] | None) -> str:
    """One INSERT … SELECT … ON CONFLICT DO UPDATE writing the values of one kind of owner (all,
    or those whose ids are the named parameters ``only``)."""
    each, aggregate, get = _JSON[connection.vendor]
    column = f"{kind}_id"
    if only is not None:
        only = f"AND owner_id IN ({', '.join(f'%({name})s' for name in only)})"

    def key(expr: str) -> str:
        return f"COALESCE(CAST({get.format('t.data', expr)} AS BIGINT), 0)"

    formulas = ", ".join(_q(f) for f in FORMULAS)
    return f"""
WITH {_UNITS},
ct AS (  -- the stored commune totals as (commune, key, n) rows
    SELECT t.commune_id, kv.key AS key, CAST(kv.value AS BIGINT) AS n
    FROM indicators_communetotals t, {each.format("t.data")} kv
    WHERE t.round_id = %(round)s AND t.commune_id IN (SELECT id FROM units)
),
pairs AS (SELECT owner_id, commune_id FROM ({_PAIRS[kind]}) p WHERE true {only or ""}),
sums AS (
    SELECT p.owner_id, ct.key, CAST(SUM(ct.n) AS BIGINT) AS n
    FROM pairs p JOIN ct ON ct.commune_id = p.commune_id
    GROUP BY p.owner_id, ct.key
),
totals AS (SELECT owner_id, {aggregate.format("key", "n")} AS data FROM sums GROUP BY owner_id),
f AS (
    SELECT i.id AS indicator_id, i.kind AS formula, t.owner_id,
        {key("'communes'")} AS communes, {key("'accepted'")} AS accepted,
        {key("i.numerator")} AS num, {key("i.denominator")} AS den,
        {key("'prev_' || i.numerator")} AS pnum, {key("'prev_' || i.denominator")} AS pden
    FROM totals t CROSS JOIN indicators_indicator i
    WHERE i.kind IN ({formulas})
),
r AS (  -- rates in hundredths of a percent, rounded half up in integers (rules.rate)
    SELECT f.*,
        CASE WHEN den > 0 THEN (num * 20000 + den) / (2 * den) END AS cur,
        CASE WHEN pden > 0 THEN (pnum * 20000 + pden) / (2 * pden) END AS prev
    FROM f
)
INSERT INTO indicators_indicatorvalue
    (indicator_id, round_id, {column}, numerator, denominator, value, provisional, computed_at)
SELECT indicator_id, %(round)s, owner_id,
    CASE formula WHEN 'reduction' THEN prev / 100.0 ELSE num END,
    CASE formula WHEN 'rate' THEN den WHEN 'reduction' THEN cur / 100.0 END,
    CASE formula WHEN 'count' THEN num WHEN 'rate' THEN cur / 100.0
        ELSE (prev - cur) / 100.0 END,
    (%(open)s AND accepted < communes),  -- counting.is_provisional
    %(now)s
FROM r WHERE true
ON CONFLICT (indicator_id, round_id, {column}) WHERE {column} IS NOT NULL DO UPDATE SET
    numerator = excluded.numerator, denominator = excluded.denominator,
    value = excluded.value, provisional = excluded.provisional,
    computed_at = excluded.computed_at
"""  # noqa: S608 (catalog codes and placeholders only)


def values_by_owner_store(
    round_: ReviewRound, computed_at: dt.datetime, owners: dict[str, set[int]] | None = None
) -> int:
    """Write the round's count, rate and reduction values of every unit and group (or of the
    given owners) from the stored commune totals; delete those of owners left without communes.
    Run it inside the merge's transaction. Returns the number of values written."""
    from .models import IndicatorValue

    written = 0
    params = {
        "day": round_.reference_date,
        "round": round_.pk,
        "open": round_.is_open,
        "now": connection.ops.adapt_datetimefield_value(computed_at),
    }
    with connection.cursor() as cursor:
        for kind in ("unit", "group"):
            if owners is None:
                cursor.execute(_values_sql(kind, None), params)
            elif owners[kind]:
                only = {f"owner{i}": pk for i, pk in enumerate(sorted(owners[kind]))}
                cursor.execute(_values_sql(kind, list(only)), params | only)
            else:
                continue
            written += max(cursor.rowcount, 0)
    stale = IndicatorValue.objects.filter(round=round_, indicator__kind__in=FORMULAS).exclude(
        computed_at=computed_at
    )
    if owners is not None:
        stale = stale.filter(unit_id__in=owners["unit"]) | stale.filter(
            group_id__in=owners["group"]
        )
    stale.delete()
    return written
