"""Pure rules of livelihood projects: checks at proposal, the workflow, outcomes.

Standard library only (DESIGN.md): values in, values out; no ORM, no settings, no clock. The
thresholds and caps are arguments: they are rows of the database (Program, StateShareCap,
ApprovalLevel), chosen by the services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# --- participants ----------------------------------------------------------------------------

# Program beneficiaries of production support (Decree 27/2022 art. 20, DOMAIN.md §6): every
# category but "other".
BENEFICIARY_CATEGORIES = frozenset({"poor", "near_poor", "newly_escaped", "disabled", "poor_area"})
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole × 100 with two decimals, half up; None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def beneficiary_share(categories: Iterable[str]) -> Decimal | None:
    categories = list(categories)
    return percent(sum(1 for c in categories if c in BENEFICIARY_CATEGORIES), len(categories))


def is_priority(share: Decimal | None, priority_share: Decimal) -> bool:
    """Priority when *over* the threshold (“trên 70%”)."""
    return share is not None and share > priority_share


def item_amount(quantity: Decimal, unit_cost: int) -> int:
    return int((Decimal(quantity) * unit_cost).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- area type ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneFlags:
    is_poor_district: bool = False
    is_coastal_difficult: bool = False
    is_mountainous: bool = False


# Most favourable first. A commune takes its most favourable flag; a project over several
# communes takes the least favourable of theirs, so one cap is never stretched to a commune it
# does not cover.
AREA_TYPES = ("poor_district", "coastal_difficult", "mountainous", "other")


def commune_area_type(flags: CommuneFlags) -> str:
    if flags.is_poor_district:
        return "poor_district"
    if flags.is_coastal_difficult:
        return "coastal_difficult"
    if flags.is_mountainous:
        return "mountainous"
    return "other"


def area_type(communes: Iterable[CommuneFlags]) -> str:
    ranks = [AREA_TYPES.index(commune_area_type(c)) for c in communes]
    return AREA_TYPES[max(ranks)] if ranks else "other"


# --- checks at proposal ------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A failed check: a code the services turn into a Vietnamese message, and its values."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    categories: Sequence[str]
    min_share: Decimal
    total_cost: int
    sources: Mapping[str, int]  # state_support, counterpart_cash, ... (integer VND)
    item_amounts: Sequence[int]
    cap: Decimal | None  # state share cap for the project's form and area type (None: unset)
    project_communes: frozenset[int]
    # household code -> commune id where the household lives now
    household_communes: Mapping[str, int]
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


def proposal_problems(p: Proposal) -> list[Problem]:
    """Every reason the dossier cannot be submitted (or amended); empty when it can."""
    problems: list[Problem] = []
    if not p.project_communes:
        problems.append(Problem("no_commune"))
    if p.starts_on and p.ends_on and p.ends_on < p.starts_on:
        problems.append(Problem("dates"))
    if not p.categories:
        problems.append(Problem("no_participants"))
    else:
        share = beneficiary_share(p.categories)
        if share is not None and share < p.min_share:
            problems.append(Problem("beneficiary_share", {"share": share, "min": p.min_share}))
    outside = sorted(
        code for code, commune in p.household_communes.items() if commune not in p.project_communes
    )
    if outside:
        problems.append(Problem("outside_communes", {"codes": ", ".join(outside)}))
    problems += budget_problems(
        total_cost=p.total_cost, sources=p.sources, item_amounts=p.item_amounts, cap=p.cap
    )
    return problems


@dataclass(frozen=True)
class BudgetTotals:
    """The sums the budget step shows as the officer types and checks when it is saved.
    A gap is the sum minus the total cost: negative when short, positive when over."""

    total_cost: int
    sources_total: int
    items_total: int

    @property
    def sources_gap(self) -> int:
        return self.sources_total - self.total_cost

    @property
    def items_gap(self) -> int:
        return self.items_total - self.total_cost


def budget_totals(
    *, total_cost: int, sources: Mapping[str, int], item_amounts: Sequence[int]
) -> BudgetTotals:
    return BudgetTotals(
        total_cost=total_cost, sources_total=sum(sources.values()), items_total=sum(item_amounts)
    )


def budget_sum_problems(totals: BudgetTotals) -> list[Problem]:
    """The budget lines add up: the rule of the budget step (and of the checks at submission)."""
    if totals.total_cost <= 0:
        return [Problem("no_budget")]
    problems = []
    if totals.sources_gap:
        problems.append(
            Problem("sources_sum", {"sum": totals.sources_total, "total": totals.total_cost})
        )
    if totals.items_gap:
        problems.append(
            Problem("items_sum", {"sum": totals.items_total, "total": totals.total_cost})
        )
    return problems


def budget_problems(
    *, total_cost: int, sources: Mapping[str, int], item_amounts: Sequence[int], cap: Decimal | None
) -> list[Problem]:
    problems = budget_sum_problems(
        budget_totals(total_cost=total_cost, sources=sources, item_amounts=item_amounts)
    )
    if total_cost <= 0:
        return problems
    share = percent(sources.get("state_support", 0), total_cost)
    if cap is None:
        problems.append(Problem("no_cap"))
    elif share is not None and share > cap:
        problems.append(Problem("state_share", {"share": share, "cap": cap}))
    return problems


# --- workflow ----------------------------------------------------------------------------------

ENTER, REVIEW = "enter", "review"  # the capabilities of areas.scope.Capability


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    capability: str
    needs_comment: bool = False
    needs_decision: bool = False


STEPS: Mapping[str, Step] = {
    "submit": Step(frozenset({"draft", "returned"}), "submitted", ENTER),
    "appraise": Step(frozenset({"submitted"}), "under_appraisal", REVIEW),
    "approve": Step(frozenset({"under_appraisal"}), "approved", REVIEW, needs_decision=True),
    "return": Step(frozenset({"under_appraisal"}), "returned", REVIEW, needs_comment=True),
    "reject": Step(frozenset({"under_appraisal"}), "rejected", REVIEW, needs_comment=True),
    "start": Step(frozenset({"approved"}), "in_progress", ENTER),
    "complete": Step(frozenset({"in_progress"}), "completed", ENTER),
    "evaluate": Step(frozenset({"completed"}), "evaluated", REVIEW),
}
# Approved projects change only through a recorded amendment, while they run.
AMENDABLE = frozenset({"approved", "in_progress"})
# Steps taken by the approving authority (the level decides whose review scope counts).
APPROVER_STEPS = frozenset({"appraise", "approve", "return", "reject", "evaluate"})


class StepNotAllowed(ValueError):
    def __init__(self, action: str, status: str):
        super().__init__(f"{action} from {status}")
        self.action, self.status = action, status


def next_status(status: str, action: str) -> str:
    step = STEPS.get(action)
    if step is None or status not in step.sources:
        raise StepNotAllowed(action, status)
    return step.target


def allowed_actions(status: str) -> list[str]:
    return [a for a, s in STEPS.items() if status in s.sources]


@dataclass(frozen=True)
class LevelRule:
    level: str
    valid_from: dt.date
    valid_to: dt.date | None


def approval_level_on(rules: Iterable[LevelRule], day: dt.date) -> str | None:
    for rule in rules:
        if rule.valid_from <= day and (rule.valid_to is None or day <= rule.valid_to):
            return rule.level
    return None


def can_replicate(*, form: str, status: str, recommended: bool) -> bool:
    """Only an evaluated model recommended for replication is replicated (DOMAIN.md §6)."""
    return form == "model" and status == "evaluated" and recommended


# --- outcomes ----------------------------------------------------------------------------------

POOR, NEAR_POOR = "poor", "near_poor"


def outcome(before: str | None, after: str | None) -> str:
    """A participant's change between the last class before and the first class after."""
    if not before or not after:
        return "unknown"
    if before == POOR and after != POOR:
        return "escaped_poverty"
    if before == NEAR_POOR and after not in (POOR, NEAR_POOR):
        return "escaped_near_poverty"
    if before != POOR and after == POOR:
        return "fell_into_poverty"
    return "unchanged"


