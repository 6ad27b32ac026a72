"""Saving a survey, and the transitions of a household across rounds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.scope import Capability

from .. import facts as F_
from ..models import (
    Exclusion,
    Household,
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
    results = survey_results(
        evaluated,
        members=members,
        on=on,
        is_urban=survey.commune.is_urban,
        is_ethnic_minority=household.is_ethnic_minority,
    )
    for field, value in results.items():
        setattr(survey, field, value)
    survey.surveyed_by = by
    survey.surveyed_at = timezone.now()
    survey.save()
    survey.deprivations.all().delete()
    SurveyDeprivation.objects.bulk_create(
        SurveyDeprivation(survey=survey, indicator=indicator, reasons=reasons)
        for indicator, reasons in survey_deprivations(evaluated.assessment)
    )
    household_transitions_refresh(household)
    survey.refresh_from_db()
    _results_changed(round_, survey.commune)
    return survey


def survey_results(
    evaluated: F_.Evaluated,
    *,
    members: list[Mapping[str, Any]],
    on,
    is_urban: bool,
    is_ethnic_minority: bool,
) -> dict[str, Any]:
    """The fields a save stores from the rules' assessment of a survey (pure; the demo generator
    calls it too). ``members`` as saved, ``on`` the round's reference date."""
    result = evaluated.assessment
    return {
        "income_per_person": evaluated.income_per_person,
        "status": SurveyStatus.SURVEYED,
        "is_urban": is_urban,
        "is_ethnic_minority": is_ethnic_minority,
        "member_count": len(members),
        "members_snapshot": F_.snapshot(members, on),
        "deprived_count": result.deprived_count,
        "b2_score": result.b2_score,
        "poverty_class": result.poverty_class.value,
    }


def survey_deprivations(assessment) -> list[tuple[str, list]]:
    """(indicator code, reasons as JSON) of every deprived indicator: the SurveyDeprivation rows."""
    return [
        (r.indicator.code, [to_json(reason) for reason in r.reasons])
        for r in assessment.results
        if r.deprived
    ]


class Step(NamedTuple):
    """A household's entries in one round, for ``transitions_compute``."""

    periodic: bool
    poverty_class: str  # of its survey; "" when it has none or is not classified yet
    arrival: str  # of its survey
    excluded: bool  # it has an exclusion in this round


def transitions_compute(
    steps: list[Step],
) -> list[tuple[tuple[str, str] | None, tuple[str, str] | None]]:
    """Previous class and transition of a household's entries, round by round (pure).

    ``steps`` in round order. For each round: (previous_class, transition) of its exclusions
    (None when it has none), and of its survey (None when the survey has no class). A periodic
    round compares with the previous periodic round; a regular (monthly) review with the latest
    entry before it.
    """
    history: list[tuple[bool, str]] = []  # (periodic, class) of counted surveys so far
    out: list[tuple[tuple[str, str] | None, tuple[str, str] | None]] = []
    for step in steps:
        earlier = [h for h in history if h[0]] if step.periodic else history
        previous = earlier[-1][1] if earlier else None
        before = [c for _, c in earlier[:-1]]
        ever_poor, ever_near = POOR in before, NEAR in before
        exclusion = None
        if step.excluded:
            exclusion = (
                previous or "",
                transition(
                    current=None,
                    previous=PovertyClass(previous) if previous else PovertyClass.NONE,
                    ever_poor_before=ever_poor,
                    ever_near_poor_before=ever_near,
                ).value,
            )
        if not step.poverty_class:
            out.append((exclusion, None))
            continue
        arrived = bool(step.arrival)
        survey = (
            "" if arrived else (previous or ""),
            transition(
                current=PovertyClass(step.poverty_class),
                previous=None if arrived else (PovertyClass(previous) if previous else None),
                ever_poor_before=ever_poor,
                ever_near_poor_before=ever_near,
                arrived=arrived,
            ).value,
        )
        out.append((exclusion, survey))
        history.append((step.periodic, step.poverty_class))
    return out


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
    steps = []
    for round_ in rounds:
        survey = by_round.get(round_.pk)
        steps.append(
            Step(
                periodic=round_.kind == RoundKind.PERIODIC,
                poverty_class=survey.poverty_class if survey else "",
                arrival=survey.arrival if survey else "",
                excluded=any(e.round_id == round_.pk for e in exclusions),
            )
        )
    for round_, (left, entry) in zip(rounds, transitions_compute(steps), strict=True):
        if left is not None:
            for exclusion in (e for e in exclusions if e.round_id == round_.pk):
                _set(exclusion, previous_class=left[0], transition=left[1])
        if entry is not None:
            _set(by_round[round_.pk], previous_class=entry[0], transition=entry[1])


def _set(obj, **values) -> None:
    if any(getattr(obj, k) != v for k, v in values.items()):
        type(obj).objects.filter(pk=obj.pk).update(**values)
        for k, v in values.items():
            setattr(obj, k, v)
