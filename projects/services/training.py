"""Trainings (courses, participants, attendance) and employment records of household members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from areas.models import Unit
from areas.scope import Capability, user_reach
from households.models import Member

from ..models import Course, CourseParticipant, EmploymentRecord
from ..selectors.training import MANAGE, course_can_manage, staff_candidates
from .common import program_changed

COURSE_FIELDS = ("title", "kind", "component", "starts_on", "ends_on", "place", "organiser")


def _course_changed(course: Course) -> None:
    """Completions count in the program indicators: the participants' communes and staff."""
    participants = course.participants.all()
    program_changed(
        households=participants.filter(member__isnull=False).values_list(
            "member__household_id", flat=True
        ),
        staff=participants.filter(user__isnull=False).exists(),
    )


def _require_course(by, course: Course) -> None:
    if not course_can_manage(user_reach(by), course):
        raise PermissionDenied


def _check_course(fields: Mapping[str, Any]) -> None:
    errors = {}
    component = fields.get("component")
    if component is not None and not component.for_trainings:
        errors["component"] = _("Dự án / tiểu dự án này không dùng cho tập huấn, đào tạo.")
    if (
        fields.get("starts_on")
        and fields.get("ends_on")
        and fields["ends_on"] < fields["starts_on"]
    ):
        errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def course_create(*, by, unit: Unit, **fields: Any) -> Course:
    scope = user_reach(by).today
    if not any(scope.covers(unit, cap) for cap in MANAGE):
        raise PermissionDenied
    _check_course(fields)
    course = Course(unit=unit, created_by=by, **{f: fields[f] for f in COURSE_FIELDS})
    course.full_clean(exclude=["created_by"])
    course.save()
    return course


@transaction.atomic
def course_update(*, by, course: Course, **fields: Any) -> Course:
    _require_course(by, course)
    _check_course(fields)
    for field in COURSE_FIELDS:
        if field in fields:
            setattr(course, field, fields[field])
    course.full_clean(exclude=["created_by"])
    course.save()
    _course_changed(course)
    return course


@transaction.atomic
def course_participants_add(
    *, by, course: Course, users: Iterable = (), members: Iterable[Member] = ()
) -> int:
    """Add staff (users assigned in the province) or members of households under the course's
    unit; returns how many were added."""
    _require_course(by, course)
    users, members = list(users), list(members)
    if users:
        allowed = set(staff_candidates(course).values_list("pk", flat=True))
        if any(u.pk not in allowed for u in users):
            raise ValidationError(_("Chỉ thêm được cán bộ làm công tác giảm nghèo trong tỉnh."))
    for m in members:
        if not m.is_current or not m.household.commune.path.startswith(course.unit.path):
            raise ValidationError(
                _("%(name)s không thuộc hộ cư trú trên địa bàn tổ chức lớp.") % {"name": m}
            )
    present = set(course.participants.values_list("member_id", flat=True))
    rows = [CourseParticipant(course=course, user=u) for u in users]
    rows += [CourseParticipant(course=course, member=m) for m in members if m.pk not in present]
    for row in rows:
        row.save()
    return len(rows)


@transaction.atomic
def course_participant_remove(*, by, course: Course, participant_id: int) -> None:
    _require_course(by, course)
    _course_changed(course)  # before: the one leaving counts too
    deleted, _rows = course.participants.filter(pk=participant_id).delete()
    if not deleted:
        raise ValidationError(_("Người này không có trong danh sách lớp."))


@transaction.atomic
def course_attendance_save(*, by, course: Course, rows: Mapping[int, tuple[bool, bool]]) -> int:
    """Attendance and completion per participant id: {id: (attended, completed)}."""
    _require_course(by, course)
    changed = 0
    for participant in course.participants.filter(pk__in=list(rows)):
        attended, completed = rows[participant.pk]
        if completed and not attended:
            raise ValidationError(
                _("%(who)s: chỉ ghi hoàn thành khi đã tham dự.")
                % {"who": participant.user or participant.member}
            )
        if (participant.attended, participant.completed) != (attended, completed):
            participant.attended, participant.completed = attended, completed
            participant.save()
            changed += 1
    if changed:
        _course_changed(course)
    return changed


@transaction.atomic
def employment_record_create(
    *,
    by,
    member: Member,
    contract: str,
    starts_on: dt.date,
    employer: str = "",
    ends_on: dt.date | None = None,
    is_abroad: bool = False,
    is_sustainable: bool = False,
    course: Course | None = None,
    note: str = "",
) -> EmploymentRecord:
    reach = user_reach(by)
    if not reach.today.covers(member.household.commune, Capability.ENTER):
        raise PermissionDenied
    errors = {}
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if contract != "self" and not employer.strip():
        errors["employer"] = _("Nhập nơi làm việc (hoặc chọn “Tự tạo việc làm”).")
    if errors:
        raise ValidationError(errors)
    record = EmploymentRecord(
        member=member,
        contract=contract,
        starts_on=starts_on,
        employer=employer.strip(),
        ends_on=ends_on,
        is_abroad=is_abroad,
        is_sustainable=is_sustainable,
        course=course,
        note=note,
        created_by=by,
    )
    record.full_clean(exclude=["created_by"])
    record.save()
    program_changed(households=[member.household_id])
    return record
