"""Dashboards (stored values only), target editing, and full-recompute progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.scope import Capability, request_scope
from areas.services import NEW_TREE_FROM
from households.selectors import round_get

from . import dashboard as pages
from . import selectors, services
from .freshness import dashboard_rounds_with_freshness, values_version
from .outbox import waiting

FRESH_FOR = 24 * 60 * 60  # seconds a browser keeps the chart data or the map at a versioned URL


def _dashboard_target(request):
    """(round, owner, scope, rounds, version) after the scope check; (None, ...) without rounds.
    A handful of indexed queries, none over households: the rounds with their freshness, the
    user's assignments, the unit or group asked for."""
    rounds = dashboard_rounds_with_freshness()
    round_ = selectors.dashboard_round(request.GET.get("round"), rounds)
    if round_ is None:
        return None, None, None, rounds, None
    owner, scope = selectors.owner_for(
        request.user, round_, unit_pk=request.GET.get("unit"), group_pk=request.GET.get("group")
    )
    return round_, owner, scope, rounds, values_version(rounds)


def _conditional(request, key: str, build, content_type: str) -> HttpResponse:
    """A 304 when the client holds the current version, else the (cached) content. Never kept
    by shared caches (private). At the URL the page gives (its ``v`` names this very content)
    the browser may keep it for a day: a rollup changes the page's URL; at any other URL it
    must revalidate (no-cache)."""
    tag = pages.etag(key)
    response = get_conditional_response(request, etag=tag)
    if response is None:
        response = HttpResponse(build(), content_type=content_type)
    response["ETag"] = tag
    if request.GET.get("v") == tag.strip('"'):
        patch_cache_control(response, private=True, max_age=FRESH_FOR)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_http_methods(["GET"])
def dashboard(request):
    round_, owner, scope, rounds, version = _dashboard_target(request)
    if round_ is None:
        return render(request, "indicators/dashboard_empty.html")
    context = {
        "round": round_,
        "rounds": rounds,
        "owner": owner,
        "area_field": [owner.asked_query.split("=")],
        "data": pages.page_data(round_, owner, scope, rounds, version),
        "can_recompute": request_scope(request).can(Capability.ADMINISTER),
        "waiting": waiting(round_),  # not cached: the outbox changes between rollups
    }
    return render(request, "indicators/dashboard.html", context)


@login_required
@require_http_methods(["GET"])
def dashboard_charts(request):
    """The charts' data (JSON), loaded after the page; 304 when unchanged."""
    round_, owner, scope, rounds, version = _dashboard_target(request)
    if round_ is None:
        raise Http404
    key = pages.cache_key("page", round_, owner, scope, version)
    return _conditional(
        request,
        key,
        lambda: pages.page_data(round_, owner, scope, rounds, version)["charts"],
        "application/json",
    )


@login_required
@require_http_methods(["GET"])
def dashboard_map(request):
    """The commune map, loaded after the page (it weighs a few hundred kB); 304 when unchanged.
    The boundaries are the 2025 communes', so old-tree rounds have no map (their codes meant
    other communes)."""
    round_, owner, scope, _rounds, version = _dashboard_target(request)
    if round_ is None or round_.reference_date < NEW_TREE_FROM:
        return HttpResponse("")
    key = pages.cache_key("map", round_, owner, scope, version)
    return _conditional(
        request,
        key,
        lambda: pages.map_svg(round_, owner, scope, version),
        "text/html; charset=utf-8",
    )


@login_required
@require_http_methods(["POST"])
def recompute(request, round_pk: int):
    if not request_scope(request).can(Capability.ADMINISTER):
        raise PermissionDenied
    run = services.rollup_start(round_=round_get(round_pk), by=request.user)
    messages.info(request, _("Đã bắt đầu tính lại số liệu."))
    return redirect("rollup_run", pk=run.pk)


@login_required
@require_http_methods(["GET"])
def rollup_run(request, pk: int):
    if not request_scope(request).can(Capability.ADMINISTER):
        raise PermissionDenied
    run = selectors.rollup_run_get(pk)
    template = (
        "indicators/_run_progress.html"
        if request.headers.get("HX-Request")
        else ("indicators/rollup_run.html")
    )
    back = reverse("dashboard") + f"?round={run.round_id}"
    return render(request, template, {"run": run, "back": back})
