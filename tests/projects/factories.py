"""Builders for project tests: households in a commune with a class, and complete proposals."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from households.models import Survey
from projects import services
from projects.models import ProgramComponent, Project
from tests.households.factories import (
    NEAR_POOR_FIELDS,
    POOR_FIELDS,
    member,
    open_round,
    register,
    save,
)

START = dt.date(2026, 1, 1)
END = dt.date(2026, 12, 31)


def component(number: str = "3.1", day: dt.date = START) -> ProgramComponent:
    """The component of the program period that contains ``day`` (a project's start)."""
    return ProgramComponent.objects.get(
        program__starts_on__lte=day, program__ends_on__gte=day, number=number
    )


def households(officer, commune, n: int, **flags):
    return [register(officer, commune, members=[member(f"Chủ hộ {i}")], **flags) for i in range(n)]


def classify(officer, round_, household, poverty_class: str) -> Survey:
    """Enter the household's survey in an open round so that it gets this class."""
    fields = {"poor": POOR_FIELDS, "near_poor": NEAR_POOR_FIELDS, "none": {}}[poverty_class]
    survey = Survey.objects.get(household=household, round=round_)
    return save(officer, survey, **fields)


def dossier(**over):
    data = {
        "title": "Nuôi bò sinh sản",
        "form": "community",
        "component": component(day=over.get("starts_on", START)),
        "sector": "livestock",
        "group_kind": "household_group",
        "group_name": "Tổ hợp tác chăn nuôi thôn 1",
        "group_leader": "Đinh Văn Hòa",
        "starts_on": START,
        "ends_on": END,
        "expected_outputs": "20 con bê",
        "income_effect": "Tăng thu nhập 1.000.000 đồng/hộ/tháng",
    }
    data.update(over)
    return data


def budget(project: Project, officer, *, total=100_000_000, state=90_000_000, items=None):
    rest = total - state
    items = items or [
        {"name": "Bò cái sinh sản", "unit": "con", "quantity": "10", "unit_cost": total // 10}
    ]
    return services.project_budget_save(
        by=officer,
        project=project,
        expected_version=None,
        total_cost=total,
        sources={"state_support": state, "counterpart_cash": rest},
        items=items,
    )


def proposal(officer, communes, members, *, categories=None, total=100_000_000, state=90_000_000,
             **over) -> Project:  # fmt: skip
    """A complete proposal: dossier, budget that adds up, participants (poor unless told)."""
    project = services.project_create(by=officer, communes=communes, **dossier(**over))
    budget(project, officer, total=total, state=state)
    categories = categories or ["poor"] * len(members)
    services.project_participants_add(
        by=officer, project=project, entries=list(zip(members, categories, strict=True))
    )
    project.refresh_from_db()
    return project


def approved(project: Project, officer, district, *, decision_date=None) -> Project:
    services.project_submit(by=officer, project=project)
    services.project_appraise(by=district, project=project)
    services.project_approve(
        by=district,
        project=project,
        decision_number="12/QĐ-UBND",
        decision_date=decision_date or timezone.localdate(),
    )
    project.refresh_from_db()
    return project


def evaluated_model(cast, communes, members, recommend=True) -> Project:
    project = approved(
        proposal(cast.officer, communes, members, form="model", component=component("2")),
        cast.officer,
        cast.district,
    )
    services.project_start(by=cast.officer, project=project)
    services.project_complete(by=cast.officer, project=project)
    services.project_evaluate(
        by=cast.district,
        project=project,
        economic_rating="good",
        social_rating="good",
        environmental_rating="fair",
        recommend_replication=recommend,
        income_before=1_000_000,
        income_after=1_600_000,
    )
    project.refresh_from_db()
    return project


__all__ = ["open_round"]
