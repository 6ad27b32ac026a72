"""A scale model for timing set-based SQL: replicate a bench database's households N times.

    createdb -h 127.0.0.1 -U postgres -T bench_tpl100k bench_x_1m
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_x_1m .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_x_1m .venv/bin/python \\
        bench/scale_copy.py 10

Copies households, members, entries (surveys), deprivations and exclusions N-1 more times in
SQL, with new ids and household codes suffixed "-k" (members' citizen ids blanked, they are
unique), in the same communes, rounds, projects and trainings; then VACUUM ANALYZE. It is NOT
the demo generator's data (households.demo): every copy repeats the same households, so use it
for the cost of queries over N times the rows (bench/rollup.py at 1,000,000 from the 100,000
template), not for figures. PostgreSQL only; refuses a database whose name lacks "bench", and a
database already scaled.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

TABLES = {  # table: {column: expression for copy k}, in foreign-key order
    "households_household": {"code": "t.code || '-' || k"},
    "households_member": {"household_id": "t.household_id + k * {households_household}",
                          "citizen_id": "''"},
    "households_survey": {"household_id": "t.household_id + k * {households_household}"},
    "households_surveydeprivation": {"survey_id": "t.survey_id + k * {households_survey}"},
    "households_exclusion": {"household_id": "t.household_id + k * {households_household}"},
}  # fmt: skip


def main() -> None:
    factor = int(sys.argv[1])
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit(f"refused: {name!r} is not a PostgreSQL bench database")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM households_household WHERE code LIKE %s LIMIT 1", ["%-1"])
        if cursor.fetchone():
            sys.exit("refused: this database is already scaled")
        top = {}
        for table in TABLES:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            top[table] = cursor.fetchone()[0]
        cursor.execute("SET session_replication_role = replica")  # no FK triggers while copying
        for table, over in TABLES.items():
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND is_generated = 'NEVER' ORDER BY ordinal_position",
                [table],
            )
            columns = [r[0] for r in cursor.fetchall()]
            over = {"id": f"t.id + k * {top[table]}", **over}
            exprs = ", ".join(over.get(c, f"t.{c}").format(**top) for c in columns)
            started = time.perf_counter()
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {exprs} "  # noqa: S608
                f"FROM {table} t, generate_series(1, {factor - 1}) k "
                f"WHERE t.id <= {top[table]} ORDER BY k, t.id"
            )
            print(f"{table}: +{cursor.rowcount:,} rows, {time.perf_counter() - started:.0f} s")
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT MAX(id) FROM {table}))"
            )
        cursor.execute("SET session_replication_role = DEFAULT")
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
