"""Shared pieces of the household services: constants, scope and lock checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from areas.models import Unit
from areas.scope import user_scope

from .. import rules
from ..models import (
    AverageLivingRequest,
    CommuneSubmission,
    RequestDecision,
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


_batch: ContextVar[set[tuple[int, int]] | None] = ContextVar("rollup_batch", default=None)


def _results_changed(round_: ReviewRound, commune: Unit) -> None:
    """After commit, recompute the indicators of this commune's line (indicators app)."""
    pending = _batch.get()
    if pending is not None:  # inside rollups_batched(): once per commune at the end
        pending.add((round_.pk, commune.pk))
        return
    _queue_rollup(round_.pk, commune.pk)


def _queue_rollup(round_id: int, commune_id: int) -> None:
    _queue_rollups({(round_id, commune_id)})


def _queue_rollups(pairs: set[tuple[int, int]]) -> None:
    """Owe these (round, commune) rollups in this transaction (``indicators.outbox``), then ask
    a worker for them once after the commit."""
    from indicators.outbox import mark_stale, request_drain

    by_round: dict[int, list[int]] = {}
    for round_id, commune_id in pairs:
        by_round.setdefault(round_id, []).append(commune_id)
    for round_id, communes in sorted(by_round.items()):
        mark_stale(round_id, communes)
    if pairs:
        request_drain()


@contextmanager
def rollups_batched():
    """Many writes, one indicator recompute per commune touched (e.g. an Excel import of a
    thousand surveys). Use inside the writes' transaction: the communes are marked stale in it
    and recomputed after its commit."""
    if _batch.get() is not None:  # nested: the outer block queues them
        yield
        return
    token = _batch.set(set())
    try:
        yield
        pending = _batch.get()
    finally:
        _batch.reset(token)
    _queue_rollups(pending)


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


def approved_request(household_id: int, round_id: int) -> rules.AverageLivingRequest | None:
    """The rules' facts of the household's approved request for the round, if any."""
    found = AverageLivingRequest.objects.filter(
        household_id=household_id, round_id=round_id, decision=RequestDecision.APPROVED
    ).first()
    return found.facts() if found else None


def approved_requests(
    round_: ReviewRound, household_ids: Iterable[int]
) -> dict[int, rules.AverageLivingRequest]:
    """{household id: facts} of the approved requests of many households (the import)."""
    rows = AverageLivingRequest.objects.filter(
        round=round_, household_id__in=list(household_ids), decision=RequestDecision.APPROVED
    )
    return {r.household_id: r.facts() for r in rows}