@dataclass(frozen=True)
class OutcomeSummary:
    participants: int
    measured: int
    poor_before: int
    poor_after: int
    near_poor_before: int
    near_poor_after: int
    escaped_poverty: int
    escaped_near_poverty: int
    fell_into_poverty: int


def outcome_summary(pairs: Iterable[tuple[str | None, str | None]]) -> OutcomeSummary:
    """Counts before and after over the participants measured at both ends only: a household
    with no "after" round yet says nothing about the project (it is not "no longer poor")."""
    pairs = list(pairs)
    kinds = [outcome(b, a) for b, a in pairs]
    measured = [pair for pair, kind in zip(pairs, kinds, strict=True) if kind != "unknown"]
    return OutcomeSummary(
        participants=len(pairs),
        measured=len(measured),
        poor_before=sum(1 for b, _ in measured if b == POOR),
        poor_after=sum(1 for _, a in measured if a == POOR),
        near_poor_before=sum(1 for b, _ in measured if b == NEAR_POOR),
        near_poor_after=sum(1 for _, a in measured if a == NEAR_POOR),
        escaped_poverty=kinds.count("escaped_poverty"),
        escaped_near_poverty=kinds.count("escaped_near_poverty"),
        fell_into_poverty=kinds.count("fell_into_poverty"),
    )


def average(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return int((Decimal(sum(known)) / len(known)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def suggested_category(
    *, poverty_class: str | None, escaped_recently: bool, poor_area: bool
) -> str:
    """The category a household most likely has, from its latest review (the officer decides)."""
    if poverty_class == POOR:
        return "poor"
    if poverty_class == NEAR_POOR:
        return "near_poor"
    if escaped_recently:
        return "newly_escaped"
    if poor_area:
        return "poor_area"
    return "other"
