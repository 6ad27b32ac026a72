"""Demo projects, models, trainings and employment for ``seed_demo`` (never for production).

Works with whatever households exist: participants are picked from the active households of
each project's communes (Xã Ba Tơ and the other communes of former Ba Tơ district first, where
the demo accounts work). Communes without households get no project; with no households at all
nothing is created, and the report says so. Every write goes through the services, as the demo
accounts (the commune officer proposes, the district staff appraise and approve; the
administrator acts where the demo officer has no commune); dates are then set back so the
timelines read like real ones. Idempotent: nothing is added when demo projects exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from areas.models import Unit, UnitGroup
from households.models import HouseholdStatus, ReviewRound, RoundKind, Survey
from projects import services
from projects.loading import program_load
from projects.models import ProgramComponent, Project, ProjectEvaluation, ProjectStep
from projects.rules import BENEFICIARY_CATEGORIES
from projects.selectors.households import household_candidates
from projects.selectors.outcomes import measured_income, project_outcomes
from projects.services.common import cap_for

from .trainings import demo_trainings_seed

PREFIX = "DEMO-"
GROUP = "huyen-cu-535"
PER_PROJECT = 6
START, END = dt.date(2025, 10, 1), dt.date(2026, 6, 30)  # between the 2025 and 2026 reviews
LATER = dt.date(2026, 3, 1)

# (status reached, form, sector, title, sub-project, model recommended for replication)
PLAN = (
    ("evaluated", "community", "livestock", "Nuôi bò cái sinh sản", "3.1", False),
    ("completed", "community", "crops", "Trồng lúa nước giống mới", "3.1", False),
    ("in_progress", "community", "forestry", "Trồng keo lai gỗ lớn", "3.1", False),
    ("approved", "community", "livestock", "Nuôi dê sinh sản", "3.1", False),
    ("under_appraisal", "community", "aquaculture", "Nuôi cá nước ngọt", "3.1", False),
    ("submitted", "community", "non_farm", "Dệt thổ cẩm", "2", False),
    ("returned", "community", "services", "Du lịch cộng đồng homestay", "2", False),
    ("rejected", "community", "crops", "Trồng quế", "3.1", False),
    ("draft", "community", "livestock", "Nuôi heo đen bản địa", "3.1", False),
    ("evaluated", "model", "livestock", "Mô hình nuôi bò vỗ béo", "2", True),
    ("evaluated", "model", "crops", "Mô hình trồng sâm dây", "2", True),
    ("in_progress", "model", "services", "Mô hình chăn nuôi gà thả vườn", "2", False),
)
ITEMS = {  # per household: (item, unit, quantity, unit cost)
    "livestock": (("Con giống", "con", 1, 15_000_000), ("Thức ăn, thuốc thú y", "gói", 2, 750_000)),
    "crops": (("Giống cây trồng", "kg", 20, 120_000), ("Phân bón", "bao", 10, 350_000)),
    "forestry": (("Cây giống keo", "cây", 1100, 2_000), ("Phân bón", "bao", 6, 350_000)),
    "aquaculture": (("Cá giống", "con", 500, 3_000), ("Thức ăn", "bao", 12, 420_000)),
    "non_farm": (("Khung dệt", "bộ", 1, 6_500_000), ("Sợi, chỉ", "kg", 10, 180_000)),
    "services": (("Sửa chữa nhà đón khách", "gói", 1, 12_000_000), ("Chăn, đệm", "bộ", 4, 600_000)),
}
LABOUR = ("Ngày công lao động", "công", 15, 200_000)
# projects reach the poorest first
ORDER = ("poor", "near_poor", "newly_escaped", "disabled", "poor_area", "other")
RETURN = "Bổ sung biên bản họp cộng đồng có đủ chữ ký và làm rõ phần đối ứng của các hộ."
REJECT = "Trùng nội dung với dự án đã hỗ trợ năm trước cho cùng nhóm hộ."


@dataclass
class DemoReport:
    projects: int = 0
    models: int = 0
    replications: int = 0
    courses: int = 0
    course_participants: int = 0
    employment: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"Demo projects: {self.projects} projects ({self.models} models, "
            f"{self.replications} replications), {self.courses} courses with "
            f"{self.course_participants} participants, {self.employment} employment records."
        )
        return " ".join([text, *self.notes])


def _communes() -> list[Unit]:
    """Communes valid today with active households, some of them poor or near-poor (projects
    reach those first), former Ba Tơ district first."""
    today = timezone.localdate()
    group = set(UnitGroup.objects.filter(code=GROUP).values_list("members", flat=True))
    latest = ReviewRound.objects.filter(kind=RoundKind.PERIODIC).order_by("-starts_on").first()
    listed = dict(
        Survey.objects.filter(
            round=latest,
            household__status=HouseholdStatus.ACTIVE,
            effective_class__in=["poor", "near_poor"],
        )
        .values("commune_id")
        .annotate(n=Count("pk"))
        .values_list("commune_id", "n")
    )
    rows = (
        Unit.objects.valid_on(today)
        .communes()
        .filter(pk__in=[pk for pk, n in listed.items() if n >= 2])
        .annotate(n=Count("households", filter=Q(households__status=HouseholdStatus.ACTIVE)))
        .filter(n__gte=3)
    )
    return sorted(rows, key=lambda u: (u.pk not in group, u.code != "21484", -u.n, u.code))[:4]


def _participants(project: Project, offset: int) -> list[tuple]:
    """Up to PER_PROJECT households, beneficiaries first, at least half of them beneficiaries."""
    candidates = household_candidates(project)
    candidates = candidates[offset % max(len(candidates), 1) :] + candidates
    chosen, seen = [], set()
    for h in sorted(candidates, key=lambda h: ORDER.index(h.suggested)):
        if h.pk not in seen and len(chosen) < PER_PROJECT:
            chosen.append((h, h.suggested))
            seen.add(h.pk)
    beneficiaries = sum(1 for _, c in chosen if c in BENEFICIARY_CATEGORIES)
    others = [e for e in chosen if e[1] not in BENEFICIARY_CATEGORIES][:beneficiaries]
    return [e for e in chosen if e[1] in BENEFICIARY_CATEGORIES] + others


def _budget(project: Project, officer, households: int) -> None:
    lines = [(n, u, q * households, c) for n, u, q, c in ITEMS[project.sector]]
    lines.append((LABOUR[0], LABOUR[1], LABOUR[2] * households, LABOUR[3]))
    items = [{"name": n, "unit": u, "quantity": Decimal(q), "unit_cost": c} for n, u, q, c in lines]
    total = sum(q * c for _n, _u, q, c in lines)
    share = min(cap_for(project) or Decimal(60), Decimal(90))
    state = int(total * share / 100) // 1000 * 1000
    labour = min(total - state, LABOUR[2] * households * LABOUR[3])
    services.project_budget_save(
        by=officer,
        project=project,
        expected_version=None,
        total_cost=total,
        sources={
            "state_support": state,
            "counterpart_labour": labour,
            "counterpart_cash": total - state - labour,
        },
        items=items,
    )


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _advance(project: Project, target: str, who: dict, recommend: bool) -> None:
    """Take the project through the services up to ``target``, as real users would."""
    officer, reviewer = who["officer"], who["reviewer"]
    if target == "draft":
        return
    services.project_submit(by=officer, project=project, comment="Kính đề nghị thẩm định.")
    Project.objects.filter(pk=project.pk).update(
        submitted_at=_aware(project.starts_on - dt.timedelta(40))
    )
    if target == "submitted":
        return
    services.project_appraise(by=reviewer, project=project)
    if target == "under_appraisal":
        return
    if target in ("returned", "rejected"):
        step = services.project_return if target == "returned" else services.project_reject
        step(by=reviewer, project=project, comment=RETURN if target == "returned" else REJECT)
        return
    services.project_approve(
        by=reviewer,
        project=project,
        decision_number=f"{project.pk}/QĐ-UBND",
        decision_date=min(project.starts_on - dt.timedelta(20), timezone.localdate()),
    )
    if target == "approved":
        return
    services.project_start(by=officer, project=project)
    if target == "in_progress":
        return
    services.project_complete(by=officer, project=project)
    if target == "completed":
        return
    measured = measured_income(project_outcomes(project)[0])
    # no household surveyed after the end yet: the evaluators' own measurement
    fallback = {"income_before": 1_150_000, "income_after": 1_720_000}
    services.project_evaluate(
        by=reviewer,
        project=project,
        economic_rating="good",
        social_rating="good",
        environmental_rating="fair",
        economic_note="Thu nhập của các hộ tham gia tăng rõ.",
        recommend_replication=recommend,
        conclusion="Mô hình phù hợp, có thể nhân rộng." if recommend else "Đạt mục tiêu.",
        **({} if measured["households_measured"] else fallback),
    )


STEP_DAYS = {
    "create": -60,
    "submit": -40,
    "appraise": -35,
    "return": -30,
    "reject": -30,
    "approve": -20,
    "start": 0,
}


def _backdate(project: Project) -> None:
    """Spread the timeline over the project's dates (the services stamp them today)."""
    today = timezone.localdate()
    for step in ProjectStep.objects.filter(project=project):
        if step.action in STEP_DAYS:
            day = project.starts_on + dt.timedelta(STEP_DAYS[step.action])
        elif step.action == "complete":
            day = project.ends_on
        else:  # evaluate
            day = project.ends_on + dt.timedelta(30)
        ProjectStep.objects.filter(pk=step.pk).update(at=_aware(min(day, today)))
        if step.action == "evaluate":
            ProjectEvaluation.objects.filter(project=project).update(at=_aware(min(day, today)))


