"""Commune submission: submit, accept, return, reopen (each step recorded)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from areas.models import Unit
from areas.scope import Capability
from notifications.services import submission_changed

from ..models import (
    CommuneSubmission,
    ReviewRound,
    SubmissionAction,
    SubmissionEvent,
    SubmissionStatus,
    Survey,
    SurveyStatus,
)
from .common import (
    _require,
    _results_changed,
)


def _submission(round_: ReviewRound, commune: Unit) -> CommuneSubmission:
    sub, _created = CommuneSubmission.objects.select_for_update().get_or_create(
        round=round_, commune=commune
    )
    return sub


def _event(sub: CommuneSubmission, action: str, by, comment: str, status: str):
    sub.status = status
    sub.save()
    SubmissionEvent.objects.create(submission=sub, action=action, by=by, comment=comment)
    _results_changed(sub.round, sub.commune)  # provisional vs official figures
    submission_changed(submission=sub, action=action, by=by, comment=comment)  # e-mails
    return sub


@transaction.atomic
def commune_submit(*, by, round_: ReviewRound, commune: Unit, comment: str = ""):
    _require(by, commune, Capability.ENTER)
    if not round_.is_open:
        raise ValidationError(_("Đợt rà soát đã đóng."))
    sub = _submission(round_, commune)
    if sub.status not in (SubmissionStatus.OPEN, SubmissionStatus.RETURNED):
        raise ValidationError(_("Kết quả của xã đã được gửi."))
    pending = Survey.objects.filter(
        round=round_, commune=commune, status=SurveyStatus.PENDING
    ).count()
    if pending:
        raise ValidationError(
            _(
                "Còn %(n)s hộ trong danh sách chưa có phiếu rà soát hoặc lý do đưa ra khỏi danh "
                "sách."
            )
            % {"n": pending}
        )
    return _event(sub, SubmissionAction.SUBMIT, by, comment, SubmissionStatus.SUBMITTED)


def _review(by, sub: CommuneSubmission, expected: str, action: str, status: str, comment: str):
    _require(by, sub.commune, Capability.REVIEW)
    sub = CommuneSubmission.objects.select_for_update().get(pk=sub.pk)
    if sub.status != expected:
        raise ValidationError(
            _("Không thể thực hiện: kết quả đang ở trạng thái “%(status)s”.")
            % {"status": sub.get_status_display()}
        )
    return _event(sub, action, by, comment, status)


@transaction.atomic
def commune_accept(*, by, submission: CommuneSubmission, comment: str = ""):
    return _review(
        by, submission, SubmissionStatus.SUBMITTED, SubmissionAction.ACCEPT,
        SubmissionStatus.ACCEPTED, comment,
    )  # fmt: skip


@transaction.atomic
def commune_return(*, by, submission: CommuneSubmission, comment: str):
    if not comment.strip():
        raise ValidationError({"comment": _("Ghi rõ lý do trả lại để xã biết cần sửa gì.")})
    return _review(
        by, submission, SubmissionStatus.SUBMITTED, SubmissionAction.RETURN,
        SubmissionStatus.RETURNED, comment,
    )  # fmt: skip


@transaction.atomic
def commune_reopen(*, by, submission: CommuneSubmission, comment: str):
    if not comment.strip():
        raise ValidationError({"comment": _("Ghi rõ lý do mở lại kết quả đã tiếp nhận.")})
    return _review(
        by, submission, SubmissionStatus.ACCEPTED, SubmissionAction.REOPEN,
        SubmissionStatus.OPEN, comment,
    )  # fmt: skip


def submission_for(round_: ReviewRound, commune: Unit) -> CommuneSubmission | None:
    return CommuneSubmission.objects.filter(round=round_, commune=commune).first()
