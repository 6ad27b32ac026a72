"""Replicating an evaluated poverty-reduction model: a new proposal linked to its source."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from areas.models import Unit

from .. import rules
from ..choices import ProjectForm
from ..models import ProgramComponent, Project, ProjectEvaluation
from .common import project_refresh
from .proposal import apply_budget, project_create


def _component_for(component: ProgramComponent, day) -> ProgramComponent:
    """The source's sub-project, or the one of the same number in the period containing the
    replica's start (a 2021-2025 model replicated in 2026 is filed under 2026-2030)."""
    if day is None or component.program.covers(day):
        return component
    return (
        ProgramComponent.objects.filter(
            program__starts_on__lte=day, program__ends_on__gte=day, number=component.number
        ).first()
        or component  # no such period or number: the dossier check says so
    )


@transaction.atomic
def model_replicate(
    *, by, source: Project, communes: Iterable[Unit], code: str = "", **fields: Any
) -> Project:
    """Start a draft that builds the source model elsewhere: same form, sub-project, sector,
    expected outputs and support items (a starting estimate to adjust); no participants."""
    source = Project.objects.select_related("component__program").get(pk=source.pk)
    evaluation = ProjectEvaluation.objects.filter(project=source).first()
    if not rules.can_replicate(
        form=source.form,
        status=source.status,
        recommended=bool(evaluation and evaluation.recommend_replication),
    ):
        raise ValidationError(
            _("Chỉ nhân rộng được mô hình đã đánh giá và được đề nghị nhân rộng.")
        )
    defaults = {
        "title": source.title,
        "form": ProjectForm.MODEL,
        "component": _component_for(source.component, fields.get("starts_on")),
        "sector": source.sector,
        "group_kind": source.group_kind,
        "expected_outputs": source.expected_outputs,
        "income_effect": source.income_effect,
    }
    project = project_create(
        by=by, communes=communes, code=code, replicated_from=source, **{**defaults, **fields}
    )
    items = [
        {"name": i.name, "unit": i.unit, "quantity": i.quantity, "unit_cost": i.unit_cost}
        for i in source.items.all()
    ]
    apply_budget(project, sum(i.amount for i in source.items.all()), {}, items)
    return project_refresh(project)
