"""User-scoped reads of the funds, and the set-based sums the pages, the dashboard panel and the
Excel report share (one definition of "planned", "allocated", "disbursed").

Who sees what: a plan line is seen by those who see its unit (``reach_q`` at 1 January of the
plan's year, so a 2024 plan of a former district stays with the people who worked on it then);
an allocation by those who see its plan, its commune, or its project. An outsider gets 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from areas.models import Level, Unit
from areas.scope import Capability, Reach, reach_q
from projects.models import ProgramComponent, Project
from projects.models.project import LOCKED
from projects.selectors.projects import project_list_for_user

from .models import Allocation, CapitalPlan, Disbursement, Source
from .rules import rate

SEE = Capability.SEE


def _allocated_sum():
    rows = Allocation.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
    return Coalesce(Subquery(rows.annotate(s=Sum("amount")).values("s")[:1]), Value(0))


def _plan_disbursed_sum():
    rows = Disbursement.objects.filter(allocation__plan=OuterRef("pk")).order_by()
    rows = rows.values("allocation__plan").annotate(s=Sum("amount")).values("s")[:1]
    return Coalesce(Subquery(rows), Value(0))


def _allocation_disbursed_sum():
    rows = Disbursement.objects.filter(allocation=OuterRef("pk")).order_by().values("allocation")
    return Coalesce(Subquery(rows.annotate(s=Sum("amount")).values("s")[:1]), Value(0))


# --- plans -------------------------------------------------------------------------------------


def plan_list_for_user(reach: Reach) -> QuerySet[CapitalPlan]:
    return CapitalPlan.objects.filter(reach_q(reach, SEE, unit="unit", start="starts_on"))


def plan_rows(plans: QuerySet[CapitalPlan]) -> QuerySet[CapitalPlan]:
    """Each plan line with what was allocated and disbursed from it: one query."""
    return plans.select_related("component", "unit").annotate(
        allocated=_allocated_sum(), disbursed=_plan_disbursed_sum()
    )


def plan_get_for_user(reach: Reach, pk: int) -> CapitalPlan:
    plan = plan_rows(plan_list_for_user(reach)).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def plan_years(plans: QuerySet[CapitalPlan]) -> list[int]:
    return list(plans.order_by("-year").values_list("year", flat=True).distinct())


def plan_units(plans: QuerySet[CapitalPlan]) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=plans.values("unit")).order_by("level", "name")


def plan_components(plans: QuerySet[CapitalPlan]) -> QuerySet[ProgramComponent]:
    return ProgramComponent.objects.filter(pk__in=plans.values("component"))


def plan_unit_choices(reach: Reach) -> QuerySet[Unit]:
    """Units a plan may be given to by this administrator: today's and the old tree's."""
    q = reach_q(reach, Capability.ADMINISTER, unit="", start=dt.date(2021, 1, 1))
    today = reach.today.units(Capability.ADMINISTER)
    return Unit.objects.filter(q | Q(pk__in=today.values("pk"))).order_by(
        "-valid_from", "level", "name"
    )


def component_choices() -> QuerySet[ProgramComponent]:
    return ProgramComponent.objects.select_related("program").order_by(
        "-program__starts_on", "position", "number"
    )


# --- allocations -------------------------------------------------------------------------------


def allocation_list_for_user(reach: Reach) -> QuerySet[Allocation]:
    return Allocation.objects.filter(
        reach_q(reach, SEE, unit="plan__unit", start="plan__starts_on")
        | reach_q(reach, SEE, unit="commune", start="plan__starts_on")
        | Q(project__in=project_list_for_user(reach))
    )


def allocation_rows(allocations: QuerySet[Allocation]) -> QuerySet[Allocation]:
    return allocations.select_related(
        "plan", "plan__component", "plan__unit", "commune", "project"
    ).annotate(disbursed=_allocation_disbursed_sum())


def allocation_get_for_user(reach: Reach, pk: int) -> Allocation:
    allocation = allocation_rows(allocation_list_for_user(reach)).filter(pk=pk).first()
    if allocation is None:
        raise Http404
    return allocation


def plan_allocations_for_user(reach: Reach, plan: CapitalPlan) -> QuerySet[Allocation]:
    """A plan's allocations the user sees (district staff of one district, on the province's
    plan, see their own communes' only)."""
    return allocation_rows(allocation_list_for_user(reach).filter(plan=plan)).order_by(
        "allocated_on", "pk"
    )


