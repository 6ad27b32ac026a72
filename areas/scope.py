"""Which units a user may see and change at a date: the one place scope is decided.

Every selector of every app filters through ``user_scope``. It costs two queries whatever the
number of assignments or units (the assignments, then the member paths of any groups among them);
the querysets it returns are lazy and can be used as subqueries.
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
