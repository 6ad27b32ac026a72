"""Set-based row writes for the bulk services (``bulk.surveys_save_bulk``).

Rows are tuples of column values in the order of ``columns(model)``. On PostgreSQL new rows go
in with ``COPY`` and changed rows with one ``UPDATE … FROM (VALUES …)`` per page: at 10,000
households Django's per-value preparation in ``bulk_create`` and the CASE per field of
``bulk_update`` (which grows with the rows squared) were most of the time. Other databases
(SQLite, the embedded mode) use ``bulk_create`` and ``bulk_update``. Keys of new rows are taken
from the tables' sequences first, so that children and history rows can name them before the
rows exist. History rows hold what ``simple_history`` records on a per-row save: every tracked
field, the time, the type, the user who saved, no change reason.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

ROWS = 1000  # rows per UPDATE statement (and per INSERT of bulk_create)
COPY_ROWS = 20_000  # rows per COPY


def columns(model: type[models.Model]) -> list[models.Field]:
    """The columns a row of ``model`` is written with: every concrete one but generated ones."""
    return [f for f in model._meta.concrete_fields if not f.generated]


def values_of(model: type[models.Model]) -> Callable[[models.Model], tuple]:
    """A function giving an instance's row (the values of ``columns(model)``)."""
    return attrgetter(*(f.attname for f in columns(model)))


def reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """Keys for ``n`` new rows from the table's own sequence, as INSERTs would take them."""
    if not n:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, n],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite (embedded mode, jobs inline): one writer at a time
        qn = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({qn(pk)}), 0) FROM {qn(table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + n))


def insert(
    model: type[models.Model], rows: Sequence[tuple], names: Sequence[str] | None = None
) -> None:
    """INSERT rows: tuples in the order of ``names`` (default: ``columns(model)``, keys
    included)."""
    if not rows:
        return
    opts = model._meta
    fields = [opts.get_field(n) for n in names] if names else columns(model)
    if connection.vendor != "postgresql":
        attnames = [f.attname for f in fields]
        objs = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model._base_manager.bulk_create(objs, batch_size=ROWS)
        return
    qn = connection.ops.quote_name
    sql = f"COPY {qn(opts.db_table)} ({', '.join(qn(f.column) for f in fields)}) FROM STDIN"
    texts = [_text_of(f) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), COPY_ROWS):
            data = "".join(
                "\t".join([text(v) for text, v in zip(texts, row, strict=True)]) + "\n"
                for row in rows[start : start + COPY_ROWS]
            )
            copy(cursor, sql, data)


def copy(cursor, sql: str, data: str) -> None:
    """One ``COPY … FROM STDIN`` (psycopg2's; Django's cursor has no COPY)."""
    cursor.cursor.copy_expert(sql, io.StringIO(data))


def update(model: type[models.Model], objs: Sequence[models.Model], names: Iterable[str]) -> None:
    """Write the ``names`` fields of existing rows from the instances."""
    if not objs:
        return
    opts = model._meta
    fields = [opts.get_field(name) for name in names]
    if connection.vendor != "postgresql":
        model._base_manager.bulk_update(objs, [f.name for f in fields], batch_size=ROWS)
        return
    qn = connection.ops.quote_name
    key = opts.pk
    every = [key, *fields]
    template = "(" + ", ".join(f"%s::{f.cast_db_type(connection)}" for f in every) + ")"
    head = (
        f"UPDATE {qn(opts.db_table)} AS t SET "  # noqa: S608 (names quoted, values bound)
        + ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields)
        + " FROM (VALUES "
    )
    tail = (
        f") AS v({', '.join(qn(f.column) for f in every)}) "
        f"WHERE t.{qn(key.column)} = v.{qn(key.column)}"
    )
    values = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in every] for obj in objs
    ]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's, to bind the values
        for start in range(0, len(values), ROWS):
            body = b",".join(raw.mogrify(template, v) for v in values[start : start + ROWS])
            cursor.execute(head + body.decode() + tail)  # no parameters left to bind


def history_of(model: type[models.Model]) -> Callable[[models.Model], tuple]:
    """A function giving what a history row of ``model`` keeps of an instance, at the moment
    it is called (the per-row path's save happens at a definite point of the flow)."""
    return attrgetter(*(f.attname for f in model.history.model.tracked_fields))


def history_insert(model: type[models.Model], snapshots: Sequence[tuple], *, kind: str, by) -> None:
    """History rows for ``snapshots`` (from ``history_of``): ``kind`` "+" (created) or "~"."""
    if not snapshots:
        return
    history = model.history.model
    extra = (timezone.now(), None, kind, getattr(by, "pk", None))
    names = [f.attname for f in history.tracked_fields]
    names += ["history_date", "history_change_reason", "history_type", "history_user_id"]
    insert(history, [snapshot + extra for snapshot in snapshots], names=names)


# --- COPY's text format ------------------------------------------------------------------------

_NULL = "\\N"


def _text(value: str | None) -> str:
    if value is None:
        return _NULL
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t")
        return value.replace("\n", "\\n").replace("\r", "\\r")
    return value


def _boolean(value: bool | None) -> str:
    return _NULL if value is None else ("t" if value else "f")


def _json(value: Any) -> str:
    # as Django's JSONField sends it, but UTF-8 rather than \\u escapes (the same jsonb value)
    return _NULL if value is None else _text(json.dumps(value, ensure_ascii=False))


def _timestamp(value: dt.datetime | None) -> str:
    return _NULL if value is None else value.isoformat()


def _plain(value: Any) -> str:  # numbers, dates
    return _NULL if value is None else str(value)


def _text_of(field: models.Field) -> Callable[[Any], str]:
    if isinstance(field, models.BooleanField):
        return _boolean
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.DateTimeField):
        return _timestamp
    if isinstance(field, (models.CharField, models.TextField)):
        return _text
    return _plain
