"""User-scoped reads of visits and recommendations, and the counts of the to-do list and the
report. A visit belongs to its communes: the communes visited and those of the projects visited.
A user sees it when they see one of them (today, or at the visit's date for communes of the old
tree, ``areas.scope.reach_q``); out of scope is a 404."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.http import Http404

from areas.models import Level, Unit
from areas.scope import Capability, Reach, Scope, reach_q, reached
from projects.models import Project

from .models import (
    NOT_DONE,
    PENDING,
    Recommendation,
    RecommendationStatus,
    Visit,
    VisitFile,
)

Status = RecommendationStatus


def _visits_reached(reach: Reach, capability: str) -> Q:
    visited = Visit.communes.through.objects.filter(
        reach_q(reach, capability, unit="unit", start="visit__held_on"), visit=OuterRef("pk")
    )
    projects = Visit.projects.through.objects.filter(
        reach_q(reach, capability, unit="project__communes", start="visit__held_on"),
        visit=OuterRef("pk"),
    )
    return Q(Exists(visited)) | Q(Exists(projects))


def visit_list_for_user(reach: Reach) -> QuerySet[Visit]:
    return Visit.objects.filter(_visits_reached(reach, Capability.SEE))


def visit_rows(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    return (
        visits.prefetch_related("communes", "projects")
        .annotate(
            recommendation_total=Count("recommendations", distinct=True),
            recommendation_open=Count(
                "recommendations",
                filter=Q(recommendations__status__in=NOT_DONE),
                distinct=True,
            ),
        )
        .order_by("-held_on", "-pk")
    )


def visit_get_for_user(reach: Reach, pk: int) -> Visit:
    visit = (
        visit_list_for_user(reach)
        .select_related("created_by")
        .prefetch_related("communes", "projects")
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def visit_units(visit: Visit) -> list[Unit]:
    """Every commune of the visit: visited, or of a visited project."""
    return list(
        Unit.objects.filter(
            Q(pk__in=Visit.communes.through.objects.filter(visit=visit).values("unit_id"))
            | Q(
                pk__in=Project.communes.through.objects.filter(
                    project__in=Visit.projects.through.objects.filter(visit=visit).values(
                        "project_id"
                    )
                ).values("unit_id")
            )
        ).order_by("path")
    )


def visit_can_manage(reach: Reach, visit: Visit) -> bool:
    """District staff (REVIEW) over every commune of the visit, and administrators."""
    units = visit_units(visit)
    return bool(units) and reached(reach, Capability.REVIEW, units, visit.held_on, every=True)


def visit_get_for_change(reach: Reach, pk: int) -> Visit:
    visit = visit_get_for_user(reach, pk)
    if not visit_can_manage(reach, visit):
        raise PermissionDenied
    return visit


def visit_file_get_for_user(reach: Reach, visit_pk: int, pk: int) -> VisitFile:
    visit = visit_get_for_user(reach, visit_pk)
    found = VisitFile.objects.filter(visit=visit, pk=pk).first()
    if found is None:
        raise Http404
    return found


def visit_files(visit: Visit) -> QuerySet[VisitFile]:
    return visit.files.select_related("uploaded_by").order_by("uploaded_at", "pk")


def visit_recommendations(visit: Visit) -> QuerySet[Recommendation]:
    return (
        visit.recommendations.select_related("commune", "project", "closed_by")
        .prefetch_related("follow_ups__by")
        .order_by("due_on", "pk")
    )


def commune_choices(scope: Scope, visit: Visit | None = None) -> QuerySet[Unit]:
    """Communes (valid today) a visit may be recorded on: those under the user's REVIEW; and
    the visit's own."""
    q = Q(pk__in=scope.communes(Capability.REVIEW).values("pk"))
    if visit is not None:
        q |= Q(pk__in=Visit.communes.through.objects.filter(visit=visit).values("unit_id"))
    return Unit.objects.filter(q).select_related("parent").order_by("path")


