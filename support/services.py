"""Every write of household support: keyword-only, atomic, scope-checked.

A commune officer (ENTER on the household's commune) and administrators record helpers, visits,
plan items and support; district staff and provincial leaders read only. Helpers and plan items
are for households whose current class (their latest entry's effective class) is poor or
near-poor; support records also for a household that has a helper or a plan item (one that
escaped poverty while being helped). Each change marks the commune's program indicators stale
(``indicators.services.program_changed``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.scope import Capability, user_scope
from households.models import Household, Member
from indicators.services import program_changed
from projects.models import ProgramComponent

from .models import (
    HelperAssignment,
    PlanStatus,
    Source,
    SupportKind,
    SupportPlanItem,
    SupportRecord,
    Visit,
)
from .rules import is_helped_class, needs_of
from .selectors import household_current_class, household_is_followed


def require_enter(by, household: Household) -> None:
    """The user records data for the household's commune today (else PermissionDenied)."""
    if not user_scope(by).covers(household.commune, Capability.ENTER):
        raise PermissionDenied


def require_helped(household: Household) -> None:
    cls = household_current_class(household)
    if not is_helped_class(cls):
        raise ValidationError(
            _(
                "Hộ %(code)s không thuộc diện hộ nghèo, cận nghèo theo kết quả rà soát gần nhất: "
                "chỉ phân công người giúp đỡ và lập kế hoạch hỗ trợ cho hộ nghèo, hộ cận nghèo."
            )
            % {"code": household.code}
        )


