"""Progress of a round per commune: a few set-based queries whatever the number of households."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from areas.models import Unit

from . import counting
from .models import CommuneSubmission, Exclusion, ReviewRound, SubmissionStatus, Survey

NOT_SUBMITTED = "not_submitted"


def commune_progress(
    round_: ReviewRound, communes: QuerySet[Unit], *, status: str = ""
) -> list[dict]:
    """One row per commune: list counts, classes, exclusions and submission status.

    Four queries: communes, survey aggregates grouped by commune, exclusions grouped by commune,
    submissions. ``status`` keeps only communes whose submission has that status.
    """
    units = list(communes.select_related("parent").order_by("code"))
    ids = [u.pk for u in units]
    counts = {
        row["commune_id"]: row
        for row in Survey.objects.filter(round=round_, commune_id__in=ids)
        .values("commune_id")
        .annotate(
            total=Count("id"),
            pending=Count("id", filter=Q(status="pending")),
            surveyed=Count("id", filter=Q(status="surveyed")),
            carried=Count("id", filter=Q(status="carried_over")),
            # as every figure counts them (households.counting)
            poor=counting.households(counting.in_class(counting.POOR)),
            near_poor=counting.households(counting.in_class(counting.NEAR_POOR)),
            persons=counting.persons(),
        )
    }
    excluded = dict(
        Exclusion.objects.filter(round=round_, commune_id__in=ids)
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
    )
    submissions = dict(
        CommuneSubmission.objects.filter(round=round_, commune_id__in=ids).values_list(
            "commune_id", "status"
        )
    )
    labels = dict(SubmissionStatus.choices)
    # A closed round's commune that never submitted is not "still entering data".
    missing = SubmissionStatus.OPEN if round_.is_open else NOT_SUBMITTED
    labels[NOT_SUBMITTED] = _("Không gửi kết quả (đợt đã đóng)")
    rows = []
    for unit in units:
        sub_status = submissions.get(unit.pk, missing)
        if status and sub_status != status:
            continue
        c = counts.get(unit.pk, {})
        rows.append(
            {
                "commune": unit,
                "total": c.get("total", 0),
                "pending": c.get("pending", 0),
                "surveyed": c.get("surveyed", 0),
                "carried": c.get("carried", 0),
                "poor": c.get("poor", 0),
                "near_poor": c.get("near_poor", 0),
                "persons": c.get("persons") or 0,
                "excluded": excluded.get(unit.pk, 0),
                "status": sub_status,
                "status_label": labels[sub_status],
            }
        )
    return rows
