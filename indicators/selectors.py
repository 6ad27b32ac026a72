"""Reads of stored indicator values for the dashboards: a handful of queries per page, scoped.

Nothing here computes a rollup: pages show the values the last run stored, with its time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.utils.translation import get_language

from areas.models import Assignment, Unit, UnitGroup
from areas.scope import Capability, Scope, user_scope
from households.choices import TRANSITION as TRANSITION_LABELS
from households.models import ReviewRound

from .models import IndicatorValue, Target
from .rules import Status, TargetKind, target_status


@dataclass(frozen=True)
class Owner:
    """What a dashboard is about: one unit or one unit group."""

    unit: Unit | None = None
    group: UnitGroup | None = None

    @property
    def filter(self) -> dict:
        return {"unit": self.unit} if self.unit else {"group": self.group}

    @property
    def label(self) -> str:
        return self.unit.label if self.unit else self.group.name

    @property
    def query(self) -> str:
        return f"unit={self.unit.pk}" if self.unit else f"group={self.group.pk}"


def dashboard_rounds():
    return ReviewRound.objects.filter(kind="periodic").order_by("-starts_on")


def dashboard_round(pk: str | None, rounds: list[ReviewRound] | None = None) -> ReviewRound | None:
    """The round asked for (404 if it is not a periodic round), by default the newest one with
    stored values. ``rounds``: the periodic rounds already read with their freshness
    (``freshness.dashboard_rounds_with_freshness``), so that no other query is needed."""
    if rounds is not None:
        if pk:
            try:
                return next(r for r in rounds if r.pk == int(pk))
            except (ValueError, StopIteration):
                raise Http404 from None
        with_values = [r for r in rounds if r.values_at is not None]
        return next(iter(with_values or rounds), None)
    rounds = dashboard_rounds()
    if pk:
        try:
            return rounds.get(pk=int(pk))
        except (ValueError, ReviewRound.DoesNotExist):
            raise Http404 from None
    with_values = rounds.filter(pk__in=IndicatorValue.objects.values("round_id"))
    return with_values.first() or rounds.first()


def _group_paths(group: UnitGroup) -> tuple[str, ...]:
    return tuple(group.members.values_list("path", flat=True))


def owner_for(user, round_: ReviewRound, *, unit_pk=None, group_pk=None) -> tuple[Owner, Scope]:
    """The unit or group asked for, if the user may see it at the round's date; by default the
    widest one they may see (the province for leaders). Outside the scope: 404."""
    scope = user_scope(user, round_.reference_date)
    day = round_.reference_date
    try:
        if unit_pk:
            unit = Unit.objects.valid_on(day).select_related("parent").get(pk=int(unit_pk))
            if not scope.covers(unit):
                raise Http404
            return Owner(unit=unit), scope
        if group_pk:
            group = UnitGroup.objects.get(pk=int(group_pk))
            if not group_visible(scope, group):
                raise Http404
            return Owner(group=group), scope
    except (ValueError, Unit.DoesNotExist, UnitGroup.DoesNotExist):
        raise Http404 from None
    # By default: the widest area the user may see. A province first; then a group the user is
    # assigned to (district staff after the reform); then their highest unit.
    top = min(_scope_tops(scope), key=lambda u: (u.path.count("/"), u.code), default=None)
    if top is not None and top.level == "province":
        return Owner(unit=top), scope
    group = (
        Assignment.objects.valid_on(day)
        .filter(user=user, group__isnull=False)
        .values_list("group", flat=True)
        .first()
    )
    if group:
        return Owner(group=UnitGroup.objects.get(pk=group)), scope
    if top is not None:
        return Owner(unit=top), scope
    raise Http404


def _scope_tops(scope: Scope) -> list[Unit]:
    """The units the shallowest of which is the user's highest: the roots of the scope (a few
    rows) when they are all valid at the scope's day, else every unit under them."""
    roots = scope.paths.get(Capability.SEE, ())
    units = list(Unit.objects.valid_on(scope.day).filter(path__in=roots))
    if len(units) == len(roots):
        return units  # each root is above everything under it
    return list(scope.units())


def values_for(round_: ReviewRound, owner: Owner) -> dict[str, IndicatorValue]:
    rows = IndicatorValue.objects.filter(round=round_, **owner.filter).select_related("indicator")
    return {v.indicator.code: v for v in rows}


def provisional(round_: ReviewRound) -> bool:
    """Whether any of the round's stored values is still provisional (an open round with
    communes not yet accepted)."""
    return IndicatorValue.objects.filter(round=round_, provisional=True).exists()


