"""Where a user reaches, today and in the past: scope for records filed under units that may
no longer exist.

A project (or course) belongs to its units. A user sees it when they SEE one of its units at
today's date, or, for units of the old tree that no longer exist, at the record's start date
(so a 2024 project of Thị trấn Ba Tơ stays with the people who worked on it then). A user's
scope only changes where one of their assignments starts or ends, so the past is a handful of
windows, each computed once with ``areas.scope.user_scope``: list pages cost the same number of
queries whatever the number of records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from areas.models import Assignment, Unit
from areas.scope import Capability, Scope, request_scope, user_scope


@dataclass(frozen=True)
class Window:
    starts: dt.date
    ends: dt.date | None  # inclusive; None: up to today
    scope: Scope

    def contains(self, day: dt.date) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)


@dataclass(frozen=True)
class Reach:
    today: Scope
    windows: tuple[Window, ...]

    @property
    def day(self) -> dt.date:
        return self.today.day

    def can(self, capability: str) -> bool:
        return self.today.can(capability)

    def scope_on(self, day: dt.date) -> Scope | None:
        return next((w.scope for w in self.windows if w.contains(day)), None)


def user_reach(user, today: dt.date | None = None, *, scope: Scope | None = None) -> Reach:
    """``scope``: the user's scope today when already known (the request's)."""
    today = scope.day if scope else (today or timezone.localdate())
    scope = scope or user_scope(user, today)
    if not user.is_authenticated:
        return Reach(today=scope, windows=())
    periods = list(
        Assignment.objects.filter(user=user, valid_from__lte=today).values_list(
            "valid_from", "valid_to"
        )
    )
    starts = {vf for vf, _ in periods}
    starts |= {vt + dt.timedelta(days=1) for _, vt in periods if vt and vt < today}
    if user.is_superuser:
        starts.add(dt.date.min)
    ordered = sorted(starts)
    windows = []
    for i, start in enumerate(ordered):
        end = ordered[i + 1] - dt.timedelta(days=1) if i + 1 < len(ordered) else None
        past = scope if start == today else user_scope(user, start)
        if past.paths:
            windows.append(Window(starts=start, ends=end, scope=past))
    return Reach(today=scope, windows=tuple(windows))


def request_reach(request) -> Reach:
    """The reach of the request's user, computed once per request."""
    reach = getattr(request, "_projects_reach", None)
    if reach is None:
        reach = user_reach(request.user, scope=request_scope(request))
        request._projects_reach = reach
    return reach


# --- SQL ------------------------------------------------------------------------------------


def _under(paths: Iterable[str], field: str) -> Q | None:
    terms = [Q(**{f"{field}__startswith": p}) for p in paths]
    return reduce(or_, terms) if terms else None


def reach_q(
    reach: Reach, capability: str, *, unit: str, start: str, province_only: bool = False
) -> Q:
    """Rows whose unit (field path ``unit``) the user reaches; ``start`` is the record's date field.

    ``province_only``: only count paths that are whole provinces (the approving level "province").
    """
    today = reach.day
    current = _under(_paths(reach.today, capability, province_only), f"{unit}__path")
    q = Q(pk__in=[])
    if current is not None:
        q |= (
            Q(**{f"{unit}__valid_from__lte": today})
            & (Q(**{f"{unit}__valid_to__isnull": True}) | Q(**{f"{unit}__valid_to__gte": today}))
            & current
        )
    if not reach.today.can(capability) and capability != Capability.SEE:
        return q  # acting on old-tree records needs the capability today as well
    for window in reach.windows:
        past = _under(_paths(window.scope, capability, province_only), f"{unit}__path")
        if past is None:
            continue
        term = Q(**{f"{unit}__valid_to__lt": today, f"{start}__gte": window.starts}) & past
        if window.ends is not None:
            term &= Q(**{f"{start}__lte": window.ends})
        q |= term
    return q


def _paths(scope: Scope, capability: str, province_only: bool) -> tuple[str, ...]:
    paths = scope.paths.get(capability, ())
    if province_only:
        paths = tuple(p for p in paths if p.count("/") == 2)  # "/1/": a root of the tree
    return paths


# --- Python, for one record already loaded ---------------------------------------------------


def reaches(
    reach: Reach,
    capability: str,
    units: Iterable[Unit],
    start: dt.date,
    *,
    province_only: bool = False,
    every: bool = False,
) -> bool:
    """The Python twin of ``reach_q``: does the user reach any (or ``every``) of these units?"""
    units = list(units)
    if every:
        return bool(units) and all(
            reaches(reach, capability, [u], start, province_only=province_only) for u in units
        )
    today = reach.day
    for unit in units:
        if unit.is_valid_on(today):
            scope: Scope | None = reach.today
        elif unit.valid_to is not None and unit.valid_to < today:
            if capability != Capability.SEE and not reach.today.can(capability):
                continue
            scope = reach.scope_on(start)
        else:
            scope = None
        if scope and any(unit.path.startswith(p) for p in _paths(scope, capability, province_only)):
            return True
    return False
