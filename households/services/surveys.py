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
    RoundKind,
    Survey,
    SurveyDeprivation,
    SurveyStatus,
)
from ..rules import RoundEntries, transitions_across_rounds
from .common import (
    ConcurrentEdit,
    _require,
    _require_unlocked,
    _results_changed,
    approved_request,
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
    household_update(household, household_data, members)
    household.save()
    _save_members(household, members)

    result = F_.surveyed(
        members=members,
        survey=survey_data,
        on=on,
        is_urban=survey.commune.is_urban,
        is_farm_household=household.is_farm_household,
        is_ethnic_minority=household.is_ethnic_minority,
        standard=round_.get_standard(),
        average_request=approved_request(household.pk, round_.pk),
    )
    for field, value in result.values.items():
        setattr(survey, field, value)
    survey.status = SurveyStatus.SURVEYED
    survey.surveyed_by = by
    survey.surveyed_at = timezone.now()
    survey.save()
    survey.deprivations.all().delete()
    SurveyDeprivation.objects.bulk_create(
        SurveyDeprivation(survey=survey, indicator=code, reasons=reasons)
        for code, reasons in result.deprivations
    )
    household_transitions_refresh(household)
    survey.refresh_from_db()
    _results_changed(round_, survey.commune)
    return survey


def household_update(
    household: Household, household_data: Mapping[str, Any], members: list[Mapping[str, Any]]
) -> None:
    """The household half of a survey save, on the instance (the caller writes it): the page's
    household fields, the head from the members, the review request answered, a new version."""
    for field, value in household_data.items():
        setattr(household, field, value)
    _sync_head(household, members)
    if "requested_review" not in household_data:
        household.requested_review = False  # the request is answered by this survey
    household.version += 1


def household_transitions_refresh(household: Household) -> None:
    """Recompute previous class and transition of every entry of one household.

    Entries are its surveys and exclusions in round order (``rules.transitions_across_rounds``,
    which the set-based import calls too). Cheap: a household has one entry a round.
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
    entries = []
    for round_ in rounds:
        survey = by_round.get(round_.pk)
        entries.append(
            RoundEntries(
                periodic=round_.kind == RoundKind.PERIODIC,
                exclusions=tuple(e for e in exclusions if e.round_id == round_.pk),
                survey=survey,
                poverty_class=survey.poverty_class if survey else "",
                arrived=bool(survey and survey.arrival),
            )
        )
    for entry, (previous, transition) in transitions_across_rounds(entries).items():
        _set(entry, previous_class=previous, transition=transition)


def _set(obj, **values) -> None:
    if any(getattr(obj, k) != v for k, v in values.items()):
        type(obj).objects.filter(pk=obj.pk).update(**values)
        for k, v in values.items():
            setattr(obj, k, v)
