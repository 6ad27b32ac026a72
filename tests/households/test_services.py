"""The review workflow end to end through the services, on the real unit tree."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from households.models import Exclusion, Survey, SurveyStatus
from households.services import (
    ConcurrentEdit,
    commune_accept,
    commune_reopen,
    commune_return,
    commune_submit,
    household_exclude,
    household_move,
    survey_save,
)
from tests.conftest import unit
from tests.households.factories import (
    NEAR_POOR_FIELDS,
    POOR_FIELDS,
    member,
    open_round,
    register,
    save,
    survey_fields,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ba_to(cast):
    return unit("21484")


def test_register_then_survey_classifies_poor(cast, ba_to):
    round_ = open_round(cast.admin, 2026)
    household = register(cast.officer, ba_to)
    survey = Survey.objects.get(household=household, round=round_)
    assert survey.status == SurveyStatus.PENDING
    assert survey.arrival == "new"
    survey = save(cast.officer, survey, **POOR_FIELDS)
    assert survey.status == SurveyStatus.SURVEYED
    assert survey.poverty_class == "poor"
    assert survey.deprived_count == 3
    assert survey.b2_score == 30
    assert sorted(survey.deprivations.values_list("indicator", flat=True)) == [
        "latrine",
        "telecom",
        "water",
    ]
    assert survey.transition == "other_increase_poor"  # a new household on the list
    assert survey.member_count == 1
    assert survey.members_snapshot[0]["age"] == 41


def test_income_from_household_total(cast, ba_to):
    round_ = open_round(cast.admin, 2026)
    household = register(
        cast.officer,
        ba_to,
        members=[member(), member("Lê Thị Bình", relation="spouse", sex="female")],
    )
    survey = Survey.objects.get(household=household, round=round_)
    survey = save(cast.officer, survey, income_per_person=None, household_income=3_000_001)
    assert survey.income_per_person == 1_500_000  # 3,000,001 // 2, on the line: near-poor
    assert survey.poverty_class == "near_poor"


def test_transitions_across_rounds(cast, ba_to):
    household = register(cast.officer, ba_to)
    r1 = open_round(cast.admin, 2022)
    s1 = save(cast.officer, Survey.objects.get(household=household, round=r1), **POOR_FIELDS)
    assert s1.transition == "newly_poor"
    from households.services import round_close

    round_close(by=cast.admin, round_=r1)
    r2 = open_round(cast.admin, 2023)
    s2 = Survey.objects.get(household=household, round=r2)
    assert s2.status == SurveyStatus.PENDING  # poor last round: must be reviewed
    s2 = save(cast.officer, s2, **NEAR_POOR_FIELDS)
    assert (s2.previous_class, s2.transition) == ("poor", "poor_to_near_poor")
    # changing the earlier survey recomputes the later transition
    r1.status = "open"
    r1.save()
    save(cast.officer, s1)  # now not poor in 2022
    s2.refresh_from_db()
    assert (s2.previous_class, s2.transition) == ("none", "newly_near_poor")


def test_carried_over_households_keep_their_class(cast, ba_to):
    from households.services import round_close

    household = register(cast.officer, ba_to)
    r1 = open_round(cast.admin, 2022)
    save(cast.officer, Survey.objects.get(household=household, round=r1))
    round_close(by=cast.admin, round_=r1)
    r2 = open_round(cast.admin, 2023)
    s2 = Survey.objects.get(household=household, round=r2)
    assert (s2.status, s2.poverty_class, s2.transition) == ("carried_over", "none", "still_none")


def test_second_save_with_stale_version_is_refused(cast, ba_to):
    round_ = open_round(cast.admin, 2026)
    household = register(cast.officer, ba_to)
    survey = Survey.objects.get(household=household, round=round_)
    loaded = survey.version
    members = list(household.members.values())
    survey_save(
        by=cast.officer,
        survey=survey,
        expected_version=loaded,
        household_data={},
        members=members,
        survey_data=survey_fields(**POOR_FIELDS),
    )
    with pytest.raises(ConcurrentEdit):
        survey_save(
            by=cast.officer,
            survey=survey,
            expected_version=loaded,  # the other tab's stale version
            household_data={},
            members=members,
            survey_data=survey_fields(),
        )
    survey.refresh_from_db()
    assert survey.poverty_class == "poor"  # the first save stands


def test_outsider_and_reviewers_cannot_save(cast, ba_to):
    round_ = open_round(cast.admin, 2026)
    survey = Survey.objects.get(household=register(cast.officer, ba_to), round=round_)
    for user in (cast.outsider, cast.district, cast.leader):
        with pytest.raises(PermissionDenied):
            save(user, survey)


def test_submission_needs_every_household_done(cast, ba_to):
    round_ = open_round(cast.admin, 2026)
    done = register(cast.officer, ba_to)
    pending = register(cast.officer, ba_to)
    save(cast.officer, Survey.objects.get(household=done, round=round_))
    with pytest.raises(ValidationError, match="1 hộ"):
        commune_submit(by=cast.officer, round_=round_, commune=ba_to)
    exclusion = household_exclude(
        by=cast.officer,
        survey=Survey.objects.get(household=pending, round=round_),
        reason="died",
    )
    assert exclusion.transition == "departed_none"
    sub = commune_submit(by=cast.officer, round_=round_, commune=ba_to)
    assert sub.status == "submitted"


def test_accepted_commune_is_locked_until_reopened(cast, ba_to):
    round_ = open_round(cast.admin, 2026)
    household = register(cast.officer, ba_to)
    survey = save(cast.officer, Survey.objects.get(household=household, round=round_))
    sub = commune_submit(by=cast.officer, round_=round_, commune=ba_to)
    with pytest.raises(ValidationError, match="đã được gửi"):
        save(cast.officer, survey)
    with pytest.raises(PermissionDenied):
        commune_accept(by=cast.officer, submission=sub)  # officers cannot accept
    with pytest.raises(PermissionDenied):
        commune_accept(by=cast.leader, submission=sub)  # leaders read only
    sub = commune_accept(by=cast.district, submission=sub, comment="Đạt")
    with pytest.raises(ValidationError):
        save(cast.officer, survey)
    with pytest.raises(ValidationError, match="lý do"):
        commune_reopen(by=cast.district, submission=sub, comment=" ")
    sub = commune_reopen(by=cast.district, submission=sub, comment="Sai thu nhập hộ HH1")
    save(cast.officer, survey, **POOR_FIELDS)
    events = list(sub.events.values_list("action", "by__username", "comment"))
    assert events == [
        ("submit", "officer", ""),
        ("accept", "district", "Đạt"),
        ("reopen", "district", "Sai thu nhập hộ HH1"),
    ]


def test_return_needs_a_comment_and_unlocks(cast, ba_to):
    round_ = open_round(cast.admin, 2026)
    household = register(cast.officer, ba_to)
    survey = save(cast.officer, Survey.objects.get(household=household, round=round_))
    sub = commune_submit(by=cast.officer, round_=round_, commune=ba_to)
    with pytest.raises(ValidationError):
        commune_return(by=cast.district, submission=sub, comment="")
    commune_return(by=cast.district, submission=sub, comment="Thiếu hộ ở thôn 3")
    save(cast.officer, survey)  # editable again
    assert commune_submit(by=cast.officer, round_=round_, commune=ba_to).status == "submitted"


def test_move_keeps_both_balances(cast, ba_to):
    round_ = open_round(cast.admin, 2026)
    household = register(cast.officer, ba_to)
    survey = save(cast.officer, Survey.objects.get(household=household, round=round_))
    neighbour = unit("21490")  # Ba Vinh, same former district
    cast.officer.assignments.create(
        role="commune_officer", unit=neighbour, valid_from=dt.date(2025, 7, 1)
    )
    household_move(by=cast.officer, household=household, to_commune=neighbour, village="Thôn 2")
    survey.refresh_from_db()
    assert survey.commune == neighbour
    assert survey.arrival == "moved_in"
    exclusion = Exclusion.objects.get(household=household)
    assert (exclusion.commune, exclusion.reason) == (ba_to, "moved_out")


def test_citizen_id_unique_among_current_members(cast, ba_to):
    open_round(cast.admin, 2026)
    register(cast.officer, ba_to, members=[member(citizen_id="051085000123")])
    with pytest.raises(ValidationError, match="051085000123"):
        register(cast.officer, ba_to, members=[member(citizen_id="051085000123")])


def test_household_needs_one_head(cast, ba_to):
    with pytest.raises(ValidationError, match="ít nhất một"):
        register(cast.officer, ba_to, members=[])
    with pytest.raises(ValidationError, match="đúng một chủ hộ"):
        register(cast.officer, ba_to, members=[member(relation="spouse")])


def test_baby_born_during_the_round_counts_aged_zero(cast, ba_to):
    import datetime as dt

    round_ = open_round(cast.admin, 2026)
    household = register(
        cast.officer,
        ba_to,
        members=[member(), member("Bé Na", relation="child", born=dt.date(2026, 10, 1))],
    )
    survey = save(cast.officer, Survey.objects.get(household=household, round=round_))
    assert [m["age"] for m in survey.members_snapshot] == [41, 0]
    assert survey.deprivations.filter(indicator="dependents").exists() is False  # 1 of 2


def test_member_of_another_household_is_refused(cast, ba_to):
    round_ = open_round(cast.admin, 2026)
    first = register(cast.officer, ba_to)
    second = register(cast.officer, ba_to)
    stranger = first.members.get()
    survey = Survey.objects.get(household=second, round=round_)
    members = [{**m} for m in second.members.values()] + [
        {**member("Người lạ", relation="other"), "id": stranger.pk}
    ]
    with pytest.raises(ValidationError, match="không thuộc hộ này"):
        save(cast.officer, survey, members=members)
