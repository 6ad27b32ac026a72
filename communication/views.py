"""Pages of communication activities (project 6) and their summary by unit and year."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.scope import request_reach
from projects.views.common import add_errors, paginate
from reports.xlsx import CONTENT_TYPE

from . import report, selectors, services
from .forms import ActivityFilter, ActivityForm, SummaryForm


@login_required
@require_GET
def activity_list(request):
    reach = request_reach(request)
    form = ActivityFilter(
        request.GET or None,
        kinds=selectors.kind_choices(),
        units=selectors.filter_units(reach.today),
    )
    activities = selectors.activity_list_for_user(reach)
    if form.is_valid():
        activities = selectors.filter_activities(activities, **form.cleaned_data)
    return render(
        request,
        "communication/activity_list.html",
        {
            "filters": form,
            "page": paginate(request, selectors.activity_rows(activities)),
            "totals": selectors.activity_totals(activities),
            "can_create": selectors.can_record(reach),
        },
    )


def _form(request, reach, activity=None, **kwargs):
    return ActivityForm(
        request.POST or None,
        kinds=selectors.kind_choices(activity),
        units=selectors.unit_choices(reach.today, activity),
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    reach = request_reach(request)
    if not selectors.can_record(reach):
        raise PermissionDenied
    form = _form(request, reach)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi hoạt động truyền thông."))
            return redirect("communication_detail", pk=activity.pk)
    return render(request, "communication/activity_form.html", {"form": form, "activity": None})


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    reach = request_reach(request)
    activity = selectors.activity_get_for_change(reach, pk)
    form = _form(request, reach, activity, initial=ActivityForm.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(by=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu hoạt động truyền thông."))
            return redirect("communication_detail", pk=activity.pk)
    return render(request, "communication/activity_form.html", {"form": form, "activity": activity})


@login_required
@require_GET
def activity_detail(request, pk: int):
    reach = request_reach(request)
    activity = selectors.activity_get_for_user(reach, pk)
    return render(
        request,
        "communication/activity_detail.html",
        {"activity": activity, "can_manage": selectors.activity_can_manage(reach, activity)},
    )


@login_required
@require_POST
def activity_delete(request, pk: int):
    reach = request_reach(request)
    activity = selectors.activity_get_for_change(reach, pk)
    services.activity_delete(by=request.user, activity=activity)
    messages.success(request, _("Đã xóa hoạt động truyền thông."))
    return redirect("communication_list")


@login_required
@require_GET
def activity_summary(request):
    """The summary of a year and an area by unit; with ``download=xlsx`` the same as a workbook."""
    reach = request_reach(request)
    form = SummaryForm(request.GET or None, units=selectors.filter_units(reach.today))
    data = None
    if form.is_valid():
        year, unit = form.cleaned_data["year"], form.cleaned_data["unit"]
        data = report.gather(reach, year, unit)
        if request.GET.get("download") == "xlsx":
            out = io.BytesIO()
            report.write(reach, year, unit, out, data=data)
            response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{report.name(year, unit)}"'
            return response
    return render(request, "communication/summary.html", {"form": form, "data": data})
