"""Saving a survey, and the transitions of a household across rounds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.scope import Capability

from .. import facts as F_
from ..models import (
    Exclusion,
    Household,
    ReviewRound,
    RoundKind,
    Survey,
    SurveyDeprivation,
    SurveyStatus,
)
from ..reasons import to_json
from ..rules import transition
from ..standards import PovertyClass
from .common import (
    NEAR,
    POOR,
    ConcurrentEdit,
    _require,
    _require_unlocked,
    _results_changed,
)
from .members import _check_members, _save_members, _sync_head


@transaction.atomic
def survey_save(
    *,
    by,
    survey: Survey,
    expected_version: int,
    household_data: Mapping[str, Any],
    members: list[Mapping[str, Any]],
    survey_data: Mapping[str, Any],
) -> Survey:
    """Save a survey with its household's members, classify it, and refresh transitions.

    ``expected_version`` is the version the form was loaded with: if anyone saved in between,
    the save is refused (``ConcurrentEdit``) instead of overwriting their work.
    """
    round_ = survey.round
    _require(by, survey.commune, Capability.ENTER)
    _require_unlocked(round_, survey.commune)
    bumped = Survey.objects.filter(pk=survey.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise ConcurrentEdit(
            _(
                "Phiếu này vừa được người khác (hoặc ở thẻ khác) lưu. Tải lại trang để xem bản "
                "mới nhất rồi nhập lại thay đổi của bạn."
            )
        )
    survey.refresh_from_db()
    household = Household.objects.select_for_update().get(pk=survey.household_id)
    on = round_.reference_date
    _check_members(members, on, exclude_household=household)
    for field, value in household_data.items():
        setattr(household, field, value)
    _sync_head(household, members)
    if "requested_review" not in household_data:
        household.requested_review = False  # the request is answered by this survey
    household.version += 1
    household.save()
    _save_members(household, members)

    evaluated = F_.assess(
        members=members,
        survey=survey_data,
        on=on,
        is_urban=survey.commune.is_urban,
        is_farm_household=household.is_farm_household,
        standard=round_.get_standard(),
    )
    for field, value in survey_data.items():
        setattr(survey, field, value)
    result = evaluated.assessment
    survey.income_per_person = evaluated.income_per_person
    survey.status = SurveyStatus.SURVEYED
    survey.is_urban = survey.commune.is_urban
    survey.is_ethnic_minority = household.is_ethnic_minority
    survey.member_count = len(members)
    survey.members_snapshot = F_.snapshot(members, on)
    survey.deprived_count = result.deprived_count
    survey.b2_score = result.b2_score
    survey.poverty_class = result.poverty_class.value
    survey.surveyed_by = by
    survey.surveyed_at = timezone.now()
    survey.save()
    survey.deprivations.all().delete()
    SurveyDeprivation.objects.bulk_create(
        SurveyDeprivation(
            survey=survey,
            indicator=r.indicator.code,
            reasons=[to_json(reason) for reason in r.reasons],
        )
        for r in result.results
        if r.deprived
    )
    household_transitions_refresh(household)
    survey.refresh_from_db()
    _results_changed(round_, survey.commune)
    return survey


def household_transitions_refresh(household: Household) -> None:
    """Recompute previous class and transition of every entry of one household.

    Entries are its surveys and exclusions in round order. A periodic round compares with the
    previous periodic round; a regular (monthly) review with the latest entry before it.
    Cheap: a household has one entry a round.
    """
    surveys = list(
        Survey.objects.filter(household=household)
        .select_related("round")
        .order_by("round__starts_on")
    )
    exclusions = list(Exclusion.objects.filter(household=household).select_related("round"))
    by_round: dict[int, Survey] = {s.round_id: s for s in surveys}
    rounds = sorted(
        {s.round for s in surveys} | {e.round for e in exclusions}, key=lambda r: r.starts_on
    )
    history: list[tuple[ReviewRound, str]] = []  # (round, class) of counted surveys so far
    for round_ in rounds:
        if round_.kind == RoundKind.PERIODIC:
            earlier = [(r, c) for r, c in history if r.kind == RoundKind.PERIODIC]
        else:
            earlier = history
        previous = earlier[-1][1] if earlier else None
        before = [c for _, c in earlier[:-1]]
        ever_poor, ever_near = POOR in before, NEAR in before
        for exclusion in (e for e in exclusions if e.round_id == round_.pk):
            _set(
                exclusion,
                previous_class=previous or "",
                transition=transition(
                    current=None,
                    previous=PovertyClass(previous) if previous else PovertyClass.NONE,
                    ever_poor_before=ever_poor,
                    ever_near_poor_before=ever_near,
                ).value,
            )
        survey = by_round.get(round_.pk)
        if survey is None or not survey.poverty_class:
            continue
        arrived = bool(survey.arrival)
        _set(
            survey,
            previous_class="" if arrived else (previous or ""),
            transition=transition(
                current=PovertyClass(survey.poverty_class),
                previous=None if arrived else (PovertyClass(previous) if previous else None),
                ever_poor_before=ever_poor,
                ever_near_poor_before=ever_near,
                arrived=arrived,
            ).value,
        )
        history.append((round_, survey.poverty_class))


def _set(obj, **values) -> None:
    if any(getattr(obj, k) != v for k, v in values.items()):
        type(obj).objects.filter(pk=obj.pk).update(**values)
        for k, v in values.items():
            setattr(obj, k, v)
