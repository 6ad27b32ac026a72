"""The project page and what is done from it: workflow steps, minutes download, amendment,
evaluation, replication of a model."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.scope import Capability, request_reach

from .. import services
from ..forms.proposal import ItemFormSet, item_rows
from ..forms.workflow import AmendmentForm, ApproveForm, EvaluationForm, ReplicateForm, StepForm
from ..problems import problem_messages
from ..selectors.households import households_by_code_for_project
from ..selectors.outcomes import measured_income, project_outcomes
from ..selectors.projects import project_actions, project_get_for_change, project_get_for_user
from .common import add_errors

STEP_FORMS = {"approve": ApproveForm}


def _page(request, project, *, bound=None, status=200):
    reach = request_reach(request)
    actions = project_actions(reach, project)
    rows, summary = project_outcomes(project)
    step_forms = {a: STEP_FORMS.get(a, StepForm)(prefix=a) for a in actions["steps"]}
    if bound:
        step_forms[bound[0]] = bound[1]
    checks = (
        problem_messages(services.proposal_problems(project, refresh=False))
        if actions["can_edit"]
        else []
    )
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "communes": project.communes.all(),
            "participants": rows,
            "summary": summary,
            "items": project.items.all(),
            "steps": project.steps.select_related("by"),
            "amendments": project.amendments.select_related("by"),
            "evaluation": getattr(project, "evaluation", None),
            "replications": project.replications.all(),
            "actions": actions,
            "step_forms": step_forms,
            "checks": checks,
        },
        status=status,
    )


@login_required
@require_GET
def project_detail(request, pk: int):
    return _page(request, project_get_for_user(request_reach(request), pk))


@login_required
@require_POST
def project_step(request, pk: int, action: str):
    if action not in services.STEP_SERVICES or action == "evaluate":
        raise Http404
    project = project_get_for_change(request_reach(request), pk, action)
    form = STEP_FORMS.get(action, StepForm)(request.POST, prefix=action)
    if form.is_valid():
        try:
            services.STEP_SERVICES[action](by=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            name = services.STEP_NAMES[action]
            messages.success(request, _("Đã %(step)s dự án.") % {"step": name})
            return redirect("project_detail", pk=project.pk)
    messages.error(request, _("Chưa thực hiện được: xem các lỗi bên dưới."))
    return _page(request, project_get_for_user(request_reach(request), pk), bound=(action, form))


@login_required
@require_GET
def project_minutes(request, pk: int):
    """The community meeting's minutes, only to users who may see the project."""
    project = project_get_for_user(request_reach(request), pk)
    if not project.minutes:
        raise Http404
    try:
        handle = project.minutes.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = project.minutes_name or project.minutes.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
@require_http_methods(["GET", "POST"])
def project_evaluate(request, pk: int):
    project = project_get_for_change(request_reach(request), pk, "evaluate")
    form = EvaluationForm(request.POST or None, is_model=project.is_model)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_evaluate(by=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi kết quả đánh giá."))
            return redirect("project_detail", pk=project.pk)
    measured = measured_income(project_outcomes(project)[0])
    return render(
        request,
        "projects/project_evaluate.html",
        {"project": project, "form": form, "measured": measured},
    )


def _amendment_args(form, formset, project) -> dict:
    codes = form.codes()
    households = households_by_code_for_project(project, codes)
    missing = [c for c in codes if c not in households]
    if missing:
        # One answer for an unknown code, a household of another district and one that moved
        # away: the page must not tell which codes exist outside the project (issue 11).
        raise ValidationError(
            {
                "add_codes": _("Không có hộ đang cư trú tại xã thực hiện dự án với mã: %(codes)s.")
                % {"codes": ", ".join(missing)}
            }
        )
    if codes and not form.cleaned_data["add_category"]:
        raise ValidationError({"add_category": _("Chọn đối tượng cho các hộ bổ sung.")})
    return {
        "reason": form.cleaned_data["reason"],
        "decision_number": form.cleaned_data["decision_number"],
        "decision_date": form.cleaned_data["decision_date"],
        "total_cost": form.cleaned_data["total_cost"],
        "sources": form.sources(),
        "items": item_rows(formset),
        "add": [(households[c], form.cleaned_data["add_category"]) for c in codes],
        "remove": [int(h) for h in form.cleaned_data["remove"]],
    }


@login_required
@require_http_methods(["GET", "POST"])
def project_amend(request, pk: int):
    project = project_get_for_change(request_reach(request), pk, "amend")
    participants = project.participants.select_related("household")
    initial = project.budget()
    items = [
        {"name": i.name, "unit": i.unit, "quantity": i.quantity, "unit_cost": i.unit_cost}
        for i in project.items.all()
    ]
    data = request.POST if request.method == "POST" else None
    form = AmendmentForm(data, initial=initial, participants=participants)
    formset = ItemFormSet(data, initial=items, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.project_amend(
                by=request.user, project=project, **_amendment_args(form, formset, project)
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận điều chỉnh dự án."))
            return redirect("project_detail", pk=project.pk)
    return render(
        request,
        "projects/project_amend.html",
        {"project": project, "form": form, "formset": formset},
    )


@login_required
@require_http_methods(["GET", "POST"])
def model_replicate(request, pk: int):
    reach = request_reach(request)
    source = project_get_for_user(reach, pk)
    if not project_actions(reach, source)["can_replicate"]:
        raise PermissionDenied
    communes = reach.today.communes(Capability.ENTER).order_by("name")
    initial = {"title": source.title, "group_kind": source.group_kind}
    form = ReplicateForm(request.POST or None, initial=initial, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.model_replicate(by=request.user, source=source, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Đã tạo đề xuất nhân rộng mô hình: bổ sung hộ tham gia, kinh phí.")
            )
            return redirect("project_detail", pk=project.pk)
    return render(request, "projects/model_replicate.html", {"source": source, "form": form})
