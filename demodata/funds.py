"""Demo funds for ``seed_demo`` (never for production): the province's capital plans of 2024,
2025 and 2026 per program project/sub-project and source, a 2024 plan of former Ba Tơ district,
allocations to the communes of former Ba Tơ district and to the demo livelihood projects,
and monthly disbursements reaching 60–90 % of each allocation (up to today in the current year).

Every write goes through ``finance.services`` (their checks apply): the administrator sets the
plans and allocates the province's funds; the district staff allocate the district's plan and
record the disbursements of their communes. 2024 is on the old tree (old province, district and
communes); 2025 and 2026 on the new one (allocations from 1 July 2025). Each year's unspent
funds are partly carried over into the next year's line. Idempotent: nothing is added when demo
plans exist.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from areas.models import Level, Unit, UnitGroup
from finance import services
from finance.models import CapitalPlan, Source
from finance.selectors import commune_choices, project_choices
from projects.models import ProgramComponent

NOTE = "Dữ liệu mẫu"
GROUP = "huyen-cu-535"
YEARS = (2024, 2025, 2026)
# (sub-project, source, province plan in million đồng)
LINES = (
    ("1.1", Source.CENTRAL_BUDGET, 9_000),
    ("2", Source.CENTRAL_BUDGET, 3_200),
    ("2", Source.LOCAL_BUDGET, 400),
    ("3.1", Source.CENTRAL_BUDGET, 4_500),
    ("3.1", Source.LOCAL_BUDGET, 600),
    ("3.1", Source.COUNTERPART, 300),
    ("3.1", Source.CREDIT, 1_500),
    ("4.1", Source.CENTRAL_BUDGET, 1_800),
    ("6.1", Source.LOCAL_BUDGET, 250),
    ("7.1", Source.MOBILISED, 120),
)
MILLION = 1_000_000


@dataclass
class FundsReport:
    plans: int = 0
    allocations: int = 0
    disbursements: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"Funds: {self.plans} plan lines, {self.allocations} allocations, "
            f"{self.disbursements} disbursements"
        )
        return "; ".join([text, *self.notes])


def _province(year: int) -> Unit:
    day = dt.date(year, 12, 31) if year != 2024 else dt.date(2024, 12, 31)
    return Unit.objects.valid_on(day).get(code="51", level=Level.PROVINCE)


def _group_communes(year: int, plan: CapitalPlan) -> list[Unit]:
    group = UnitGroup.objects.get(code=GROUP)
    paths = list(group.members.values_list("path", flat=True))
    return [c for c in commune_choices(plan) if any(c.path.startswith(p) for p in paths)]


def _months(start: dt.date, year: int) -> list[dt.date]:
    """The 20th of each month from the allocation's month to December (or to today)."""
    today = timezone.localdate()
    out = []
    for month in range(start.month, 13):
        day = max(dt.date(year, month, 20), start)
        if day <= today:
            out.append(day)
    return out


