"""The support indicators of a round, per commune, for ``indicators.program.COMMUNE_MEASURES``.

Over the round's poor and near-poor entries of the communes (effective class, the one
definition of ``households.counting``), one grouped query (``selectors.support_counts``):

- ``poor_near_with_helper_share``: entries whose household has a helper assignment whose period
  overlaps the round's year (1 January – 31 December), ÷ poor and near-poor entries;
- ``poor_near_with_plan_share``: entries whose household has a plan item not dropped, made by
  the end of the round's year and due in that year or later, ÷ the same;
- ``poor_near_supported_share``: entries whose household received support (any kind) in the
  round's year, ÷ the same;
- ``households_supported``: the count of those supported households.

The breakdown by kind is in the Excel list and on the commune page, not in the catalog (the
catalog is code; the kinds are data).
"""

from __future__ import annotations

from .selectors import support_counts

SHARES = {
    "poor_near_with_helper_share": "with_helper",
    "poor_near_with_plan_share": "with_plan",
    "poor_near_supported_share": "supported",
}


def support_measures(round_, communes: set[int], totals: dict) -> dict:
    counts = support_counts(round_, communes)
    out: dict[str, dict[int, tuple[int, int | None]]] = {code: {} for code in SHARES}
    out["households_supported"] = {}
    for commune, row in counts.items():
        for code, key in SHARES.items():
            out[code][commune] = (row[key], row["poor_or_near"])
        out["households_supported"][commune] = (row["supported"], None)
    return out
