"""Progress of a round per commune: a few set-based queries whatever the number of households.

``round_completeness`` adds the timetable (DHIS2's completeness report is the model): the share
of each commune's list that is done, its due date, whether it is late, and a summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Unit

from . import counting
from .models import (
    CommuneSubmission,
    Exclusion,
    ReviewRound,
    SubmissionAction,
    SubmissionEvent,
    SubmissionStatus,
    Survey,
)

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
    last_sent = SubmissionEvent.objects.filter(
        submission=OuterRef("pk"), action=SubmissionAction.SUBMIT
    ).order_by("-at")
    submissions = {
        commune_id: (sub_status, sent)
        for commune_id, sub_status, sent in CommuneSubmission.objects.filter(
            round=round_, commune_id__in=ids
        )
        .annotate(sent=Subquery(last_sent.values("at")[:1]))
        .values_list("commune_id", "status", "sent")
    }  # one row per commune that ever submitted, with its latest submission's time
    labels = dict(SubmissionStatus.choices)
    # A closed round's commune that never submitted is not "still entering data".
    missing = SubmissionStatus.OPEN if round_.is_open else NOT_SUBMITTED
    labels[NOT_SUBMITTED] = _("Không gửi kết quả (đợt đã đóng)")
    rows = []
    for unit in units:
        sub_status, sent = submissions.get(unit.pk, (missing, None))
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
                "submitted_on": timezone.localdate(sent) if sent else None,
            }
        )
    return rows


DONE_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


@dataclass(frozen=True)
class Completeness:
    """The summary line of a round's page. ``expected``: communes with households on the list
    (the others have nothing to send); ``on_time`` / ``sent_late``: results now with the district
    whose latest submission was on or before / after the commune due date; ``overdue``: not sent
    and the due date has passed; ``waiting``: not sent, still in time."""

    expected: int
    on_time: int
    sent_late: int
    overdue: int
    waiting: int
    due: dt.date


def round_completeness(
    round_: ReviewRound, communes: QuerySet[Unit], *, today: dt.date, status: str = ""
) -> tuple[list[dict], Completeness]:
    """``commune_progress`` rows with the timetable, late communes first, then by share done.

    Each row gains ``share`` (households whose entry is done, surveyed or carried over, over the
    households on the list; ``None`` with an empty list), ``share_pct``, ``expected``, ``due``,
    ``late`` and ``days_late`` (not sent after the commune due date, counted to ``today``, or to
    the day a closed round closed), ``sent_late`` and ``sent_days_late``. Same queries as
    ``commune_progress``: nothing here reads a household. ``today`` is an argument so that the
    rule can be tested at a fixed date (views pass ``timezone.localdate()``).
    """
    rows = commune_progress(round_, communes, status=status)
    due = round_.commune_due
    until = today
    if not round_.is_open and round_.closed_at:
        until = min(today, timezone.localdate(round_.closed_at))
    on_time = sent_late = overdue = waiting = expected = 0
    for row in rows:
        listed = row["total"]
        row["expected"] = bool(listed or row["excluded"])
        row["share"] = (listed - row["pending"]) / listed if listed else None
        row["share_pct"] = round(row["share"] * 100) if row["share"] is not None else None
        row["due"] = due
        sent = row["status"] in DONE_STATUSES
        row["late"] = row["expected"] and not sent and until > due
        row["days_late"] = (until - due).days if row["late"] else 0
        submitted_on = row["submitted_on"]
        row["sent_late"] = sent and submitted_on is not None and submitted_on > due
        row["sent_days_late"] = (submitted_on - due).days if row["sent_late"] else 0
        if not row["expected"]:
            continue
        expected += 1
        if sent:
            sent_late += row["sent_late"]
            on_time += not row["sent_late"]
        elif row["late"]:
            overdue += 1
        else:
            waiting += 1
    rows.sort(
        key=lambda r: (
            not r["late"],
            not r["expected"],
            r["share"] if r["share"] is not None else 2.0,
            r["commune"].code,
        )
    )
    return rows, Completeness(expected, on_time, sent_late, overdue, waiting, due)


def communes_behind(round_: ReviewRound, communes: QuerySet[Unit], *, not_in: tuple[str, ...]):
    """Ids (a subquery) of the communes of ``communes`` with households on the round's list whose
    submission is not in one of the ``not_in`` statuses (no submission at all counts as behind).
    One grouped query over the (round, commune) index when counted; for the to-do lists."""
    ahead = CommuneSubmission.objects.filter(round=round_, status__in=not_in).values("commune_id")
    return (
        Survey.objects.filter(round=round_, commune_id__in=communes.values("pk"))
        .exclude(commune_id__in=ahead)
        .order_by()
        .values("commune_id")
        .distinct()
    )
