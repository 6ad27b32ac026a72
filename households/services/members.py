"""Members of a household: checks and writes shared by registration and surveys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from areas.text import fold

from ..models import (
    Household,
    Member,
)


def head_fields(members: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The household fields that follow its head member (pure; the demo generator calls it)."""
    head = next((m for m in members if m.get("relation") == "head"), None)
    if head is None:
        raise ValidationError(_("Hộ phải có một thành viên là chủ hộ."))
    return {
        "head_name": head["full_name"],
        "head_name_folded": fold(head["full_name"]),
        "is_ethnic_minority": head.get("ethnicity", "kinh") != "kinh",
    }


def _sync_head(household: Household, members: Iterable[Mapping[str, Any]]) -> None:
    for field, value in head_fields(members).items():
        setattr(household, field, value)


def _check_members(members: list[Mapping[str, Any]], on: dt.date, exclude_household=None):
    if not members:
        raise ValidationError(_("Hộ phải có ít nhất một thành viên."))
    if sum(1 for m in members if m.get("relation") == "head") != 1:
        raise ValidationError(_("Hộ phải có đúng một chủ hộ."))
    ids = [m["citizen_id"] for m in members if m.get("citizen_id")]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("Hai thành viên trong hộ không thể có cùng số định danh."))
    if ids:
        clash = Member.objects.filter(citizen_id__in=ids, is_current=True)
        if exclude_household is not None:
            clash = clash.exclude(household=exclude_household)
        taken = clash.values_list("citizen_id", flat=True).first()
        if taken:
            raise ValidationError(
                _("Số định danh %(id)s đã thuộc về một người ở hộ khác.") % {"id": taken}
            )


def _save_members(household: Household, members: list[Mapping[str, Any]]) -> None:
    """Create, update, and retire members: rows missing from ``members`` stop counting."""
    keep = []
    fields = [f for f in MEMBER_MODEL_FIELDS if f != "id"]
    current = {m.pk: m for m in household.members.filter(is_current=True)}
    for data in members:
        values = {f: data[f] for f in fields if f in data}
        member_id = data.get("id")
        if member_id:
            member = current.get(member_id)
            if member is None:
                raise ValidationError(_("Thành viên không thuộc hộ này."))
            if any(getattr(member, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(member, f, v)
                member.save()  # a history row only when something changed
        else:
            member = Member.objects.create(household=household, **values)
        keep.append(member.pk)
    for gone in household.members.filter(is_current=True).exclude(pk__in=keep):
        gone.is_current = False
        gone.save()


MEMBER_MODEL_FIELDS = (
    "id",
    "full_name",
    "sex",
    "birth_date",
    "relation",
    "ethnicity",
    "citizen_id",
    "has_health_insurance",
    "schooling",
    "education_level",
    "employment",
    "is_disabled",
    "has_monthly_social_allowance",
    "nutrition",
)
