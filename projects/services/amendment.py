"""Changes to an approved project: budget, support items and participants move only through a
recorded amendment (who, when, why, before and after), and the checks must still pass."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from households.models import Household

from .. import rules
from ..choices import Action
from ..models import Project, ProjectAmendment, ProjectParticipant
from ..models.project import SOURCES
from .common import (
    bump_version,
    proposal_problems,
    raise_problems,
    record_step,
    require_project,
    today,
)
from .proposal import apply_budget, check_participants


def _snapshot(project: Project) -> dict[str, Any]:
    return {
        "budget": project.budget(),
        "items": [
            {"name": i.name, "unit": i.unit, "quantity": str(i.quantity), "unit_cost": i.unit_cost}
            for i in project.items.all()
        ],
        "participants": sorted(
            [code, category]
            for code, category in project.participants.values_list("household__code", "category")
        ),
    }


@transaction.atomic
def project_amend(
    *,
    by,
    project: Project,
    reason: str,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    total_cost: int | None = None,
    sources: Mapping[str, int] | None = None,
    items: Iterable[Mapping[str, Any]] | None = None,
    add: Iterable[tuple[Household, str]] = (),
    remove: Iterable[int] = (),
) -> ProjectAmendment:
    """Amend an approved (or running) project. ``remove``: household ids leaving the project."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_project(by, project, "amend")
    if project.status not in rules.AMENDABLE:
        raise ValidationError(_("Chỉ điều chỉnh được dự án đã phê duyệt hoặc đang thực hiện."))
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi rõ lý do điều chỉnh.")})
    if decision_date and decision_date > today():
        raise ValidationError({"decision_date": _("Ngày quyết định không thể sau hôm nay.")})
    before = _snapshot(project)
    if total_cost is not None or sources is not None or items is not None:
        apply_budget(
            project,
            project.total_cost if total_cost is None else total_cost,
            sources if sources is not None else {f: getattr(project, f) for f in SOURCES},
            items if items is not None else before["items"],
        )
    add = list(add)
    check_participants(project, add)
    project.participants.filter(household_id__in=list(remove)).delete()
    present = set(project.participants.values_list("household_id", flat=True))
    for household, category in add:
        if household.pk not in present:
            ProjectParticipant.objects.create(
                project=project, household=household, category=category
            )
    raise_problems(proposal_problems(project))
    after = _snapshot(project)
    if after == before:
        raise ValidationError(_("Không có thay đổi nào để điều chỉnh."))
    bump_version(project, None)
    number = project.amendments.count() + 1
    amendment = ProjectAmendment.objects.create(
        project=project,
        number=number,
        reason=reason.strip(),
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        before=before,
        after=after,
        by=by,
    )
    project.save()  # a history row with the amended budget
    record_step(
        project,
        action=Action.AMEND,
        by=by,
        from_status=project.status,
        comment=reason.strip(),
        decision_number=decision_number.strip(),
        decision_date=decision_date,
    )
    return amendment
