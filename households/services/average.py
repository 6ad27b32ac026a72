"""Average-living requests (hộ có mức sống trung bình): filing one, deciding it, and the class
it gives the household's entry in the round.

The rule is ``rules.average_living`` / ``rules.classify``; these services only find the approved
request of a round and hand its facts to the rule, here and in ``survey_save`` and the import.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from areas.scope import Capability

from .. import rules
from ..models import (
    AverageLivingRequest,
    Household,
    RequestDecision,
    ReviewRound,
    Survey,
    SurveyStatus,
)
from ..standards import PovertyClass
from .common import (
    _require,
    _require_unlocked,
    _results_changed,
    approved_request,
)
from .surveys import household_transitions_refresh


def _entry(household: Household, round_: ReviewRound) -> Survey:
    survey = (
        Survey.objects.select_related("commune", "round")
        .filter(household=household, round=round_)
        .first()
    )
    if survey is None:
        raise ValidationError(_("Hộ không có trong danh sách rà soát của đợt này."))
    return survey


@transaction.atomic
def average_request_create(
    *,
    by,
    household: Household,
    round_: ReviewRound,
    requested_on: dt.date,
    income_12_months: int,
    member_count: int,
) -> AverageLivingRequest:
    """Record a household's request (the officer enters the paper request)."""
    survey = _entry(household, round_)
    _require(by, survey.commune, Capability.ENTER)
    _require_unlocked(round_, survey.commune)
    if not household.is_farm_household:
        raise ValidationError(
            _(
                "Chỉ hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp, diêm nghiệp mới được xét công "
                "nhận hộ có mức sống trung bình."
            )
        )
    if requested_on > timezone.localdate():
        raise ValidationError(_("Ngày đề nghị không được sau ngày hôm nay."))
    if member_count < 1:
        raise ValidationError(_("Số nhân khẩu phải từ 1 trở lên."))
    open_ = AverageLivingRequest.objects.filter(
        household=household,
        round=round_,
        decision__in=(RequestDecision.PENDING, RequestDecision.APPROVED),
    ).first()
    if open_ is not None:
        raise ValidationError(
            _("Hộ đã có đề nghị trong đợt này (%(decision)s).")
            % {"decision": open_.get_decision_display()}
        )
    return AverageLivingRequest.objects.create(
        household=household,
        round=round_,
        requested_on=requested_on,
        income_12_months=income_12_months,
        member_count=member_count,
        created_by=by,
    )


@transaction.atomic
def average_request_decide(
    *,
    by,
    request: AverageLivingRequest,
    decision: str,
    reason: str = "",
    decided_on: dt.date | None = None,
) -> AverageLivingRequest:
    """Approve or refuse a pending request; an approval must satisfy the rule (income within
    the band), a refusal needs a reason. The entry of the round is reclassified at once."""
    request = AverageLivingRequest.objects.select_for_update().get(pk=request.pk)
    household, round_ = request.household, request.round
    survey = _entry(household, round_)
    _require(by, survey.commune, Capability.ENTER)
    _require_unlocked(round_, survey.commune)
    if request.decision != RequestDecision.PENDING:
        raise ValidationError(_("Đề nghị này đã được xét duyệt."))
    if decision not in (RequestDecision.APPROVED, RequestDecision.REFUSED):
        raise ValidationError(_("Chọn công nhận hoặc không công nhận."))
    reason = reason.strip()
    standard = round_.get_standard()
    is_urban = survey.commune.is_urban
    if decision == RequestDecision.APPROVED and not rules.average_living(
        request.facts(),
        is_urban=is_urban,
        is_farm_household=household.is_farm_household,
        standard=standard,
    ):
        upper = standard.band_upper_for(is_urban)
        if upper is None:
            raise ValidationError(
                _("Chuẩn nghèo của đợt này chưa có mức thu nhập của hộ có mức sống trung bình.")
            )
        raise ValidationError(
            _(
                "Thu nhập bình quân %(income)s đồng/người/tháng không thuộc khoảng của hộ có mức "
                "sống trung bình (trên %(line)s đến %(upper)s đồng): không thể công nhận."
            )
            % {
                "income": number_format(request.income_per_person, force_grouping=True),
                "line": number_format(standard.line_for(is_urban), force_grouping=True),
                "upper": number_format(upper, force_grouping=True),
            }
        )
    if decision == RequestDecision.REFUSED and not reason:
        raise ValidationError(_("Nhập lý do không công nhận."))
    request.decision = decision
    request.reason = reason
    request.decided_by = by
    request.decided_on = decided_on or timezone.localdate()
    request.save(update_fields=["decision", "reason", "decided_by", "decided_on"])
    entry_average_refresh(survey)
    return request


def entry_average_refresh(survey: Survey) -> None:
    """Give a classified entry above the near-poor line the class its round's approved request
    gives it (``rules.above_line_class``): average or none. Poor, near-poor and pending entries
    are left alone (a pending one is classified when it is surveyed, with the request)."""
    if survey.status == SurveyStatus.PENDING or survey.poverty_class in (
        "",
        PovertyClass.POOR.value,
        PovertyClass.NEAR_POOR.value,
    ):
        return
    household = Household.objects.get(pk=survey.household_id)
    found = rules.above_line_class(
        approved_request(survey.household_id, survey.round_id),
        is_urban=survey.commune.is_urban,
        is_farm_household=household.is_farm_household,
        standard=survey.round.get_standard(),
    ).value
    if found == survey.poverty_class:
        return
    Survey.objects.filter(pk=survey.pk).update(poverty_class=found, version=F("version") + 1)
    household_transitions_refresh(household)
    _results_changed(survey.round, survey.commune)
