"""The funds' pages: plan lines (list, new, edit, detail with allocations), an allocation with
its disbursements, the disbursement summary and its Excel report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.scope import Capability, request_reach
from projects.views.common import add_errors, paginate

from . import selectors, services
from .forms import (
    AllocationEditForm,
    AllocationForm,
    DisbursementForm,
    PlanEditForm,
    PlanFilterForm,
    PlanForm,
    YearForm,
)
from .report import disbursement_workbook


def _year(request, plans) -> tuple[int, list[int]]:
    years = selectors.plan_years(plans)
    this = timezone.localdate().year
    if this not in years:
        years = sorted({*years, this}, reverse=True)
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return year or this, years


@login_required
@require_GET
def plan_list(request):
    reach = request_reach(request)
    plans = selectors.plan_list_for_user(reach)
    year, years = _year(request, plans)
    filters = PlanFilterForm(
        request.GET or None,
        initial={"year": year},
        years=years,
        components=selectors.plan_components(plans),
        units=selectors.plan_units(plans),
    )
    shown = plans.filter(year=year)
    if filters.is_valid():
        for field in ("component", "source", "unit"):
            if filters.cleaned_data.get(field):
                shown = shown.filter(**{field: filters.cleaned_data[field]})
    rows = selectors.plan_rows(shown)
    return render(
        request,
        "finance/plan_list.html",
        {
            "filters": filters,
            "year": year,
            "page": paginate(request, rows),
            "total": selectors.funds_total(selectors.funds_by(shown, "source")),
            "elsewhere": selectors.allocations_elsewhere(reach, plans).filter(plan__year=year),
            "can_create": reach.can(Capability.ADMINISTER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    reach = request_reach(request)
    if not reach.can(Capability.ADMINISTER):
        raise PermissionDenied
    form = PlanForm(
        request.POST or None,
        initial={"year": timezone.localdate().year},
        components=selectors.component_choices(),
        units=selectors.plan_unit_choices(reach),
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm dòng kế hoạch vốn."))
            return redirect("finance_plan_detail", pk=plan.pk)
    return render(request, "finance/plan_form.html", {"form": form, "plan": None})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    reach = request_reach(request)
    plan = selectors.plan_get_for_user(reach, pk)
    if not services.plan_can_manage(reach, plan):
        raise PermissionDenied
    initial = {f: getattr(plan, f) for f in ("amount", "carried_over", "decision_ref", "note")}
    form = PlanEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(by=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu kế hoạch vốn."))
            return redirect("finance_plan_detail", pk=plan.pk)
    return render(request, "finance/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk: int):
    """The plan line, its allocations and what is left; POST: a new allocation."""
    reach = request_reach(request)
    plan = selectors.plan_get_for_user(reach, pk)
    can_allocate = services.plan_can_allocate(reach, plan)
    if request.method == "POST" and not can_allocate:
        raise PermissionDenied
    form = None
    if can_allocate:
        form = AllocationForm(
            request.POST or None,
            communes=selectors.commune_choices(plan),
            projects=selectors.project_choices(reach, plan),
        )
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.allocation_create(by=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã phân bổ vốn."))
            return redirect("finance_allocation_detail", pk=allocation.pk)
    return render(
        request,
        "finance/plan_detail.html",
        {
            "plan": plan,
            "allocations": selectors.plan_allocations_for_user(reach, plan),
            "remaining": plan.total - plan.allocated,
            "form": form,
            "can_manage": services.plan_can_manage(reach, plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocation_detail(request, pk: int):
    """An allocation and its disbursements; POST: a new disbursement."""
    reach = request_reach(request)
    allocation = selectors.allocation_get_for_user(reach, pk)
    can_disburse = services.allocation_can_disburse(reach, allocation)
    if request.method == "POST" and not can_disburse:
        raise PermissionDenied
    form = DisbursementForm(request.POST or None) if can_disburse else None
    if request.method == "POST" and form.is_valid():
        try:
            services.disbursement_create(
                by=request.user, allocation=allocation, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận giải ngân."))
            return redirect("finance_allocation_detail", pk=allocation.pk)
    return render(
        request,
        "finance/allocation_detail.html",
        {
            "allocation": allocation,
            "plan": allocation.plan,
            "communes": services.allocation_communes(allocation),
            "disbursements": selectors.disbursements_of(allocation),
            "remaining": allocation.amount - allocation.disbursed,
            "form": form,
            "can_change": services.plan_can_allocate(reach, allocation.plan),
            "can_see_plan": selectors.plan_list_for_user(reach)
            .filter(pk=allocation.plan_id)
            .exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocation_edit(request, pk: int):
    reach = request_reach(request)
    allocation = selectors.allocation_get_for_user(reach, pk)
    if not services.plan_can_allocate(reach, allocation.plan):
        raise PermissionDenied
    initial = {
        f: getattr(allocation, f) for f in ("amount", "allocated_on", "decision_ref", "note")
    }
    form = AllocationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_update(by=request.user, allocation=allocation, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu phân bổ vốn."))
            return redirect("finance_allocation_detail", pk=allocation.pk)
    return render(request, "finance/allocation_form.html", {"form": form, "allocation": allocation})


@login_required
@require_POST
def allocation_delete(request, pk: int):
    reach = request_reach(request)
    allocation = selectors.allocation_get_for_user(reach, pk)
    if not services.plan_can_allocate(reach, allocation.plan):
        raise PermissionDenied
    try:
        services.allocation_delete(by=request.user, allocation=allocation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("finance_allocation_detail", pk=allocation.pk)
    messages.success(request, _("Đã xoá phân bổ vốn."))
    return redirect("finance_plan_detail", pk=allocation.plan_id)


@login_required
@require_POST
def disbursement_delete(request, pk: int):
    reach = request_reach(request)
    disbursement = selectors.disbursement_get_for_user(reach, pk)
    if not services.allocation_can_disburse(reach, disbursement.allocation):
        raise PermissionDenied
    services.disbursement_delete(by=request.user, disbursement=disbursement)
    messages.success(request, _("Đã xoá khoản giải ngân."))
    return redirect("finance_allocation_detail", pk=disbursement.allocation_id)


@login_required
@require_GET
def summary(request):
    """Disbursement rate by unit, by project/sub-project and by source, for a year."""
    reach = request_reach(request)
    plans = selectors.plan_list_for_user(reach)
    year, years = _year(request, plans)
    return render(
        request,
        "finance/summary.html",
        {
            "year": year,
            "years": YearForm(initial={"year": year}, years=years),
            **selectors.funds_summary(plans.filter(year=year)),
        },
    )


@login_required
@require_GET
def summary_export(request):
    """ "Báo cáo giải ngân vốn": the Excel report of the summary's year, in the user's scope."""
    reach = request_reach(request)
    plans = selectors.plan_list_for_user(reach)
    year, _years = _year(request, plans)
    content = disbursement_workbook(plans.filter(year=year), year)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="giai-ngan-von-{year}.xlsx"'
    return response
