"""What every report shares: who asks for what (round, unit or group, scope), the hierarchical rows
of the official tables, stored values for those rows, and the header's wording.

Rows (``lines_for``): the owner's total first; then, when the owner spans several districts (the
province on the old tree, a group of districts), each district's total followed by its communes;
otherwise the communes (the province after 2025, a district, a former-district group).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from areas.models import Level, Unit, UnitGroup
from areas.scope import Scope, user_scope
from areas.text import fold
from households.models import ReviewRound, RoundKind
from indicators import visibility
from indicators.models import IndicatorValue
from indicators.selectors import Owner, dashboard_round, owner_for

from ..xlsx import Header, roman


@dataclass(frozen=True)
class ExportContext:
    """A request for one report: the user, the round and the area, checked against the scope."""

    user: object
    round: ReviewRound | None
    owner: Owner | None
    scope: Scope
    params: Mapping = field(default_factory=dict)

    @property
    def restricted(self) -> bool:
        """Whether the area holds units the user may not see (the province's page of a commune
        officer, ``indicators.visibility``): its lines and lists are then only the user's, and
        the title says so."""
        return bool(
            self.owner is not None and self.owner.unit and not self.scope.covers(self.owner.unit)
        )


def context_for(user, params: Mapping) -> ExportContext:
    """The round and unit or group of ``params`` if the user may see them (else 404)."""
    if not params.get("round"):
        raise Http404
    round_ = dashboard_round(str(params["round"]))
    owner, scope = owner_for(user, round_, unit_pk=params.get("unit"), group_pk=params.get("group"))
    return ExportContext(user=user, round=round_, owner=owner, scope=scope, params=params)


# --- the rows of the official tables ---------------------------------------------------------


@dataclass(frozen=True)
class Line:
    key: tuple[str, int]  # ("unit", pk) or ("group", pk): where its stored values are
    number: str  # STT: blank for the total, I, II... for districts, 1, 2... for communes
    label: str
    level: int  # 0: the owner's total, 1: a district (or a commune without districts), 2: commune
    communes: tuple[int, ...]  # the communes it adds up

    @property
    def is_total(self) -> bool:
        return self.level == 0

    @property
    def is_commune(self) -> bool:
        return len(self.communes) == 1 and self.key == ("unit", self.communes[0])


def under(paths: Iterable[str]) -> Q:
    return reduce(or_, (Q(path__startswith=p) for p in paths), Q(pk__in=[]))


def group_paths(group: UnitGroup) -> tuple[str, ...]:
    return tuple(group.members.values_list("path", flat=True))


def area_communes(round_: ReviewRound, owner: Owner):
    """The communes (valid at the round's date) under a unit or in a group."""
    units = Unit.objects.valid_on(round_.reference_date).communes()
    if owner.unit:
        return units.filter(path__startswith=owner.unit.path)
    return units.filter(under(group_paths(owner.group)))


def lines_for(round_: ReviewRound, owner: Owner) -> list[Line]:
    """The owner's total, then districts with their communes, or communes (two queries)."""
    if owner.unit and owner.unit.level == Level.COMMUNE:
        u = owner.unit
        return [Line(("unit", u.pk), "", u.label, 0, (u.pk,))]
    units = Unit.objects.valid_on(round_.reference_date)
    if owner.unit:
        units = units.filter(path__startswith=owner.unit.path).exclude(pk=owner.unit.pk)
        key = ("unit", owner.unit.pk)
    else:
        units = units.filter(under(group_paths(owner.group)))
        key = ("group", owner.group.pk)
    units = list(units.filter(level__in=[Level.DISTRICT, Level.COMMUNE]).order_by("code"))
    districts = [u for u in units if u.level == Level.DISTRICT]
    communes = [u for u in units if u.level == Level.COMMUNE]
    # The owner's total adds up all its communes (its own figure, which its viewer may see);
    # below it, only the districts and communes the viewer may see (``indicators.visibility``).
    lines = [Line(key, "", owner.label, 0, tuple(c.pk for c in communes))]
    if owner.seen_by is not None:
        districts = visibility.visible_units(owner.seen_by, districts)
        communes = visibility.visible_units(owner.seen_by, communes)
    if len(districts) < 2:
        lines += [_commune_line(c, i, 1) for i, c in enumerate(communes, 1)]
        return lines
    placed: set[int] = set()
    for n, district in enumerate(districts, 1):
        mine = [c for c in communes if c.path.startswith(district.path)]
        placed.update(c.pk for c in mine)
        lines.append(
            Line(("unit", district.pk), roman(n), district.label, 1, tuple(c.pk for c in mine))
        )
        lines += [_commune_line(c, i, 2) for i, c in enumerate(mine, 1)]
    rest = [c for c in communes if c.pk not in placed]  # a group's communes outside its districts
    lines += [_commune_line(c, i, 1) for i, c in enumerate(rest, 1)]
    return lines


def _commune_line(commune: Unit, number: int, level: int) -> Line:
    return Line(("unit", commune.pk), str(number), commune.label, level, (commune.pk,))


# --- stored values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    values: dict[tuple[str, int], dict[str, Decimal | None]]
    as_of: dt.datetime | None
    provisional: bool

    def get(self, line: Line, code: str):
        return self.values.get(line.key, {}).get(code)


def stored_values(round_: ReviewRound, owner: Owner, lines: list[Line], codes) -> Stored:
    """The stored values of some indicators for every line: one query."""
    unit_ids = [pk for kind, pk in (line.key for line in lines) if kind == "unit"]
    where = Q(unit_id__in=unit_ids)
    if owner.group:
        where |= Q(group=owner.group)
    rows = IndicatorValue.objects.filter(where, round=round_, indicator__code__in=list(codes))
    values: dict[tuple[str, int], dict[str, Decimal | None]] = {}
    as_of, provisional = None, False
    for unit_id, group_id, code, value, prov, computed_at in rows.values_list(
        "unit_id", "group_id", "indicator__code", "value", "provisional", "computed_at"
    ):
        key = ("unit", unit_id) if unit_id else ("group", group_id)
        values.setdefault(key, {})[code] = value
        as_of = computed_at if as_of is None else max(as_of, computed_at)
        provisional = provisional or prov
    return Stored(values, as_of, provisional)


def add_lines(lines: list[Line], per_commune: Mapping[int, Mapping[str, int]], fields) -> dict:
    """Totals of each line from per-commune totals (a few hundred rows, in Python)."""
    out = {}
    for line in lines:
        total = dict.fromkeys(fields, 0)
        for commune_id in line.communes:
            for key, value in per_commune.get(commune_id, {}).items():
                if key in total:
                    total[key] += value or 0
        out[line.key] = total
    return out


# --- wording ---------------------------------------------------------------------------------


def period_label(round_: ReviewRound) -> str:
    if round_.kind == RoundKind.PERIODIC:
        name = _("Đợt rà soát định kỳ năm %(year)s") % {"year": round_.year}
    else:
        name = _("Đợt rà soát thường xuyên tháng %(month)s") % {
            "month": round_.starts_on.strftime("%m/%Y")
        }
    return _("%(name)s (từ %(start)s đến %(end)s)") % {
        "name": name,
        "start": round_.starts_on.strftime("%d/%m/%Y"),
        "end": round_.ends_on.strftime("%d/%m/%Y"),
    }


def freshness_line(stored: Stored) -> str:
    if stored.as_of is None:
        return _("Chưa có số liệu tổng hợp cho đợt này.")
    at = timezone.localtime(stored.as_of).strftime("%d/%m/%Y %H:%M")
    kind = (
        _("số liệu tạm thời (đợt rà soát chưa kết thúc hoặc còn xã chưa được tiếp nhận)")
        if stored.provisional
        else _("số liệu chính thức")
    )
    return _("Số liệu tổng hợp lúc %(at)s, %(kind)s.") % {"at": at, "kind": kind}


def exported_line() -> str:
    at = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    return _("Xuất từ Cổng thông tin giảm nghèo lúc %(at)s.") % {"at": at}


def province_of(unit: Unit) -> Unit:
    if unit.parent_id is None:
        return unit
    root = int(unit.path.strip("/").split("/")[0])
    return Unit.objects.get(pk=root)


def committee_for(owner: Owner | None, scope: Scope | None = None) -> tuple[str, str]:
    """(the issuing committee's unit, the place of the date line). A group has no committee of
    its own: the province's signs its reports."""
    if owner is not None and owner.unit is not None:
        return owner.unit.label, province_of(owner.unit).name
    unit = None
    if owner is not None:
        unit = owner.group.members.order_by("path").first()
    elif scope is not None:
        unit = widest_unit(scope)
    if unit is None:
        return "", ""
    province = province_of(unit)
    if owner is None:
        return unit.label, province.name
    return province.label, province.name


def widest_unit(scope: Scope) -> Unit | None:
    units = scope.units().order_by("path")
    return min(units, key=lambda u: (u.path.count("/"), u.code), default=None)


def header_for(
    ctx: ExportContext, title: str, *, lines: Iterable[str] = (), area: str | None = None
) -> Header:
    committee, place = committee_for(ctx.owner, ctx.scope)
    area_label = area if area is not None else (ctx.owner.label if ctx.owner else "")
    head = [_("Địa bàn: %(area)s") % {"area": area_label}] if area_label else []
    if ctx.owner is not None and ctx.owner.notice:
        head.append(ctx.owner.notice)
    if ctx.restricted:
        title = _("%(title)s – các xã trong phạm vi của người dùng") % {"title": title}
    if ctx.round is not None:
        head.append(period_label(ctx.round))
    return Header(
        committee=committee,
        place=place,
        title=title,
        lines=(*head, *lines),
        day=timezone.localdate(),
    )


def filename(*parts) -> str:
    """An ASCII file name from Vietnamese words: 'danh-sach-ho-ngheo-xa-ba-to-2026.xlsx'."""
    slug = "-".join(slugify(fold(str(p))) for p in parts if p)
    return f"{slug[:120].strip('-') or 'bao-cao'}.xlsx"


def visible_groups(scope: Scope, day: dt.date) -> list[UnitGroup]:
    """Groups whose figures the user may see at that date: every one of their communes in the
    user's scope (``indicators.visibility``; two queries)."""
    ids = visibility.visible_group_ids(replace(scope, day=day))
    return list(UnitGroup.objects.filter(pk__in=ids).order_by("kind", "name"))


def area_choices(user, round_: ReviewRound) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(units, groups) the user may report on at the round's date, as form choices: the units of
    their scope, their province (its published totals) and the groups they see whole."""
    day = round_.reference_date
    scope = user_scope(user, day)
    found = list(scope.units().order_by("path"))
    roots = {u.path.strip("/").split("/")[0] for u in found}
    provinces = Unit.objects.valid_on(day).filter(pk__in=[int(r) for r in roots], level="province")
    found = [*(p for p in provinces if p not in found), *found]
    top = min((u.path.count("/") for u in found), default=0)
    units = [(f"unit:{u.pk}", "\u2003" * (u.path.count("/") - top) + u.label) for u in found]
    groups = [(f"group:{g.pk}", g.name) for g in visible_groups(scope, day)]
    return units, groups
