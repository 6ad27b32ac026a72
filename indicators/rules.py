"""Pure rules of the indicators: rates, reductions and target status. Standard library only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

TWO_PLACES = Decimal("0.01")


class Status(str, Enum):
    MET = "met"  # official figures satisfy the target
    ON_TRACK = "on_track"  # provisional figures (round still open) satisfy it
    AT_RISK = "at_risk"  # provisional figures do not satisfy it yet
    MISSED = "missed"  # official figures do not satisfy it
    NO_DATA = "no_data"


class TargetKind(str, Enum):
    RANGE = "range"  # low–high, e.g. "cut the poor rate by 1.58–1.60 points"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator × 100, two places; None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(TWO_PLACES, ROUND_HALF_UP)


def reduction(previous: Decimal | None, current: Decimal | None) -> Decimal | None:
    """Last round's rate minus this round's, in percentage points (positive = fewer poor)."""
    if previous is None or current is None:
        return None
    return (previous - current).quantize(TWO_PLACES, ROUND_HALF_UP)


def satisfies(
    kind: TargetKind,
    actual: Decimal,
    low: Decimal | None,
    high: Decimal | None,
    higher_is_better: bool = True,
) -> bool:
    """Whether an actual value meets a target.

    A range counts as met from its low end for indicators where more is better (a 2-point
    reduction meets "1.58–1.60"), and up to its high end where less is better.
    """
    if kind == TargetKind.AT_LEAST:
        return low is not None and actual >= low
    if kind == TargetKind.AT_MOST:
        return high is not None and actual <= high
    if higher_is_better:
        return low is not None and actual >= low
    return high is not None and actual <= high


def target_status(
    kind: TargetKind,
    actual: Decimal | None,
    low: Decimal | None,
    high: Decimal | None,
    *,
    provisional: bool,
    higher_is_better: bool = True,
) -> Status:
    if actual is None:
        return Status.NO_DATA
    ok = satisfies(kind, actual, low, high, higher_is_better)
    if provisional:
        return Status.ON_TRACK if ok else Status.AT_RISK
    return Status.MET if ok else Status.MISSED
