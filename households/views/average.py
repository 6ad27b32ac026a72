"""Average-living requests (hộ có mức sống trung bình): a household's requests in a round, filed
and decided by the commune officer from the survey page. The rule is ``rules.average_living``;
the services apply it and reclassify the entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from areas.scope import Capability, request_scope

from .. import selectors, services
from ..entry import survey_lock_reason
from ..forms import AverageDecisionForm, AverageRequestForm
from ..models import RequestDecision
from .survey import _add_service_error


@login_required
@require_http_methods(["GET", "POST"])
def average_request_list(request, pk: int):
    """The requests of the survey ``pk``'s household in its round, and a form to file one."""
    scope = request_scope(request)
    survey = selectors.survey_get_for_user(scope, pk)
    can_enter = scope.covers(survey.commune, Capability.ENTER)
    lock_reason = survey_lock_reason(survey)
    editable = can_enter and not lock_reason and survey.household.is_farm_household
    data = request.POST if request.method == "POST" else None
    if data is not None and not editable:
        return redirect("average_request_list", pk=survey.pk)
    initial = {"requested_on": timezone.localdate(), "member_count": survey.member_count or None}
    form = AverageRequestForm(data, initial=initial)
    errors: list[str] = []
    if data is not None and form.is_valid():
        try:
            services.average_request_create(
                by=request.user, household=survey.household, round_=survey.round,
                **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as exc:
            errors = _add_service_error(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận đề nghị của hộ."))
            return redirect("average_request_list", pk=survey.pk)
    requests = list(selectors.average_requests_for_entry(survey))
    standard = survey.round.get_standard()
    context = {
        "survey": survey,
        "household": survey.household,
        "requests": requests,
        "form": form,
        "decide_form": AverageDecisionForm(),
        "editable": editable,
        "can_decide": can_enter and not lock_reason,
        "lock_reason": lock_reason,
        "errors": errors,
        "line": standard.line_for(survey.commune.is_urban),
        "band_upper": standard.band_upper_for(survey.commune.is_urban),
        "pending": RequestDecision.PENDING,
    }
    return render(request, "households/average_request_list.html", context)


@login_required
@require_POST
def average_request_decide(request, pk: int):
    average_request, survey = selectors.average_request_get_for_change(request_scope(request), pk)
    form = AverageDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("average_request_list", pk=survey.pk)
    try:
        services.average_request_decide(
            by=request.user, request=average_request, **form.cleaned_data
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã ghi kết quả xét duyệt đề nghị."))
    return redirect("average_request_list", pk=survey.pk)
