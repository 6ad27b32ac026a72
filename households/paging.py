"""Keyset pagination for the household list: a page is "the next 50 rows after this key", never
"rows 950,001 to 950,050", so the database never counts or sorts the rows before a page.

The key is (commune_id, household_id): communes in the order of their unit keys (units are
loaded in code order), then households in the order they were registered. An index on
(round, commune, household) (and one on (round, effective class, commune, household) for the
class filter) returns a round's entries in that order, so the first, a middle and the last page
each read about 50 index entries whatever the size of the round. The last page reads the index
backwards. Links carry ``?after=<key>`` (next), ``?before=<key>`` (previous) or ``?last=1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import BooleanField, Func, QuerySet, Value
from django.http import QueryDict

PAGE_SIZE = 50
KEY = ("commune_id", "household_id")
CURSOR = re.compile(r"(\d{1,18})\.(\d{1,18})")
PAGING_PARAMS = ("after", "before", "last", "page")


class RowCompare(Func):
    """``(a, b) > (x, y)``: a row comparison, which PostgreSQL turns into one index range
    (SQLite has row values too). ``a > x OR (a = x AND b > y)`` would not start the scan at the
    key."""

    output_field = BooleanField()

    def __init__(self, columns: tuple[str, ...], op: str, values: tuple[int, ...]):
        if op not in ("<", ">") or len(columns) != len(values):
            raise ValueError("a row comparison needs < or > and as many values as columns")
        super().__init__(*columns, *(Value(v) for v in values))
        self.op = op
        self.width = len(columns)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, sql_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(sql_params)
        left, right = ", ".join(parts[: self.width]), ", ".join(parts[self.width :])
        return f"({left}) {self.op} ({right})", params


def parse_cursor(value: str | None) -> tuple[int, int] | None:
    found = CURSOR.fullmatch(value or "")
    return (int(found.group(1)), int(found.group(2))) if found else None


def cursor_of(row) -> str:
    return f"{row.commune_id}.{row.household_id}"


@dataclass
class KeysetPage:
    rows: list
    has_previous: bool
    has_next: bool
    query: QueryDict = field(repr=False)  # the request's other parameters (filters, round)

    def _url(self, **paging) -> str:
        query = self.query.copy()
        for name in PAGING_PARAMS:
            query.pop(name, None)
        query.update(paging)
        return "?" + query.urlencode()

    @property
    def first_url(self) -> str:
        return self._url()

    @property
    def previous_url(self) -> str:
        return self._url(before=cursor_of(self.rows[0])) if self.rows else self.first_url

    @property
    def next_url(self) -> str:
        return self._url(after=cursor_of(self.rows[-1])) if self.rows else self.first_url

    @property
    def last_url(self) -> str:
        return self._url(last="1")

    @property
    def is_paged(self) -> bool:
        return self.has_previous or self.has_next


def keyset_page(queryset: QuerySet, query: QueryDict, size: int = PAGE_SIZE) -> KeysetPage:
    """The page of ``queryset`` that ``query`` asks for: first (no key), after a key, before a
    key, or last. One query of at most ``size + 1`` rows: the extra row tells whether there is
    more in the direction read."""
    ascending = [*KEY]
    descending = [f"-{name}" for name in KEY]
    after, before = parse_cursor(query.get("after")), parse_cursor(query.get("before"))
    if before is not None or (query.get("last") == "1" and after is None):
        if before is not None:
            queryset = queryset.filter(RowCompare(KEY, "<", before))
        rows = list(queryset.order_by(*descending)[: size + 1])
        has_previous = len(rows) > size
        return KeysetPage(rows[:size][::-1], has_previous, before is not None, query)
    if after is not None:
        queryset = queryset.filter(RowCompare(KEY, ">", after))
    rows = list(queryset.order_by(*ascending)[: size + 1])
    return KeysetPage(rows[:size], after is not None, len(rows) > size, query)
