"""Writing the rows: PostgreSQL ``COPY`` (or multi-row INSERTs on SQLite), id reservation, and
taking secondary indexes and constraints off empty tables during a bulk load.

Not ``bulk_create``: it spends most of its time preparing every value through the field
machinery (about 0.4 ms for one 40-column survey), over an hour for a million households.
Rows here are dicts of attribute values; a missing one takes the field's default (``auto_now``
fields: the run's time), so the stored values are those ``bulk_create`` would store.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import operator
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.db import connection, models, transaction

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    s = value if type(value) is str else str(value)
    if "\\" not in s and s.isprintable():  # no tab, newline or backslash to escape
        return s
    return s.translate(_ESCAPES)


def _json(value) -> str:
    return _text(json.dumps(value, ensure_ascii=False))


# Plain C callables where Python needs no code of its own: a million households make about 30
# million values to encode.
_bool = {True: "t", False: "f"}.__getitem__
_iso = operator.methodcaller("isoformat")
_plain = str


def _copy_encoder(field):
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.BooleanField):
        return _bool
    if isinstance(field, (models.DateField, models.DateTimeField)):  # DateTimeField too
        return _iso
    if isinstance(field, (models.IntegerField, models.AutoField, models.DecimalField)):
        return _plain
    if isinstance(field, models.ForeignKey):
        return _plain  # integer ids here
    return _text


class Table:
    """One model's columns, defaults and encodings, for COPY lines or INSERT values.

    ``first``: attnames to put first, in that order. A model and its history table list their
    common columns first and alike, so a history row reuses the text of the row it copies.
    """

    def __init__(self, model, *, now: dt.datetime, first: tuple[str, ...] = ()):
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        rank = {name: i for i, name in enumerate(first)}
        fields.sort(key=lambda f: rank.get(f.attname, len(rank)))  # stable: model order after
        self.split = sum(1 for f in fields if f.attname in rank)
        self.columns = []  # (attname, default, encoded default, COPY encoder, INSERT preparation)
        for f in fields:
            auto_now = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            # a history table's copy of an auto_now field is a plain one: the same time
            auto_now = auto_now or (
                isinstance(f, models.DateTimeField) and not f.null and not f.has_default()
            )
            default = now if auto_now else None if f.primary_key else f.get_default()
            encode = _copy_encoder(f)
            prepare = (
                f.get_db_prep_save
                if isinstance(
                    f, (models.DateField, models.DecimalField, models.JSONField, models.TimeField)
                )
                else None
            )  # DateTimeField is a DateField
            text = "\\N" if default is None else encode(default)
            self.columns.append((f.attname, default, text, encode, prepare))
        self.encoders = [(name, text, encode) for name, _, text, encode, _ in self.columns]
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.names = ", ".join(quote(f.column) for f in fields)
        self.count = 0

    def text(self, row: dict, start: int = 0, stop: int | None = None) -> str:
        """COPY text of columns ``start:stop`` of ``row``, tab-separated."""
        get, missing = row.get, _MISSING
        return "\t".join(
            [
                default if (v := get(name, missing)) is missing
                else "\\N" if v is None
                else encode(v)
                for name, default, encode in self.encoders[start:stop]
            ]
        )  # fmt: skip

    def values(self, row: dict, conn) -> list:
        out = []
        for name, default, _, _, prepare in self.columns:
            v = row.get(name, default)
            out.append(v if prepare is None or v is None else prepare(v, conn))
        return out


_MISSING = object()


def _history_of(model):
    history = getattr(model, "history", None)
    return getattr(history, "model", None)


class CopySink:
    """Rows of several tables buffered as COPY text, sent with ``copy_expert`` on flush.

    ``add(model, row, history)``: ``history`` (history_id, history_date, ...) also writes the
    model's '+' history row, when its history table is one of the sink's models.
    """

    def __init__(self, models_in_order, *, now: dt.datetime):
        self.tables = {}
        for model in models_in_order:
            history = _history_of(model)
            if history is not None and history in models_in_order:
                names = {f.attname for f in history._meta.concrete_fields}
                first = tuple(
                    f.attname
                    for f in model._meta.concrete_fields
                    if f.attname in names and not f.generated
                )
                self.tables[model] = Table(model, now=now, first=first)
                self.tables[history] = Table(history, now=now, first=first)
            elif model not in self.tables:
                self.tables[model] = Table(model, now=now)
        self.histories = {m: _history_of(m) for m in self.tables if _history_of(m) in self.tables}
        self.buffers = {m: io.StringIO() for m in models_in_order}

    def add(self, model, row: dict, history: dict | None = None) -> None:
        table = self.tables[model]
        shared = table.text(row, 0, table.split or None)
        rest = table.text(row, table.split) if table.split else ""
        self.buffers[model].write(f"{shared}\t{rest}\n" if rest else f"{shared}\n")
        table.count += 1
        target = self.histories.get(model)
        if history is not None and target is not None:
            other = self.tables[target]
            self.buffers[target].write(f"{shared}\t{other.text(history, other.split)}\n")
            other.count += 1

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for model, buffer in self.buffers.items():
                if not buffer.tell():
                    continue
                buffer.seek(0)
                table = self.tables[model]
                cursor.cursor.copy_expert(f"COPY {table.table} ({table.names}) FROM STDIN", buffer)
                self.buffers[model] = io.StringIO()

    def counts(self) -> dict:
        return {m: t.count for m, t in self.tables.items()}


class InsertSink(CopySink):
    """The same with multi-row INSERTs (SQLite, the embedded mode)."""

    def __init__(self, models_in_order, *, now: dt.datetime):
        self.tables = {m: Table(m, now=now) for m in models_in_order}
        self.histories = {m: _history_of(m) for m in self.tables if _history_of(m) in self.tables}
        self.rows: dict = {m: [] for m in models_in_order}

    def add(self, model, row: dict, history: dict | None = None) -> None:
        table = self.tables[model]
        self.rows[model].append(table.values(row, connection))
        table.count += 1
        target = self.histories.get(model)
        if history is not None and target is not None:
            other = self.tables[target]
            self.rows[target].append(other.values({**row, **history}, connection))
            other.count += 1

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for model, rows in self.rows.items():
                if rows:
                    table = self.tables[model]
                    marks = ", ".join(["%s"] * len(table.columns))
                    sql = f"INSERT INTO {table.table} ({table.names}) VALUES ({marks})"  # noqa: S608
                    cursor.executemany(sql, rows)
                    self.rows[model] = []


def sink(models_in_order, *, now: dt.datetime) -> CopySink:
    if connection.vendor == "postgresql":
        return CopySink(models_in_order, now=now)
    return InsertSink(models_in_order, now=now)


# --- ids --------------------------------------------------------------------------------------


def reserve(model, n: int) -> int:
    """Reserve ``n`` ids of ``model``: returns the base (the ids are base+1 .. base+n)."""
    table, pk = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT GREATEST(nextval(pg_get_serial_sequence(%s, %s)) - 1,"  # noqa: S608
                f" (SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}))",
                [table, pk],
            )
            base = cursor.fetchone()[0]
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [table, pk, base + max(n, 1)]
            )
            return base
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"demo data on {connection.vendor}")
        # SQLite: the transaction holds the database's write lock, nobody else inserts
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")  # noqa: S608
        return cursor.fetchone()[0]


# --- secondary indexes and constraints (PostgreSQL, empty tables) ----------------------------


def secondary_schema(model_list) -> list[tuple[str, str, str, str]]:
    """(kind, table, name, definition) of the foreign keys, unique constraints and indexes of
    these tables, primary keys and check constraints aside; in the order they are re-created."""
    tables = [m._meta.db_table for m in model_list]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'index', t.relname, i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_class i ON i.oid = x.indexrelid
            WHERE t.relname = ANY(%s) AND NOT x.indisprimary
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conrelid = x.indrelid AND c.conindid = x.indexrelid
                  AND c.contype IN ('p', 'u', 'x'))
            UNION ALL
            SELECT CASE c.contype WHEN 'u' THEN 'unique' ELSE 'foreign' END, t.relname,
                   c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relname = ANY(%s) AND c.contype IN ('u', 'f')
            ORDER BY 1 DESC, 2, 3
            """,
            [tables, tables],
        )
        return [tuple(row) for row in cursor.fetchall()]


