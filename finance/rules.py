"""Pure rules of the funds: what is left, rates, and how an amount is shared among communes.
Standard library only (DESIGN.md): values in, values out."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def remaining(limit: int, used: int) -> int:
    return limit - used


def rate(part: int, whole: int) -> Decimal | None:
    """part ÷ whole × 100, two places; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TWO_PLACES, ROUND_HALF_UP)


def split_evenly(amount: int, communes: Sequence[int]) -> dict[int, int]:
    """An amount shared equally among communes, in whole đồng: the remainder of the division
    goes to the first communes by id, one đồng each, so the shares add up to the amount."""
    ordered = sorted(set(communes))
    if not ordered:
        return {}
    share, rest = divmod(amount, len(ordered))
    return {c: share + (1 if i < rest else 0) for i, c in enumerate(ordered)}


def money(amount: int) -> str:
    """12000000 -> "12.000.000 đ" (Vietnamese separators, for messages)."""
    return f"{amount:,}".replace(",", ".") + " đ"
