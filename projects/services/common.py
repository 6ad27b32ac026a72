"""Helpers every project service shares: scope checks, derived columns, the proposal checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Level, Unit
from areas.scope import user_reach
from indicators.services import program_changed  # noqa: F401 (the projects services call it)

from .. import rules
from ..models import ApprovalLevel, Project, ProjectStep, StateShareCap
from ..models.project import SOURCES
from ..problems import problem_messages
from ..selectors.projects import project_can


class ConcurrentEdit(ValidationError):
    """The project changed since the form was loaded (another tab or another officer)."""


def require_project(by, project: Project, action: str) -> None:
    if not project_can(user_reach(by), project, action):
        raise PermissionDenied


def require_communes(by, communes: Iterable[Unit], capability: str) -> None:
    """Every commune must be a commune valid today under the user's capability."""
    scope = user_reach(by).today
    for commune in communes:
        if commune.level != Level.COMMUNE or not scope.covers(commune, capability):
            raise PermissionDenied


def require_editable(project: Project) -> None:
    if project.is_editable:
        return
    if project.is_locked:
        raise ValidationError(
            _(
                "Dự án đã được phê duyệt: kinh phí và danh sách hộ tham gia chỉ thay đổi được "
                "bằng một lần điều chỉnh có ghi lý do."
            )
        )
    raise ValidationError(
        _("Dự án đang ở trạng thái “%(status)s”: không sửa được hồ sơ.")
        % {"status": project.get_status_display()}
    )


def bump_version(project: Project, expected_version: int | None) -> None:
    """Refuse to overwrite someone else's save (principle 4 of DESIGN.md)."""
    if expected_version is None:
        Project.objects.filter(pk=project.pk).update(version=F("version") + 1)
    elif not Project.objects.filter(pk=project.pk, version=expected_version).update(
        version=F("version") + 1
    ):
        raise ConcurrentEdit(
            _(
                "Hồ sơ dự án vừa được người khác (hoặc ở thẻ khác) lưu. Tải lại trang để xem bản "
                "mới nhất rồi nhập lại thay đổi của bạn."
            )
        )
    project.version = Project.objects.values_list("version", flat=True).get(pk=project.pk)


def record_step(
    project: Project,
    *,
    action: str,
    by,
    from_status: str = "",
    comment: str = "",
    decision_number: str = "",
    decision_date: dt.date | None = None,
) -> ProjectStep:
    return ProjectStep.objects.create(
        project=project,
        action=action,
        from_status=from_status,
        to_status=project.status,
        by=by,
        comment=comment,
        decision_number=decision_number,
        decision_date=decision_date,
    )


def project_refresh(project: Project) -> Project:
    """Recompute the derived columns (area type, shares, priority) from the rules."""
    communes = list(project.communes.all())
    categories = list(project.participants.values_list("category", flat=True))
    program = project.component.program
    share = rules.beneficiary_share(categories)
    values = {
        "area_type": rules.area_type(
            rules.CommuneFlags(c.is_poor_district, c.is_coastal_difficult, c.is_mountainous)
            for c in communes
        ),
        "participant_count": len(categories),
        "beneficiary_share": share,
        "is_priority": rules.is_priority(share, program.priority_share),
        "state_share": rules.percent(project.state_support, project.total_cost),
    }
    Project.objects.filter(pk=project.pk).update(**values)
    for field, value in values.items():
        setattr(project, field, value)
    return project


def cap_for(project: Project):
    cap = StateShareCap.objects.filter(
        program=project.component.program_id, form=project.form, area_type=project.area_type
    ).first()
    return cap.max_share if cap else None


def approval_level_for(form: str, day: dt.date) -> str | None:
    return rules.approval_level_on(
        (
            rules.LevelRule(level=r.level, valid_from=r.valid_from, valid_to=r.valid_to)
            for r in ApprovalLevel.objects.filter(form=form)
        ),
        day,
    )


def proposal_problems(project: Project, *, refresh: bool = True) -> list[rules.Problem]:
    """The checks of the dossier as it is in the database now (``refresh``: recompute the
    derived columns first; pages pass False, the columns are kept current by every write)."""
    if refresh:
        project_refresh(project)
    participants = list(
        project.participants.values_list("category", "household__code", "household__commune_id")
    )
    program = project.component.program
    return rules.proposal_problems(
        rules.Proposal(
            categories=[c for c, _code, _commune in participants],
            min_share=program.min_beneficiary_share,
            total_cost=project.total_cost,
            sources={f: getattr(project, f) for f in SOURCES},
            item_amounts=list(project.items.values_list("amount", flat=True)),
            cap=cap_for(project),
            project_communes=frozenset(project.communes.values_list("pk", flat=True)),
            household_communes={code: commune for _c, code, commune in participants},
            starts_on=project.starts_on,
            ends_on=project.ends_on,
        )
    )


def raise_problems(problems: list[rules.Problem]) -> None:
    if problems:
        raise ValidationError(problem_messages(problems))


def today() -> dt.date:
    return timezone.localdate()