def _actors() -> dict | None:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=("canbo.xa", "canbo.huyen", "quantri")
        )
    }
    return users if len(users) == 3 else None


def _who(users: dict, commune: Unit) -> dict:
    in_group = UnitGroup.objects.filter(code=GROUP, members=commune).exists()
    return {
        "officer": users["canbo.xa"] if commune.code == "21484" and in_group else users["quantri"],
        "reviewer": users["canbo.huyen"] if in_group else users["quantri"],
    }


def _project(
    index: int, plan: tuple, commune: Unit, who: dict, report: DemoReport
) -> Project | None:
    target, form, sector, title, number, recommend = plan
    later = target in ("draft", "submitted", "under_appraisal", "returned", "rejected", "approved")
    starts_on = LATER if later else START
    with transaction.atomic():
        project = services.project_create(
            by=who["officer"],
            communes=[commune],
            code=f"{PREFIX}{commune.code}-{index + 1:02d}",
            title=f"{title} ({commune.name})",
            form=form,
            component=ProgramComponent.objects.get(  # the period that contains the start
                program__starts_on__lte=starts_on, program__ends_on__gte=starts_on, number=number
            ),
            sector=sector,
            group_kind="household_group" if index % 2 else "cooperative_group",
            group_name=f"Tổ hợp tác {title.lower()} thôn {index % 5 + 1}",
            group_leader="Đinh Văn Hòa",
            starts_on=starts_on,
            ends_on=starts_on.replace(year=starts_on.year + 1) if later else END,
            expected_outputs="Các hộ tham gia có sản phẩm hàng hóa ổn định sau một năm.",
            income_effect="Thu nhập tăng khoảng 500.000 đồng/người/tháng.",
        )
        entries = _participants(project, index * PER_PROJECT)
        if not entries:
            transaction.set_rollback(True)
            report.notes.append(f"{commune.label}: no households to take part, project skipped.")
            return None
        services.project_participants_add(by=who["officer"], project=project, entries=entries)
        _budget(project, who["officer"], len(entries))
        _advance(project, target, who, recommend)
        _backdate(project)
    return Project.objects.get(pk=project.pk)


