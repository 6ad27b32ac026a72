"""The labour measures of the program indicators (``indicators.program.COMMUNE_MEASURES``).

- ``training_needs_workers``: workers with a training need recorded in the round's year,
  counted in the commune of their household's entry of the round (so the 2025 crosswalk moves
  them with the entries);
- ``job_fair_hires``: the hires (the fair's count, named or not) at fairs held in the round's
  year and organised by the commune. Fairs of the province (or any unit above a commune) are
  not split over communes: they count in no commune and so in no area total (docs/labour.md);
- ``workers_placed_abroad``: employment records abroad starting in the round's year, of members
  of households with an entry of the round in the commune.

Three grouped queries over the year's few rows; no household is read.
"""

from __future__ import annotations

from django.db.models import Count, Sum

from households.models import Survey

from .models import JobFair


def labour_measures(round_, communes: set[int], totals: dict) -> dict:
    year = round_.year
    entries = Survey.objects.filter(round=round_, commune_id__in=list(communes)).order_by()
    needs = dict(
        entries.filter(
            household__members__training_needs__year=year,
        )
        .values("commune_id")
        .annotate(n=Count("household__members__training_needs", distinct=True))
        .values_list("commune_id", "n")
    )
    abroad = dict(
        entries.filter(
            household__members__employment_records__is_abroad=True,
            household__members__employment_records__starts_on__year=year,
        )
        .values("commune_id")
        .annotate(n=Count("household__members__employment_records", distinct=True))
        .values_list("commune_id", "n")
    )
    hires = dict(
        JobFair.objects.filter(held_on__year=year, unit_id__in=list(communes))
        .order_by()
        .values("unit_id")
        .annotate(n=Sum("hires"))
        .values_list("unit_id", "n")
    )
    return {
        "training_needs_workers": {c: (n, None) for c, n in needs.items() if n},
        "job_fair_hires": {c: (n, None) for c, n in hires.items() if n},
        "workers_placed_abroad": {c: (n, None) for c, n in abroad.items() if n},
    }
