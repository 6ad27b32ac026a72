"""Dashboards (stored values only), target editing, and full-recompute progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.scope import Capability, request_scope
from areas.services import NEW_TREE_FROM
from households.selectors import round_get

from . import selectors, services
from .charts import dashboard_charts
from .maps import choropleth_svg
from .models import RollupRun

HEADLINE = ["households", "poor_households", "poor_rate", "poor_rate_reduction",
            "near_poor_households", "near_poor_rate", "multidim_rate", "em_poor_rate",
            "em_poor_rate_reduction", "persons", "poor_persons"]  # fmt: skip
BREAKDOWN = ["households", "poor_households", "poor_rate", "poor_rate_reduction", "near_poor_rate"]
TREND = ["poor_rate", "near_poor_rate", "multidim_rate"]


@login_required
@require_http_methods(["GET"])
def dashboard(request):
    round_ = selectors.dashboard_round(request.GET.get("round"))
    if round_ is None:
        return render(request, "indicators/dashboard_empty.html")
    owner, scope = selectors.owner_for(
        request.user, round_, unit_pk=request.GET.get("unit"), group_pk=request.GET.get("group")
    )
    values = selectors.values_for(round_, owner)
    context = {
        "round": round_,
        "rounds": selectors.dashboard_rounds(),
        "owner": owner,
        "values": values,
        "headline": [values[c] for c in HEADLINE if c in values],
        "freshness": selectors.freshness(round_),
        "targets": selectors.target_rows(round_, scope),
        "breakdown": selectors.breakdown(round_, owner, BREAKDOWN),
        "trend": selectors.trend(request.user, owner, TREND),
        "profile": selectors.deprivation_profile(round_, values),
        "flow": selectors.transition_flow(values),
        "program": [v for v in values.values() if v.indicator.group == "program"],
        "can_recompute": request_scope(request).can(Capability.ADMINISTER),
        "show_map": round_.reference_date >= NEW_TREE_FROM,
    }
    context.update(dashboard_charts(context, round_, owner))
    return render(request, "indicators/dashboard.html", context)


@login_required
@require_http_methods(["GET"])
def dashboard_map(request):
    """The commune map, loaded after the page (it weighs a few hundred kB). The boundaries are
    the 2025 communes', so old-tree rounds have no map (their codes meant other communes)."""
    round_ = selectors.dashboard_round(request.GET.get("round"))
    if round_ is None or round_.reference_date < NEW_TREE_FROM:
        return HttpResponse("")
    owner, _scope = selectors.owner_for(
        request.user, round_, unit_pk=request.GET.get("unit"), group_pk=request.GET.get("group")
    )
    rows = selectors.commune_values(round_, owner, "poor_rate")
    base = reverse("dashboard") + f"?round={round_.pk}&unit="
    svg = choropleth_svg(
        {code: value for code, (_pk, value) in rows.items()},
        title=_("Tỷ lệ hộ nghèo theo xã: %(owner)s") % {"owner": owner.label},
        legend_title=_("Tỷ lệ hộ nghèo (%)"),
        link=lambda code: f"{base}{rows[code][0]}" if code in rows else None,
    )
    return HttpResponse(svg)


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
    run = get_object_or_404(RollupRun.objects.select_related("round"), pk=pk)
    template = (
        "indicators/_run_progress.html"
        if request.headers.get("HX-Request")
        else ("indicators/rollup_run.html")
    )
    back = reverse("dashboard") + f"?round={run.round_id}"
    return render(request, template, {"run": run, "back": back})