def _replicate(source: Project, commune: Unit, who: dict, n: int, approve: bool) -> Project | None:
    with transaction.atomic():
        project = services.model_replicate(
            by=who["officer"],
            source=source,
            communes=[commune],
            code=f"{PREFIX}{commune.code}-NR{n:02d}",
            title=f"Nhân rộng: {source.title.split(' (')[0]} ({commune.name})",
            group_kind="household_group",
            group_name=f"Nhóm hộ nhân rộng mô hình thôn {n}",
            starts_on=LATER,
            ends_on=LATER.replace(year=LATER.year + 1),
        )
        entries = _participants(project, n * PER_PROJECT)
        if not entries:
            transaction.set_rollback(True)
            return None
        services.project_participants_add(by=who["officer"], project=project, entries=entries)
        _budget(project, who["officer"], len(entries))
        _advance(project, "approved" if approve else "draft", who, False)
        _backdate(project)
    return Project.objects.get(pk=project.pk)


def projects_demo_seed(*, stdout=None) -> DemoReport:
    """Seed the program tree, then demo projects in every state, models, trainings."""
    program_load()
    report = DemoReport()
    if Project.objects.filter(code__startswith=PREFIX).exists():
        report.notes.append("Demo projects already exist: nothing added.")
        return report
    users = _actors()
    if users is None:
        report.notes.append("Demo accounts missing: run seed_demo's accounts step first.")
        return report
    communes = _communes()
    if not communes:
        report.notes.append("No commune has households: no demo project, model or training.")
        return report
    models = []
    for index, plan in enumerate(PLAN):
        commune = communes[index % len(communes)]
        project = _project(index, plan, commune, _who(users, commune), report)
        if project is None:
            continue
        report.projects += 1
        report.models += project.is_model
        if plan[5]:
            models.append(project)
    for n, source in enumerate(models, start=1):
        commune = communes[n % len(communes)]
        replica = _replicate(source, commune, _who(users, commune), n, approve=n == 1)
        if replica is not None:
            report.projects += 1
            report.models += 1
            report.replications += 1
    with transaction.atomic():
        demo_trainings_seed(communes[0], users, _who(users, communes[0]), report)
    return report
