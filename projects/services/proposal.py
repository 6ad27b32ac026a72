"""Writing a proposal: the dossier, its budget and support items, its participants.

Only drafts and returned proposals change here; approved projects change through an amendment
(amendment.py). Every function checks the caller's scope itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from areas.models import Unit
from areas.scope import Capability
from households.models import Household, HouseholdStatus

from .. import rules
from ..choices import Action, Category
from ..models import Project, ProjectParticipant, SupportItem
from ..models.project import SOURCES
from .common import (
    bump_version,
    project_refresh,
    raise_problems,
    record_step,
    require_communes,
    require_editable,
    require_project,
)

DOSSIER_FIELDS = (
    "title",
    "form",
    "component",
    "sector",
    "group_kind",
    "group_name",
    "group_leader",
    "starts_on",
    "ends_on",
    "expected_outputs",
    "income_effect",
)


def _check_dossier(fields: Mapping[str, Any], communes: list[Unit]) -> None:
    errors: dict[str, str] = {}
    if not communes:
        errors["communes"] = _("Chọn ít nhất một xã thực hiện dự án.")
    component = fields.get("component")
    if component is not None and not component.for_projects:
        errors["component"] = _("Dự án / tiểu dự án này không dùng cho dự án sinh kế.")
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if component is not None and starts and not component.program.covers(starts):
        errors["component"] = _(
            "Dự án bắt đầu ngày %(day)s, ngoài giai đoạn %(start)s – %(end)s của chương trình "
            "“%(program)s”: chọn dự án / tiểu dự án của giai đoạn chứa ngày bắt đầu."
        ) % {
            "day": starts.strftime("%d/%m/%Y"),
            "start": component.program.starts_on.strftime("%d/%m/%Y"),
            "end": component.program.ends_on.strftime("%d/%m/%Y"),
            "program": component.program.code,
        }
    if errors:
        raise ValidationError(errors)


def _code_for(communes: list[Unit], starts_on: dt.date) -> str:
    prefix = f"DA-{min(c.code for c in communes)}-{starts_on:%Y}-"
    n = Project.objects.filter(code__startswith=prefix).count() + 1
    while Project.objects.filter(code=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


def _set_minutes(project: Project, minutes) -> None:
    """New minutes replace the old file, which is deleted from storage once the change commits
    (a rolled-back change keeps it; no row would name it otherwise)."""
    if minutes:
        old = project.minutes.name if project.minutes else ""
        project.minutes = minutes
        project.minutes_name = minutes.name[:200]
        if old:
            storage = project.minutes.storage
            transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def project_create(
    *,
    by,
    communes: Iterable[Unit],
    code: str = "",
    minutes=None,
    replicated_from: Project | None = None,
    **fields: Any,
) -> Project:
    """Start a proposal (a draft) in communes where the user enters data."""
    communes = list(communes)
    require_communes(by, communes, Capability.ENTER)
    _check_dossier(fields, communes)
    code = code.strip() or _code_for(communes, fields["starts_on"])
    if Project.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã dự án %(code)s đã tồn tại.") % {"code": code}})
    project = Project(code=code, created_by=by, replicated_from=replicated_from)
    for field in DOSSIER_FIELDS:
        if field in fields:
            setattr(project, field, fields[field])
    _set_minutes(project, minutes)
    project.full_clean(exclude=["created_by", "replicated_from"])
    project.save()
    project.communes.set(communes)
    record_step(project, action=Action.CREATE, by=by)
    return project_refresh(project)


@transaction.atomic
def project_update(
    *,
    by,
    project: Project,
    expected_version: int | None,
    communes: Iterable[Unit],
    minutes=None,
    **fields: Any,
) -> Project:
    """Change the dossier of a draft or returned proposal."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_project(by, project, "edit")
    require_editable(project)
    communes = list(communes)
    current = {c.pk for c in project.communes.all()}
    require_communes(by, [c for c in communes if c.pk not in current], Capability.ENTER)
    _check_dossier(fields, communes)
    bump_version(project, expected_version)
    for field in DOSSIER_FIELDS:
        if field in fields:
            setattr(project, field, fields[field])
    _set_minutes(project, minutes)
    project.full_clean(exclude=["created_by", "replicated_from", "code"])
    project.save()
    project.communes.set(communes)
    return project_refresh(project)


def _items(items: Iterable[Mapping[str, Any]]) -> list[SupportItem]:
    rows = []
    for position, item in enumerate(items):
        quantity = Decimal(item["quantity"])
        rows.append(
            SupportItem(
                position=position,
                name=item["name"],
                unit=item["unit"],
                quantity=quantity,
                unit_cost=int(item["unit_cost"]),
                amount=rules.item_amount(quantity, int(item["unit_cost"])),
            )
        )
    return rows


def apply_budget(
    project: Project, total_cost: int, sources: Mapping[str, int], items: Iterable[Mapping]
) -> None:
    unknown = set(sources) - set(SOURCES)
    if unknown:
        raise ValueError(f"unknown budget sources: {unknown}")
    project.total_cost = int(total_cost)
    for field in SOURCES:
        setattr(project, field, int(sources.get(field, 0)))
    project.save()
    project.items.all().delete()
    rows = _items(items)
    for row in rows:
        row.project = project
        row.save()  # one history row per line


@transaction.atomic
def project_budget_save(
    *,
    by,
    project: Project,
    expected_version: int | None,
    total_cost: int,
    sources: Mapping[str, int],
    items: Iterable[Mapping[str, Any]],
) -> Project:
    """Replace the budget split and the support items of a draft or returned proposal.

    Refused, with nothing written, when the lines do not add up to the total cost: the budget
    step decides here, not only at submission (the checks there still catch drafts saved
    before this rule, and amendments)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_project(by, project, "edit")
    require_editable(project)
    items = list(items)
    totals = rules.budget_totals(
        total_cost=int(total_cost),
        sources={f: int(v) for f, v in sources.items()},
        item_amounts=[row.amount for row in _items(items)],
    )
    raise_problems(rules.budget_sum_problems(totals))
    bump_version(project, expected_version)
    apply_budget(project, total_cost, sources, items)
    return project_refresh(project)


def check_participants(project: Project, entries: list[tuple[Household, str]]) -> None:
    communes = set(project.communes.values_list("pk", flat=True))
    for household, category in entries:
        if category not in Category.values:
            raise ValidationError(_("Chọn đối tượng cho hộ %(code)s.") % {"code": household.code})
        if household.status != HouseholdStatus.ACTIVE or household.commune_id not in communes:
            raise ValidationError(
                _("Hộ %(code)s không cư trú tại xã thực hiện dự án.") % {"code": household.code}
            )


@transaction.atomic
def project_participants_add(
    *, by, project: Project, entries: Iterable[tuple[Household, str]]
) -> int:
    """Add households (with their beneficiary category at this time); returns how many."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_project(by, project, "edit")
    require_editable(project)
    entries = list(entries)
    check_participants(project, entries)
    present = set(project.participants.values_list("household_id", flat=True))
    added = 0
    for household, category in entries:
        if household.pk in present:
            continue
        ProjectParticipant.objects.create(project=project, household=household, category=category)
        present.add(household.pk)
        added += 1
    bump_version(project, None)
    project_refresh(project)
    return added


@transaction.atomic
def project_participant_remove(*, by, project: Project, participant_id: int) -> None:
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_project(by, project, "edit")
    require_editable(project)
    participant = project.participants.filter(pk=participant_id).first()
    if participant is None:
        raise ValidationError(_("Hộ này không có trong danh sách tham gia dự án."))
    participant.delete()
    bump_version(project, None)
    project_refresh(project)