def _disburse(allocation, by, rng: random.Random, report: FundsReport) -> None:
    months = _months(allocation.allocated_on, allocation.plan.year)
    if not months:
        return
    # 60-90 % of the allocation (in 100,000 đ), in equal monthly payments, the last one
    # taking the rounding
    total = int(allocation.amount * rng.uniform(0.6, 0.9) // 100_000) * 100_000
    step = total // len(months) // 100_000 * 100_000
    if step <= 0:
        return
    amounts = [step] * (len(months) - 1) + [total - step * (len(months) - 1)]
    purposes = ("Tạm ứng theo hợp đồng", "Thanh toán khối lượng hoàn thành", "Chi hỗ trợ hộ")
    for i, (day, amount) in enumerate(zip(months, amounts, strict=True)):
        services.disbursement_create(
            by=by, allocation=allocation, paid_on=day, amount=amount,
            purpose=purposes[i % len(purposes)], voucher_ref=f"UNC {i + 1:02d}/{day.year}",
        )  # fmt: skip
        report.disbursements += 1


def _allocate_year(year: int, users: dict, rng: random.Random, report: FundsReport) -> None:
    province = _province(year)
    admin, district = users["quantri"], users["canbo.huyen"]
    starts = dt.date(2025, 7, 1) if year == 2025 else dt.date(year, 1, 15)
    previous = {
        (p.component.number, p.source): p.total - (p.disbursed or 0)
        for p in CapitalPlan.objects.filter(year=year - 1, note=NOTE, unit__level=Level.PROVINCE)
        .select_related("component")
        .annotate(disbursed=Sum("allocations__disbursements__amount"))
    }
    for number, source, millions in LINES:
        component = ProgramComponent.objects.filter(
            program__starts_on__year__lte=year, program__ends_on__year__gte=year, number=number
        ).first()
        if component is None:
            continue
        carried = int(previous.get((number, source), 0) * 0.3 // MILLION) * MILLION
        plan = services.plan_create(
            by=admin, year=year, component=component, unit=province, source=source,
            amount=millions * MILLION, carried_over=carried,
            decision_ref=f"{100 + report.plans}/QĐ-UBND", note=NOTE,
        )  # fmt: skip
        report.plans += 1
        # a sixth of the line goes to each of up to 4 communes of former Ba Tơ district, a
        # twelfth to each of up to 2 demo projects of this sub-project; the rest (a sixth or
        # more) is not yet allocated
        share = plan.total // 6 // MILLION * MILLION
        targets = [{"commune": c} for c in _group_communes(year, plan)[:4]]
        targets += [{"project": p} for p in project_choices(_reach(admin), plan)[:2]]
        for i, target in enumerate(targets):
            amount = share if "commune" in target else share // 2 // MILLION * MILLION
            if amount <= 0:
                continue
            allocation = services.allocation_create(
                by=admin, plan=plan, amount=amount, allocated_on=starts + dt.timedelta(days=i),
                decision_ref=f"{200 + report.allocations}/QĐ-UBND", note=NOTE, **target,
            )  # fmt: skip
            report.allocations += 1
            # the district staff record their communes' disbursements; the administrator
            # those of a project reaching beyond them
            by = (
                district
                if services.allocation_can_disburse(_reach(district), allocation)
                else admin
            )
            _disburse(allocation, by, rng, report)
    if year == 2024:
        _district_plan(users, rng, report)


def _district_plan(users: dict, rng: random.Random, report: FundsReport) -> None:
    """Former Ba Tơ district's own 2024 line (local budget for sub-project 3.1), allocated by the
    district staff to its communes."""
    district = Unit.objects.valid_on(dt.date(2024, 12, 31)).get(code="535")
    component = ProgramComponent.objects.get(program__starts_on__year=2021, number="3.1")
    plan = services.plan_create(
        by=users["quantri"], year=2024, component=component, unit=district,
        source=Source.LOCAL_BUDGET, amount=900 * MILLION, decision_ref="45/QĐ-UBND", note=NOTE,
    )  # fmt: skip
    report.plans += 1
    for i, commune in enumerate(commune_choices(plan)[:4]):
        allocation = services.allocation_create(
            by=users["canbo.huyen"], plan=plan, commune=commune, amount=200 * MILLION,
            allocated_on=dt.date(2024, 3, 1 + i), decision_ref=f"{12 + i}/QĐ-UBND", note=NOTE,
        )  # fmt: skip
        report.allocations += 1
        _disburse(allocation, users["canbo.huyen"], rng, report)


def _reach(user):
    from areas.scope import user_reach

    return user_reach(user)


def funds_demo_seed(*, seed: int = 2024) -> FundsReport:
    report = FundsReport()
    if CapitalPlan.objects.filter(note=NOTE).exists():
        report.notes.append("demo plans already exist: nothing added")
        return report
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=("canbo.huyen", "quantri"))
    }
    if len(users) != 2:
        report.notes.append("demo accounts missing")
        return report
    rng = random.Random(seed)
    with transaction.atomic():
        for year in YEARS:
            _allocate_year(year, users, rng, report)
    return report
