"""Which units a user may see and change at a date: the one place scope is decided.

Every selector of every app filters through this module. ``user_scope`` (a day's scope) costs
two queries whatever the number of assignments or units (the assignments, then the member paths
of any groups among them); the querysets it returns are lazy and can be used as subqueries.

``Reach`` extends a scope into the past, for records filed under units that no longer exist
(projects and courses of the old tree): ``reach_q`` is its one SQL form, for lists and for the
check on one record alike (see the section below).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from .models import Assignment, Role, Unit, UnitQuerySet


class Capability:
    """What a role lets a user do in the units under its assignment."""

    SEE = "see"  # read households, surveys, projects, indicators
    ENTER = "enter"  # register households, enter surveys, submit a commune, propose projects
    REVIEW = "review"  # accept/return commune results, appraise and approve projects
    ADMINISTER = "administer"  # units, users, standards, targets, review rounds


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.COMMUNE_OFFICER: frozenset({Capability.SEE, Capability.ENTER}),
    Role.DISTRICT_STAFF: frozenset({Capability.SEE, Capability.REVIEW}),
    Role.PROVINCIAL_LEADER: frozenset({Capability.SEE}),
    Role.ADMINISTRATOR: frozenset(
        {Capability.SEE, Capability.ENTER, Capability.REVIEW, Capability.ADMINISTER}
    ),
}


@dataclass(frozen=True)
class Scope:
    day: dt.date
    roles: frozenset[str]
    # capability -> materialized paths of the units the capability covers
    paths: dict[str, tuple[str, ...]]

    def can(self, capability: str) -> bool:
        return bool(self.paths.get(capability))

    def _under(self, capability: str) -> Q | None:
        paths = self.paths.get(capability, ())
        if not paths:
            return None
        return reduce(or_, (Q(path__startswith=p) for p in paths))

    def units(self, capability: str = Capability.SEE) -> UnitQuerySet:
        """Every unit (any level) valid at the scope's day under the user's assignments."""
        q = self._under(capability)
        if q is None:
            return Unit.objects.none()
        return Unit.objects.valid_on(self.day).filter(q)

    def communes(self, capability: str = Capability.SEE) -> UnitQuerySet:
        return self.units(capability).communes()

    def roots(self, capability: str, *, provinces_only: bool = False) -> tuple[str, ...]:
        """The paths the capability covers; ``provinces_only``: only whole provinces (the roots
        of the tree, whose path has one segment: "/1/")."""
        paths = self.paths.get(capability, ())
        if provinces_only:
            paths = tuple(p for p in paths if p.count("/") == 2)
        return paths

    def covers(self, unit: Unit, capability: str = Capability.SEE) -> bool:
        """In Python, without a query: is this unit under the capability's roots?"""
        return unit.is_valid_on(self.day) and any(
            unit.path.startswith(p) for p in self.paths.get(capability, ())
        )


def user_scope(user, day: dt.date | None = None) -> Scope:
    day = day or timezone.localdate()
    if not user.is_authenticated or not user.is_active:
        return Scope(day=day, roles=frozenset(), paths={})
    assignments = list(
        Assignment.objects.valid_on(day)
        .filter(user=user)
        .select_related("unit")
        .only("role", "group_id", "unit__path")
    )
    roles = {a.role for a in assignments}
    group_roles: dict[int, set[str]] = {}
    paths: dict[str, set[str]] = {}
    for a in assignments:
        caps = ROLE_CAPABILITIES[a.role]
        if a.unit_id:
            for cap in caps:
                paths.setdefault(cap, set()).add(a.unit.path)
        else:
            group_roles.setdefault(a.group_id, set()).add(a.role)
    if group_roles:
        members = Unit.objects.filter(unit_groups__in=list(group_roles)).values_list(
            "unit_groups", "path"
        )
        for group_id, path in members:
            for role in group_roles[group_id]:
                for cap in ROLE_CAPABILITIES[role]:
                    paths.setdefault(cap, set()).add(path)
    if user.is_superuser:
        # Django superusers administer the whole installation, whatever their assignments.
        roots = set(Unit.objects.filter(parent__isnull=True).values_list("path", flat=True))
        roles.add(Role.ADMINISTRATOR)
        for cap in ROLE_CAPABILITIES[Role.ADMINISTRATOR]:
            paths.setdefault(cap, set()).update(roots)
    return Scope(
        day=day,
        roles=frozenset(roles),
        paths={cap: tuple(sorted(_minimal(p))) for cap, p in paths.items()},
    )


