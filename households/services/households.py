"""Registering, excluding and moving households."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Unit
from areas.scope import Capability

from ..models import (
    Exclusion,
    Household,
    HouseholdStatus,
    ReviewRound,
    RoundKind,
    RoundStatus,
    Survey,
    SurveyStatus,
)
from .common import (
    _require,
    _require_unlocked,
    _results_changed,
)
from .members import _check_members, _save_members, _sync_head
from .surveys import household_transitions_refresh


@transaction.atomic
def household_create(
    *,
    by,
    commune: Unit,
    code: str = "",
    village: str,
    members: list[Mapping[str, Any]],
    arrival: str = "new",
    **flags: Any,
) -> Household:
    """Register a household; when a round is open it joins that round's list as an arrival."""
    _require(by, commune, Capability.ENTER)
    today = timezone.localdate()
    _check_members(members, today)
    code = (code or "").strip()
    if not code:  # the portal gives the next code of the commune (services.codes)
        from .codes import household_code_next

        code = household_code_next(commune)
    elif Household.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã hộ %(code)s đã tồn tại.") % {"code": code}})
    household = Household(commune=commune, code=code, village=village, **flags)
    _sync_head(household, members)
    household.save()
    _save_members(household, members)
    round_ = ReviewRound.objects.filter(status=RoundStatus.OPEN, kind=RoundKind.PERIODIC).first()
    if round_ and commune.is_valid_on(round_.reference_date):
        _require_unlocked(round_, commune)
        Survey.objects.create(
            household=household,
            round=round_,
            commune=commune,
            **arrival_entry(
                arrival=arrival,
                persons=len(members),
                is_ethnic_minority=household.is_ethnic_minority,
                is_urban=commune.is_urban,
            ),
        )
        _results_changed(round_, commune)
    return household


def arrival_entry(
    *, arrival: str, persons: int, is_ethnic_minority: bool, is_urban: bool
) -> dict[str, Any]:
    """The fields of the pending entry a household registered during an open round gets (pure;
    the demo generator calls it too)."""
    return {
        "arrival": arrival,
        "status": SurveyStatus.PENDING,
        "is_ethnic_minority": is_ethnic_minority,
        "is_urban": is_urban,
        "member_count": persons,
    }


def moved_entry(*, is_urban: bool) -> dict[str, Any]:
    """What a move in an open round changes on the household's entry, besides its commune."""
    # an arrival is not in this commune's start figures
    return {"arrival": "moved_in", "previous_class": "", "is_urban": is_urban}


def move_note(to_label: str) -> str:
    """The note of the exclusion a move leaves in the old commune."""
    return _("Chuyển đến %(commune)s") % {"commune": to_label}


@transaction.atomic
def household_exclude(
    *, by, survey: Survey, reason: str, note: str = "", leaves_registry: bool = True
) -> Exclusion:
    """Take a household off its commune's list this round ("giảm khác" when poor/near-poor)."""
    round_ = survey.round
    _require(by, survey.commune, Capability.ENTER)
    _require_unlocked(round_, survey.commune)
    if not reason:
        raise ValidationError({"reason": _("Chọn lý do đưa hộ ra khỏi danh sách.")})
    household = survey.household
    exclusion = Exclusion.objects.create(
        household=household,
        round=round_,
        commune=survey.commune,
        reason=reason,
        note=note,
        member_count=household.members.filter(is_current=True).count(),
        created_by=by,
    )
    survey.delete()
    if leaves_registry:
        household.status = HouseholdStatus.REMOVED
        household.requested_review = False
        household.save()
    household_transitions_refresh(household)
    exclusion.refresh_from_db()
    _results_changed(round_, exclusion.commune)
    return exclusion


@transaction.atomic
def household_move(*, by, household: Household, to_commune: Unit, village: str) -> Household:
    """Move a household to another commune of the province, keeping its history.

    In an open round it leaves the old commune's list (an exclusion, "giảm khác") and joins the
    new one's as an arrival ("tăng khác"), so both communes' balances hold.
    """
    old = household.commune
    _require(by, old, Capability.ENTER)
    _require(by, to_commune, Capability.SEE)
    if to_commune.level != "commune" or not to_commune.is_valid_on(timezone.localdate()):
        raise ValidationError({"to_commune": _("Chọn một xã đang có hiệu lực.")})
    if to_commune.pk == old.pk:
        raise ValidationError({"to_commune": _("Hộ đã ở xã này.")})
    survey = Survey.objects.filter(household=household, round__status=RoundStatus.OPEN).first()
    if survey:
        _require_unlocked(survey.round, old)
        _require_unlocked(survey.round, to_commune)
        Exclusion.objects.create(
            household=household,
            round=survey.round,
            commune=old,
            reason="moved_out",
            note=move_note(to_commune.label),
            member_count=household.members.filter(is_current=True).count(),
            created_by=by,
        )
        survey.commune = to_commune
        for field, value in moved_entry(is_urban=to_commune.is_urban).items():
            setattr(survey, field, value)
        survey.save()
    household.commune = to_commune
    household.village = village
    household.version += 1
    household.save()
    household_transitions_refresh(household)
    if survey:
        _results_changed(survey.round, old)
        _results_changed(survey.round, to_commune)
    return household
