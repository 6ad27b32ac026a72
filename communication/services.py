"""Writes of the communication app: activities. Every rule is here, once; the pages and the demo
data call these functions.

Who (docs/communication.md): a commune officer records the activities of their commune (ENTER);
district staff those of the communes of their group (REVIEW); administrators those of any unit,
the province included. Leaders read. Information support to a household is a support record of
an information kind (``support.services.support_record``), not an activity.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Level, Unit
from areas.scope import user_reach
from indicators.services import program_changed

from .models import Activity, ActivityKind, Audience
from .selectors import activity_can_manage, may_record


def _audience(groups) -> str:
    chosen = [g for g in Audience.values if g in set(groups or ())]
    return f",{','.join(chosen)}," if chosen else ""


def _check(*, kind, held_on, unit, title, reach, materials, cost, groups, activity=None) -> dict:
    errors = {}
    if kind is None:
        errors["kind"] = _("Chọn loại hoạt động.")
    elif not kind.active and (activity is None or activity.kind_id != kind.pk):
        errors["kind"] = _("Loại hoạt động này không còn dùng.")
    if held_on is None:
        errors["held_on"] = _("Nhập ngày thực hiện.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("Ngày thực hiện không được sau ngày hôm nay.")
    if unit is None:
        errors["unit"] = _("Chọn đơn vị thực hiện.")
    if not (title or "").strip():
        errors["title"] = _("Nhập tên hoạt động.")
    if reach is None or reach < 0:
        errors["reach"] = _("Số người tham dự, tiếp cận phải là số không âm.")
    if materials is None or materials < 0:
        errors["materials"] = _("Số sản phẩm, tài liệu phải là số không âm.")
    if cost is not None and cost < 0:
        errors["cost"] = _("Kinh phí phải là số không âm.")
    unknown = set(groups or ()) - set(Audience.values)
    if unknown:
        errors["audience_groups"] = _("Nhóm đối tượng không hợp lệ.")
    return errors


def _communes(unit: Unit) -> list[int]:
    return [unit.pk] if unit.level == Level.COMMUNE else []


@transaction.atomic
def activity_create(
    *,
    by,
    kind: ActivityKind,
    held_on: dt.date,
    unit: Unit,
    title: str,
    audience_groups=(),
    audience: str = "",
    reach: int = 0,
    materials: int = 0,
    materials_note: str = "",
    cost: int | None = None,
    note: str = "",
) -> Activity:
    errors = _check(
        kind=kind, held_on=held_on, unit=unit, title=title, reach=reach,
        materials=materials, cost=cost, groups=audience_groups,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    if not may_record(user_reach(by), unit, held_on):
        raise PermissionDenied
    activity = Activity.objects.create(
        kind=kind,
        held_on=held_on,
        unit=unit,
        title=title.strip(),
        audience_groups=_audience(audience_groups),
        audience=audience.strip(),
        reach=reach,
        materials=materials,
        materials_note=materials_note.strip(),
        cost=cost,
        note=note,
        created_by=by,
    )
    program_changed(communes=_communes(unit))
    return activity


@transaction.atomic
def activity_update(
    *,
    by,
    activity: Activity,
    kind: ActivityKind,
    held_on: dt.date,
    unit: Unit,
    title: str,
    audience_groups=(),
    audience: str = "",
    reach: int = 0,
    materials: int = 0,
    materials_note: str = "",
    cost: int | None = None,
    note: str = "",
) -> Activity:
    reach_ = user_reach(by)
    if not activity_can_manage(reach_, activity):
        raise PermissionDenied
    errors = _check(
        kind=kind, held_on=held_on, unit=unit, title=title, reach=reach,
        materials=materials, cost=cost, groups=audience_groups, activity=activity,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    if not may_record(reach_, unit, held_on):
        raise PermissionDenied
    before = _communes(activity.unit)
    activity.kind, activity.held_on, activity.unit = kind, held_on, unit
    activity.title = title.strip()
    activity.audience_groups = _audience(audience_groups)
    activity.audience = audience.strip()
    activity.reach, activity.materials = reach, materials
    activity.materials_note = materials_note.strip()
    activity.cost, activity.note = cost, note
    activity.save()
    program_changed(communes=set(before) | set(_communes(unit)))
    return activity


@transaction.atomic
def activity_delete(*, by, activity: Activity) -> None:
    if not activity_can_manage(user_reach(by), activity):
        raise PermissionDenied
    communes = _communes(activity.unit)
    activity.delete()
    program_changed(communes=communes)
