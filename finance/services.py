"""Every write of the funds: capital plans, allocations, disbursements.

Keyword-only, atomic. The checks that guard money (allocations within the plan, disbursements
within the allocation) lock the parent row first (``select_for_update``), then add up what is
already there: two saves at the same moment queue on the lock, so both cannot pass a check that
only one of them fits. A refused save raises ``ValidationError`` with a Vietnamese message that
says what is left, and writes nothing. Changes of allocations and disbursements refresh the
program indicators of the communes concerned (``indicators.services.program_changed``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Level, Unit
from areas.scope import Capability, reached, user_reach
from indicators.services import program_changed
from projects.models import Project
from projects.models.project import LOCKED

from .models import Allocation, CapitalPlan, Disbursement, Source
from .rules import money

FIRST_YEAR, LAST_YEAR = 2021, 2035


# --- who may -----------------------------------------------------------------------------------


def plan_can_manage(reach, plan: CapitalPlan) -> bool:
    """Plans are set by administrators over the plan's unit."""
    return reached(reach, Capability.ADMINISTER, [plan.unit], plan.year_start)


def plan_can_allocate(reach, plan: CapitalPlan) -> bool:
    """Allocations are made by reviewers (district staff, administrators) over the plan's unit."""
    return reached(reach, Capability.REVIEW, [plan.unit], plan.year_start)


def allocation_communes(allocation: Allocation) -> list[Unit]:
    if allocation.project_id:
        return list(allocation.project.communes.all())
    return [allocation.commune]


