"""The communication measures of the program indicators (``indicators.program.COMMUNE_MEASURES``).

- ``communication_activities``: activities held in the round's year by the commune itself (unit
  = the commune). Activities of a district or of the province are not per commune and are not
  counted here (they are in the list and the summary, under their unit);
- ``communication_reach``: the people those activities reached (sum of ``reach``);
- ``information_support_households``: the round's poor and near-poor entries (effective class)
  whose household received support of an information kind (``InformationKind``) in the year.

Two grouped queries; no pass over households in Python.
"""

from __future__ import annotations

from django.db.models import Count, Sum

from .models import Activity
from .selectors import information_entries


def commune_measures(round_, communes: set[int], totals: dict) -> dict:
    rows = (
        Activity.objects.filter(held_on__year=round_.year, unit_id__in=list(communes))
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"), people=Sum("reach"))
        .values_list("unit_id", "n", "people")
    )
    activities, reach = {}, {}
    for commune, n, people in rows:
        activities[commune] = (n, None)
        reach[commune] = (people or 0, None)
    informed = information_entries(round_, communes)
    return {
        "communication_activities": activities,
        "communication_reach": reach,
        "information_support_households": {c: (n, None) for c, n in informed.items()},
    }
