"""Pages of inspection, check and supervision visits and their recommendations."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.scope import Capability, request_reach, request_scope
from projects.views.common import add_errors, paginate
from reports.xlsx import CONTENT_TYPE

from . import report, selectors, services
from .forms import (
    FileForm,
    NoteForm,
    RecommendationFilter,
    RecommendationForm,
    ReportForm,
    VisitFilter,
    VisitForm,
)


@login_required
@require_GET
def visit_list(request):
    reach = request_reach(request)
    form = VisitFilter(request.GET or None, units=selectors.commune_units(reach.today))
    visits = selectors.visit_list_for_user(reach)
    if form.is_valid():
        data = form.cleaned_data
        if data["year"]:
            visits = visits.filter(held_on__year=data["year"])
        if data["kind"]:
            visits = visits.filter(kind=data["kind"])
        if data["status"]:
            visits = visits.filter(status=data["status"])
        if data["unit"]:
            visits = selectors.visits_under(visits, data["unit"])
    return render(
        request,
        "monitoring/visit_list.html",
        {
            "filters": form,
            "page": paginate(request, selectors.visit_rows(visits)),
            "can_create": reach.can(Capability.REVIEW),
        },
    )


def _visit_form(request, reach, visit=None, **kwargs):
    """The communes and projects under the user's REVIEW today, and the visit's own (a visit of
    communes of the old tree keeps them)."""
    return VisitForm(
        request.POST or None,
        communes=selectors.commune_choices(reach.today, visit),
        projects=selectors.project_choices(reach.today, visit),
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request):
    reach = request_reach(request)
    if not reach.can(Capability.REVIEW):
        raise PermissionDenied
    form = _visit_form(request, reach)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi đợt kiểm tra, giám sát. Thêm kiến nghị, tệp."))
            return redirect("visit_detail", pk=visit.pk)
    return render(request, "monitoring/visit_form.html", {"form": form, "visit": None})


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk: int):
    reach = request_reach(request)
    visit = selectors.visit_get_for_change(reach, pk)
    form = _visit_form(request, reach, visit, initial=VisitForm.initial_for(visit))
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(by=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu đợt kiểm tra, giám sát."))
            return redirect("visit_detail", pk=visit.pk)
    return render(request, "monitoring/visit_form.html", {"form": form, "visit": visit})


@login_required
@require_GET
def visit_detail(request, pk: int):
    reach = request_reach(request)
    visit = selectors.visit_get_for_user(reach, pk)
    return render(
        request,
        "monitoring/visit_detail.html",
        {
            "visit": visit,
            "units": selectors.visit_units(visit),
            "recommendations": selectors.visit_recommendations(visit),
            "files": selectors.visit_files(visit),
            "can_manage": selectors.visit_can_manage(reach, visit),
            "file_form": FileForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request, pk: int):
    reach = request_reach(request)
    visit = selectors.visit_get_for_change(reach, pk)
    form = RecommendationForm(
        request.POST or None,
        communes=selectors.responsible_choices_qs(visit),
        projects=visit.projects.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(by=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm kiến nghị."))
            return redirect("visit_detail", pk=visit.pk)
    return render(request, "monitoring/recommendation_form.html", {"form": form, "visit": visit})


@login_required
@require_POST
def visit_file_upload(request, pk: int):
    reach = request_reach(request)
    visit = selectors.visit_get_for_change(reach, pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.visit_file_add(by=request.user, visit=visit, file=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã đính kèm tệp."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("visit_detail", pk=visit.pk)


@login_required
@require_GET
def visit_file(request, pk: int, file_pk: int):
    row = selectors.visit_file_get_for_user(request_reach(request), pk, file_pk)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=row.name)


@login_required
@require_GET
def recommendation_list(request):
    reach = request_reach(request)
    form = RecommendationFilter(request.GET or None, units=selectors.commune_units(reach.today))
    recommendations = selectors.recommendation_list_for_user(reach)
    today = timezone.localdate()
    if form.is_valid():
        recommendations = selectors.filter_recommendations(
            recommendations,
            state=form.cleaned_data["state"],
            commune=form.cleaned_data["unit"],
            today=today,
        )
    return render(
        request,
        "monitoring/recommendation_list.html",
        {
            "filters": form,
            "page": paginate(request, selectors.recommendation_rows(recommendations)),
            "today": today,
        },
    )


def _abilities(reach, recommendation) -> dict:
    enter = selectors.recommendation_can(reach, recommendation, Capability.ENTER)
    review = selectors.recommendation_can(reach, recommendation, Capability.REVIEW)
    return {"can_enter": enter, "can_review": review, "can_note": enter or review}


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_detail(request, pk: int):
    """The recommendation with its follow-ups; POST adds a follow-up note."""
    reach = request_reach(request)
    recommendation = selectors.recommendation_get_for_user(reach, pk)
    abilities = _abilities(reach, recommendation)
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        if not abilities["can_note"]:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.follow_up_add(
                    by=request.user, recommendation=recommendation, **form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Đã ghi kết quả theo dõi."))
                return redirect("recommendation_detail", pk=recommendation.pk)
    return render(
        request,
        "monitoring/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "follow_ups": selectors.recommendation_follow_ups(recommendation),
            "form": form,
            "today": timezone.localdate(),
            **abilities,
        },
    )


STEPS = {
    "report": (services.recommendation_report, _("Đã báo cáo hoàn thành; chờ huyện xác nhận.")),
    "confirm": (services.recommendation_confirm, _("Đã xác nhận kiến nghị thực hiện xong.")),
    "reopen": (services.recommendation_reopen, _("Đã mở lại kiến nghị.")),
}


@login_required
@require_POST
def recommendation_step(request, pk: int, action: str):
    if action not in STEPS:
        raise Http404
    reach = request_reach(request)
    recommendation = selectors.recommendation_get_for_user(reach, pk)
    step, done = STEPS[action]
    form = NoteForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        step(
            by=request.user,
            recommendation=recommendation,
            note=data.get("note", ""),
            on=data.get("on"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("recommendation_detail", pk=recommendation.pk)


@login_required
@require_GET
def monitoring_report(request):
    """The form, or with a year the workbook "Báo cáo kiểm tra, giám sát"."""
    scope = request_scope(request)
    form = ReportForm(request.GET or None, units=selectors.commune_units(scope))
    if request.GET and form.is_valid():
        year, unit = form.cleaned_data["year"], form.cleaned_data["unit"]
        out = io.BytesIO()
        report.write(request_reach(request), year, unit, out)
        response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{report.name(year, unit)}"'
        return response
    return render(request, "monitoring/report_form.html", {"form": form})
