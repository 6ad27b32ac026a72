"""Dashboards (stored values only), target editing, and full-recompute progress."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.scope import Capability, request_scope
from areas.services import NEW_TREE_FROM
from households.selectors import round_get
from reports.exports.common import area_choices
from reports.xlsx import CONTENT_TYPE

from . import analysis, analysis_xlsx, selectors, services
from . import dashboard as pages
from .forms import AnalysisForm, SaveAnalysisForm, SavedAnalysisForm
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


# --- the analysis page ---------------------------------------------------------------------------


def _analyst(request) -> None:
    """Leaders, administrators and district staff; commune officers get a 403."""
    if not analysis.can_analyse(request_scope(request)):
        raise PermissionDenied


def _choices() -> dict:
    return {"indicators": analysis.catalog_indicators(), "rounds": analysis.periodic_rounds()}


def _analysis(request, data: QueryDict, choices: dict):
    """(form, spec, table, problem): the analysis the query asks for, or the default one for an
    empty query; a form with errors has no table."""
    form = AnalysisForm(data or None, **choices)
    if form.is_bound:
        spec = form.spec() if form.is_valid() else None
    else:
        spec = analysis.default_spec(choices["rounds"], choices["indicators"])
        if spec is not None:
            form = AnalysisForm(initial=_initial(spec), **choices)
    table = problem = None
    if spec is not None:
        try:
            table = analysis.analysis_build(request.user, spec)
        except analysis.AnalysisError as error:
            problem = str(error)
    return form, spec, table, problem


def _initial(spec) -> dict:
    return {
        "indicators": list(spec.codes),
        "rows": spec.rows,
        "columns": spec.columns,
        "rounds": [str(r.pk) for r in spec.rounds],
    }


def _analysis_page(request, data: QueryDict, *, save_form=None):
    choices = _choices()
    if not choices["rounds"]:
        return render(request, "indicators/dashboard_empty.html")
    form, spec, table, problem = _analysis(request, data, choices)
    reference = spec.rounds[0] if spec else choices["rounds"][0]
    units, groups = area_choices(request.user, reference)
    area = ""
    if table is not None:
        owner = table.owner
        area = f"unit:{owner.unit.pk}" if owner.unit else f"group:{owner.group.pk}"
    query = table.spec.query() if table is not None else ""
    if save_form is None:
        save_form = SaveAnalysisForm(initial={"query": query}, **choices)
    context = {
        "form": form,
        "table": table,
        "problem": problem,
        "area": area,
        "area_units": units,
        "area_groups": groups,
        "query": query,
        "chart": table.chart() if table is not None else None,
        "save_form": save_form,
        "saved": selectors.saved_analysis_list_for_user(request.user),
    }
    return render(request, "indicators/analysis.html", context)


@login_required
@require_http_methods(["GET"])
def analysis_page(request):
    _analyst(request)
    return _analysis_page(request, request.GET)


@login_required
@require_http_methods(["GET"])
def analysis_download(request):
    """The page's table as xlsx; a query with errors goes back to the page, which shows them."""
    _analyst(request)
    _form, _spec, table, _problem = _analysis(request, request.GET, _choices())
    if table is None:
        return redirect(reverse("analysis") + "?" + request.GET.urlencode())
    out = io.BytesIO()
    analysis_xlsx.write(table, out)
    response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{analysis_xlsx.name(table)}"'
    return response


@login_required
@require_http_methods(["POST"])
def analysis_save(request):
    _analyst(request)
    choices = _choices()
    form = SaveAnalysisForm(request.POST, **choices)
    if not form.is_valid():
        return _analysis_page(request, QueryDict(request.POST.get("query", "")), save_form=form)
    saved = services.saved_analysis_create(
        by=request.user,
        name=form.cleaned_data["name"],
        query=form.cleaned_data["query"],
        pinned=form.cleaned_data["pinned"],
    )
    messages.success(request, _("Đã lưu phân tích “%(name)s”.") % {"name": saved.name})
    return redirect(reverse("analysis") + "?" + saved.query)


@login_required
@require_http_methods(["GET", "POST"])
def analysis_saved_edit(request, pk: int):
    _analyst(request)
    saved = selectors.saved_analysis_get_for_user(request.user, pk)
    form = SavedAnalysisForm(request.POST or None, instance=saved)
    if request.method == "POST" and form.is_valid():
        services.saved_analysis_update(
            by=request.user,
            analysis=saved,
            name=form.cleaned_data["name"],
            pinned=form.cleaned_data["pinned"],
        )
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect(reverse("analysis") + "?" + saved.query)
    return render(request, "indicators/analysis_saved_edit.html", {"form": form, "saved": saved})


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("analysis")


@login_required
@require_http_methods(["POST"])
def analysis_saved_pin(request, pk: int):
    """Pin (pinned=1) or unpin (anything else) one's own saved analysis."""
    _analyst(request)
    saved = selectors.saved_analysis_get_for_user(request.user, pk)
    services.saved_analysis_pin(
        by=request.user, analysis=saved, pinned=request.POST.get("pinned") == "1"
    )
    return redirect(_back(request))


@login_required
@require_http_methods(["POST"])
def analysis_saved_delete(request, pk: int):
    _analyst(request)
    saved = selectors.saved_analysis_get_for_user(request.user, pk)
    services.saved_analysis_delete(by=request.user, analysis=saved)
    messages.success(request, _("Đã xóa phân tích “%(name)s”.") % {"name": saved.name})
    return redirect(_back(request))
