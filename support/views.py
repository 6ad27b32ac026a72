"""Household support pages: the commune list, the Excel list, and the officer's forms (helper,
visit, plan item, support record) reached from the household page's section."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.scope import Capability, request_scope
from households.selectors import household_get_for_user
from projects.views.common import add_errors, paginate

from . import exports, selectors, services
from .forms import (
    HelperEndForm,
    HelperForm,
    PlanItemForm,
    PlanStatusForm,
    SupportFilterForm,
    SupportRecordForm,
    VisitForm,
)
from .rules import needs_of

# --- lists ------------------------------------------------------------------------------------


@login_required
@require_GET
def support_index(request):
    """The first commune in the user's scope (the page has a menu to change commune)."""
    commune = selectors.support_communes(request_scope(request)).first()
    if commune is None:
        raise Http404
    return redirect("support_commune", pk=commune.pk)


@login_required
@require_GET
def support_commune(request, pk: int):
    scope = request_scope(request)
    commune = selectors.support_commune_get(scope, pk)
    round_ = selectors.support_round()
    filters = SupportFilterForm(request.GET or None)
    without = filters.cleaned_data["without"] if filters.is_valid() else ""
    context = {
        "commune": commune,
        "communes": selectors.support_communes(scope),
        "round": round_,
        "filters": filters,
        "without": without,
        "summary": None,
        "page": None,
    }
    if round_ is not None:
        counts = selectors.support_counts(round_, [commune.pk]).get(commune.pk)
        context["summary"] = counts
        context["page"] = paginate(
            request, selectors.support_rows(round_, commune, without=without)
        )
        context["kinds"] = selectors.support_by_kind(round_, [commune.pk])
    return render(request, "support/support_commune.html", context)


@login_required
@require_GET
def support_export(request, pk: int):
    scope = request_scope(request)
    commune = selectors.support_commune_get(scope, pk)
    return _xlsx(commune.label, [commune.pk], commune)


@login_required
@require_GET
def support_export_scope(request):
    """Every commune the user sees (a district group for district staff, the province for
    leaders)."""
    communes = list(selectors.support_communes(request_scope(request)))
    if not communes:
        raise Http404
    return _xlsx(_("các xã trong phạm vi"), [c.pk for c in communes], None)


def _xlsx(area: str, communes: list[int], commune) -> HttpResponse:
    round_ = selectors.support_round()
    if round_ is None:
        raise Http404
    content, name = exports.support_workbook(round_, communes, area=area, commune=commune)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the officer's forms ----------------------------------------------------------------------


def _household_for_entry(request, pk: int):
    scope = request_scope(request)
    household = household_get_for_user(scope, pk)
    if not scope.covers(household.commune, Capability.ENTER):
        raise PermissionDenied
    return household


def _back(household):
    return redirect(f"{reverse('household_detail', args=[household.pk])}#ho-tro")


def _page(request, household, title: str, form, **extra):
    return render(
        request,
        "support/support_form.html",
        {"household": household, "title": title, "form": form, **extra},
    )


def _refusal(household) -> str:
    try:
        services.require_helped(household)
    except ValidationError as error:
        return error.messages[0]
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def support_helper_add(request, pk: int):
    household = _household_for_entry(request, pk)
    form = HelperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.helper_assign(by=request.user, household=household, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã phân công người giúp đỡ hộ."))
            return _back(household)
    return _page(
        request,
        household,
        _("Phân công người giúp đỡ hộ"),
        form,
        refusal=_refusal(household),
    )


@login_required
@require_http_methods(["GET", "POST"])
def support_helper_end(request, pk: int):
    assignment = selectors.assignment_get_for_user(request_scope(request), pk)
    household = _household_for_entry(request, assignment.household_id)
    form = HelperEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.helper_end(by=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi ngày kết thúc giúp đỡ."))
            return _back(household)
    title = _("Kết thúc giúp đỡ: %(name)s") % {"name": assignment.helper_name}
    return _page(request, household, title, form)


@login_required
@require_http_methods(["GET", "POST"])
def support_visit_add(request, pk: int):
    assignment = selectors.assignment_get_for_user(request_scope(request), pk)
    household = _household_for_entry(request, assignment.household_id)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(by=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi lần thăm hộ."))
            return _back(household)
    title = _("Ghi lần thăm hộ của %(name)s") % {"name": assignment.helper_name}
    return _page(request, household, title, form)


@login_required
@require_http_methods(["GET", "POST"])
def support_plan_add(request, pk: int):
    household = _household_for_entry(request, pk)
    survey = selectors.household_latest_survey(household)
    form = PlanItemForm(
        request.POST or None,
        kinds=selectors.kinds_active(),
        needs=needs_of(survey.needs) if survey else [],
        initial={"need": request.GET.get("nhu-cau", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_add(by=request.user, household=household, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm mục kế hoạch hỗ trợ."))
            return _back(household)
    return _page(
        request, household, _("Thêm mục kế hoạch hỗ trợ"), form, refusal=_refusal(household)
    )


@login_required
@require_POST
def support_plan_status(request, pk: int):
    item = selectors.plan_item_get_for_user(request_scope(request), pk)
    household = _household_for_entry(request, item.household_id)
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        services.plan_item_set_status(by=request.user, item=item, **form.cleaned_data)
        messages.success(request, _("Đã cập nhật tình trạng mục kế hoạch."))
    else:
        messages.error(request, _("Chọn tình trạng của mục kế hoạch."))
    return _back(household)


@login_required
@require_http_methods(["GET", "POST"])
def support_record_add(request, pk: int):
    household = _household_for_entry(request, pk)
    form = SupportRecordForm(
        request.POST or None,
        kinds=selectors.kinds_active(),
        members=selectors.members_current(household),
        plan_items=selectors.plan_items_open(household),
        components=selectors.components_for_support(),
        initial={"plan_item": request.GET.get("ke-hoach")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.support_record(by=request.user, household=household, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi hỗ trợ hộ đã nhận."))
            return _back(household)
    refusal = "" if selectors.household_is_followed(household) else _refusal(household)
    return _page(request, household, _("Ghi hỗ trợ đã nhận"), form, refusal=refusal)
