"""The pure rules of projects (no database): each check at proposal, the workflow table,
outcomes, area types."""

import datetime as dt
from decimal import Decimal

import pytest

from projects import rules
from projects.rules import CommuneFlags, Problem, Proposal


def proposal(**over) -> Proposal:
    data = {
        "categories": ["poor", "near_poor", "other"],
        "min_share": Decimal("50"),
        "total_cost": 100_000_000,
        "sources": {"state_support": 60_000_000, "counterpart_cash": 40_000_000},
        "item_amounts": [70_000_000, 30_000_000],
        "cap": Decimal("80"),
        "project_communes": frozenset({1, 2}),
        "household_communes": {"HH1": 1, "HH2": 2, "HH3": 1},
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 12, 31),
    }
    data.update(over)
    return Proposal(**data)


def codes(p: Proposal) -> list[str]:
    return [problem.code for problem in rules.proposal_problems(p)]


def test_a_good_proposal_has_no_problem():
    assert rules.proposal_problems(proposal()) == []


# --- at least 50% of participants are program beneficiaries --------------------------------


@pytest.mark.parametrize(
    ("categories", "ok"),
    [
        (["poor", "other"], True),  # exactly 50%: enough
        (["poor", "other", "other"], False),  # 33.33%
        (["near_poor", "newly_escaped", "disabled", "poor_area"], True),
        (["other", "other"], False),
    ],
)
def test_beneficiary_share_at_least_half(categories, ok):
    result = codes(proposal(categories=categories))
    assert ("beneficiary_share" not in result) is ok


def test_beneficiary_share_problem_carries_the_share():
    (problem,) = rules.proposal_problems(proposal(categories=["poor", "other", "other"]))
    assert problem == Problem(
        "beneficiary_share", {"share": Decimal("33.33"), "min": Decimal("50")}
    )


def test_no_participants_is_a_problem():
    assert codes(proposal(categories=[], household_communes={})) == ["no_participants"]


def test_threshold_is_data():
    assert "beneficiary_share" in codes(
        proposal(categories=["poor", "other"], min_share=Decimal("60"))
    )


# --- priority when over 70% ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("categories", "priority"),
    [
        (["poor"] * 7 + ["other"] * 3, False),  # exactly 70%: not over
        (["poor"] * 71 + ["other"] * 29, True),
        (["poor"] * 3, True),
        ([], False),
    ],
)
def test_priority_over_seventy_percent(categories, priority):
    share = rules.beneficiary_share(categories)
    assert rules.is_priority(share, Decimal("70")) is priority


# --- state share within the cap for the area type --------------------------------------------


def test_state_share_over_cap_is_refused():
    p = proposal(sources={"state_support": 81_000_000, "counterpart_cash": 19_000_000})
    assert codes(p) == ["state_share"]
    (problem,) = rules.proposal_problems(p)
    assert problem.params == {"share": Decimal("81.00"), "cap": Decimal("80")}


def test_state_share_on_the_cap_is_allowed():
    p = proposal(sources={"state_support": 80_000_000, "counterpart_labour": 20_000_000})
    assert codes(p) == []


def test_missing_cap_blocks():
    assert codes(proposal(cap=None)) == ["no_cap"]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([CommuneFlags(is_poor_district=True, is_mountainous=True)], "poor_district"),
        ([CommuneFlags(is_coastal_difficult=True)], "coastal_difficult"),
        ([CommuneFlags(is_mountainous=True)], "mountainous"),
        ([CommuneFlags()], "other"),
        # several communes: the least favourable one decides
        ([CommuneFlags(is_poor_district=True), CommuneFlags(is_mountainous=True)], "mountainous"),
        ([CommuneFlags(is_poor_district=True), CommuneFlags()], "other"),
        ([], "other"),
    ],
)
def test_area_type_from_commune_flags(flags, expected):
    assert rules.area_type(flags) == expected


# --- budget lines add up -------------------------------------------------------------------------


def test_sources_must_add_up_to_the_total():
    p = proposal(sources={"state_support": 60_000_000, "counterpart_cash": 30_000_000})
    assert codes(p) == ["sources_sum"]


def test_items_must_add_up_to_the_total():
    assert codes(proposal(item_amounts=[70_000_000])) == ["items_sum"]


def test_no_budget_is_one_problem():
    assert codes(proposal(total_cost=0, sources={}, item_amounts=[])) == ["no_budget"]


def test_budget_totals_and_gaps():
    totals = rules.budget_totals(
        total_cost=100, sources={"state_support": 60, "counterpart_cash": 30}, item_amounts=[70, 45]
    )
    assert (totals.sources_total, totals.items_total) == (90, 115)
    assert (totals.sources_gap, totals.items_gap) == (-10, 15)  # short 10, over by 15
    assert [p.code for p in rules.budget_sum_problems(totals)] == ["sources_sum", "items_sum"]
    even = rules.budget_totals(total_cost=100, sources={"state_support": 100}, item_amounts=[100])
    assert rules.budget_sum_problems(even) == []


def test_item_amount_rounds_half_up_to_whole_dong():
    assert rules.item_amount(Decimal("2.5"), 3) == 8
    assert rules.item_amount(Decimal("10"), 1_500_000) == 15_000_000


