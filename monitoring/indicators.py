"""The monitoring measures of the program indicators (``indicators.program.COMMUNE_MEASURES``).

- ``monitoring_visits``: visits held in the round's year with the commune as a subject (visited,
  or a commune of a visited project), once per visit. Groups, districts and the province add
  their communes up, so a visit of three communes counts three there: the indicator is named
  for what it counts, "Lượt kiểm tra, giám sát xã" (commune-visits).
- ``recommendations_done_share``: of the recommendations due in the round's year (due date in
  that year) for which the commune is responsible, the share confirmed done (by district staff).

Two grouped queries over the visit and recommendation rows of the year; no household is read.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from .models import Recommendation, RecommendationStatus, Visit


def visit_commune_pairs(visits) -> set[tuple[int, int, str]]:
    """(visit, commune, kind) of these visits: the communes visited and those of the projects
    visited, each once per visit."""
    ids = visits.values("pk")
    direct = Visit.communes.through.objects.filter(visit__in=ids).values_list(
        "visit_id", "unit_id", "visit__kind"
    )
    projects = Visit.projects.through.objects.filter(
        visit__in=ids, project__communes__isnull=False
    ).values_list("visit_id", "project__communes", "visit__kind")
    return set(direct) | set(projects)


def commune_measures(round_, communes: set[int], totals: dict) -> dict:
    year = round_.year
    pairs = visit_commune_pairs(Visit.objects.filter(held_on__year=year))
    visits: dict[int, int] = defaultdict(int)
    for _visit, commune, _kind in pairs:
        if commune in communes:
            visits[commune] += 1
    shares = {
        commune: (done, due)
        for commune, done, due in Recommendation.objects.filter(
            due_on__year=year, commune_id__in=list(communes)
        )
        .order_by()
        .values("commune_id")
        .annotate(
            done=Count("pk", filter=Q(status=RecommendationStatus.DONE)),
            due=Count("pk"),
        )
        .values_list("commune_id", "done", "due")
    }
    return {
        "monitoring_visits": {c: (n, None) for c, n in visits.items()},
        "recommendations_done_share": shares,
    }
