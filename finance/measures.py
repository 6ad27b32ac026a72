"""The funds as program indicators of a round (``indicators.program.COMMUNE_MEASURES``).

For the round's year (plans of that year), per commune of the round's tree:
- ``disbursement_rate``: disbursed ÷ allocated, of the allocations to the commune and to
  livelihood projects in it;
- ``funds_disbursed``: what was disbursed of them, in millions of đồng.

An allocation to a project over several communes is shared equally among its communes (in whole
đồng, ``rules.split_evenly``), and so are its disbursements: each commune carries its share, and
an area holding all of them carries the whole. A commune of the other tree (a 2025 allocation to
a pre-reform commune, in the new-tree round) is taken through the 2025 crosswalk
(``UnitSuccession``), shared equally among the communes it maps to. Allocations held at the
province or district (not yet sent to a commune) are not in these figures: the funds panel and
the summary page show them.

Reads the year's allocations (a few hundred rows), never the households.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from areas.models import UnitSuccession

from .models import Allocation
from .rules import split_evenly
from .selectors import _allocation_disbursed_sum

MILLION = Decimal(1_000_000)


def commune_funds(round_, communes: set[int], totals) -> dict[str, dict[int, tuple]]:
    rows = list(
        Allocation.objects.filter(plan__year=round_.year)
        .annotate(paid=_allocation_disbursed_sum())
        .values_list("pk", "commune_id", "project_id", "amount", "paid")
    )
    projects = {r[2] for r in rows if r[2]}
    links: dict[int, list[int]] = defaultdict(list)
    if projects:
        from projects.models import Project

        for project, commune in Project.communes.through.objects.filter(
            project_id__in=projects
        ).values_list("project_id", "unit_id"):
            links[project].append(commune)
    # each allocation as {commune as filed: (allocated, disbursed)}
    filed: list[tuple[int, int, int]] = []
    for _pk, commune, project, amount, paid in rows:
        where = [commune] if commune else links.get(project, [])
        amounts, paids = split_evenly(amount, where), split_evenly(paid, where)
        filed += [(c, amounts[c], paids[c]) for c in amounts]
    onto = _onto_round_tree({c for c, _a, _p in filed} - set(communes), communes)
    allocated: dict[int, int] = defaultdict(int)
    disbursed: dict[int, int] = defaultdict(int)
    for commune, amount, paid in filed:
        if commune in communes:
            allocated[commune] += amount
            disbursed[commune] += paid
            continue
        targets = onto.get(commune, [])
        for target, share in split_evenly(amount, targets).items():
            allocated[target] += share
        for target, share in split_evenly(paid, targets).items():
            disbursed[target] += share
    return {
        "disbursement_rate": {
            c: (Decimal(disbursed[c]) / MILLION, Decimal(a) / MILLION) for c, a in allocated.items()
        },
        "funds_disbursed": {c: (Decimal(disbursed[c]) / MILLION, None) for c in allocated},
    }


def _onto_round_tree(others: set[int], communes: set[int]) -> dict[int, list[int]]:
    """{commune of the other tree: the round's communes it maps to (2025 crosswalk)}."""
    if not others:
        return {}
    found: dict[int, list[int]] = defaultdict(list)
    pairs = UnitSuccession.objects.filter(
        Q(old_id__in=others, new_id__in=communes) | Q(new_id__in=others, old_id__in=communes)
    ).values_list("old_id", "new_id")
    for old, new in pairs:
        if old in others:
            found[old].append(new)
        else:
            found[new].append(old)
    return found
