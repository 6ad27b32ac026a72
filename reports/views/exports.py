"""The export page (pick a report, a round and an area) and the list pages' "download as shown".

Small aggregate tables download at once; lists become a job whose progress page (job_detail)
offers the file when it is ready. Scope is checked by the services: an area the user may not see
is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from indicators.selectors import dashboard_round, dashboard_rounds, owner_for

from ..exports import services
from ..exports.common import area_choices
from ..exports.registry import NOW, export_get, listed
from ..xlsx import CONTENT_TYPE


@login_required
@require_http_methods(["GET"])
def export_index(request):
    round_ = dashboard_round(request.GET.get("round"))
    context = {"rounds": dashboard_rounds(), "round": round_, "now": NOW}
    if round_ is not None:
        units, groups = area_choices(request.user, round_)
        try:
            owner, _scope = owner_for(request.user, round_)
            chosen = f"unit:{owner.unit.pk}" if owner.unit else f"group:{owner.group.pk}"
        except Http404:
            chosen = ""
        sections: dict = {}
        for export in listed():
            sections.setdefault(export.section, []).append(export)
        context.update(units=units, groups=groups, chosen=chosen, sections=sections)
    return render(request, "reports/export_index.html", context)


@login_required
@require_http_methods(["POST"])
def export_create(request):
    export = export_get(request.POST.get("report", ""))
    if not export.listed:
        raise Http404
    params = {"round": request.POST.get("round", ""), **_area(request.POST.get("area", ""))}
    if export.mode == NOW:
        content, name = services.export_now(by=request.user, report=export.key, params=params)
        return xlsx_response(content, name)
    job = services.export_start(by=request.user, report=export.key, params=params)
    return redirect("job_detail", pk=job.pk)


@login_required
@require_http_methods(["POST"])
def export_households_shown(request):
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    query.pop("page", None)
    if not query.get("round") and request.POST.get("round"):
        query["round"] = request.POST["round"]  # the round the page showed by default
    job = services.export_start(
        by=request.user, report="households_shown", params={"query": query.urlencode()}
    )
    return redirect("job_detail", pk=job.pk)


@login_required
@require_http_methods(["POST"])
def export_projects_shown(request):
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    query.pop("page", None)
    job = services.export_start(
        by=request.user, report="projects_shown", params={"query": query.urlencode()}
    )
    return redirect("job_detail", pk=job.pk)


def _area(value: str) -> dict:
    """'unit:12' / 'group:3' from the area field; blank: the widest area the user may see."""
    if not value:
        return {}
    kind, _sep, pk = value.partition(":")
    if kind not in ("unit", "group") or not pk.isdigit():
        raise Http404
    return {kind: pk}


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
