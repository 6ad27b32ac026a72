"""Survey entry with live classification, taking a household off the list, and registering one.

The live preview posts the unsaved form to ``survey_preview``, which runs the same
``facts.assess`` as ``services.survey_save``: the browser never holds a copy of the rules.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from areas.scope import Capability, request_scope

from .. import choices, facts, flow, selectors, services
from ..entry import survey_entry, survey_lock_reason
from ..forms import (
    INCOME_HOUSEHOLD,
    MEMBER_PREFIX,
    ExclusionForm,
    HouseholdCreateForm,
    NewMemberFormSet,
    SurveyEntry,
    with_added_member,
)
from ..models import PersonalDataAction, Survey, SurveyStatus
from ..privacy import can_see_citizen_ids
from ..reasons import describe, to_json
from ..selectors import survey_get_for_change, survey_get_for_user
from ..services import (
    ConcurrentEdit,
    household_exclude,
    survey_save,
)

CLASS_LABELS = dict(choices.POVERTY_CLASS)


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk: int):
    scope = request_scope(request)
    get = survey_get_for_change if request.method == "POST" else survey_get_for_user
    survey = get(scope, pk)
    can_enter = scope.covers(survey.commune, Capability.ENTER)
    read_only = survey_lock_reason(survey) or (
        "" if can_enter else _("Bạn chỉ có quyền xem phiếu này.")
    )
    if request.method == "GET":
        # Personal data: full citizen IDs only for who enters them (households.privacy); the
        # view is logged (one INSERT). A POST comes only from someone who may change the survey.
        reveal = can_enter or can_see_citizen_ids(scope, survey.household.commune)
        services.personal_data_access_record(
            user=request.user,
            action=PersonalDataAction.VIEW_SURVEY,
            household=survey.household,
            citizen_ids_shown=reveal,
        )
        return _edit_page(request, survey, survey_entry(survey, reveal=reveal), read_only)
    if read_only:  # locked (submitted, or the round closed) while the page was open: keep the input
        return _edit_page(request, survey, survey_entry(survey, request.POST), read_only)
    if "add_member" in request.POST:
        return _edit_page(request, survey, survey_entry(survey, with_added_member(request.POST)))
    entry = survey_entry(survey, request.POST)
    if entry.is_valid() and _save(request, survey, entry):
        back = _list_query(request, survey)
        if request.POST.get("stay"):
            return redirect(_with_list(reverse("survey_edit", args=[survey.pk]), back))
        if request.POST.get("next"):
            following = flow.next_pending(request.user, scope, survey, back)
            if following is not None:
                return redirect(_with_list(reverse("survey_edit", args=[following.pk]), back))
            messages.info(request, _("Không còn phiếu chưa rà soát trong danh sách đang lọc."))
        return redirect(flow.list_url(back, survey.round_id))
    return _edit_page(request, survey, entry)


def _list_query(request, survey: Survey) -> str:
    """The list the survey was opened from (its filters, sort and page), carried as ``list``."""
    raw = request.POST.get("list") or request.GET.get("list") or f"round={survey.round_id}"
    return flow.clean_query(raw)


def _with_list(url: str, query: str) -> str:
    """The survey's URL, carrying the list it came from (unless that is the plain round list)."""
    if not query or (query.startswith("round=") and "&" not in query):
        return url
    return f"{url}?{urlencode({'list': query})}"


