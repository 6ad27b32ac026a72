"""The proposal in steps, each saved as it goes: 1 dossier (creates the draft), 2 budget and
support items, 3 participants picked from the communes' households. The project page then
shows the checks and the button to submit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from areas.scope import Capability, request_reach
from households.models import Household

from .. import rules, services
from ..choices import Category
from ..forms.proposal import (
    BudgetForm,
    DossierForm,
    HouseholdSearchForm,
    ItemFormSet,
    item_rows,
    typed_totals,
    with_one_more_row,
)
from ..models.project import SOURCES
from ..problems import problem_messages
from ..selectors.households import household_candidates, households_chosen_for_project
from ..selectors.projects import project_commune_choices, project_get_for_change
from .common import add_errors


def _dossier(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    reach = request_reach(request)
    if not reach.can(Capability.ENTER):
        raise PermissionDenied
    communes = reach.today.communes(Capability.ENTER).order_by("name")
    initial = {"communes": list(communes)} if communes.count() == 1 else {}
    form = DossierForm(
        request.POST or None, request.FILES or None, initial=initial, communes=communes
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, **_dossier(form))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Đã lưu bản nháp %(code)s. Bước 2: kinh phí.") % {"code": project.code}
            )
            return redirect("project_budget", pk=project.pk)
    return render(
        request, "projects/proposal_dossier.html", {"form": form, "project": None, "step": 1}
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    reach = request_reach(request)
    project = project_get_for_change(reach, pk, "edit")
    communes = project_commune_choices(reach, project)
    form = DossierForm(
        request.POST or None,
        request.FILES or None,
        initial=DossierForm.initial_for(project),
        communes=communes,
    )
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = _dossier(form)
        data.pop("code")
        try:
            services.project_update(
                by=request.user,
                project=project,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu hồ sơ dự án."))
            return redirect("project_budget", pk=project.pk)
    return render(
        request, "projects/proposal_dossier.html", {"form": form, "project": project, "step": 1}
    )


def _budget_forms(project, data):
    items = [
        {"name": i.name, "unit": i.unit, "quantity": i.quantity, "unit_cost": i.unit_cost}
        for i in project.items.all()
    ]
    form = BudgetForm(data, initial=BudgetForm.initial_for(project))
    formset = ItemFormSet(data, initial=items, prefix="items")
    return form, formset


def _gap_line(label: str, value: int, gap: int) -> dict:
    return {"label": label, "value": value, "gap": gap, "short": -gap if gap < 0 else 0}


def _totals_context(totals: rules.BudgetTotals, unread: bool = False) -> dict:
    """The sums of the budget step, the gaps and the reasons the step would refuse to save."""
    return {
        "totals": totals,
        "lines": [
            _gap_line(_("Cộng các nguồn vốn"), totals.sources_total, totals.sources_gap),
            _gap_line(
                _("Cộng thành tiền các nội dung hỗ trợ"), totals.items_total, totals.items_gap
            ),
        ],
        "problems": problem_messages(rules.budget_sum_problems(totals)),
        "unread": unread,
    }


def _saved_totals(project) -> rules.BudgetTotals:
    return rules.budget_totals(
        total_cost=project.total_cost,
        sources={f: getattr(project, f) for f in SOURCES},
        item_amounts=[i.amount for i in project.items.all()],
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_budget(request, pk: int):
    """Step 2. Saving refuses budget lines that do not add up to the total cost (the service
    decides; the page re-renders what was typed with the reasons). "Add a row" without
    JavaScript posts here too and only re-renders the form with one more row."""
    project = project_get_for_change(request_reach(request), pk, "edit")
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "add_row" in data
    form, formset = _budget_forms(project, with_one_more_row(data) if adding else data)
    if adding:  # show what was typed, without judging it yet
        form = BudgetForm(initial={name: data.get(name, "") for name in form.fields})
    if request.method == "POST" and not adding and form.is_valid() and formset.is_valid():
        try:
            services.project_budget_save(
                by=request.user,
                project=project,
                expected_version=form.cleaned_data["version"],
                total_cost=form.cleaned_data["total_cost"],
                sources=form.sources(),
                items=item_rows(formset),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu kinh phí. Bước 3: hộ tham gia."))
            return redirect("project_participants", pk=project.pk)
    context = {"form": form, "formset": formset, "project": project, "step": 2, "quiet": adding}
    if data is None:
        context |= _totals_context(_saved_totals(project))
    else:
        context |= _totals_context(*typed_totals(*_budget_forms(project, data)))
    return render(request, "projects/proposal_budget.html", context)


@login_required
@require_POST
def project_budget_totals(request, pk: int):
    """The live sums of the budget step as typed (htmx). Saves nothing."""
    project = project_get_for_change(request_reach(request), pk, "edit")
    context = _totals_context(*typed_totals(*_budget_forms(project, request.POST)))
    return render(request, "projects/_budget_totals.html", context)


@login_required
@require_POST
def project_budget_row(request, pk: int):
    """The support items with one more empty row, keeping what was typed (htmx). Saves
    nothing."""
    project = project_get_for_change(request_reach(request), pk, "edit")
    _form, formset = _budget_forms(project, with_one_more_row(request.POST))
    return render(
        request,
        "projects/_items_formset.html",
        {"formset": formset, "project": project, "quiet": True},
    )


def _chosen(request, project) -> list[tuple[Household, str]]:
    ids = [int(i) for i in request.POST.getlist("household") if i.isdigit()]
    households = households_chosen_for_project(project, ids)
    return [(h, request.POST.get(f"category_{h.pk}", "")) for h in households]


@login_required
@require_http_methods(["GET", "POST"])
def project_participants(request, pk: int):
    project = project_get_for_change(request_reach(request), pk, "edit")
    if request.method == "POST":
        try:
            if request.POST.get("remove", "").isdigit():
                services.project_participant_remove(
                    by=request.user, project=project, participant_id=int(request.POST["remove"])
                )
                messages.success(request, _("Đã bỏ hộ khỏi danh sách tham gia."))
            else:
                added = services.project_participants_add(
                    by=request.user, project=project, entries=_chosen(request, project)
                )
                messages.success(request, _("Đã thêm %(n)s hộ tham gia.") % {"n": added})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(request.get_full_path())
    search = HouseholdSearchForm(request.GET or None)
    term = search.cleaned_data["q"] if search.is_valid() else ""
    return render(
        request,
        "projects/proposal_participants.html",
        {
            "project": project,
            "search": search,
            "candidates": household_candidates(project, term),
            "participants": project.participants.select_related("household").order_by(
                "household__code"
            ),
            "categories": Category.choices,
            "step": 3,
        },
    )
