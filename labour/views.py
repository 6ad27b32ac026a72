"""Project 4 (labour) pages: training needs per commune (with the Excel summary), job fairs with
their hires, and the placement summary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from areas.scope import Capability, request_reach, request_scope
from projects.views.common import add_errors, paginate

from . import exports, selectors, services
from .forms import (
    FairFilterForm,
    FairForm,
    HireForm,
    NeedFilterForm,
    NeedForm,
    PlacementFilterForm,
)
from .models import Level, Where

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- training needs ---------------------------------------------------------------------------


@login_required
@require_GET
def labour_index(request):
    """The first commune in the user's scope (the page has a menu to change commune)."""
    commune = selectors.labour_communes(request_scope(request)).first()
    if commune is None:
        raise Http404
    return redirect("labour_needs", pk=commune.pk)


@login_required
@require_GET
def labour_needs(request, pk: int):
    scope = request_scope(request)
    commune = selectors.labour_commune_get(scope, pk)
    trades = selectors.trades()
    filters = NeedFilterForm(request.GET or None, trades=trades)
    data = filters.cleaned_data if filters.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    wants = {"yes": True, "no": False}.get(data.get("wants_job") or "")
    rows = selectors.need_rows(
        commune, year, trade=data.get("trade"), where=data.get("where") or "", wants_job=wants
    )
    where = dict(Where.choices)
    by_where = [
        {"label": where.get(r["where"], r["where"]), "n": r["n"]}
        for r in selectors.need_counts(rows, "where")
    ]
    context = {
        "commune": commune,
        "communes": selectors.labour_communes(scope),
        "filters": filters,
        "year": year,
        "page": paginate(request, rows),
        "total": rows.count(),
        "by_trade": selectors.need_counts(rows, "trade__order", "trade__name"),
        "by_where": by_where,
        "can_enter": scope.covers(commune, Capability.ENTER),
    }
    return render(request, "labour/needs.html", context)


@login_required
@require_GET
def labour_needs_export(request, pk: int):
    scope = request_scope(request)
    commune = selectors.labour_commune_get(scope, pk)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    content, name = exports.needs_workbook([commune.pk], year, area=commune.label, commune=commune)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def labour_need_add(request, pk: int):
    scope = request_scope(request)
    commune = selectors.labour_commune_get(scope, pk)
    if not scope.covers(commune, Capability.ENTER):
        raise PermissionDenied
    today = timezone.localdate()
    form = NeedForm(
        request.POST or None,
        initial={"surveyed_on": today, "wants_job": True, "level": Level.ELEMENTARY},
        workers=selectors.eligible_workers(commune, today),
        trades=selectors.trades(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_record(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(
                request, _("Đã ghi nhu cầu đào tạo của %(name)s.") % {"name": need.member}
            )
            return redirect("labour_needs", pk=commune.pk)
    return render(request, "labour/need_form.html", {"commune": commune, "form": form})


# --- job fairs --------------------------------------------------------------------------------


@login_required
@require_GET
def job_fair_list(request):
    reach = request_reach(request)
    filters = FairFilterForm(request.GET or None)
    year = filters.cleaned_data.get("year") if filters.is_valid() else None
    fairs = selectors.fair_rows(selectors.fair_list_for_user(reach), year)
    context = {
        "filters": filters,
        "page": paginate(request, fairs),
        "can_create": selectors.fair_units(reach.today).exists(),
    }
    return render(request, "labour/fair_list.html", context)


def _fair_form_page(request, form, fair=None):
    return render(request, "labour/fair_form.html", {"form": form, "fair": fair})


@login_required
@require_http_methods(["GET", "POST"])
def job_fair_create(request):
    units = selectors.fair_units(request_scope(request))
    if not units.exists():
        raise PermissionDenied
    form = FairForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            fair = services.fair_create(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Đã ghi phiên giao dịch việc làm."))
            return redirect("job_fair_detail", pk=fair.pk)
    return _fair_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def job_fair_edit(request, pk: int):
    reach = request_reach(request)
    fair = selectors.fair_get_for_user(reach, pk)
    if not selectors.fair_can_manage(reach, fair):
        raise PermissionDenied
    units = selectors.fair_units(reach.today).filter(pk=fair.unit_id)
    initial = {f: getattr(fair, f) for f in services.FAIR_FIELDS} | {"unit": fair.unit}
    form = FairForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        try:
            services.fair_update(by=request.user, fair=fair, **fields)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Đã lưu phiên giao dịch việc làm."))
            return redirect("job_fair_detail", pk=fair.pk)
    return _fair_form_page(request, form, fair)


@login_required
@require_GET
def job_fair_detail(request, pk: int):
    reach = request_reach(request)
    fair = selectors.fair_get_for_user(reach, pk)
    can_manage = selectors.fair_can_manage(reach, fair)
    context = {
        "fair": fair,
        "hires": selectors.fair_hires(fair),
        "can_manage": can_manage,
        "can_hire": can_manage and reach.today.can(Capability.ENTER),
    }
    return render(request, "labour/fair_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def job_fair_hire_add(request, pk: int):
    reach = request_reach(request)
    fair = selectors.fair_get_for_user(reach, pk)
    if not selectors.fair_can_manage(reach, fair) or not reach.today.can(Capability.ENTER):
        raise PermissionDenied
    form = HireForm(
        request.POST or None,
        initial={"starts_on": fair.held_on},
        workers=selectors.hire_candidates(reach.today, fair),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.fair_hire_add(by=request.user, fair=fair, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Đã ghi người được tuyển dụng qua phiên."))
            return redirect("job_fair_detail", pk=fair.pk)
    return render(request, "labour/hire_form.html", {"fair": fair, "form": form})


# --- placements -------------------------------------------------------------------------------


@login_required
@require_GET
def labour_placements(request):
    scope = request_scope(request)
    units = selectors.placement_units(scope)
    filters = PlacementFilterForm(request.GET or None, units=units)
    data = filters.cleaned_data if filters.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    unit = data.get("unit") or units.first()
    rows = selectors.placement_summary(scope, unit, year) if unit is not None else []
    totals = {key: sum(r[key] for r in rows) for key in ("total", "abroad", "sustainable", "fairs")}
    context = {"filters": filters, "year": year, "unit": unit, "rows": rows, "totals": totals}
    return render(request, "labour/placements.html", context)