@login_required
@require_POST
def survey_preview(request, pk: int):
    """The class the unsaved form would get, with every indicator's reasons. Saves nothing."""
    survey = survey_get_for_change(request_scope(request), pk)
    entry = survey_entry(survey, request.POST)
    context = {"survey": survey, "result": None, "errors": []}
    if entry.is_valid():
        context["result"] = _assessed(survey, entry)
    else:
        context["errors"] = entry.error_list()
    return render(request, "households/_survey_preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_exclude(request, pk: int):
    survey = survey_get_for_change(request_scope(request), pk)
    lock_reason = survey_lock_reason(survey)
    form = ExclusionForm(request.POST if request.method == "POST" else None)
    errors: list[str] = []
    if request.method == "POST" and not lock_reason and form.is_valid():
        try:
            household_exclude(by=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            errors = _add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Đã đưa hộ %(code)s ra khỏi danh sách rà soát.")
                % {"code": survey.household.code},
            )
            return redirect(flow.list_url(_list_query(request, survey), survey.round_id))
    context = {"survey": survey, "form": form, "lock_reason": lock_reason, "errors": errors}
    return render(request, "households/survey_exclude.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request):
    scope = request_scope(request)
    if not scope.can(Capability.ENTER):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "add_member" in data
    if adding:
        data = with_added_member(data)
    form = HouseholdCreateForm(data, communes=scope.communes(Capability.ENTER).order_by("code"))
    members = NewMemberFormSet(data, prefix=MEMBER_PREFIX)
    errors: list[str] = []
    if data is not None and not adding and all([form.is_valid(), members.is_valid()]):
        try:
            household = services.household_create(
                by=request.user, members=members.members(), **form.service_kwargs()
            )
        except ValidationError as exc:
            errors = _add_service_error(form, exc)
        else:
            messages.success(request, _("Đã đăng ký hộ %(code)s.") % {"code": household.code})
            return _after_create(household)
    context = {"form": form, "members": members, "errors": errors}
    return render(request, "households/household_create.html", context)


# --- helpers --------------------------------------------------------------------------------------


def _save(request, survey: Survey, entry: SurveyEntry) -> bool:
    """Hand the valid page to the service; on refusal keep the input and say why."""
    try:
        saved = survey_save(
            by=request.user,
            survey=survey,
            expected_version=entry.survey_form.cleaned_data["version"],
            household_data=entry.household_form.cleaned_data,
            members=entry.members.members(),
            survey_data=entry.survey_form.facts(),
        )
    except ConcurrentEdit as exc:
        entry.top_errors.extend(exc.messages)
        return False
    except ValidationError as exc:
        entry.add_service_error(exc)
        return False
    messages.success(
        request,
        _("Đã lưu phiếu rà soát của hộ %(code)s: %(class)s.")
        % {"code": survey.household.code, "class": CLASS_LABELS[saved.poverty_class]},
    )
    return True


def _after_create(household):
    """Straight to the new household's survey when a round is open, else to its page."""
    survey = selectors.survey_open_for(household)
    if survey:
        return redirect("survey_edit", survey.pk)
    return redirect("household_detail", household.pk)


def _edit_page(request, survey: Survey, entry: SurveyEntry, read_only: str = ""):
    if read_only:
        entry.disable()
    back = _list_query(request, survey)
    context = {
        "survey": survey,
        "household": survey.household,
        "entry": entry,
        "list_query": back,
        "list_url": flow.list_url(back, survey.round_id),
        "editable": not read_only,
        "read_only": read_only,
        "result": _stored(survey),
        "errors": [],
    }
    return render(request, "households/survey_edit.html", context)


def _indicator_name(indicator) -> str:
    return indicator.name_en if get_language() == "en" else indicator.name_vi


def _summary(survey: Survey, poverty_class: str, income: int | None, **extra) -> dict:
    standard = survey.round.get_standard()
    return {
        "poverty_class": poverty_class,
        "class_label": CLASS_LABELS.get(poverty_class, ""),
        "income_per_person": income,
        "line": standard.line_for(survey.commune.is_urban),
        "is_urban": survey.commune.is_urban,
        "cutoff": standard.deprivation_cutoff,
        "standard": standard,
        **extra,
    }


def _assessed(survey: Survey, entry: SurveyEntry) -> dict:
    """Classify the form's unsaved data with the rules the save service uses."""
    survey_data = entry.survey_form.facts()
    members = entry.members.members()
    evaluated = facts.assess(
        members=members,
        survey=survey_data,
        on=survey.round.reference_date,
        is_urban=survey.commune.is_urban,
        is_farm_household=entry.household_form.cleaned_data["is_farm_household"],
        standard=survey.round.get_standard(),
        average_request=services.approved_request(survey.household_id, survey.round_id),
    )
    result = evaluated.assessment
    rows = [
        {
            "number": r.indicator.number,
            "code": r.indicator.code,
            "name": _indicator_name(r.indicator),
            "deprived": r.deprived,
            "reasons": [describe(to_json(reason)) for reason in r.reasons],
        }
        for r in result.results
    ]
    computed = entry.survey_form.cleaned_data["income_basis"] == INCOME_HOUSEHOLD
    return _summary(
        survey,
        result.poverty_class.value,
        evaluated.income_per_person,
        rows=rows,
        deprived_count=result.deprived_count,
        b2_score=result.b2_score,
        income_from_household=computed,
        household_income=survey_data["household_income"],
        member_count=len(members),
        saved=False,
    )


def _stored(survey: Survey) -> dict | None:
    """The saved classification (what the page shows before any change)."""
    if not survey.poverty_class:
        return None
    if survey.status != SurveyStatus.SURVEYED:
        return _summary(survey, survey.poverty_class, None, rows=[], saved=True, carried=True)
    stored = {d.indicator: d.reasons for d in survey.deprivations.all()}
    rows = [
        {
            "number": indicator.number,
            "code": indicator.code,
            "name": _indicator_name(indicator),
            "deprived": indicator.code in stored,
            "reasons": [describe(reason) for reason in stored.get(indicator.code, [])],
        }
        for indicator in survey.round.get_standard().indicators
    ]
    return _summary(
        survey,
        survey.poverty_class,
        survey.income_per_person,
        rows=rows,
        deprived_count=survey.deprived_count,
        b2_score=survey.b2_score,
        saved=True,
    )


def _add_service_error(form, exc: ValidationError) -> list[str]:
    """Put a service's field errors beside the form's fields; return the others."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    others = []
    for field, errors in exc.error_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        else:
            others.extend(message for error in errors for message in error.messages)
    return others