def project_choices(scope: Scope, visit: Visit | None = None) -> QuerySet[Project]:
    """Projects all of whose communes (valid today) are under the user's REVIEW; and the
    visit's own."""
    reviewed = scope.communes(Capability.REVIEW).values("pk")
    outside = Project.communes.through.objects.filter(project=OuterRef("pk")).exclude(
        unit_id__in=reviewed
    )
    q = Q(pk__in=Project.objects.filter(communes__in=reviewed).exclude(Exists(outside)))
    if visit is not None:
        q |= Q(pk__in=Visit.projects.through.objects.filter(visit=visit).values("project_id"))
    return Project.objects.filter(q).order_by("-starts_on", "code")


# --- recommendations --------------------------------------------------------------------------


def recommendation_list_for_user(reach: Reach) -> QuerySet[Recommendation]:
    """Recommendations of the visits the user sees."""
    return Recommendation.objects.filter(visit__in=visit_list_for_user(reach).values("pk"))


def recommendation_rows(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return recommendations.select_related("visit", "commune", "project").order_by("due_on", "pk")


def recommendation_get_for_user(reach: Reach, pk: int) -> Recommendation:
    found = (
        recommendation_list_for_user(reach)
        .select_related("visit", "commune", "project", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def recommendation_follow_ups(recommendation: Recommendation):
    return recommendation.follow_ups.select_related("by").order_by("on", "pk")


def recommendation_can(reach: Reach, recommendation: Recommendation, capability: str) -> bool:
    """ENTER: the responsible commune's officer (follow-ups, report done); REVIEW: district staff
    of that commune (follow-ups, confirm, reopen)."""
    return reached(reach, capability, [recommendation.commune], recommendation.visit.held_on)


def responsible_choices(visit: Visit) -> list[Unit]:
    return visit_units(visit)


def filter_recommendations(qs, *, state: str = "", commune: Unit | None = None, today: dt.date):
    if state == "open":
        qs = qs.filter(status__in=NOT_DONE)
    elif state == "pending":
        qs = qs.filter(status__in=PENDING)
    elif state == "overdue":
        qs = qs.filter(status__in=PENDING, due_on__lt=today)
    elif state == "reported":
        qs = qs.filter(status=Status.REPORTED)
    elif state == "done":
        qs = qs.filter(status=Status.DONE)
    if commune is not None:
        qs = qs.filter(commune__path__startswith=commune.path)
    return qs


# --- to-do counts: one query each ---------------------------------------------------------------


def _communes_q(scope: Scope, capability: str) -> Q:
    return Q(commune__in=scope.communes(capability).values("pk"))


def pending_for_communes(scope: Scope, capability: str) -> dict:
    """Recommendations the user's communes (under ``capability``) have still to carry out: the
    count, the oldest due date."""
    return Recommendation.objects.filter(
        _communes_q(scope, capability), status__in=PENDING
    ).aggregate(n=Count("pk"), oldest=Min("due_on"))


def reported_for_communes(scope: Scope, capability: str) -> dict:
    """Reported done by the commune, waiting for the district's confirmation."""
    return Recommendation.objects.filter(
        _communes_q(scope, capability), status=Status.REPORTED
    ).aggregate(n=Count("pk"), since=Min("reported_at"))


def overdue_for_communes(scope: Scope, capability: str, today: dt.date) -> dict:
    return Recommendation.objects.filter(
        _communes_q(scope, capability), status__in=PENDING, due_on__lt=today
    ).aggregate(n=Count("pk"), oldest=Min("due_on"))


def commune_units(scope: Scope) -> QuerySet[Unit]:
    """Units the user may filter by: their SEE scope's districts and communes (valid today)."""
    return (
        scope.units(Capability.SEE)
        .filter(level__in=[Level.COMMUNE, Level.DISTRICT, Level.PROVINCE])
        .order_by("path")
    )


def responsible_choices_qs(visit: Visit) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=[u.pk for u in visit_units(visit)]).order_by("path")


def visits_under(visits: QuerySet[Visit], unit: Unit) -> QuerySet[Visit]:
    """Visits with a commune (visited, or of a visited project) under ``unit``."""
    visited = Visit.communes.through.objects.filter(
        visit=OuterRef("pk"), unit__path__startswith=unit.path
    )
    projects = Visit.projects.through.objects.filter(
        visit=OuterRef("pk"), project__communes__path__startswith=unit.path
    )
    return visits.filter(Q(Exists(visited)) | Q(Exists(projects)))
