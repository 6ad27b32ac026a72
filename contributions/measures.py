"""The fund as a program indicator of a round (``indicators.program.COMMUNE_MEASURES``).

``contributions_received``: the value (cash plus the estimated value of goods in kind) of the
contributions received in the round's year by each commune's own "Vì người nghèo" fund, in
millions of đồng; added up over an area's communes. Contributions received by the fund of a
former district or of the province are not in any commune, so not in this indicator: the
summary page (``/dong-gop/tong-hop/``) shows them. A commune of the other tree (a 2025
contribution to a commune dissolved on 1 July 2025, in the new-tree round) is carried through
the 2025 crosswalk and shared equally among the communes it maps to (as the funds do,
``finance.measures``).

Reads the year's contributions to commune funds (a few hundred rows), never the households.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Sum

from areas.models import Level
from finance.measures import _onto_round_tree
from finance.rules import split_evenly

from .models import Contribution

MILLION = Decimal(1_000_000)


def commune_contributions(round_, communes: set[int], totals) -> dict[str, dict[int, tuple]]:
    rows = dict(
        Contribution.objects.filter(received_on__year=round_.year, unit__level=Level.COMMUNE)
        .order_by()
        .values("unit")
        .annotate(v=Sum(F("cash_amount") + F("in_kind_value")))
        .values_list("unit", "v")
    )
    onto = _onto_round_tree(set(rows) - set(communes), communes)
    received: dict[int, int] = defaultdict(int)
    for commune, value in rows.items():
        if commune in communes:
            received[commune] += value
            continue
        for target, share in split_evenly(value, onto.get(commune, [])).items():
            received[target] += share
    return {
        "contributions_received": {
            c: (Decimal(v) / MILLION, None) for c, v in received.items() if v
        }
    }
