"""The demo's calendar and the constants every part of the generator shares."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import random
from zoneinfo import ZoneInfo

from django.conf import settings

from households.standards import PovertyClass

YEARS = (2023, 2024, 2025, 2026)
OPEN_YEAR = 2026
NEW_TREE_YEAR = 2025  # the first round on the new tree
OLD_DAY, NEW_DAY = dt.date(2023, 9, 1), dt.date(2025, 9, 1)
DEMO_COMMUNE = "21484"  # the demo officer's Thị trấn Ba Tơ, then Xã Ba Tơ (demodata/accounts.py)
# New-tree communes of former Ba Tơ district that finished 2026 and were accepted by the district
ACCEPTED_COMMUNES = ("21490", "21496")

POOR, NEAR, AVERAGE, NONE = (c.value for c in PovertyClass)
ON_LIST = (POOR, NEAR)

# Households are generated in blocks of BLOCK consecutive households. A block has its own random
# stream and its own slice of every id and serial space, so the rows do not depend on how many
# processes share the work (demodata/households.py).
BLOCK = 5000

TZ = ZoneInfo(settings.TIME_ZONE)


def round_day(year: int) -> dt.date:
    """A periodic round's first day (its reference date)."""
    return dt.date(year, 9, 1)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def weighted(rng: random.Random, pairs: tuple):
    """One value of ``pairs`` ((value, weight), ...) drawn by weight (as ``rng.choices``)."""
    values, cumulative = _cumulative(pairs)
    return values[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


@functools.cache
def _cumulative(pairs: tuple) -> tuple[tuple, list[float]]:
    values, weights = zip(*pairs, strict=True)
    return values, list(itertools.accumulate(weights))
