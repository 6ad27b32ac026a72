"""User-scoped reads of communication activities, and the counts of the summary, the workbook
and the indicators. An activity belongs to its unit: a user sees it when they see the unit
(today, or at the activity's date for units of the old tree, ``areas.scope.reach_q``); out of
scope is a 404."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from areas.models import Level, Unit
from areas.scope import Capability, Reach, Scope, reach_q, reached
from households.models import ReviewRound
from support.models import SupportRecord
from support.rules import year_bounds
from support.selectors import helped_entries

from .models import Activity, ActivityKind, InformationKind

RECORD = (Capability.ENTER, Capability.REVIEW)  # who records: commune officers, district staff


def activity_list_for_user(reach: Reach) -> QuerySet[Activity]:
    return Activity.objects.filter(
        reach_q(reach, Capability.SEE, unit="unit", start="held_on")
    ).select_related("kind", "unit", "unit__parent")


def activity_get_for_user(reach: Reach, pk: int) -> Activity:
    found = activity_list_for_user(reach).select_related("created_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def may_record(reach: Reach, unit: Unit, day: dt.date) -> bool:
    """Commune officers for their commune (ENTER), district staff for the units of their group
    (REVIEW), administrators anywhere."""
    return any(reached(reach, c, [unit], day) for c in RECORD)


def can_record(reach: Reach) -> bool:
    return any(reach.can(c) for c in RECORD)


def activity_can_manage(reach: Reach, activity: Activity) -> bool:
    return may_record(reach, activity.unit, activity.held_on)


def activity_get_for_change(reach: Reach, pk: int) -> Activity:
    activity = activity_get_for_user(reach, pk)
    if not activity_can_manage(reach, activity):
        raise PermissionDenied
    return activity


def unit_choices(scope: Scope, activity: Activity | None = None) -> QuerySet[Unit]:
    """Units (valid today) the user may record an activity for: those under their ENTER or
    REVIEW (communes; districts and the province for administrators); and the activity's own."""
    q = Q(pk__in=[])
    for capability in RECORD:
        q |= Q(pk__in=scope.units(capability).values("pk"))
    if activity is not None:
        q |= Q(pk=activity.unit_id)
    return Unit.objects.filter(q).select_related("parent").order_by("path")


def kind_choices(activity: Activity | None = None) -> QuerySet[ActivityKind]:
    q = Q(active=True)
    if activity is not None:
        q |= Q(pk=activity.kind_id)
    return ActivityKind.objects.filter(q).order_by("position", "name")


def filter_units(scope: Scope) -> QuerySet[Unit]:
    """Units the user may filter by: the province, districts and communes of their SEE scope."""
    return (
        scope.units(Capability.SEE)
        .filter(level__in=[Level.COMMUNE, Level.DISTRICT, Level.PROVINCE])
        .select_related("parent")
        .order_by("path")
    )


def filter_activities(qs, *, year=None, kind=None, subproject="", unit=None, audience=""):
    if year:
        qs = qs.filter(held_on__year=year)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if subproject:
        qs = qs.filter(kind__subproject=subproject)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if audience:
        qs = qs.filter(audience_groups__contains=f",{audience},")
    return qs


def activity_totals(qs) -> dict:
    return qs.order_by().aggregate(
        count=Count("pk"), reach=Sum("reach"), materials=Sum("materials"), cost=Sum("cost")
    )


def activity_rows(qs) -> QuerySet[Activity]:
    return qs.order_by("-held_on", "-pk")


# --- information support (support records of an information kind) ---------------------------


def information_kind_ids() -> list[int]:
    return list(InformationKind.objects.values_list("support_kind_id", flat=True))


def information_records(year: int) -> QuerySet[SupportRecord]:
    first, last = year_bounds(year)
    return SupportRecord.objects.filter(
        kind_id__in=InformationKind.objects.values("support_kind_id"),
        received_on__gte=first,
        received_on__lte=last,
    )


def information_households(year: int, communes) -> dict[int, int]:
    """{commune id: households (of any class) that received information support in the year}:
    the household's commune today."""
    return dict(
        information_records(year)
        .filter(household__commune_id__in=list(communes))
        .order_by()
        .values("household__commune_id")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("household__commune_id", "n")
    )


def information_entries(round_: ReviewRound, communes) -> dict[int, int]:
    """{commune id: the round's poor and near-poor entries whose household received information
    support in the round's year}: one grouped query."""
    first, last = year_bounds(round_.year)
    supported = SupportRecord.objects.filter(
        kind_id__in=InformationKind.objects.values("support_kind_id"),
        household_id=OuterRef("household_id"),
        received_on__gte=first,
        received_on__lte=last,
    )
    rows = (
        helped_entries(round_, communes)
        .filter(Exists(supported))
        .order_by()
        .values("commune_id")
        .annotate(n=Count("pk"))
        .values_list("commune_id", "n")
    )
    return dict(rows)


# --- the summary by unit and year ------------------------------------------------------------


def summary(activities: QuerySet[Activity]) -> dict:
    """Counts of these activities per unit and kind, with reach, materials and cost: one grouped
    query per figure set."""
    by_kind = (
        activities.order_by()
        .values("unit_id", "kind_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "kind_id", "n")
    )
    per_unit = {
        row["unit_id"]: row
        for row in activities.order_by()
        .values("unit_id")
        .annotate(
            count=Count("pk"), reach=Sum("reach"), materials=Sum("materials"), cost=Sum("cost")
        )
    }
    kinds: dict[int, dict[int, int]] = {}
    for unit_id, kind_id, n in by_kind:
        kinds.setdefault(unit_id, {})[kind_id] = n
    return {"per_unit": per_unit, "kinds": kinds}


def summary_units(ids) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=list(ids)).select_related("parent").order_by("path"))


def visible_communes(scope: Scope, unit: Unit | None) -> QuerySet[Unit]:
    communes = scope.communes(Capability.SEE)
    if unit is not None:
        communes = communes.filter(path__startswith=unit.path)
    return communes


def summary_kinds() -> list[ActivityKind]:
    return list(ActivityKind.objects.order_by("position", "name"))
