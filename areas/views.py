from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_GET

from .forms import UnitSearchForm
from .models import Level
from .scope import ROLE_CAPABILITIES, request_scope, user_scope
from .selectors import (
    assignment_list_for_user,
    unit_get_for_user,
    unit_groups_for_unit,
    unit_list_for_user,
)

PAGE_SIZE = 50


@login_required
@require_GET
def home(request):
    scope = request_scope(request)
    assignments = assignment_list_for_user(request.user, scope.day)
    capabilities = (
        set().union(*(ROLE_CAPABILITIES[r] for r in scope.roles)) if scope.roles else set()
    )
    from indicators.selectors import saved_analysis_list_for_user
    from povertyportal.todo import for_request

    return render(
        request,
        "areas/home.html",
        {
            "assignments": assignments,
            "capabilities": capabilities,
            "commune_count": scope.communes().count(),
            "todo": for_request(request),
            "pinned_analyses": saved_analysis_list_for_user(request.user, pinned_only=True),
        },
    )


@login_required
@require_GET
def unit_list(request):
    form = UnitSearchForm(request.GET or None)
    day = None
    search = level = ""
    if form.is_valid():
        day = form.cleaned_data["day"]
        search = form.cleaned_data["q"]
        level = form.cleaned_data["level"]
    scope = user_scope(request.user, day) if day else request_scope(request)
    units = unit_list_for_user(scope, search=search, level=level)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "areas/unit_list.html",
        {"form": form, "page": page, "day": scope.day, "levels": Level},
    )


@login_required
@require_GET
def unit_detail(request, pk: int):
    today = timezone.localdate()
    unit = unit_get_for_user(request.user, pk, today)
    day = unit.valid_to if unit.valid_to and unit.valid_to < today else today
    return render(
        request,
        "areas/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": unit.children.order_by("code"),
            "predecessors": unit.predecessions.select_related("old", "old__parent"),
            "successors": unit.successions.select_related("new"),
            "groups": unit_groups_for_unit(unit),
            "as_of": day,
            "historic": day != today,
        },
    )


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    """Rendered without the request: no context processor, no session, no user, so that the
    page shows even when the database is what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())
