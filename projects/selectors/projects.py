"""User-scoped reads of projects: lists, the approval queue, one project and what the user may
do with it. An outsider gets 404; a user who may see but not act gets 403 (``*_for_change``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from areas.scope import Capability, Reach, reach_q, reached

from .. import rules
from ..choices import ApprovalLevelChoice, Status
from ..models import Project
from ..models.project import SOURCES

LINKS = Project.communes.through


def _reached(reach: Reach, capability: str, *, provinces_only: bool = False) -> Q:
    return reach_q(
        reach, capability, unit="unit", start="project__starts_on", provinces_only=provinces_only
    )


def _reaches_any(reach: Reach, capability: str, **kw) -> Exists:
    return Exists(LINKS.objects.filter(_reached(reach, capability, **kw), project=OuterRef("pk")))


def _reaches_every(reach: Reach, capability: str, **kw) -> Q:
    outside = LINKS.objects.filter(~_reached(reach, capability, **kw), project=OuterRef("pk"))
    return Q(_reaches_any(reach, capability, **kw)) & ~Q(Exists(outside))


def project_list_for_user(reach: Reach) -> QuerySet[Project]:
    """Projects with a commune the user sees (today, or at the start for old-tree communes)."""
    return Project.objects.filter(_reaches_any(reach, Capability.SEE))


def project_rows(projects: QuerySet[Project]) -> QuerySet[Project]:
    """What list pages show of each project, in a fixed number of queries."""
    return projects.select_related("component", "component__parent").prefetch_related("communes")


def project_totals(projects: QuerySet[Project]) -> dict[str, int]:
    """Number of projects and budget by source over a filtered list: one query."""
    sums = {f: Coalesce(Sum(f), Value(0)) for f in ("total_cost", *SOURCES)}
    return projects.order_by().aggregate(
        projects=Count("pk"), households=Coalesce(Sum("participant_count"), Value(0)), **sums
    )


def project_queue_for_user(reach: Reach) -> QuerySet[Project]:
    """Projects waiting for this reviewer's appraisal or decision, oldest submission first.

    The approving level is data (ApprovalLevel, resolved when the project is submitted):
    commune and district levels go to the reviewers over every commune of the project (district
    staff of the district, or of the former-district group after 2025); province level to
    reviewers over the whole province.
    """
    local = Q(
        approval_level__in=[ApprovalLevelChoice.COMMUNE, ApprovalLevelChoice.DISTRICT]
    ) & _reaches_every(reach, Capability.REVIEW)
    province = Q(approval_level=ApprovalLevelChoice.PROVINCE) & _reaches_every(
        reach, Capability.REVIEW, provinces_only=True
    )
    return (
        Project.objects.filter(status__in=[Status.SUBMITTED, Status.UNDER_APPRAISAL])
        .filter(local | province)
        .order_by("submitted_at", "pk")
    )


def project_get_for_user(reach: Reach, pk: int) -> Project:
    project = (
        project_list_for_user(reach)
        .select_related(
            "component",
            "component__parent",
            "component__program",
            "created_by",
            "replicated_from",
        )
        .prefetch_related("communes")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return project


def project_can(reach: Reach, project: Project, action: str) -> bool:
    """May the user take this step (or ``edit`` / ``amend``) on the project, by scope?

    The project's state is checked by the services; this answers only "is it theirs to do".
    """
    communes = list(project.communes.all())
    if action in rules.APPROVER_STEPS or action == "amend":
        return reached(
            reach,
            Capability.REVIEW,
            communes,
            project.starts_on,
            provinces_only=project.approval_level == ApprovalLevelChoice.PROVINCE,
            every=True,
        )
    step = rules.STEPS.get(action)
    capability = step.capability if step else Capability.ENTER  # "edit": the dossier
    return reached(reach, capability, communes, project.starts_on)


def project_get_for_change(reach: Reach, pk: int, action: str) -> Project:
    project = project_get_for_user(reach, pk)
    if not project_can(reach, project, action):
        raise PermissionDenied
    return project


def project_actions(reach: Reach, project: Project) -> dict[str, object]:
    """What the project page offers this user now."""
    steps = [a for a in rules.allowed_actions(project.status) if project_can(reach, project, a)]
    return {
        "steps": steps,
        "can_edit": project.is_editable and project_can(reach, project, "edit"),
        "can_amend": project.status in rules.AMENDABLE and project_can(reach, project, "amend"),
        "can_replicate": reach.can(Capability.ENTER)
        and rules.can_replicate(
            form=project.form,
            status=project.status,
            recommended=bool(
                getattr(getattr(project, "evaluation", None), "recommend_replication", False)
            ),
        ),
    }


def project_commune_choices(reach: Reach, project: Project):
    """Communes a project's dossier may name: those the user enters today, and its own."""
    from areas.models import Unit

    return Unit.objects.filter(
        Q(pk__in=reach.today.communes(Capability.ENTER).values("pk"))
        | Q(pk__in=project.communes.values("pk"))
    ).order_by("name")
