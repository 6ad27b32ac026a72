"""Reads of stored indicator values for the dashboards: a handful of queries per page, scoped.

Nothing here computes a rollup: pages show the values the last run stored, with its time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from areas.models import Assignment, Unit, UnitGroup
from areas.scope import Capability, Scope, user_scope
from areas.selectors import area_across
from areas.services import NEW_TREE_FROM
from households.choices import TRANSITION as TRANSITION_LABELS
from households.models import ReviewRound

from . import visibility
from .models import IndicatorValue, Target
from .rules import Status, TargetKind, target_status


@dataclass(frozen=True)
class Owner:
    """What a dashboard is about: one unit or one unit group.

    ``seen_by``: the scope of the user it is shown to (``owner_for``); lists under the owner
    (breakdown, map, export lines) keep only what that user may see (``visibility``). ``asked``:
    the area the request named, ("unit", pk) or ("group", pk), when another one is shown (mapped
    across the 2025 reform, or a fallback) and ``notice`` says why."""

    unit: Unit | None = None
    group: UnitGroup | None = None
    seen_by: Scope | None = field(default=None, compare=False, repr=False)
    asked: tuple[str, int] | None = field(default=None, compare=False)
    notice: str = field(default="", compare=False)

    @property
    def filter(self) -> dict:
        return {"unit": self.unit} if self.unit else {"group": self.group}

    @property
    def label(self) -> str:
        return self.unit.label if self.unit else self.group.name

    @property
    def query(self) -> str:
        return f"unit={self.unit.pk}" if self.unit else f"group={self.group.pk}"

    @property
    def asked_query(self) -> str:
        """The area to keep when the user switches rounds: the one asked for (the server maps
        it again for the chosen round), else the one shown."""
        if self.asked:
            return f"{self.asked[0]}={self.asked[1]}"
        return self.query


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
    """The unit or group asked for, as the user may see it at the round's date (the policy of
    ``indicators.visibility``); by default the widest one they may see (the province for
    leaders).

    - A unit of the other tree (the round lies across the 1 July 2025 reform from it) is mapped
      through the crosswalk (``areas.selectors.area_across``), with a notice naming both.
    - A mapped area outside what the user may see, or a group some of whose communes they may
      not see, gives the user's default area for the round, with a notice: never a 404.
    - 404: a bad or unknown id, a unit of the round's tree the user may not see, a group none of
      whose communes they may see at the round's date nor today (outsiders learn nothing).
    """
    day = round_.reference_date
    scope = user_scope(user, day)
    try:
        if unit_pk:
            unit = Unit.objects.select_related("parent").get(pk=int(unit_pk))
            if unit.is_valid_on(day):
                if not visibility.unit_visible(scope, unit):
                    raise Http404
                return Owner(unit=unit, seen_by=scope), scope
            return _owner_across(user, round_, scope, unit), scope
        if group_pk:
            group = UnitGroup.objects.get(pk=int(group_pk))
            seen, total = visibility.group_coverage(scope, group)
            if total and seen == total:
                return Owner(group=group, seen_by=scope), scope
            if not seen and not _sees_part_today(user, group):
                raise Http404
            notice = _(
                "Số liệu tổng hợp của %(group)s chỉ dành cho người xem được mọi xã trong nhóm "
                "(bạn xem được %(seen)s/%(total)s xã): đang xem %(shown)s."
            )
            return _fallback(user, scope, ("group", group.pk), notice, group=group.name,
                             seen=seen, total=total), scope  # fmt: skip
    except (ValueError, Unit.DoesNotExist, UnitGroup.DoesNotExist):
        raise Http404 from None
    return _default_owner(user, scope), scope


def _sees_part_today(user, group: UnitGroup) -> bool:
    """Whether the user may see some of the group's communes today (a group of the other tree's
    communes opened on this round: a fallback, not a 404)."""
    seen, _total = visibility.group_coverage(user_scope(user), group)
    return seen > 0


def _tree_phrase(round_: ReviewRound) -> str:
    if round_.reference_date < NEW_TREE_FROM:
        return _("Đợt %(year)s dùng địa giới trước sắp xếp") % {"year": round_.year}
    return _("Đợt %(year)s dùng địa giới sau sắp xếp (từ 01/07/2025)") % {"year": round_.year}


def _owner_across(user, round_: ReviewRound, scope: Scope, unit: Unit) -> Owner:
    """A unit of the other tree, mapped to the round's tree (or the user's default area)."""
    target = area_across(unit, round_.reference_date)
    asked = ("unit", unit.pk)
    words = {"tree": _tree_phrase(round_), "asked": unit.label}
    if isinstance(target, Unit) and visibility.unit_visible(scope, target):
        notice = _("%(tree)s: đang xem %(shown)s thay cho %(asked)s.") % (
            words | {"shown": target.label}
        )
        return Owner(unit=target, seen_by=scope, asked=asked, notice=notice)
    if isinstance(target, UnitGroup) and visibility.group_visible(scope, target):
        notice = _("%(tree)s: đang xem %(shown)s thay cho %(asked)s.") % (
            words | {"shown": target.name}
        )
        return Owner(group=target, seen_by=scope, asked=asked, notice=notice)
    if target is None:
        notice = _("%(tree)s: %(asked)s không có địa bàn tương ứng; đang xem %(shown)s.")
    else:
        words["mapped"] = target.label if isinstance(target, Unit) else target.name
        notice = _(
            "%(tree)s: %(asked)s tương ứng với %(mapped)s, ngoài phạm vi của bạn; "
            "đang xem %(shown)s."
        )
    return _fallback(user, scope, asked, notice, **words)


def _fallback(user, scope: Scope, area: tuple[str, int], notice: str, **words) -> Owner:
    """The user's default area for the scope's day, with a notice (``%(shown)s``: its name);
    ``area``: the one asked for."""
    default = _default_owner(user, scope)
    return replace(default, asked=area, notice=notice % (words | {"shown": default.label}))


def _default_owner(user, scope: Scope) -> Owner:
    """The widest area the user may see: a province first; then a group the user is assigned to
    (district staff after the reform); then their highest unit. 404 when they see nothing."""
    day = scope.day
    top = min(_scope_tops(scope), key=lambda u: (u.path.count("/"), u.code), default=None)
    if top is not None and top.level == "province":
        return Owner(unit=top, seen_by=scope)
    group = (
        Assignment.objects.valid_on(day)
        .filter(user=user, group__isnull=False)
        .values_list("group", flat=True)
        .first()
    )
    if group:
        return Owner(group=UnitGroup.objects.get(pk=group), seen_by=scope)
    if top is not None:
        return Owner(unit=top, seen_by=scope)
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
    groups = {t.group for t in targets if t.group_id}
    visible_groups = visibility.visible_group_ids(scope, groups) if groups else set()
    rows = []
    for t in targets:
        if t.unit_id and not visibility.unit_visible(scope, t.unit):
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
    """Whether the user may see the group's figures (``visibility.group_visible``: every one of
    its communes in their scope)."""
    return visibility.group_visible(scope, group)


@dataclass
class Breakdown:
    """The rows below an owner that the user may see, and how many there are in all."""

    rows: list[dict]
    total: int
    kind: str  # "unit" / "group": what the rows are
    level: str = ""  # the rows' unit level

    @property
    def hidden(self) -> int:
        return self.total - len(self.rows)


def breakdown(round_: ReviewRound, owner: Owner, codes: list[str]) -> list[dict]:
    """The areas just below an owner, with some indicators: districts under a province on the
    old tree, former-district groups on the new one, communes under a district or in a group.
    Only the rows the owner's viewer may see (``visibility``); ``breakdown_of`` says how many
    were left out."""
    return breakdown_of(round_, owner, codes).rows


def breakdown_of(round_: ReviewRound, owner: Owner, codes: list[str]) -> Breakdown:
    day = round_.reference_date
    if owner.unit and owner.unit.level == "province":
        districts = Unit.objects.valid_on(day).filter(parent=owner.unit, level="district")
        if districts.exists():
            return _visible(round_, owner, "unit", districts.order_by("code"), codes)
        groups = UnitGroup.objects.filter(kind="former_district").filter(
            members__in=Unit.objects.valid_on(day).filter(parent=owner.unit)
        )
        return _visible(round_, owner, "group", groups.distinct().order_by("name"), codes)
    if owner.unit:
        children = Unit.objects.valid_on(day).filter(parent=owner.unit).order_by("code")
        return _visible(round_, owner, "unit", children, codes)
    communes = (
        Unit.objects.valid_on(day)
        .communes()
        .filter(_under(_group_paths(owner.group)))
        .order_by("code")
    )
    return _visible(round_, owner, "unit", communes, codes)


def _visible(round_, owner: Owner, kind: str, owners, codes: list[str]) -> Breakdown:
    owners = list(owners)
    total = len(owners)
    level = owners[0].level if kind == "unit" and owners else ""
    scope = owner.seen_by
    if scope is not None:
        if kind == "unit":
            owners = visibility.visible_units(scope, owners)
        else:
            ids = visibility.visible_group_ids(scope, owners)
            owners = [g for g in owners if g.pk in ids]
    return Breakdown(_rows(round_, kind, owners, codes), total, kind, level)


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
    if owner.seen_by is not None:  # only the communes the viewer may see (``visibility``)
        communes = communes.filter(visibility.visible_communes_q(owner.seen_by))
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


def rollup_run_get(pk: int):
    """A recompute run, for its progress page (administrators only: the view checks)."""
    from django.shortcuts import get_object_or_404

    from .models import RollupRun

    return get_object_or_404(RollupRun.objects.select_related("round"), pk=pk)


# --- saved analyses (private to their owner) ----------------------------------------------------


def saved_analysis_list_for_user(user, *, pinned_only: bool = False):
    from .models import SavedAnalysis

    rows = SavedAnalysis.objects.filter(user=user)
    return rows.filter(pinned=True) if pinned_only else rows


def saved_analysis_get_for_user(user, pk: int):
    """The user's own saved analysis; anyone else's (or an unknown id) is a 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(saved_analysis_list_for_user(user), pk=pk)