def staff_administrator(user) -> bool:
    """An active staff account with the administrator's role today: the admin's read-only pages
    of the outboxes (jobs, e-mails) open to it without model permissions."""
    return user.is_active and user.is_staff and user_scope(user).can(Capability.ADMINISTER)


def _minimal(paths: set[str]) -> set[str]:
    """Drop paths that lie under another path of the set (fewer OR terms in the SQL)."""
    ordered = sorted(paths, key=len)
    kept: list[str] = []
    for p in ordered:
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return set(kept)


def request_scope(request) -> Scope:
    """The scope of the request's user today, computed once per request."""
    scope = getattr(request, "_portal_scope", None)
    if scope is None:
        scope = user_scope(request.user)
        request._portal_scope = scope
    return scope


# --- reach: scope in the past ---------------------------------------------------------------
#
# A project (or course) belongs to its units. A user sees it when they SEE one of its units at
# today's date, or, for units of the old tree that no longer exist, at the record's start date
# (so a 2024 project of Thị trấn Ba Tơ stays with the people who worked on it then). A user's
# scope only changes where one of their assignments starts or ends, so the past is a handful of
# windows, each computed once with ``user_scope``: list pages cost the same number of queries
# whatever the number of records.


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
    reach = getattr(request, "_portal_reach", None)
    if reach is None:
        reach = user_reach(request.user, scope=request_scope(request))
        request._portal_reach = reach
    return reach


def _paths_q(paths: tuple[str, ...], field: str) -> Q | None:
    terms = [Q(**{f"{field}__startswith": p}) for p in paths]
    return reduce(or_, terms) if terms else None


def reach_q(
    reach: Reach,
    capability: str,
    *,
    unit: str,
    start: str | dt.date,
    provinces_only: bool = False,
) -> Q:
    """Rows whose unit the user reaches with ``capability``: units valid today under today's
    scope, and units of the past under the scope of the window holding the record's start.

    ``unit``: the field path to the unit ("communes", "unit"; "" when filtering units
    themselves). ``start``: the record's date field, or the date itself when checking one record
    (``reached``). ``provinces_only``: only whole provinces count (the "province" approval level).
    Acting (any capability but SEE) on a record of the past needs the capability today as well.
    """
    prefix = f"{unit}__" if unit else ""
    today = reach.day
    q = Q(pk__in=[])
    current = _paths_q(reach.today.roots(capability, provinces_only=provinces_only),
                       f"{prefix}path")  # fmt: skip
    if current is not None:
        q |= (
            Q(**{f"{prefix}valid_from__lte": today})
            & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": today}))
            & current
        )
    if not reach.today.can(capability) and capability != Capability.SEE:
        return q
    for window in reach.windows:
        past = _paths_q(window.scope.roots(capability, provinces_only=provinces_only),
                        f"{prefix}path")  # fmt: skip
        if past is None:
            continue
        term = Q(**{f"{prefix}valid_to__lt": today}) & past
        if isinstance(start, dt.date):
            if not window.contains(start):
                continue
        else:
            term &= Q(**{f"{start}__gte": window.starts})
            if window.ends is not None:
                term &= Q(**{f"{start}__lte": window.ends})
        q |= term
    return q


def reached(
    reach: Reach,
    capability: str,
    units,
    start: dt.date,
    *,
    provinces_only: bool = False,
    every: bool = False,
) -> bool:
    """Does the user reach any (or ``every``) of these units of one record started on ``start``?
    One query, through ``reach_q``: the same rule as the lists."""
    ids = {u.pk for u in units}
    if not ids:
        return False
    q = reach_q(reach, capability, unit="", start=start, provinces_only=provinces_only)
    found = Unit.objects.filter(q, pk__in=ids).count()
    return found == len(ids) if every else found > 0
