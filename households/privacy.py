"""Personal data (Decree 13/2023/NĐ-CP): who sees full citizen IDs, and how the others see them.

One rule for pages and exports: the full 12 digits are for the people who enter and correct
them, the commune officers of the household's commune, and for administrators (both hold the
ENTER capability there, ``areas.scope``). District staff and provincial leaders, who read and
approve but never type an ID, see it masked: the first 3 digits (the province of registration)
and the last 2, e.g. ``051*******01``.
"""

from __future__ import annotations

from areas.models import Unit, UnitQuerySet
from areas.scope import Capability, Scope

KEEP_FIRST, KEEP_LAST = 3, 2
MASK = "*"


def can_see_citizen_ids(scope: Scope, commune: Unit) -> bool:
    """Whether the user of ``scope`` sees full citizen IDs of households of ``commune``."""
    return scope.covers(commune, Capability.ENTER)


def citizen_id_communes(scope: Scope) -> UnitQuerySet:
    """The same rule as a queryset: the communes whose citizen IDs the user sees in full
    (exports decide per row by commune id with it)."""
    return scope.communes(Capability.ENTER)


def mask_citizen_id(value: str) -> str:
    """``051085000101`` -> ``051*******01``; anything shorter than 6 characters is masked whole."""
    if not value:
        return ""
    if len(value) <= KEEP_FIRST + KEEP_LAST:
        return MASK * len(value)
    hidden = len(value) - KEEP_FIRST - KEEP_LAST
    return value[:KEEP_FIRST] + MASK * hidden + value[-KEEP_LAST:]


def shown_citizen_id(value: str, reveal: bool) -> str:
    return value if reveal else mask_citizen_id(value)
