"""Shared pieces of the household services: constants, scope and lock checks."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from areas.models import Unit
from areas.scope import user_scope

from ..models import (
    CommuneSubmission,
    ReviewRound,
)
from ..standards import PovertyClass

POOR, NEAR = PovertyClass.POOR.value, PovertyClass.NEAR_POOR.value
ON_LIST = (POOR, NEAR)  # classes that put a household on next round's review list
BATCH = 5000


class ConcurrentEdit(ValidationError):
    """The record changed since the form was loaded (another tab or another officer)."""


def _require(user, commune: Unit, capability: str, day: dt.date | None = None) -> None:
    if not user_scope(user, day).covers(commune, capability):
        raise PermissionDenied


def _results_changed(round_: ReviewRound, commune: Unit) -> None:
    """After commit, recompute the indicators of this commune's line (indicators app)."""
    from indicators.tasks import rollup_commune_task

    transaction.on_commit(lambda: rollup_commune_task.delay(round_.pk, commune.pk))


def _require_unlocked(round_: ReviewRound, commune: Unit) -> None:
    if not round_.is_open:
        raise ValidationError(_("Đợt rà soát %(round)s đã đóng.") % {"round": round_})
    sub = CommuneSubmission.objects.filter(round=round_, commune=commune).first()
    if sub and sub.is_locked:
        raise ValidationError(
            _(
                "Kết quả rà soát của %(commune)s đã được gửi hoặc tiếp nhận: không thể sửa cho "
                "đến khi cán bộ huyện trả lại hoặc mở lại."
            )
            % {"commune": commune.label}
        )