@dataclass(frozen=True)
class TargetRow:
    target: Target
    actual: Decimal | None
    status: Status
    provisional: bool
    relation: str = ""  # set by targets_for: "same", "around" or "inside" the page's area


def target_rows(
    round_: ReviewRound, scope: Scope, *, owner: Owner | None = None
) -> list[TargetRow]:
    """The year's targets the user may see (or those of one owner), with actual and status."""
    targets = Target.objects.filter(year=round_.year).select_related("indicator", "unit", "group")
    if owner is not None:
        targets = targets.filter(**owner.filter)
    targets = list(targets)
    q = Q(pk__in=[])
    for t in targets:
        q |= (
            Q(indicator=t.indicator, unit=t.unit)
            if t.unit_id
            else Q(indicator=t.indicator, group=t.group)
        )
    values = {
        (v.indicator_id, v.unit_id, v.group_id): v
        for v in IndicatorValue.objects.filter(q, round=round_)
    }
    visible_groups = {
        g.pk for g in {t.group for t in targets if t.group_id} if group_visible(scope, g)
    }
    rows = []
    for t in targets:
        if t.unit_id and not scope.covers(t.unit):
            continue
        if t.group_id and t.group_id not in visible_groups:
            continue
        v = values.get((t.indicator_id, t.unit_id, t.group_id))
        actual = v.value if v else None
        provisional = v.provisional if v else round_.is_open
        status = target_status(
            TargetKind(t.kind),
            actual,
            t.low,
            t.high,
            provisional=provisional,
            higher_is_better=t.indicator.higher_is_better,
        )
        rows.append(TargetRow(t, actual, status, provisional))
    return rows


def group_visible(scope: Scope, group: UnitGroup) -> bool:
    """A group is visible to whoever may see at least one of its communes."""
    return scope.communes().filter(_under(_group_paths(group))).exists()


def breakdown(round_: ReviewRound, owner: Owner, codes: list[str]) -> list[dict]:
    """The areas just below an owner, with some indicators: districts under a province on the
    old tree, former-district groups on the new one, communes under a district or in a group."""
    day = round_.reference_date
    if owner.unit and owner.unit.level == "province":
        districts = Unit.objects.valid_on(day).filter(parent=owner.unit, level="district")
        if districts.exists():
            return _rows(round_, "unit", districts.order_by("code"), codes)
        groups = UnitGroup.objects.filter(kind="former_district").filter(
            members__in=Unit.objects.valid_on(day).filter(parent=owner.unit)
        )
        return _rows(round_, "group", groups.distinct().order_by("name"), codes)
    if owner.unit:
        children = Unit.objects.valid_on(day).filter(parent=owner.unit).order_by("code")
        return _rows(round_, "unit", children, codes)
    communes = (
        Unit.objects.valid_on(day)
        .communes()
        .filter(_under(_group_paths(owner.group)))
        .order_by("code")
    )
    return _rows(round_, "unit", communes, codes)


