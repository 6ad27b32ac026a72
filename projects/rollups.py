"""Set-based counts the indicators app reads for the plan's targets (DOMAIN.md §5), one SQL
query each, grouped by commune; adding communes up the unit tree is the caller's job.

- "over 200 approved production-support projects": ``projects_approved_by_commune``
- "over 20 poverty-reduction models built and replicated": ``models_by_commune_year``
- "80% of able workers in poor households supported in production capacity" (numerator):
  ``workers_supported_by_commune``
- "poor and near-poor households with a member in sustainable employment":
  ``sustainable_employment_households_by_commune``
- "100% of poverty-reduction staff trained this year": ``staff_trained``
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear

from areas.models import Assignment, Role
from households.models import ReviewRound, Survey

from .choices import CourseKind, ProjectForm
from .models import CourseParticipant, EmploymentRecord, Project
from .models.project import LOCKED

LINKS = Project.communes.through
PRODUCTION_COURSES = (CourseKind.TECHNIQUE, CourseKind.VOCATIONAL)


def projects_approved_by_commune(year: int) -> dict[int, int]:
    """Projects approved (decision dated) in the year, per commune they run in."""
    rows = (
        LINKS.objects.filter(project__status__in=LOCKED, project__decision_date__year=year)
        .values("unit_id")
        .annotate(n=Count("project_id", distinct=True))
    )
    return {r["unit_id"]: r["n"] for r in rows}


def models_by_commune_year(projects: QuerySet[Project] | None = None) -> list[dict]:
    """Models built (new) and replicated per commune and start year, approved or later."""
    projects = Project.objects.all() if projects is None else projects
    return list(
        LINKS.objects.filter(
            project__in=projects.values("pk"),
            project__form=ProjectForm.MODEL,
            project__status__in=LOCKED,
        )
        .annotate(year=ExtractYear("project__starts_on"))
        .values("unit_id", "unit__name", "unit__kind", "year")
        .annotate(
            built=Count("project_id", filter=Q(project__replicated_from__isnull=True)),
            replicated=Count("project_id", filter=Q(project__replicated_from__isnull=False)),
        )
        .order_by("-year", "unit__name")
    )


def workers_supported_by_commune(year: int) -> dict[int, int]:
    """Household members who completed a production-technique or vocational course ending in
    the year, per the commune their household lives in now."""
    rows = (
        CourseParticipant.objects.filter(
            member__isnull=False,
            completed=True,
            course__kind__in=PRODUCTION_COURSES,
            course__ends_on__year=year,
        )
        .values("member__household__commune_id")
        .annotate(n=Count("member_id", distinct=True))
    )
    return {r["member__household__commune_id"]: r["n"] for r in rows}


def sustainable_employment_households_by_commune(round_: ReviewRound) -> dict[int, int]:
    """Poor and near-poor households of a round with at least one member in sustainable
    employment on the round's first day, per commune of the round."""
    day = round_.reference_date
    employed = EmploymentRecord.objects.filter(
        member__household=OuterRef("household_id"), is_sustainable=True, starts_on__lte=day
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    rows = (
        Survey.objects.filter(round=round_, poverty_class__in=["poor", "near_poor"])
        .filter(Exists(employed))
        .values("commune_id")
        .annotate(n=Count("household_id", distinct=True))
    )
    return {r["commune_id"]: r["n"] for r in rows}


def staff_trained(year: int, paths: Iterable[str]) -> dict[str, int]:
    """Poverty-reduction staff (commune officers, district staff) assigned under these unit
    paths during the year, and how many of them completed a staff course that year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    under = Q(pk__in=[])
    for p in paths:
        under |= Q(unit__path__startswith=p) | Q(group__members__path__startswith=p)
    assignments = Assignment.objects.filter(
        under,
        role__in=[Role.COMMUNE_OFFICER, Role.DISTRICT_STAFF],
        valid_from__lte=end,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    trained = CourseParticipant.objects.filter(
        user=OuterRef("pk"),
        completed=True,
        course__kind=CourseKind.STAFF,
        course__ends_on__year=year,
    )
    return (
        get_user_model()
        .objects.filter(pk__in=assignments.values("user_id"), is_active=True)
        .aggregate(staff=Count("pk"), trained=Count("pk", filter=Q(Exists(trained))))
    )
