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
from ..models import Project, ProjectEvaluation
from .common import project_refresh
from .proposal import apply_budget, project_create


@transaction.atomic
def model_replicate(
    *, by, source: Project, communes: Iterable[Unit], code: str = "", **fields: Any
) -> Project:
    """Start a draft that builds the source model elsewhere: same form, sub-project, sector,
    expected outputs and support items (a starting estimate to adjust); no participants."""
    source = Project.objects.select_related("component").get(pk=source.pk)
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
        "component": source.component,
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
