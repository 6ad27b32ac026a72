"""Participants' class before (last review before the start) and after (first review after the
end), set-based: one query for every participant of a project."""

import datetime as dt

import pytest
from django.urls import reverse

from households.services import round_close
from projects import services
from projects.selectors.outcomes import participants_with_outcomes, project_outcomes
from tests.projects import factories
from tests.projects.factories import approved, classify, households, open_round

pytestmark = pytest.mark.django_db


def review(cast, year, classes, members):
    round_ = open_round(cast.admin, year)
    for household, cls in zip(members, classes, strict=True):
        if cls:
            classify(cast.officer, round_, household, cls)
    round_close(by=cast.admin, round_=round_)


@pytest.fixture
def reviewed(cast, ba_to, members):
    """Reviews of 2024 (earlier), 2025 (last before the project) and 2026 (first after it)."""
    review(cast, 2024, ["none", "none", "poor", "none", "none"], members)
    review(cast, 2025, ["poor", "poor", "near_poor", "poor", "poor"], members)
    review(cast, 2026, ["near_poor", "poor", "none", "none", None], members)
    return members


def proposal(*args, **kw):
    """Projects of these tests run from 01/10/2025 to 30/06/2026, between the reviews."""
    return factories.proposal(
        *args, starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2026, 6, 30), **kw
    )


def test_before_and_after_classes(cast, ba_to, reviewed):
    project = proposal(cast.officer, [ba_to], reviewed)
    rows, summary = project_outcomes(project)
    by_code = {r.household.code: (r.class_before, r.class_after, r.outcome) for r in rows}
    assert [by_code[h.code] for h in reviewed] == [
        ("poor", "near_poor", "escaped_poverty"),  # the 2024 review is not the last one
        ("poor", "poor", "unchanged"),
        ("near_poor", "none", "escaped_near_poverty"),
        ("poor", "none", "escaped_poverty"),
        ("poor", None, "unknown"),  # not yet surveyed after the end
    ]
    assert summary.escaped_poverty == 2 and summary.escaped_near_poverty == 1
    # before and after count the households measured at both ends (the fifth has no "after")
    assert (summary.poor_before, summary.poor_after) == (3, 1)
    assert summary.measured == 4


def test_one_query_whatever_the_number_of_participants(
    cast, ba_to, reviewed, django_assert_num_queries
):
    small = proposal(cast.officer, [ba_to], reviewed[:1])
    large = proposal(cast.officer, [ba_to], reviewed)
    for project in (small, large):
        with django_assert_num_queries(1):
            rows = list(participants_with_outcomes(project))
        assert len(rows) == project.participant_count


def test_project_page_shows_who_escaped(client, cast, ba_to, reviewed):
    project = proposal(cast.officer, [ba_to], reviewed)
    client.force_login(cast.leader)
    body = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Thoát nghèo: 2" in body
    assert "Hộ nghèo: 3 → 1" in body
    assert "Đo được trước và sau: 4 hộ" in body


def test_no_outcome_before_an_after_round_exists(client, cast, ba_to, members):
    """Issue 10: a project not yet started showed "Hộ nghèo 2 → 0"."""
    review(cast, 2025, ["poor", "poor", "near_poor", "none", "none"], members)
    project = factories.proposal(
        cast.officer, [ba_to], members, starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2027, 6, 30),
    )  # fmt: skip
    client.force_login(cast.leader)
    body = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Chưa có kết quả giảm nghèo" in body
    assert (
        "Hộ nghèo: 2 → 0" not in body and "→" not in body.split('data-testid="outcomes"')[1][:800]
    )


def test_evaluation_measures_income_from_the_reviews(cast, ba_to, reviewed):
    project = approved(proposal(cast.officer, [ba_to], reviewed), cast.officer, cast.district)
    services.project_start(by=cast.officer, project=project)
    services.project_complete(by=cast.officer, project=project)
    services.project_evaluate(
        by=cast.district,
        project=project,
        economic_rating="good",
        social_rating="good",
        environmental_rating="good",
    )
    evaluation = project.evaluation
    # 4 households measured at both ends: incomes 1.0M/1.0M/1.2M/1.0M before
    assert evaluation.households_measured == 4
    assert evaluation.income_before == 1_050_000
    assert evaluation.income_after == (1_200_000 + 1_000_000 + 3_500_000 + 3_500_000) // 4


def test_no_reviews_no_outcome(cast, ba_to):
    project = proposal(cast.officer, [ba_to], households(cast.officer, ba_to, 2))
    rows, summary = project_outcomes(project)
    assert summary.measured == 0 and all(r.outcome == "unknown" for r in rows)
