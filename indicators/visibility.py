"""Who sees which aggregate figures: the one policy the dashboards, maps and exports follow.

Scope (``areas.scope``) says which units a user may see at a date. Aggregates add communes up,
so they need a rule of their own, or a figure of a commune outside the scope leaks through a
group or a breakdown that contains it. The rule:

- **A unit's figures** are visible to whoever's scope covers the unit at the round's date (the
  unit under one of their assignments): a commune officer sees their commune, district staff the
  units of their group(s), leaders and administrators everything.
- **The province's own figures are published totals**: every user with a scope in a province sees
  that province's figures (its headline, trend, targets), but not its breakdown by units they do
  not cover. A commune officer may therefore open the province page; its table, chart and map
  list only the units they may see, and the page says how many it hides.
- **A group's figures** (its totals, targets, breakdown row, export total) are visible only to
  users who may see *every* commune of the group at the round's date. District staff see their
  former-district group; a commune officer sees no group, so "Các huyện miền núi" or a
  former-district group never reveals the other communes' sums to them. A group not visible
  this way is not offered (breakdown rows, export areas, target rows); asked for by URL, the
  dashboard and exports fall back to the user's default area with a notice when the user may see
  some of its communes (``indicators.selectors.owner_for``), and answer 404 when they may see
  none (an outsider learns nothing of the group).
- **Lists under a visible owner** (breakdown rows, map communes, export lines) keep only the
  units whose figures the user may see; an export built that way says so in its title
  ("… – các xã trong phạm vi của người dùng"), a page says "Chỉ hiện N/M … trong phạm vi của bạn".

Every function takes the user's ``Scope`` at the round's date (``user_scope(user, day)``).
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from areas.models import Level, Unit, UnitGroup
from areas.scope import Capability, Scope


def _see_paths(scope: Scope) -> tuple[str, ...]:
    return scope.paths.get(Capability.SEE, ())


def _under(paths) -> Q:
    return reduce(or_, (Q(path__startswith=p) for p in paths), Q(pk__in=[]))


def unit_visible(scope: Scope, unit: Unit) -> bool:
    """The unit's figures: covered by the scope, or the user's own province (published totals).
    In Python, no query."""
    if scope.covers(unit):
        return True
    return (
        unit.level == Level.PROVINCE
        and unit.is_valid_on(scope.day)
        and any(p.startswith(unit.path) for p in _see_paths(scope))
    )


def group_communes(group: UnitGroup, day):
    """The group's communes valid at the day (everything below a member)."""
    paths = tuple(group.members.values_list("path", flat=True))
    return Unit.objects.valid_on(day).communes().filter(_under(paths))


def group_coverage(scope: Scope, group: UnitGroup) -> tuple[int, int]:
    """(communes of the group the user may see, communes of the group) at the scope's day."""
    communes = group_communes(group, scope.day)
    total = communes.count()
    paths = _see_paths(scope)
    if not paths:
        return 0, total
    return communes.filter(_under(paths)).count(), total


def group_visible(scope: Scope, group: UnitGroup) -> bool:
    """A group's figures: only for users who may see every one of its communes (and some)."""
    seen, total = group_coverage(scope, group)
    return total > 0 and seen == total


def visible_group_ids(scope: Scope, groups=None) -> set[int]:
    """The ids of the groups (all, or those given) whose figures the user may see: two queries
    whatever the number of groups (the groups' member paths, the communes of the day)."""
    paths = _see_paths(scope)
    if not paths:
        return set()
    through = UnitGroup.members.through.objects.all()
    if groups is not None:
        through = through.filter(unitgroup_id__in=[g.pk for g in groups])
    members: dict[int, list[str]] = {}
    for group_id, path in through.values_list("unitgroup_id", "unit__path"):
        members.setdefault(group_id, []).append(path)
    communes = list(Unit.objects.valid_on(scope.day).communes().values_list("path", flat=True))
    out = set()
    for group_id, member_paths in members.items():
        mine = [c for c in communes if c.startswith(tuple(member_paths))]
        if mine and all(c.startswith(paths) for c in mine):
            out.add(group_id)
    return out


def visible_units(scope: Scope, units):
    """The units of a list whose figures the user may see (in Python)."""
    return [u for u in units if unit_visible(scope, u)]


def visible_communes_q(scope: Scope) -> Q:
    """A filter on units: those the scope covers (for querysets of communes)."""
    return _under(_see_paths(scope))
