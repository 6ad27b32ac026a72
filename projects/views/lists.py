"""Project list with filters and totals, the approval queue, the model register."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from areas.scope import Capability, request_reach

from .. import rollups
from ..choices import ProjectForm
from ..forms.filters import ProjectFilter
from ..selectors.projects import (
    project_list_for_user,
    project_queue_for_user,
    project_rows,
    project_totals,
)
from .common import paginate


@login_required
@require_GET
def project_list(request):
    reach = request_reach(request)
    units = reach.today.units().select_related("parent").order_by("path")
    filters = ProjectFilter(request.GET or None, queryset=project_list_for_user(reach), units=units)
    projects = filters.qs
    return render(
        request,
        "projects/project_list.html",
        {
            "filters": filters,
            "page": paginate(request, project_rows(projects)),
            "totals": project_totals(projects),
            "can_propose": reach.can(Capability.ENTER),
        },
    )


@login_required
@require_GET
def project_queue(request):
    reach = request_reach(request)
    projects = project_rows(project_queue_for_user(reach))
    return render(
        request,
        "projects/project_queue.html",
        {"page": paginate(request, projects), "can_review": reach.can(Capability.REVIEW)},
    )


@login_required
@require_GET
def model_register(request):
    reach = request_reach(request)
    models = project_list_for_user(reach).filter(form=ProjectForm.MODEL)
    rows = (
        project_rows(models)
        .select_related("evaluation", "replicated_from")
        .prefetch_related("replications")
        .order_by("-starts_on", "code")
    )
    return render(
        request,
        "projects/model_register.html",
        {"page": paginate(request, rows), "counts": rollups.models_by_commune_year(models)},
    )
