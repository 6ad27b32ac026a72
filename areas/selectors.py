"""User-scoped reads of units. Views fetch units only through these functions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Assignment, GroupKind, Level, Unit, UnitGroup
from .scope import Capability, Scope, user_scope
from .text import fold


def unit_list_for_user(scope: Scope, *, search: str = "", level: str = "") -> QuerySet[Unit]:
    """Units the user may see, valid at the scope's day."""
    units = scope.units(Capability.SEE)
    if level:
        units = units.filter(level=level)
    if search:
        term = search.strip()
        units = units.filter(Q(code__startswith=term) | Q(name_folded__contains=fold(term)))
    return units.select_related("parent").order_by("path")


def unit_get_for_user(user, pk: int, today: dt.date) -> Unit:
    """A unit the user could see while it existed (its last valid day, or today); else 404.

    A former district is visible to whoever was assigned over it before the reform, so history
    pages (predecessors, successors) stay reachable for the people who worked with them.
    """
    unit = Unit.objects.select_related("parent").filter(pk=pk).first()
    if unit is None:
        raise Http404
    day = min(today, unit.valid_to) if unit.valid_to else today
    if day < unit.valid_from or not user_scope(user, day).covers(unit):
        raise Http404
    return unit


def assignment_list_for_user(user, day: dt.date) -> QuerySet[Assignment]:
    return (
        Assignment.objects.valid_on(day)
        .filter(user=user)
        .select_related("unit", "unit__parent", "group")
        .order_by("role", "unit__code")
    )


def unit_groups_for_unit(unit: Unit) -> QuerySet[UnitGroup]:
    return UnitGroup.objects.filter(members=unit).order_by("name")


def area_across(unit: Unit, day: dt.date) -> Unit | UnitGroup | None:
    """The area of the tree valid at ``day`` that stands for ``unit`` across the 1 July 2025
    reform, through the crosswalk (``UnitSuccession``) and the former-district groups; ``unit``
    itself when it is valid that day; None when nothing stands for it.

    - a province or district whose code and level exist that day (province 51): that unit;
    - an old district on the new tree: its former-district group (the new communes made from it);
    - an old commune on the new tree: the new commune it went into; when it was split (Trà Bùi),
      the group of its former district;
    - a new commune on the old tree: the old unit it came from; when it came from several, their
      old district (or the province, if they lay in several districts);
    - a province without a namesake (old Kon Tum on the new tree): the province its communes
      went into.

    A few indexed queries; the caller checks the result against the user's scope.
    """
    if unit.is_valid_on(day):
        return unit
    valid = Unit.objects.valid_on(day)
    if unit.level != Level.COMMUNE:
        same = valid.filter(code=unit.code, level=unit.level).first()
        if same is not None:
            return same
    older = unit.valid_to is not None and unit.valid_to < day  # the unit predates the day's tree
    if unit.level == Level.DISTRICT and older:
        return UnitGroup.objects.filter(
            kind=GroupKind.FORMER_DISTRICT, former_district=unit
        ).first()
    if unit.level == Level.COMMUNE and older:
        new = list(valid.filter(predecessions__old=unit).distinct())
        if len(new) == 1:
            return new[0]
        if new and unit.parent_id:
            return UnitGroup.objects.filter(
                kind=GroupKind.FORMER_DISTRICT, former_district_id=unit.parent_id
            ).first()
        return None
    if unit.level == Level.COMMUNE:
        old = list(valid.filter(successions__new=unit).select_related("parent").distinct())
        if len(old) == 1:
            return old[0]
        parents = {u.parent for u in old if u.parent_id}
        if len(parents) == 1:
            return parents.pop()
        roots = {u.path.strip("/").split("/")[0] for u in old}
        return valid.filter(pk=int(roots.pop())).first() if len(roots) == 1 else None
    if unit.level == Level.PROVINCE:
        paths = valid.filter(
            Q(predecessions__old__path__startswith=unit.path)
            | Q(successions__new__path__startswith=unit.path)
        ).values_list("path", flat=True)
        roots = {p.strip("/").split("/")[0] for p in paths}
        return valid.filter(pk=int(roots.pop())).first() if len(roots) == 1 else None
    return None
