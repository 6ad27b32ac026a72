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
    ids = _check_member_rows(members)
    if ids:
        clash = Member.objects.filter(citizen_id__in=ids, is_current=True)
        if exclude_household is not None:
            clash = clash.exclude(household=exclude_household)
        taken = clash.values_list("citizen_id", flat=True).first()
        if taken:
            raise _citizen_id_taken(taken)


def _check_member_rows(members: list[Mapping[str, Any]]) -> list[str]:
    """The rules on the member rows themselves; returns their citizen IDs."""
    if not members:
        raise ValidationError(_("Hộ phải có ít nhất một thành viên."))
    if sum(1 for m in members if m.get("relation") == "head") != 1:
        raise ValidationError(_("Hộ phải có đúng một chủ hộ."))
    ids = [m["citizen_id"] for m in members if m.get("citizen_id")]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("Hai thành viên trong hộ không thể có cùng số định danh."))
    return ids


def _citizen_id_taken(citizen_id: str) -> ValidationError:
    return ValidationError(
        _("Số định danh %(id)s đã thuộc về một người ở hộ khác.") % {"id": citizen_id}
    )


def _save_members(household: Household, members: list[Mapping[str, Any]]) -> None:
    """Create, update, and retire members: rows missing from ``members`` stop counting."""
    current = {m.pk: m for m in household.members.filter(is_current=True)}
    changed, added, gone = _members_diff(current, members)
    for member in changed:
        member.save()  # a history row only when something changed
    for values in added:
        Member.objects.create(household=household, **values)
    for member in gone:
        member.save()


def _members_diff(
    current: Mapping[int, Member], members: list[Mapping[str, Any]]
) -> tuple[list[Member], list[dict[str, Any]], list[Member]]:
    """What saving ``members`` over the household's ``current`` ones (by pk) changes: the current
    members whose values differ (the new values set on them), the values of members to add, the
    current members who leave (``is_current`` set to False). The caller writes them."""
    fields = [f for f in MEMBER_MODEL_FIELDS if f != "id"]
    changed, added, kept = [], [], set()
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
                changed.append(member)
            kept.add(member_id)
        else:
            added.append(values)
    gone = [m for pk, m in current.items() if pk not in kept]
    for member in gone:
        member.is_current = False
    return changed, added, gone


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
    "employer_certified_training",
    "employment",
    "is_disabled",
    "has_monthly_social_allowance",
    "nutrition",
)
