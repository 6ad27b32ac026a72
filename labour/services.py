"""Every write of project 4 (labour): keyword-only, atomic, scope-checked.

A commune officer (ENTER on the commune) and administrators record training needs; fairs are
recorded by the commune officer for their commune, by district staff for a commune of their
group (REVIEW), by administrators for any commune or the province. A hire known by name is an
employment record made through ``projects.services.employment_record_create`` (its ENTER check
and rules), linked to the fair. Each change marks the commune's program indicators stale.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Level, Unit
from areas.scope import Capability, user_reach, user_scope
from households.models import Member
from indicators.services import program_changed
from projects.services import employment_record_create

from .models import FairHire, JobFair, Trade, TrainingNeed
from .rules import is_surveyed_class, member_is_working_age
from .selectors import fair_can_manage, fair_units, household_current_class

FAIR_FIELDS = (
    "kind",
    "held_on",
    "place",
    "employers_count",
    "employers",
    "jobs_offered",
    "attendees",
    "attendees_poor",
    "hires",
    "note",
)


@transaction.atomic
def need_record(
    *,
    by,
    member: Member,
    surveyed_on: dt.date,
    trade: Trade,
    level: str,
    where: str,
    wants_job: bool = True,
    note: str = "",
) -> TrainingNeed:
    household = member.household
    if not user_scope(by).covers(household.commune, Capability.ENTER):
        raise PermissionDenied
    if surveyed_on > timezone.localdate():
        raise ValidationError({"surveyed_on": _("Ngày khảo sát không được sau ngày hôm nay.")})
    if not member.is_current:
        raise ValidationError(_("%(name)s không còn trong hộ.") % {"name": member.full_name})
    if not is_surveyed_class(household_current_class(household)):
        raise ValidationError(
            _(
                "Hộ %(code)s không thuộc diện hộ nghèo, cận nghèo theo kết quả rà soát gần nhất: "
                "chỉ khảo sát nhu cầu đào tạo nghề của người lao động hộ nghèo, hộ cận nghèo."
            )
            % {"code": household.code}
        )
    if not member_is_working_age(member, surveyed_on):
        raise ValidationError(
            _("%(name)s không trong độ tuổi lao động vào ngày khảo sát.")
            % {"name": member.full_name}
        )
    if TrainingNeed.objects.filter(member=member, year=surveyed_on.year).exists():
        raise ValidationError(
            _("Đã ghi nhu cầu đào tạo của %(name)s trong năm %(year)s.")
            % {"name": member.full_name, "year": surveyed_on.year}
        )
    need = TrainingNeed(
        member=member,
        commune=household.commune,
        surveyed_on=surveyed_on,
        year=surveyed_on.year,
        trade=trade,
        level=level,
        where=where,
        wants_job=wants_job,
        note=note.strip(),
        created_by=by,
    )
    need.full_clean(exclude=["created_by"])
    need.save()
    program_changed(communes=[household.commune_id])
    return need


def _check_fair(fields: dict[str, Any]) -> None:
    errors = {}
    if not (fields.get("place") or "").strip():
        errors["place"] = _("Nhập địa điểm tổ chức.")
    attendees = fields.get("attendees") or 0
    if (fields.get("attendees_poor") or 0) > attendees:
        errors["attendees_poor"] = _(
            "Số người thuộc hộ nghèo, cận nghèo không được lớn hơn số người tham dự."
        )
    if (fields.get("hires") or 0) > attendees:
        errors["hires"] = _("Số người được tuyển dụng không được lớn hơn số người tham dự.")
    if errors:
        raise ValidationError(errors)


def _fair_changed(fair: JobFair) -> None:
    if fair.unit.level == Level.COMMUNE:
        program_changed(communes=[fair.unit_id])


@transaction.atomic
def fair_create(*, by, unit: Unit, **fields: Any) -> JobFair:
    if not fair_units(user_scope(by)).filter(pk=unit.pk).exists():
        raise PermissionDenied
    _check_fair(fields)
    fair = JobFair(unit=unit, created_by=by, **{f: fields[f] for f in FAIR_FIELDS if f in fields})
    fair.place = fair.place.strip()
    fair.full_clean(exclude=["created_by"])
    fair.save()
    _fair_changed(fair)
    return fair


@transaction.atomic
def fair_update(*, by, fair: JobFair, **fields: Any) -> JobFair:
    if not fair_can_manage(user_reach(by), fair):
        raise PermissionDenied
    merged = {f: fields.get(f, getattr(fair, f)) for f in FAIR_FIELDS}
    _check_fair(merged)
    named = fair.hire_links.count()
    if merged["hires"] < named:
        raise ValidationError(
            {"hires": _("Đã ghi tên %(n)s người được tuyển: số người được tuyển không nhỏ hơn.")
             % {"n": named}}
        )  # fmt: skip
    for f, value in merged.items():
        setattr(fair, f, value)
    fair.full_clean(exclude=["created_by"])
    fair.save()
    _fair_changed(fair)
    return fair


@transaction.atomic
def fair_hire_add(
    *,
    by,
    fair: JobFair,
    member: Member,
    employer: str,
    contract: str,
    starts_on: dt.date,
    is_abroad: bool = False,
    is_sustainable: bool = False,
    note: str = "",
) -> FairHire:
    """A worker hired at the fair: an employment record (projects' service) linked to it. The
    fair's hire count grows to the named hires when it was lower (never above attendees)."""
    reach = user_reach(by)
    if not fair_can_manage(reach, fair):
        raise PermissionDenied
    if not member.household.commune.path.startswith(fair.unit.path):
        raise ValidationError(_("Người lao động không thuộc địa bàn tổ chức phiên."))
    if starts_on < fair.held_on:
        raise ValidationError({"starts_on": _("Ngày bắt đầu làm việc phải từ ngày tổ chức phiên.")})
    if FairHire.objects.filter(job_fair=fair, employment_record__member=member).exists():
        raise ValidationError(
            _("%(name)s đã được ghi tuyển dụng qua phiên này.") % {"name": member.full_name}
        )
    named = fair.hire_links.count() + 1
    if named > fair.attendees:
        raise ValidationError(
            _("Số người được tuyển (%(n)s) sẽ lớn hơn số người tham dự phiên (%(a)s): sửa số "
              "người tham dự trước.") % {"n": named, "a": fair.attendees}
        )  # fmt: skip
    if not is_surveyed_class(household_current_class(member.household)):
        raise ValidationError(
            _("Hộ %(code)s không thuộc diện hộ nghèo, cận nghèo theo kết quả rà soát gần nhất.")
            % {"code": member.household.code}
        )
    record = employment_record_create(
        by=by,
        member=member,
        contract=contract,
        starts_on=starts_on,
        employer=employer,
        is_abroad=is_abroad,
        is_sustainable=is_sustainable,
        note=note or _("Tuyển dụng qua %(fair)s") % {"fair": fair},
    )
    link = FairHire.objects.create(job_fair=fair, employment_record=record)
    if fair.hires < named:
        fair.hires = named
        fair.save(update_fields=["hires"])
    program_changed(communes=[member.household.commune_id])
    return link
