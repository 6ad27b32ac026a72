"""The project's steps: submit → appraise → approve / return / reject → start → complete →
evaluate. Each step checks the user's scope (the approving level decides whose review counts),
the project's state (rules.STEPS), and records who, when and why."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.services import project_changed

from .. import rules
from ..choices import Action, Rating
from ..models import Project, ProjectEvaluation
from ..models.project import LOCKED
from ..selectors.outcomes import measured_income, project_outcomes
from .common import (
    approval_level_for,
    program_changed,
    proposal_problems,
    raise_problems,
    record_step,
    require_project,
    today,
)

STEP_NAMES = {
    "submit": gettext_lazy("gửi đề xuất"),
    "appraise": gettext_lazy("nhận thẩm định"),
    "approve": gettext_lazy("phê duyệt"),
    "return": gettext_lazy("trả lại"),
    "reject": gettext_lazy("không phê duyệt"),
    "start": gettext_lazy("bắt đầu thực hiện"),
    "complete": gettext_lazy("ghi nhận hoàn thành"),
    "evaluate": gettext_lazy("đánh giá"),
}


def _take(by, project: Project, action: str, comment: str) -> tuple[Project, str]:
    """Check scope then state; return the locked project and the status it leaves."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_project(by, project, action)
    try:
        target = rules.next_status(project.status, action)
    except rules.StepNotAllowed as exc:
        raise ValidationError(
            _("Không thể %(step)s: dự án đang ở trạng thái “%(status)s”.")
            % {"step": STEP_NAMES[action], "status": project.get_status_display()}
        ) from exc
    step = rules.STEPS[action]
    if step.needs_comment and not comment.strip():
        raise ValidationError(
            {"comment": _("Ghi rõ lý do để xã biết cần làm gì (bắt buộc khi trả lại, từ chối).")}
        )
    source = project.status
    project.status = target
    return project, source


def _finish(project: Project, action: str, by, source: str, comment: str, **decision) -> Project:
    project.save()
    record_step(project, action=action, by=by, from_status=source, comment=comment, **decision)
    project_changed(project=project, action=action, by=by, comment=comment)  # e-mails
    if (source in LOCKED) != (project.status in LOCKED):  # counted as approved from now on
        program_changed(communes=project.communes.values_list("pk", flat=True))
    return project


@transaction.atomic
def project_submit(*, by, project: Project, comment: str = "") -> Project:
    """Send the proposal for appraisal; every check of the dossier must pass."""
    project, source = _take(by, project, Action.SUBMIT, comment)
    problems = proposal_problems(project)
    level = approval_level_for(project.form, today())
    if level is None:
        problems.append(rules.Problem("no_level"))
    raise_problems(problems)
    project.approval_level = level
    project.submitted_at = timezone.now()
    return _finish(project, Action.SUBMIT, by, source, comment)


@transaction.atomic
def project_appraise(*, by, project: Project, comment: str = "") -> Project:
    project, source = _take(by, project, Action.APPRAISE, comment)
    return _finish(project, Action.APPRAISE, by, source, comment)


@transaction.atomic
def project_approve(
    *, by, project: Project, decision_number: str, decision_date: dt.date | None, comment: str = ""
) -> Project:
    """Approve with the decision's number and date; the budget and participants lock."""
    project, source = _take(by, project, Action.APPROVE, comment)
    errors = {}
    if not decision_number.strip():
        errors["decision_number"] = _("Nhập số quyết định phê duyệt.")
    if decision_date is None:
        errors["decision_date"] = _("Nhập ngày quyết định phê duyệt.")
    elif decision_date > today():
        errors["decision_date"] = _("Ngày quyết định không thể sau hôm nay.")
    elif project.submitted_at and decision_date < timezone.localtime(project.submitted_at).date():
        errors["decision_date"] = _("Ngày quyết định không thể trước ngày xã gửi đề xuất.")
    if errors:
        raise ValidationError(errors)
    raise_problems(proposal_problems(project))  # caps may have changed since submission
    project.decision_number = decision_number.strip()
    project.decision_date = decision_date
    return _finish(
        project, Action.APPROVE, by, source, comment,
        decision_number=project.decision_number, decision_date=decision_date,
    )  # fmt: skip


@transaction.atomic
def project_return(*, by, project: Project, comment: str) -> Project:
    """Send the proposal back to the commune with comments; it can be fixed and resubmitted."""
    project, source = _take(by, project, Action.RETURN, comment)
    return _finish(project, Action.RETURN, by, source, comment)


@transaction.atomic
def project_reject(*, by, project: Project, comment: str) -> Project:
    project, source = _take(by, project, Action.REJECT, comment)
    return _finish(project, Action.REJECT, by, source, comment)


@transaction.atomic
def project_start(*, by, project: Project, comment: str = "") -> Project:
    project, source = _take(by, project, Action.START, comment)
    return _finish(project, Action.START, by, source, comment)


@transaction.atomic
def project_complete(*, by, project: Project, comment: str = "") -> Project:
    project, source = _take(by, project, Action.COMPLETE, comment)
    return _finish(project, Action.COMPLETE, by, source, comment)


@transaction.atomic
def project_evaluate(
    *,
    by,
    project: Project,
    economic_rating: str,
    social_rating: str,
    environmental_rating: str,
    economic_note: str = "",
    social_note: str = "",
    environmental_note: str = "",
    income_before: int | None = None,
    income_after: int | None = None,
    recommend_replication: bool = False,
    conclusion: str = "",
) -> Project:
    """Record the economic, social and environmental effect, and the income change.

    Income before/after left empty are measured from the reviews (participants' average income
    per person in the last round before the start and the first after the end).
    """
    project, source = _take(by, project, Action.EVALUATE, conclusion)
    ratings = {
        "economic_rating": economic_rating,
        "social_rating": social_rating,
        "environmental_rating": environmental_rating,
    }
    errors = {k: _("Chọn mức đánh giá.") for k, v in ratings.items() if v not in Rating.values}
    if errors:
        raise ValidationError(errors)
    measured = measured_income(project_outcomes(project)[0])
    ProjectEvaluation.objects.create(
        project=project,
        **ratings,
        economic_note=economic_note,
        social_note=social_note,
        environmental_note=environmental_note,
        income_before=measured["income_before"] if income_before is None else income_before,
        income_after=measured["income_after"] if income_after is None else income_after,
        households_measured=measured["households_measured"],
        recommend_replication=recommend_replication and project.is_model,
        conclusion=conclusion,
        by=by,
    )
    return _finish(project, Action.EVALUATE, by, source, conclusion)


STEP_SERVICES = {
    "submit": project_submit,
    "appraise": project_appraise,
    "approve": project_approve,
    "return": project_return,
    "reject": project_reject,
    "start": project_start,
    "complete": project_complete,
    "evaluate": project_evaluate,
}
