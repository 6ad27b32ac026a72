"""Keyset pages on the primary key: a page is one indexed range read, however deep, and no page
counts the whole table (DRF's ``CursorPagination``: opaque ``next``/``previous`` links)."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
