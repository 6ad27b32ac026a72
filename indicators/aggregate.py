"""Add commune totals up the unit tree and into unit groups, and turn totals into values.

Works on a few hundred commune rows in Python (DESIGN.md principle 3): the households were
already grouped by commune in SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .rollups import FIELDS
from .rules import rate, reduction


@dataclass(frozen=True)
class Node:
    """A unit of the round's tree: its id and the ids of the units above it."""

    pk: int
    ancestors: tuple[int, ...]


def path_ids(path: str) -> tuple[int, ...]:
    return tuple(int(p) for p in path.strip("/").split("/") if p)


def add_up(
    communes: Mapping[int, Mapping[str, int]], paths: Mapping[int, str]
) -> dict[int, dict[str, int]]:
    """Totals of every unit that has communes below it (the communes included)."""
    units: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for commune_id, vector in communes.items():
        for unit_id in path_ids(paths[commune_id]):
            target = units[unit_id]
            for key, value in vector.items():
                target[key] += value
    return dict(units)


def add_groups(
    communes: Mapping[int, Mapping[str, int]],
    paths: Mapping[int, str],
    group_paths: Mapping[int, Iterable[str]],
) -> dict[int, dict[str, int]]:
    """Totals of each group: the communes under any of its member units (each counted once)."""
    groups: dict[int, dict[str, int]] = {}
    for group_id, member_paths in group_paths.items():
        prefixes = tuple(member_paths)
        total = dict.fromkeys(FIELDS, 0)
        found = False
        for commune_id, vector in communes.items():
            if paths[commune_id].startswith(prefixes):
                found = True
                for key, value in vector.items():
                    total[key] += value
        if found:
            groups[group_id] = total
    return groups


@dataclass(frozen=True)
class Value:
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None


def evaluate(definition, totals: Mapping[str, int]) -> Value:
    """One indicator's value from a unit's totals (definition: catalog.Definition or Indicator)."""
    kind = definition.kind
    num, den = definition.numerator, definition.denominator
    if kind == "count":
        n = Decimal(totals.get(num, 0))
        return Value(n, None, n)
    if kind == "rate":
        n, d = totals.get(num, 0), totals.get(den, 0)
        return Value(Decimal(n), Decimal(d), rate(n, d))
    if kind == "reduction":
        previous = rate(totals.get(f"prev_{num}", 0), totals.get(f"prev_{den}", 0))
        current = rate(totals.get(num, 0), totals.get(den, 0))
        # numerator / denominator keep last round's and this round's rates
        return Value(previous, current, reduction(previous, current))
    raise ValueError(f"unknown indicator kind {kind!r}")
