"""User-scoped reads of units. Views fetch units only through these functions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Assignment, Unit, UnitGroup
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