def allocations_elsewhere(reach: Reach, plans: QuerySet[CapitalPlan]) -> QuerySet[Allocation]:
    """Allocations into the user's communes from plans the user does not see (a commune officer:
    the district's or province's plan lines sent to their commune)."""
    return allocation_rows(allocation_list_for_user(reach).exclude(plan__in=plans))


def disbursements_of(allocation: Allocation) -> QuerySet[Disbursement]:
    return allocation.disbursements.select_related("created_by").order_by("paid_on", "pk")


def disbursement_get_for_user(reach: Reach, pk: int) -> Disbursement:
    found = (
        Disbursement.objects.filter(allocation__in=allocation_list_for_user(reach), pk=pk)
        .select_related("allocation", "allocation__plan", "allocation__plan__unit")
        .first()
    )
    if found is None:
        raise Http404
    return found


def commune_choices(plan: CapitalPlan) -> QuerySet[Unit]:
    """Communes under the plan's unit, valid in the plan's year."""
    return Unit.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(plan.year, 1, 1)),
        level=Level.COMMUNE,
        path__startswith=plan.unit.path,
        valid_from__lte=dt.date(plan.year, 12, 31),
    ).order_by("name")


def project_choices(reach: Reach, plan: CapitalPlan) -> QuerySet[Project]:
    """Approved projects of the plan's project/sub-project with every commune under its unit."""
    links = Project.communes.through.objects.filter(project=OuterRef("pk")).exclude(
        unit__path__startswith=plan.unit.path
    )
    return (
        project_list_for_user(reach)
        .filter(status__in=LOCKED)
        .filter(Q(component=plan.component) | Q(component__parent=plan.component))
        .exclude(pk__in=Subquery(links.values("project")))
        .order_by("code")
    )


def project_funds(project: Project) -> dict:
    """A project's allocations (any user who sees the project sees them) and their sums."""
    rows = list(
        allocation_rows(Allocation.objects.filter(project=project)).order_by("allocated_on")
    )
    allocated = sum(a.amount for a in rows)
    disbursed = sum(a.disbursed for a in rows)
    return {
        "rows": rows,
        "allocated": allocated,
        "disbursed": disbursed,
        "rate": rate(disbursed, allocated),
    }


# --- sums --------------------------------------------------------------------------------------


@dataclass
class FundsRow:
    key: object
    label: str
    planned: int = 0
    carried_over: int = 0
    allocated: int = 0
    disbursed: int = 0

    @property
    def total(self) -> int:
        return self.planned + self.carried_over

    @property
    def rate(self) -> Decimal | None:
        """Disbursed ÷ plan (the year's plan and carried-over funds)."""
        return rate(self.disbursed, self.total)

    @property
    def allocated_rate(self) -> Decimal | None:
        return rate(self.disbursed, self.allocated)

    @property
    def remaining(self) -> int:
        return self.total - self.allocated


DIMENSIONS = {
    "unit": ("unit_id", "unit"),
    "component": ("component_id", "component"),
    "source": ("source", "source"),
}


