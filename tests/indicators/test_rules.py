"""Target status and the arithmetic of rates and reductions (pure)."""

from decimal import Decimal as D

import pytest

from indicators.rules import Status, TargetKind, rate, reduction, target_status

R, LEAST, MOST = TargetKind.RANGE, TargetKind.AT_LEAST, TargetKind.AT_MOST


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [(1, 3, D("33.33")), (2, 3, D("66.67")), (0, 5, D("0.00")), (5, 5, D("100.00")), (1, 0, None)],
)
def test_rate(num, den, expected):
    assert rate(num, den) == expected


def test_reduction_in_points():
    assert reduction(D("12.50"), D("10.90")) == D("1.60")
    assert reduction(D("3.00"), D("3.50")) == D("-0.50")
    assert reduction(None, D("1")) is None


@pytest.mark.parametrize(
    ("kind", "actual", "low", "high", "better", "provisional", "expected"),
    [
        # "cut the poor rate by 1.58–1.60 points": more reduction is better
        (R, D("1.59"), D("1.58"), D("1.60"), True, False, Status.MET),
        (R, D("1.58"), D("1.58"), D("1.60"), True, False, Status.MET),
        (R, D("2.10"), D("1.58"), D("1.60"), True, False, Status.MET),
        (R, D("1.57"), D("1.58"), D("1.60"), True, False, Status.MISSED),
        (R, D("1.57"), D("1.58"), D("1.60"), True, True, Status.AT_RISK),
        (R, D("1.60"), D("1.58"), D("1.60"), True, True, Status.ON_TRACK),
        # a range on a lower-is-better indicator: at most the high end
        (R, D("6.00"), D("5.00"), D("6.00"), False, False, Status.MET),
        (R, D("6.01"), D("5.00"), D("6.00"), False, False, Status.MISSED),
        (LEAST, D("21"), D("21"), None, True, False, Status.MET),
        (LEAST, D("20"), D("21"), None, True, False, Status.MISSED),
        (MOST, D("3.5"), None, D("3.5"), False, True, Status.ON_TRACK),
        (MOST, D("3.51"), None, D("3.5"), False, True, Status.AT_RISK),
        (LEAST, None, D("1"), None, True, False, Status.NO_DATA),
    ],
)
def test_target_status(kind, actual, low, high, better, provisional, expected):
    status = target_status(
        kind, actual, low, high, provisional=provisional, higher_is_better=better
    )
    assert status == expected
