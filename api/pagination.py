"""Keyset pages: a page is "the next rows after this key", one indexed range read however deep,
and no page counts the table.

Small tables (units, rounds, projects) page on the primary key with DRF's ``CursorPagination``.
The households and surveys lists page on the household list's own key (``households.paging``):
(commune, household) for surveys, (commune, id) for households. Ordering those by id alone
looked the same on a small database but not at province scale: the communes of a district hold
a late run of ids (the communes made in 2025), so the first page of a district's entries in id
order read through every older entry first (260,000 index entries at 100,000 households,
bench/results/api-pages.txt); by commune first, the indexes on (round, commune, household)
return the rows already in order. The cursor is opaque to clients (base64), as DRF's is.
"""

from __future__ import annotations

import base64
import binascii
import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from households.paging import RowCompare

CURSOR = re.compile(r"([ab])((?:\d{1,18}\.)*\d{1,18})")


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysetPagination(BasePagination):
    """Pages on ``view.keyset`` (a tuple of integer columns that is unique over the list)."""

    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def _size(self, request) -> int:
        try:
            size = int(request.query_params.get(self.page_size_query_param, self.page_size))
        except ValueError:
            return self.page_size
        return min(max(size, 1), self.max_page_size)

    def _decode(self, raw: str | None) -> tuple[str, tuple[int, ...]] | None:
        if not raw:
            return None
        try:
            text = base64.urlsafe_b64decode(raw.encode()).decode()
        except (binascii.Error, UnicodeError, ValueError):
            text = ""
        found = CURSOR.fullmatch(text)
        values = tuple(int(v) for v in found.group(2).split(".")) if found else ()
        if len(values) != len(self.key):
            raise NotFound(_("Con trỏ trang không hợp lệ."))
        return found.group(1), values

    def _encode(self, direction: str, row) -> str:
        text = direction + ".".join(str(getattr(row, name)) for name in self.key)
        return base64.urlsafe_b64encode(text.encode()).decode()

    def paginate_queryset(self, queryset, request, view=None):
        self.key = tuple(view.keyset)
        self.request = request
        size = self._size(request)
        cursor = self._decode(request.query_params.get(self.cursor_query_param))
        ascending, descending = list(self.key), [f"-{name}" for name in self.key]
        if cursor and cursor[0] == "b":
            rows = list(
                queryset.filter(RowCompare(self.key, "<", cursor[1])).order_by(*descending)[
                    : size + 1
                ]
            )
            self.has_previous, self.has_next = len(rows) > size, True
            rows = rows[:size][::-1]
        else:
            if cursor:
                queryset = queryset.filter(RowCompare(self.key, ">", cursor[1]))
            rows = list(queryset.order_by(*ascending)[: size + 1])
            self.has_previous, self.has_next = cursor is not None, len(rows) > size
            rows = rows[:size]
        self.rows = rows
        return rows

    def _link(self, direction: str, row) -> str | None:
        url = self.request.build_absolute_uri()
        if row is None:
            return remove_query_param(url, self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, self._encode(direction, row))

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.rows:
            return None
        return self._link("a", self.rows[-1])

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        return self._link("b", self.rows[0]) if self.rows else self._link("b", None)

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return CursorPagination().get_paginated_response_schema(schema)

    def get_schema_operation_parameters(self, view):
        return CursorPagination().get_schema_operation_parameters(view)
