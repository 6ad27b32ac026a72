"""The fund's pages: the list of contributions, new/edit, a contribution with its uses, the
public-style summary of a year and its Excel file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.scope import request_reach
from projects.views.common import add_errors, paginate

from . import selectors, services
from .forms import ContributionForm, FilterForm, SummaryForm, UseForm
from .report import summary_workbook

FIELDS = (
    "received_on",
    "donor_name",
    "donor_kind",
    "anonymous",
    "cash_amount",
    "in_kind",
    "in_kind_value",
    "purpose",
    "purpose_kind",
    "reference",
    "note",
)


def _years(rows) -> list[int]:
    """Every year since the program's first (an empty year is a fine answer), and any later."""
    this = timezone.localdate().year
    return sorted({*selectors.years(rows), *range(services.FIRST_YEAR, this + 1)}, reverse=True)


@login_required
@require_GET
def contribution_list(request):
    reach = request_reach(request)
    rows = selectors.contribution_list_for_user(reach)
    years = _years(rows)
    filters = FilterForm(request.GET or None, years=years, units=selectors.fund_units(rows))
    data = filters.cleaned_data if filters.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    shown = selectors.in_year(rows, year)
    if data.get("donor_kind"):
        shown = shown.filter(donor_kind=data["donor_kind"])
    if data.get("unit"):
        shown = selectors.under(shown, data["unit"])
    return render(
        request,
        "contributions/contribution_list.html",
        {
            "filters": filters,
            "year": year,
            "page": paginate(request, selectors.contribution_rows(shown)),
            "total": selectors.totals(shown),
            "used": selectors.used(shown),
            "can_create": selectors.unit_choices(reach, reach.day).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_create(request):
    reach = request_reach(request)
    units = selectors.unit_choices(reach, reach.day)
    if not units.exists():
        raise PermissionDenied
    form = ContributionForm(
        request.POST or None,
        initial={"received_on": timezone.localdate()},
        units=units,
        kinds=selectors.kinds(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            contribution = services.contribution_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận đóng góp."))
            return redirect("contributions_detail", pk=contribution.pk)
    return render(
        request, "contributions/contribution_form.html", {"form": form, "contribution": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit(request, pk: int):
    reach = request_reach(request)
    contribution = selectors.contribution_get_for_user(reach, pk)
    if not services.contribution_can_edit(reach, contribution):
        raise PermissionDenied
    initial = {f: getattr(contribution, f) for f in FIELDS}
    form = ContributionForm(request.POST or None, initial=initial, kinds=selectors.kinds())
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_update(
                by=request.user, contribution=contribution, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu đóng góp."))
            return redirect("contributions_detail", pk=contribution.pk)
    return render(
        request,
        "contributions/contribution_form.html",
        {"form": form, "contribution": contribution},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_detail(request, pk: int):
    """The contribution, what it paid for and what is left; POST: a new use."""
    reach = request_reach(request)
    contribution = selectors.contribution_get_for_user(reach, pk)
    can_edit = services.contribution_can_edit(reach, contribution)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = None
    if can_edit:
        form = UseForm(
            request.POST or None,
            initial={"used_on": timezone.localdate()},
            communes=selectors.commune_choices(contribution),
            records=selectors.support_record_choices(reach, contribution),
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.use_create(by=request.user, contribution=contribution, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi việc sử dụng đóng góp."))
            return redirect("contributions_detail", pk=contribution.pk)
    uses = selectors.uses_of(contribution)
    return render(
        request,
        "contributions/contribution_detail.html",
        {
            "contribution": contribution,
            "uses": uses,
            "visible": selectors.visible_households(reach, uses),
            "left": contribution.value - contribution.used,
            "can_edit": can_edit,
            "form": form,
        },
    )


@login_required
@require_POST
def use_delete(request, pk: int):
    reach = request_reach(request)
    use = selectors.use_get_for_user(reach, pk)
    if not services.contribution_can_edit(reach, use.contribution):
        raise PermissionDenied
    services.use_delete(by=request.user, use=use)
    messages.success(request, _("Đã xoá một lần sử dụng đóng góp."))
    return redirect("contributions_detail", pk=use.contribution_id)


def _summary(request):
    reach = request_reach(request)
    rows = selectors.contribution_list_for_user(reach)
    form = SummaryForm(
        request.GET or None, years=_years(rows), units=selectors.summary_units(reach)
    )
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    area = data.get("unit")
    shown = selectors.in_year(rows, year)
    if area:
        shown = selectors.under(shown, area)
    return form, selectors.summary(shown, year=year, area=area)


@login_required
@require_GET
def summary(request):
    form, summary = _summary(request)
    return render(request, "contributions/summary.html", {"form": form, "summary": summary})


@login_required
@require_GET
def summary_export(request):
    _form, summary = _summary(request)
    response = HttpResponse(
        summary_workbook(summary),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="quy-vi-nguoi-ngheo-{summary.year}.xlsx"'
    )
    return response
