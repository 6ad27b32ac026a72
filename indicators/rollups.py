"""Set-based totals of a round per commune: three SQL queries whatever the number of households.

``totals_by_commune`` groups the round's surveys, exclusions and deprivations by commune with
conditional aggregates. The totals are plain counts (see FIELDS); rates and reductions are made
from them later, after communes are added up the tree (``aggregate.py``).

"Last round" is re-aggregated onto this round's units by construction: each survey and exclusion
of this round carries the household's previous class (``previous_class``), so the previous
round's figures are counted from this round's rows, by where each household is now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case, CharField, Count, F, Q, Sum, When

from households.models import (
    CommuneSubmission,
    Exclusion,
    ReviewRound,
    SubmissionStatus,
    Survey,
    SurveyDeprivation,
)

from .catalog import TRANSITIONS, indicator_codes

CLASS_KEY = {"poor": "poor", "near_poor": "near"}
TRANSITION_CODES = [code for code, _, _ in TRANSITIONS]


def fields() -> list[str]:
    """Every key of a totals vector."""
    base = [
        "households", "persons", "poor", "poor_persons", "near", "near_persons", "average",
        "average_persons", "poor_or_near", "em_households", "em_poor", "em_near",
        "prev_households", "prev_poor", "prev_near", "prev_poor_or_near", "prev_em_households",
        "prev_em_poor", "pending", "surveyed", "carried", "excluded", "communes", "accepted",
    ]  # fmt: skip
    base += [f"t_{code}" for code in TRANSITION_CODES]
    for cls in CLASS_KEY.values():
        base += [f"dep_{cls}_{code}" for code, _, _ in indicator_codes()]
    return base


FIELDS = fields()


def _survey_aggregates() -> dict:
    # While a round is open, a survey not yet entered counts with its previous class: the
    # figures are provisional until the commune's results are accepted.
    listed = Q(arrival="") & ~Q(previous_class="")
    aggregates = {
        "households": Count("id"),
        "persons": Sum("member_count"),
        "poor": Count("id", filter=Q(cls="poor")),
        "poor_persons": Sum("member_count", filter=Q(cls="poor")),
        "near": Count("id", filter=Q(cls="near_poor")),
        "near_persons": Sum("member_count", filter=Q(cls="near_poor")),
        "average": Count("id", filter=Q(cls="average")),
        "average_persons": Sum("member_count", filter=Q(cls="average")),
        "em_households": Count("id", filter=Q(is_ethnic_minority=True)),
        "em_poor": Count("id", filter=Q(is_ethnic_minority=True, cls="poor")),
        "em_near": Count("id", filter=Q(is_ethnic_minority=True, cls="near_poor")),
        "prev_households": Count("id", filter=listed),
        "prev_poor": Count("id", filter=listed & Q(previous_class="poor")),
        "prev_near": Count("id", filter=listed & Q(previous_class="near_poor")),
        "prev_em_households": Count("id", filter=listed & Q(is_ethnic_minority=True)),
        "prev_em_poor": Count(
            "id", filter=listed & Q(is_ethnic_minority=True, previous_class="poor")
        ),
        "pending": Count("id", filter=Q(status="pending")),
        "surveyed": Count("id", filter=Q(status="surveyed")),
        "carried": Count("id", filter=Q(status="carried_over")),
    }
    for code in TRANSITION_CODES:
        aggregates[f"t_{code}"] = Count("id", filter=Q(transition=code))
    return aggregates


def totals_by_commune(round_: ReviewRound, commune_ids: Iterable[int]) -> dict[int, dict]:
    """Totals of the given communes in a round: {commune_id: {field: int}}."""
    ids = list(commune_ids)
    totals: dict[int, dict] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    surveys = (
        Survey.objects.filter(round=round_, commune_id__in=ids)
        .annotate(
            cls=Case(
                When(status="pending", then=F("previous_class")),
                default=F("poverty_class"),
                output_field=CharField(),
            )
        )
        .values("commune_id")
        .annotate(**_survey_aggregates())
    )
    for row in surveys:
        vector = totals[row.pop("commune_id")]
        vector.update({k: v or 0 for k, v in row.items()})
        vector["communes"] = 1

    exclusion_aggregates = {
        "n": Count("id"),
        "prev_households": Count("id", filter=~Q(previous_class="")),
        "prev_poor": Count("id", filter=Q(previous_class="poor")),
        "prev_near": Count("id", filter=Q(previous_class="near_poor")),
        "prev_em_households": Count(
            "id", filter=~Q(previous_class="") & Q(household__is_ethnic_minority=True)
        ),
        "prev_em_poor": Count(
            "id", filter=Q(previous_class="poor", household__is_ethnic_minority=True)
        ),
        **{f"t_{c}": Count("id", filter=Q(transition=c)) for c in TRANSITION_CODES},
    }
    for row in (
        Exclusion.objects.filter(round=round_, commune_id__in=ids)
        .values("commune_id")
        .annotate(**exclusion_aggregates)
    ):
        vector = totals[row.pop("commune_id")]
        vector["excluded"] += row.pop("n")
        vector["communes"] = 1
        for key, value in row.items():
            vector[key] += value

    for commune_id, cls, indicator, n in (
        SurveyDeprivation.objects.filter(
            survey__round=round_, survey__commune_id__in=ids, survey__status="surveyed"
        )
        .filter(survey__poverty_class__in=CLASS_KEY)
        .values_list("survey__commune_id", "survey__poverty_class", "indicator")
        .annotate(n=Count("id"))
    ):
        key = f"dep_{CLASS_KEY[cls]}_{indicator}"
        if key in totals[commune_id]:
            totals[commune_id][key] += n

    accepted = set(
        CommuneSubmission.objects.filter(
            round=round_, commune_id__in=ids, status=SubmissionStatus.ACCEPTED
        ).values_list("commune_id", flat=True)
    )
    for commune_id, vector in totals.items():
        vector["poor_or_near"] = vector["poor"] + vector["near"]
        vector["prev_poor_or_near"] = vector["prev_poor"] + vector["prev_near"]
        vector["accepted"] = 1 if commune_id in accepted and vector["communes"] else 0
    return dict(totals)
