"""Household codes the portal gives: "<commune code>-<5 digits>" (as the demo and most communes'
paper registers write them), counted per commune.

``household_code_next`` takes the next number with one atomic statement (an upsert that returns
the new value), so concurrent registrations in one commune get different numbers; the first call
for a commune starts after the highest code of that form already there (paper codes typed in,
the demo's). A number whose code is already taken (a paper code of the same form) is skipped.
An officer may still type an existing paper code instead (``household_create``).
"""

from __future__ import annotations

import re

from django.db import connection

from areas.models import Unit

from ..models import Household, HouseholdCodeSequence

WIDTH = 5


def _highest(commune: Unit) -> int:
    pattern = re.compile(rf"^{re.escape(commune.code)}-(\d{{{WIDTH}}})$")
    codes = Household.objects.filter(code__startswith=f"{commune.code}-").values_list(
        "code", flat=True
    )
    numbers = [int(m.group(1)) for c in codes if (m := pattern.match(c))]
    return max(numbers, default=0)


def household_code_next(commune: Unit) -> str:
    """A free code for a new household of the commune (call inside the registering transaction:
    a rolled-back registration gives its number back only if nothing was taken after it)."""
    table = HouseholdCodeSequence._meta.db_table
    sql = (
        f"INSERT INTO {table} (commune_id, last) VALUES (%s, %s) "  # noqa: S608 (table name)
        f"ON CONFLICT (commune_id) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    )
    start = None
    while True:
        if start is None and not HouseholdCodeSequence.objects.filter(commune=commune).exists():
            start = _highest(commune) + 1
        with connection.cursor() as cursor:
            cursor.execute(sql, [commune.pk, start or 1])
            number = cursor.fetchone()[0]
        code = f"{commune.code}-{number:0{WIDTH}d}"
        if not Household.objects.filter(code=code).exists():
            return code