def funds_by(plans: QuerySet[CapitalPlan], dimension: str | tuple[str, ...]) -> list[FundsRow]:
    """Planned, carried over, allocated and disbursed of these plans grouped by a dimension
    ("unit", "component", "source", or a tuple of them): three grouped queries (plans,
    allocations, disbursements), never a loop over rows in Python beyond the groups."""
    dims = (dimension,) if isinstance(dimension, str) else dimension
    fields = [DIMENSIONS[d][0] for d in dims]
    rows: dict[tuple, FundsRow] = {}
    for row in plans.order_by().values(*fields).annotate(p=Sum("amount"), c=Sum("carried_over")):
        key = tuple(row[f] for f in fields)
        rows[key] = FundsRow(key=key, label="", planned=row["p"], carried_over=row["c"])
    picked = plans.order_by().values("pk")
    allocs = Allocation.objects.filter(plan__in=picked).order_by()
    for row in allocs.values(*(f"plan__{f}" for f in fields)).annotate(s=Sum("amount")):
        rows[tuple(row[f"plan__{f}"] for f in fields)].allocated = row["s"]
    paid = Disbursement.objects.filter(allocation__plan__in=picked).order_by()
    for row in paid.values(*(f"allocation__plan__{f}" for f in fields)).annotate(s=Sum("amount")):
        rows[tuple(row[f"allocation__plan__{f}"] for f in fields)].disbursed = row["s"]
    _label(rows, dims)
    return sorted(rows.values(), key=lambda r: r.sort)


def _label(rows: dict[tuple, FundsRow], dims: tuple[str, ...]) -> None:
    keys = list(rows)
    names: dict[str, dict] = {}
    if "unit" in dims:
        i = dims.index("unit")
        units = Unit.objects.in_bulk({k[i] for k in keys})
        names["unit"] = {
            pk: (u.label, (u.level != Level.PROVINCE, u.level, u.name)) for pk, u in units.items()
        }
    if "component" in dims:
        i = dims.index("component")
        comps = ProgramComponent.objects.in_bulk({k[i] for k in keys})
        names["component"] = {
            pk: (str(c), (c.program_id, c.position, c.number)) for pk, c in comps.items()
        }
    if "source" in dims:
        order = list(Source.values)
        names["source"] = {v: (Source(v).label, order.index(v)) for v in Source.values}
    for key, row in rows.items():
        parts = [names[d][key[i]] for i, d in enumerate(dims)]
        row.label = " · ".join(str(p[0]) for p in parts)
        row.sort = tuple(p[1] for p in parts)
        row.key = key[0] if len(key) == 1 else key


def funds_total(rows: list[FundsRow]) -> FundsRow:
    total = FundsRow(key=None, label="")
    for row in rows:
        total.planned += row.planned
        total.carried_over += row.carried_over
        total.allocated += row.allocated
        total.disbursed += row.disbursed
    return total


def funds_summary(plans: QuerySet[CapitalPlan]) -> dict:
    by_unit = funds_by(plans, "unit")
    return {
        "by_unit": by_unit,
        "by_component": funds_by(plans, "component"),
        "by_source": funds_by(plans, "source"),
        "total": funds_total(by_unit),
    }


def area_paths(unit: Unit | None = None, group=None) -> list[str]:
    """The paths a dashboard area covers: a unit (a province: both trees' units of that code),
    or a group's members."""
    if group is not None:
        return list(group.members.values_list("path", flat=True))
    if unit.level == Level.PROVINCE:
        return list(
            Unit.objects.filter(level=Level.PROVINCE, code=unit.code).values_list("path", flat=True)
        )
    return [unit.path]


def area_plans(year: int, paths: list[str]) -> QuerySet[CapitalPlan]:
    """The year's plan lines whose unit lies in an area (the unit itself or below)."""
    if not paths:
        return CapitalPlan.objects.none()
    q = Q()
    for p in paths:
        q |= Q(unit__path__startswith=p)
    return CapitalPlan.objects.filter(q, year=year)


def funds_panel(year: int, paths: list[str]) -> FundsRow:
    """The dashboard panel: one row of sums for the area's plans of the year (three aggregate
    queries, the same definition as the summary page)."""
    plans = area_plans(year, paths)
    agg = plans.aggregate(p=Coalesce(Sum("amount"), 0), c=Coalesce(Sum("carried_over"), 0))
    picked = plans.values("pk")
    allocated = Allocation.objects.filter(plan__in=picked).aggregate(s=Coalesce(Sum("amount"), 0))
    paid = Disbursement.objects.filter(allocation__plan__in=picked).aggregate(
        s=Coalesce(Sum("amount"), 0)
    )
    return FundsRow(
        key=year,
        label=str(year),
        planned=agg["p"],
        carried_over=agg["c"],
        allocated=allocated["s"],
        disbursed=paid["s"],
    )