def _not_future(day: dt.date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(
            {field: _("%(label)s không được sau ngày hôm nay.") % {"label": label}}
        )


# --- helpers and visits ---------------------------------------------------------------------


@transaction.atomic
def helper_assign(
    *,
    by,
    household: Household,
    helper_name: str,
    organisation: str,
    starts_on: dt.date,
    position: str = "",
    phone: str = "",
    ends_on: dt.date | None = None,
) -> HelperAssignment:
    require_enter(by, household)
    require_helped(household)
    helper_name, organisation = helper_name.strip(), organisation.strip()
    errors = {}
    if not helper_name:
        errors["helper_name"] = _("Nhập họ và tên người giúp đỡ.")
    if not organisation:
        errors["organisation"] = _("Nhập cơ quan, tổ chức của người giúp đỡ.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu giúp đỡ.")
    if errors:
        raise ValidationError(errors)
    assignment = HelperAssignment.objects.create(
        household=household,
        helper_name=helper_name,
        organisation=organisation,
        position=position.strip(),
        phone=phone.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    program_changed(communes=[household.commune_id])
    return assignment


@transaction.atomic
def helper_end(*, by, assignment: HelperAssignment, ends_on: dt.date) -> HelperAssignment:
    """The helper stops helping the household on ``ends_on`` (kept on record)."""
    require_enter(by, assignment.household)
    if ends_on < assignment.starts_on:
        raise ValidationError(
            {"ends_on": _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu giúp đỡ.")}
        )
    _not_future(ends_on, "ends_on", _("Ngày kết thúc"))
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    program_changed(communes=[assignment.household.commune_id])
    return assignment


@transaction.atomic
def visit_record(*, by, assignment: HelperAssignment, visited_on: dt.date, note: str) -> Visit:
    require_enter(by, assignment.household)
    errors = {}
    if not note.strip():
        errors["note"] = _("Ghi nội dung, kết quả của lần thăm hộ.")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("Ngày thăm hộ không được sau ngày hôm nay.")
    elif not assignment.is_active_on(visited_on):
        errors["visited_on"] = _(
            "Ngày thăm hộ phải trong thời gian được phân công giúp đỡ (%(period)s)."
        ) % {"period": _period(assignment)}
    if errors:
        raise ValidationError(errors)
    return Visit.objects.create(
        assignment=assignment, visited_on=visited_on, note=note.strip(), created_by=by
    )


def _period(assignment: HelperAssignment) -> str:
    start = assignment.starts_on.strftime("%d/%m/%Y")
    if assignment.ends_on is None:
        return _("từ %(start)s") % {"start": start}
    return f"{start} – {assignment.ends_on:%d/%m/%Y}"


# --- the plan ---------------------------------------------------------------------------------


@transaction.atomic
def plan_item_add(
    *,
    by,
    household: Household,
    kind: SupportKind,
    action: str,
    due_on: dt.date,
    responsible: str,
    need: str = "",
) -> SupportPlanItem:
    require_enter(by, household)
    require_helped(household)
    errors = {}
    if not kind.active:
        errors["kind"] = _("Loại hỗ trợ này không còn dùng.")
    if need and need not in _latest_needs(household):
        errors["need"] = _("Nhu cầu này không có trong phiếu rà soát gần nhất của hộ.")
    if not action.strip():
        errors["action"] = _("Nhập nội dung hỗ trợ.")
    if not responsible.strip():
        errors["responsible"] = _("Nhập đơn vị hoặc người thực hiện.")
    if errors:
        raise ValidationError(errors)
    item = SupportPlanItem.objects.create(
        household=household,
        need=need,
        kind=kind,
        action=action.strip(),
        due_on=due_on,
        responsible=responsible.strip(),
        created_by=by,
    )
    program_changed(communes=[household.commune_id])
    return item


def _latest_needs(household: Household) -> list[str]:
    from .selectors import household_latest_survey

    survey = household_latest_survey(household)
    return needs_of(survey.needs) if survey else []


@transaction.atomic
def plan_item_set_status(*, by, item: SupportPlanItem, status: str) -> SupportPlanItem:
    require_enter(by, item.household)
    if status not in PlanStatus.values:
        raise ValidationError({"status": _("Tình trạng không hợp lệ.")})
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    program_changed(communes=[item.household.commune_id])
    return item


# --- support received -----------------------------------------------------------------------


@transaction.atomic
def support_record(
    *,
    by,
    household: Household,
    kind: SupportKind,
    source: str,
    received_on: dt.date,
    amount: int | None = None,
    quantity: Decimal | None = None,
    member: Member | None = None,
    plan_item: SupportPlanItem | None = None,
    component: ProgramComponent | None = None,
    note: str = "",
) -> SupportRecord:
    require_enter(by, household)
    if not household_is_followed(household):
        require_helped(household)
    errors = {}
    if not kind.active:
        errors["kind"] = _("Loại hỗ trợ này không còn dùng.")
    if source not in Source.values:
        errors["source"] = _("Chọn nguồn kinh phí.")
    if amount is None and quantity is None:
        errors["amount"] = _("Nhập số tiền hoặc số lượng hỗ trợ.")
    if amount is not None and amount <= 0:
        errors["amount"] = _("Số tiền phải lớn hơn 0.")
    if quantity is not None and quantity <= 0:
        errors["quantity"] = _("Số lượng phải lớn hơn 0.")
    if received_on > timezone.localdate():
        errors["received_on"] = _("Ngày nhận hỗ trợ không được sau ngày hôm nay.")
    if member is not None and (member.household_id != household.pk or not member.is_current):
        errors["member"] = _("Người được hỗ trợ phải là thành viên hiện tại của hộ.")
    if plan_item is not None and plan_item.household_id != household.pk:
        errors["plan_item"] = _("Mục kế hoạch không thuộc hộ này.")
    if errors:
        raise ValidationError(errors)
    record = SupportRecord.objects.create(
        household=household,
        member=member,
        kind=kind,
        plan_item=plan_item,
        component=component,
        source=source,
        amount=amount,
        quantity=quantity,
        received_on=received_on,
        note=note.strip(),
        created_by=by,
    )
    if plan_item is not None and plan_item.status == PlanStatus.PLANNED:
        plan_item.status = PlanStatus.DONE
        plan_item.save(update_fields=["status", "updated_at"])
    program_changed(communes=[household.commune_id])
    return record