# --- households live in the project's communes ------------------------------------------------


def test_household_outside_the_communes_is_named():
    p = proposal(household_communes={"HH1": 1, "HH9": 7, "HH3": 2})
    (problem,) = rules.proposal_problems(p)
    assert problem == Problem("outside_communes", {"codes": "HH9"})


def test_no_commune_and_bad_dates():
    p = proposal(project_communes=frozenset(), household_communes={})
    assert "no_commune" in codes(p)
    assert "dates" in codes(proposal(ends_on=dt.date(2025, 1, 1)))


# --- workflow ---------------------------------------------------------------------------

ALL_STATUSES = [
    "draft", "submitted", "under_appraisal", "returned", "rejected", "approved", "in_progress",
    "completed", "evaluated",
]  # fmt: skip
ALLOWED = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "appraise"): "under_appraisal",
    ("under_appraisal", "approve"): "approved",
    ("under_appraisal", "return"): "returned",
    ("under_appraisal", "reject"): "rejected",
    ("approved", "start"): "in_progress",
    ("in_progress", "complete"): "completed",
    ("completed", "evaluate"): "evaluated",
}


@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("action", list(rules.STEPS))
def test_every_step_from_every_status(status, action):
    if (status, action) in ALLOWED:
        assert rules.next_status(status, action) == ALLOWED[(status, action)]
    else:
        with pytest.raises(rules.StepNotAllowed):
            rules.next_status(status, action)


def test_unknown_action_is_not_allowed():
    with pytest.raises(rules.StepNotAllowed):
        rules.next_status("draft", "delete")


def test_who_takes_each_step():
    enter = {a for a, s in rules.STEPS.items() if s.capability == rules.ENTER}
    assert enter == {"submit", "start", "complete"}
    assert {a for a, s in rules.STEPS.items() if s.needs_comment} == {"return", "reject"}
    assert {a for a, s in rules.STEPS.items() if s.needs_decision} == {"approve"}


def test_allowed_actions():
    assert rules.allowed_actions("under_appraisal") == ["approve", "return", "reject"]
    assert rules.allowed_actions("rejected") == []
    assert rules.allowed_actions("evaluated") == []


def test_approval_level_by_date():
    levels = [
        rules.LevelRule("district", dt.date(2021, 1, 1), dt.date(2025, 6, 30)),
        rules.LevelRule("province", dt.date(2025, 7, 1), None),
    ]
    assert rules.approval_level_on(levels, dt.date(2025, 6, 30)) == "district"
    assert rules.approval_level_on(levels, dt.date(2025, 7, 1)) == "province"
    assert rules.approval_level_on(levels, dt.date(2020, 1, 1)) is None


@pytest.mark.parametrize(
    ("form", "status", "recommended", "ok"),
    [
        ("model", "evaluated", True, True),
        ("model", "evaluated", False, False),
        ("model", "completed", True, False),
        ("community", "evaluated", True, False),
    ],
)
def test_only_evaluated_recommended_models_replicate(form, status, recommended, ok):
    assert rules.can_replicate(form=form, status=status, recommended=recommended) is ok


# --- outcomes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("poor", "near_poor", "escaped_poverty"),
        ("poor", "none", "escaped_poverty"),
        ("poor", "poor", "unchanged"),
        ("near_poor", "none", "escaped_near_poverty"),
        ("near_poor", "average", "escaped_near_poverty"),
        ("near_poor", "poor", "fell_into_poverty"),
        ("none", "poor", "fell_into_poverty"),
        (None, "poor", "unknown"),
        ("poor", None, "unknown"),
    ],
)
def test_outcome(before, after, expected):
    assert rules.outcome(before, after) == expected


def test_outcome_summary():
    summary = rules.outcome_summary(
        [("poor", "near_poor"), ("poor", "poor"), ("near_poor", "none"), ("none", None)]
    )
    assert summary.participants == 4
    assert summary.measured == 3
    assert (summary.poor_before, summary.poor_after) == (2, 1)
    assert (summary.near_poor_before, summary.near_poor_after) == (1, 1)
    assert summary.escaped_poverty == 1
    assert summary.escaped_near_poverty == 1


def test_average_and_suggested_category():
    assert rules.average([1_000_000, 2_000_001, None]) == 1_500_001
    assert rules.average([None]) is None
    assert (
        rules.suggested_category(poverty_class="poor", escaped_recently=False, poor_area=True)
        == "poor"
    )
    assert (
        rules.suggested_category(poverty_class="none", escaped_recently=True, poor_area=True)
        == "newly_escaped"
    )
    assert (
        rules.suggested_category(poverty_class=None, escaped_recently=False, poor_area=True)
        == "poor_area"
    )
    assert (
        rules.suggested_category(poverty_class="none", escaped_recently=False, poor_area=False)
        == "other"
    )


def test_rules_module_uses_the_standard_library_only():
    import ast
    import pathlib

    tree = ast.parse(pathlib.Path(rules.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    } | {
        a.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for a in node.names
    }
    assert imported <= {"__future__", "collections", "dataclasses", "datetime", "decimal"}