def _under(paths: tuple[str, ...]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    return q


def _rows(round_, kind: str, owners, codes: list[str]) -> list[dict]:
    owners = list(owners)
    key = f"{kind}_id"
    values = IndicatorValue.objects.filter(
        round=round_, indicator__code__in=codes, **{f"{kind}__in": owners}
    ).values_list(key, "indicator__code", "value")
    table: dict[int, dict] = {o.pk: {} for o in owners}
    for owner_id, code, value in values:
        table[owner_id][code] = value
    return [{"owner": o, "kind": kind, "values": table[o.pk]} for o in owners]


def trend(owner: Owner, codes: list[str], *, rounds: list[ReviewRound] | None = None) -> list[dict]:
    """The owner's values over the periodic rounds. A unit is followed by its code across the
    2025 reform (the province 51 before and after); a group is the same row throughout."""
    if rounds is None:
        rounds = list(dashboard_rounds())
    rounds = sorted(rounds, key=lambda r: r.starts_on)
    if owner.group:
        filt = Q(group=owner.group)
    else:
        filt = Q(unit__code=owner.unit.code, unit__level=owner.unit.level)
    values = IndicatorValue.objects.filter(filt, indicator__code__in=codes).values_list(
        "round_id", "indicator__code", "value"
    )
    table: dict[int, dict] = {r.pk: {} for r in rounds}
    for round_id, code, value in values:
        table.setdefault(round_id, {})[code] = value
    return [{"round": r, "values": table[r.pk]} for r in rounds if table[r.pk]]


def deprivation_profile(round_: ReviewRound, values: dict[str, IndicatorValue]) -> list[dict]:
    standard = round_.get_standard()
    english = (get_language() or "vi").startswith("en")
    rows = []
    for ind in standard.indicators:
        count = values.get(f"dep_poor_{ind.code}")
        share = values.get(f"dep_poor_{ind.code}_share")
        rows.append(
            {
                "indicator": ind,
                "name": ind.name_en if english else ind.name_vi,
                "count": count.value if count else None,
                "share": share.value if share else None,
                "near_share": getattr(values.get(f"dep_near_{ind.code}_share"), "value", None),
            }
        )
    return rows


def transition_flow(values: dict[str, IndicatorValue]) -> dict:
    """Poor households at start, each change, and at the end (DOMAIN.md §4 balance)."""

    def v(code):
        value = values.get(code)
        return value.value if value and value.value is not None else Decimal(0)

    names = dict(TRANSITION_LABELS)
    minus = [(c, names[c]) for c in ("poor_to_near_poor", "poor_to_none", "other_decrease_poor")]
    plus = [
        (c, names[c]) for c in ("near_poor_to_poor", "re_poor", "newly_poor", "other_increase_poor")
    ]
    return {
        "start": v("poor_start"),
        "minus": [(name, v(f"t_{c}")) for c, name in minus],
        "plus": [(name, v(f"t_{c}")) for c, name in plus],
        "end": v("poor_households"),
    }


def commune_values(
    round_: ReviewRound, owner: Owner, code: str
) -> dict[str, tuple[int, Decimal | None]]:
    """{commune code: (unit pk, value)} of one indicator for the communes under an owner."""
    day = round_.reference_date
    communes = Unit.objects.valid_on(day).communes()
    if owner.unit and owner.unit.level != "commune":
        communes = communes.filter(path__startswith=owner.unit.path)
    elif owner.group:
        communes = communes.filter(_under(_group_paths(owner.group)))
    elif owner.unit:
        communes = communes.filter(pk=owner.unit.pk)
    rows = IndicatorValue.objects.filter(
        round=round_, indicator__code=code, unit__in=communes
    ).values_list("unit__code", "unit_id", "value")
    return {c: (pk, value) for c, pk, value in rows}


# --- the targets a page shows -----------------------------------------------------------------


class Relation:
    """How a target's unit or group stands to the area a page is about."""

    SAME = "same"  # the page's own unit or group
    INSIDE = "inside"  # a unit or group within it (a commune of the district)
    AROUND = "around"  # a unit or group that holds it (the province, the mountainous group)


def targets_for(round_: ReviewRound, scope: Scope, owner: Owner) -> list[TargetRow]:
    """The year's targets that a dashboard about ``owner`` shows and its targets export lists,
    in this order: the owner's own, those of the units and groups that hold it (a commune page
    shows its province's target and the mountainous group's), those of the units and groups
    within it; each among the targets the user may see (``target_rows``). Each row carries its
    ``relation`` so the page can say whose target it is."""
    day = round_.reference_date
    rows = target_rows(round_, scope)
    groups = {owner.group.pk} if owner.group else set()
    groups |= {row.target.group_id for row in rows if row.target.group_id}
    members: dict[int, list[str]] = {pk: [] for pk in groups}
    for group_id, path in UnitGroup.members.through.objects.filter(
        unitgroup_id__in=groups, unit__in=Unit.objects.valid_on(day)
    ).values_list("unitgroup_id", "unit__path"):
        members[group_id].append(path)

    def paths(unit, group_id) -> list[str]:
        return [unit.path] if unit is not None else members.get(group_id, [])

    mine = paths(owner.unit, owner.group.pk if owner.group else None)

    def within(inner: list[str], outer: list[str]) -> bool:
        return bool(inner) and all(any(p.startswith(o) for o in outer) for p in inner)

    order = {Relation.SAME: 0, Relation.AROUND: 1, Relation.INSIDE: 2}
    kept = []
    for row in rows:
        t = row.target
        theirs = paths(t.unit if t.unit_id else None, t.group_id)
        same = (t.unit_id and owner.unit and t.unit_id == owner.unit.pk) or (
            t.group_id and owner.group and t.group_id == owner.group.pk
        )
        if same or (within(theirs, mine) and within(mine, theirs)):
            relation = Relation.SAME
        elif within(mine, theirs):
            relation = Relation.AROUND
        elif within(theirs, mine):
            relation = Relation.INSIDE
        else:
            continue
        kept.append((order[relation], len(kept), row, relation))
    return [_with_relation(row, relation) for _o, _i, row, relation in sorted(kept)]


def _with_relation(row: TargetRow, relation: str) -> TargetRow:
    return replace(row, relation=relation)
