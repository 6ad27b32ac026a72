"""Outcomes of a project: each participant's poverty class in the last review before the
project started and the first review after it ended, for every participant in one query."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from households.models import Survey

from .. import rules
from ..models import Project, ProjectParticipant


def participants_with_outcomes(project: Project) -> QuerySet[ProjectParticipant]:
    """Participants annotated with class and income before / after: one query, set-based.

    "Before" is the household's last classified survey of a round that started before the
    project's start; "after" its first of a round that started after the project's end.
    """
    classified = Survey.objects.filter(household=OuterRef("household_id")).exclude(poverty_class="")
    before = classified.filter(round__starts_on__lt=project.starts_on).order_by("-round__starts_on")
    after = classified.filter(round__starts_on__gt=project.ends_on).order_by("round__starts_on")
    return (
        project.participants.select_related("household")
        .annotate(
            class_before=Subquery(before.values("poverty_class")[:1]),
            income_before=Subquery(before.values("income_per_person")[:1]),
            class_after=Subquery(after.values("poverty_class")[:1]),
            income_after=Subquery(after.values("income_per_person")[:1]),
        )
        .order_by("household__code")
    )


def project_outcomes(project: Project) -> tuple[list[ProjectParticipant], rules.OutcomeSummary]:
    rows = list(participants_with_outcomes(project))
    for row in rows:
        row.outcome = rules.outcome(row.class_before, row.class_after)
    summary = rules.outcome_summary((r.class_before, r.class_after) for r in rows)
    return rows, summary


def measured_income(rows: list[ProjectParticipant]) -> dict[str, int | None]:
    """Average income per person before and after, over households measured at both ends."""
    both = [r for r in rows if r.income_before is not None and r.income_after is not None]
    return {
        "income_before": rules.average(r.income_before for r in both),
        "income_after": rules.average(r.income_after for r in both),
        "households_measured": len(both),
    }