DROPPED = "demodata_dropped_schema"


def schema_remember(schema) -> None:
    """Keep what is about to be dropped in a table of its own, in the transaction that drops it:
    a load killed before it puts the schema back (a signal, a power cut: no ``except`` runs)
    leaves the definitions in the database, and the next load restores them first
    (``schema_restore``). Found when a killed 1,000,000-household run left the tables without
    their indexes and the next run took that for the schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {DROPPED} "
            "(kind text, table_name text, name text, definition text)"
        )
        cursor.executemany(f"INSERT INTO {DROPPED} VALUES (%s, %s, %s, %s)", schema)  # noqa: S608


def schema_forget() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {DROPPED}")


def schema_restore(model_list) -> int:
    """Put back what an interrupted load dropped (nothing when none was); how many items."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [DROPPED])
        if cursor.fetchone()[0] is None:
            return 0
        cursor.execute(f"SELECT kind, table_name, name, definition FROM {DROPPED}")  # noqa: S608
        saved = [tuple(row) for row in cursor.fetchall()]
    present = {name for _, _, name, _ in secondary_schema(model_list)}
    missing = [item for item in saved if item[2] not in present]
    create_secondary(missing)
    schema_forget()
    return len(missing)


def drop_secondary(schema) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for kind, table, name, _ in sorted(schema, key=lambda s: s[0] != "foreign"):
            if kind == "index":
                cursor.execute(f"DROP INDEX {quote(name)}")
            else:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")


def create_secondary(schema) -> None:
    """Indexes, then unique constraints, then foreign keys (validated here, in bulk)."""
    quote = connection.ops.quote_name
    order = {"index": 0, "unique": 1, "foreign": 2}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for kind, table, name, definition in sorted(schema, key=lambda s: order[s[0]]):
            if kind == "index":
                cursor.execute(definition)
            else:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )


def create_indexes(schema, *, connections_at_once: int) -> float | None:
    """The indexes and unique constraints of ``schema``, table by table, several tables at once
    (one connection each: PostgreSQL builds an index on one core); biggest tables first. Each
    table's commit on its own; the foreign keys are left to ``create_secondary``. Returns the
    CPU seconds of the database backends that built them (None when unknown)."""
    by_table: dict[str, list] = {}
    for item in schema:
        if item[0] != "foreign":
            by_table.setdefault(item[1], []).append(item)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
            [list(by_table)],
        )
        size = dict(cursor.fetchall())
    tables = sorted(by_table, key=lambda t: -size.get(t, 0))

    def build(table: str) -> float | None:
        try:
            before = backend_cpu()
            with transaction.atomic():
                create_secondary(by_table[table])
            after = backend_cpu()
            return None if before is None or after is None else after - before
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=max(1, connections_at_once)) as pool:
        used = [done.result() for done in [pool.submit(build, table) for table in tables]]
    return None if None in used else sum(used)


def backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine, Linux)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def is_empty(model_list) -> bool:
    return not any(m.objects.exists() for m in model_list)
