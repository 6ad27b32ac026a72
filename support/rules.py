"""Who may be helped and what counts (docs/support.md): plain values in, values out."""

from __future__ import annotations

import datetime as dt

from households.counting import NEAR_POOR, POOR

HELPED_CLASSES = (POOR, NEAR_POOR)  # the classes the plan asks helpers and support plans for


def is_helped_class(cls: str | None) -> bool:
    return cls in HELPED_CLASSES


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def needs_of(codes: str) -> list[str]:
    """The codes of a survey's comma-wrapped list (",health,housing,")."""
    return [c for c in (codes or "").split(",") if c]