def allocation_can_disburse(reach, allocation: Allocation) -> bool:
    """Disbursements are recorded by reviewers over every commune the allocation went to."""
    return reached(
        reach,
        Capability.REVIEW,
        allocation_communes(allocation),
        allocation.plan.year_start,
        every=True,
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- helpers -----------------------------------------------------------------------------------


def _valid_in_year(unit: Unit, year: int) -> bool:
    return unit.valid_from <= dt.date(year, 12, 31) and (
        unit.valid_to is None or unit.valid_to >= dt.date(year, 1, 1)
    )


def plan_start(year: int, unit: Unit) -> dt.date:
    """The first day of the year on which the unit exists: the date the scope rules judge the
    plan by (a 2025 plan of a commune made on 1 July 2025 starts then)."""
    return max(dt.date(year, 1, 1), unit.valid_from)


def _in_year(day: dt.date, plan: CapitalPlan, field: str, label: str) -> None:
    if day.year != plan.year:
        raise ValidationError(
            {
                field: _("%(what)s phải trong năm kế hoạch %(year)s.")
                % {"what": label, "year": plan.year}
            }
        )
    if day > timezone.localdate():
        raise ValidationError({field: _("%(what)s không được sau hôm nay.") % {"what": label}})


def _allocated(plan: CapitalPlan, *, excluding: int | None = None) -> int:
    rows = Allocation.objects.filter(plan=plan)
    if excluding:
        rows = rows.exclude(pk=excluding)
    return rows.aggregate(s=Sum("amount"))["s"] or 0


def _disbursed(allocation: Allocation) -> int:
    return Disbursement.objects.filter(allocation=allocation).aggregate(s=Sum("amount"))["s"] or 0


def _communes_changed(allocation: Allocation) -> None:
    program_changed(communes=[c.pk for c in allocation_communes(allocation)])


# --- plans -------------------------------------------------------------------------------------


def _check_plan(*, year: int, component, unit: Unit, source: str, amount: int, carried_over: int):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {"year": _("Năm kế hoạch phải từ %(a)s đến %(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR}}
        )
    program = component.program
    if not program.starts_on.year <= year <= program.ends_on.year:
        raise ValidationError(
            {
                "component": _(
                    "%(component)s thuộc giai đoạn %(a)s–%(b)s, không dùng cho năm %(year)s."
                )
                % {
                    "component": component,
                    "a": program.starts_on.year,
                    "b": program.ends_on.year,
                    "year": year,
                }
            }
        )
    if not _valid_in_year(unit, year):
        raise ValidationError(
            {
                "unit": _("%(unit)s không còn hiệu lực trong năm %(year)s.")
                % {"unit": unit.label, "year": year}
            }
        )
    if source not in Source.values:
        raise ValidationError({"source": _("Nguồn vốn không hợp lệ.")})
    if amount < 0 or carried_over < 0 or amount + carried_over <= 0:
        raise ValidationError(
            {"amount": _("Kế hoạch vốn (cộng vốn năm trước chuyển sang) phải lớn hơn 0.")}
        )


@transaction.atomic
def plan_create(
    *,
    by,
    year: int,
    component,
    unit: Unit,
    source: str,
    amount: int,
    carried_over: int = 0,
    decision_ref: str = "",
    note: str = "",
) -> CapitalPlan:
    _check_plan(
        year=year,
        component=component,
        unit=unit,
        source=source,
        amount=amount,
        carried_over=carried_over,
    )
    starts_on = plan_start(year, unit)
    _require(reached(user_reach(by), Capability.ADMINISTER, [unit], starts_on))
    if CapitalPlan.objects.filter(
        year=year, component=component, unit=unit, source=source
    ).exists():
        raise ValidationError(
            _(
                "Đã có dòng kế hoạch năm %(year)s của %(unit)s cho %(component)s, nguồn "
                "“%(source)s”: sửa dòng đó thay vì tạo dòng mới."
            )
            % {
                "year": year,
                "unit": unit.label,
                "component": component.number,
                "source": Source(source).label,
            }
        )
    return CapitalPlan.objects.create(
        year=year,
        component=component,
        unit=unit,
        source=source,
        amount=amount,
        carried_over=carried_over,
        decision_ref=decision_ref,
        note=note,
        starts_on=starts_on,
        created_by=by,
    )


@transaction.atomic
def plan_update(
    *, by, plan: CapitalPlan, amount: int, carried_over: int, decision_ref: str = "", note: str = ""
) -> CapitalPlan:
    _require(plan_can_manage(user_reach(by), plan))
    locked = CapitalPlan.objects.select_for_update().get(pk=plan.pk)
    _check_plan(
        year=locked.year,
        component=plan.component,
        unit=plan.unit,
        source=locked.source,
        amount=amount,
        carried_over=carried_over,
    )
    used = _allocated(locked)
    if amount + carried_over < used:
        raise ValidationError(
            {
                "amount": _(
                    "Không giảm được kế hoạch xuống %(total)s: đã phân bổ %(used)s. Giảm hoặc "
                    "xoá phân bổ trước."
                )
                % {"total": money(amount + carried_over), "used": money(used)}
            }
        )
    locked.amount, locked.carried_over = amount, carried_over
    locked.decision_ref, locked.note = decision_ref, note
    locked.save()
    return locked


# --- allocations -------------------------------------------------------------------------------


def _check_target(plan: CapitalPlan, commune: Unit | None, project: Project | None) -> None:
    if (commune is None) == (project is None):
        raise ValidationError(_("Chọn một xã hoặc một dự án sinh kế để phân bổ vốn."))
    if commune is not None:
        if commune.level != Level.COMMUNE:
            raise ValidationError({"commune": _("Chỉ phân bổ vốn về cấp xã.")})
        if not commune.path.startswith(plan.unit.path):
            raise ValidationError(
                {
                    "commune": _("%(commune)s không thuộc %(unit)s (đơn vị được giao kế hoạch).")
                    % {"commune": commune.label, "unit": plan.unit.label}
                }
            )
        if not _valid_in_year(commune, plan.year):
            raise ValidationError(
                {
                    "commune": _("%(commune)s không còn hiệu lực trong năm %(year)s.")
                    % {"commune": commune.label, "year": plan.year}
                }
            )
        return
    if project.status not in LOCKED:
        raise ValidationError(
            {
                "project": _("Dự án %(code)s chưa được phê duyệt: chưa phân bổ vốn được.")
                % {"code": project.code}
            }
        )
    component = project.component
    if plan.component_id not in (component.pk, component.parent_id):
        raise ValidationError(
            {
                "project": _("Dự án %(code)s thuộc %(theirs)s, không thuộc %(ours)s của kế hoạch.")
                % {"code": project.code, "theirs": component.number, "ours": plan.component.number}
            }
        )
    outside = [c.label for c in project.communes.all() if not c.path.startswith(plan.unit.path)]
    if outside:
        raise ValidationError(
            {
                "project": _("Dự án %(code)s có xã không thuộc %(unit)s: %(communes)s.")
                % {"code": project.code, "unit": plan.unit.label, "communes": ", ".join(outside)}
            }
        )


def _over_plan(plan: CapitalPlan, amount: int, used: int) -> None:
    left = plan.total - used
    if amount > left:
        raise ValidationError(
            {
                "amount": _(
                    "Vượt kế hoạch vốn: còn lại %(left)s để phân bổ (kế hoạch %(total)s, đã phân "
                    "bổ %(used)s)."
                )
                % {"left": money(max(left, 0)), "total": money(plan.total), "used": money(used)}
            }
        )


@transaction.atomic
def allocation_create(
    *,
    by,
    plan: CapitalPlan,
    amount: int,
    allocated_on: dt.date,
    commune: Unit | None = None,
    project: Project | None = None,
    decision_ref: str = "",
    note: str = "",
) -> Allocation:
    _require(plan_can_allocate(user_reach(by), plan))
    locked = CapitalPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    _check_target(locked, commune, project)
    if amount <= 0:
        raise ValidationError({"amount": _("Số vốn phân bổ phải lớn hơn 0.")})
    _in_year(allocated_on, locked, "allocated_on", _("Ngày phân bổ"))
    _over_plan(locked, amount, _allocated(locked))
    allocation = Allocation.objects.create(
        plan=locked,
        commune=commune,
        project=project,
        amount=amount,
        allocated_on=allocated_on,
        decision_ref=decision_ref,
        note=note,
        created_by=by,
    )
    _communes_changed(allocation)
    return allocation


@transaction.atomic
def allocation_update(
    *,
    by,
    allocation: Allocation,
    amount: int,
    allocated_on: dt.date,
    decision_ref: str = "",
    note: str = "",
) -> Allocation:
    _require(plan_can_allocate(user_reach(by), allocation.plan))
    plan = CapitalPlan.objects.select_for_update().select_related("unit").get(pk=allocation.plan_id)
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if amount <= 0:
        raise ValidationError({"amount": _("Số vốn phân bổ phải lớn hơn 0.")})
    _in_year(allocated_on, plan, "allocated_on", _("Ngày phân bổ"))
    _over_plan(plan, amount, _allocated(plan, excluding=locked.pk))
    paid = _disbursed(locked)
    if amount < paid:
        raise ValidationError(
            {
                "amount": _("Không giảm được số phân bổ xuống %(amount)s: đã giải ngân %(paid)s.")
                % {"amount": money(amount), "paid": money(paid)}
            }
        )
    first = locked.disbursements.order_by("paid_on").values_list("paid_on", flat=True).first()
    if first and first < allocated_on:
        raise ValidationError(
            {
                "allocated_on": _("Ngày phân bổ không được sau lần giải ngân đầu tiên (%(day)s).")
                % {"day": first.strftime("%d/%m/%Y")}
            }
        )
    locked.amount, locked.allocated_on = amount, allocated_on
    locked.decision_ref, locked.note = decision_ref, note
    locked.save()
    _communes_changed(locked)
    return locked


@transaction.atomic
def allocation_delete(*, by, allocation: Allocation) -> None:
    _require(plan_can_allocate(user_reach(by), allocation.plan))
    CapitalPlan.objects.select_for_update().get(pk=allocation.plan_id)
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    paid = _disbursed(locked)
    if paid:
        raise ValidationError(
            _("Phân bổ này đã giải ngân %(paid)s: không xoá được.") % {"paid": money(paid)}
        )
    communes = [c.pk for c in allocation_communes(locked)]
    locked.delete()
    program_changed(communes=communes)


# --- disbursements -----------------------------------------------------------------------------


@transaction.atomic
def disbursement_create(
    *,
    by,
    allocation: Allocation,
    paid_on: dt.date,
    amount: int,
    purpose: str,
    voucher_ref: str = "",
) -> Disbursement:
    _require(allocation_can_disburse(user_reach(by), allocation))
    locked = Allocation.objects.select_for_update().select_related("plan").get(pk=allocation.pk)
    if amount <= 0:
        raise ValidationError({"amount": _("Số tiền giải ngân phải lớn hơn 0.")})
    if not purpose.strip():
        raise ValidationError({"purpose": _("Ghi nội dung chi (giải ngân cho việc gì).")})
    _in_year(paid_on, locked.plan, "paid_on", _("Ngày giải ngân"))
    if paid_on < locked.allocated_on:
        raise ValidationError(
            {
                "paid_on": _("Ngày giải ngân không được trước ngày phân bổ (%(day)s).")
                % {"day": locked.allocated_on.strftime("%d/%m/%Y")}
            }
        )
    paid = _disbursed(locked)
    left = locked.amount - paid
    if amount > left:
        raise ValidationError(
            {
                "amount": _(
                    "Vượt số vốn đã phân bổ: còn lại %(left)s để giải ngân (phân bổ %(total)s, đã "
                    "giải ngân %(paid)s)."
                )
                % {"left": money(left), "total": money(locked.amount), "paid": money(paid)}
            }
        )
    disbursement = Disbursement.objects.create(
        allocation=locked,
        paid_on=paid_on,
        amount=amount,
        purpose=purpose.strip(),
        voucher_ref=voucher_ref,
        created_by=by,
    )
    _communes_changed(allocation)
    return disbursement


@transaction.atomic
def disbursement_delete(*, by, disbursement: Disbursement) -> None:
    """A wrong entry is deleted (its history is kept) by those who may record it."""
    allocation = disbursement.allocation
    _require(allocation_can_disburse(user_reach(by), allocation))
    Allocation.objects.select_for_update().get(pk=allocation.pk)
    Disbursement.objects.filter(pk=disbursement.pk).delete()
    _communes_changed(allocation)
