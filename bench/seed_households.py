"""Time the demo household generator (demodata.households) for N households.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seed \\
        .venv/bin/python bench/seed_households.py 100000 --reset [--seed 2024] [--workers 2]
        [--no-history]

The database must be migrated, with the units loaded (`manage.py load_units`) and, for surveyed_by
and the accepted communes, the demo accounts (`manage.py seed_demo --households 0`). The
generator adds nothing when the demo rounds exist: `--reset` first empties the household tables,
and only in a database whose name contains "bench" (a guard against emptying a real one).

Without --workers: the `seed_demo` path (this process, one transaction). With --workers K
(PostgreSQL): the bulk load, K processes writing with COPY while the household tables' secondary
indexes and constraints are off; the script checks that the indexes and constraints are the same
afterwards (pg_indexes, pg_constraint).

Prints wall time, CPU time and peak RSS (getrusage) of every process (this one and each worker),
the CPU time of the PostgreSQL backends serving them, rows a second and the load average, and
checks that the persons of every commune and round (SUM(member_count)) equal a count of the
households' members.
See bench/README.md; results are kept in bench/results/seed-households.txt.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from demodata.common import BLOCK  # noqa: E402
from demodata.households import demo_households_seed  # noqa: E402
from demodata.load import backend_cpu  # noqa: E402
from demodata.rows import MODELS  # noqa: E402
from households import models as hm  # noqa: E402

# Children first: every table the generator writes, and the history tables of the same models.
TABLES = (
    hm.SubmissionEvent,
    hm.CommuneSubmission,
    hm.SurveyDeprivation,
    hm.Survey.history.model,
    hm.Survey,
    hm.Exclusion.history.model,
    hm.Exclusion,
    hm.Member.history.model,
    hm.Member,
    hm.Household.history.model,
    hm.Household,
    hm.ReviewRound,
)


def reset() -> None:
    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"--reset refused: database {name!r} is not a bench database")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in TABLES)
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            for model in TABLES:
                model.objects.all().delete()


def schema() -> list[tuple]:
    """Indexes and constraints of the tables the generator writes (PostgreSQL)."""
    tables = [m._meta.db_table for m in MODELS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
            " ORDER BY 1, 2",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
            [tables],
        )
        return indexes + cursor.fetchall()


def persons_check() -> str:
    """Persons per round and commune as stored on the entries vs a count of the households'
    current members; set-based, so it runs at a million households too."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH stored AS (
                SELECT round_id, commune_id, SUM(member_count) AS persons
                FROM households_survey GROUP BY round_id, commune_id),
            counted AS (
                SELECT s.round_id, s.commune_id, COUNT(m.id) AS persons
                FROM households_survey s
                JOIN households_member m ON m.household_id = s.household_id AND m.is_current
                GROUP BY s.round_id, s.commune_id)
            SELECT COUNT(*), COUNT(*) FILTER (WHERE stored.persons IS DISTINCT FROM counted.persons)
            FROM stored FULL JOIN counted USING (round_id, commune_id)
            """
        )
        units, wrong = cursor.fetchone()
    return f"persons check: {units:,} (round, commune) pairs, {wrong} differ"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("households", type=int)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--reset", action="store_true", help="empty the household tables first")
    parser.add_argument("--workers", type=int, help="bulk load with K processes (PostgreSQL)")
    parser.add_argument("--no-history", action="store_true", help="skip the '+' history rows")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress lines show up when redirected
    if args.reset:
        reset()
    db = connection.settings_dict
    postgres = connection.vendor == "postgresql"
    print(f"database: {connection.vendor} {db['NAME']}  households: {args.households:,}  "
          f"block: {BLOCK:,}  seed: {args.seed}  workers: {args.workers or 'none (in process)'}  "
          f"history: {not args.no_history}")  # fmt: skip
    before = schema() if postgres else None
    db_cpu = backend_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    report = demo_households_seed(
        households=args.households,
        seed=args.seed,
        stdout=sys.stdout,
        workers=args.workers,
        history=not args.no_history,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if report.skipped:
        sys.exit(f"nothing generated: {report.skipped} (use --reset in a bench database)")
    if db_cpu is not None:
        db_cpu = (backend_cpu() or 0) - db_cpu  # this process's backend (a new one after a fork)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(report.summary())
    rate = f"{report.rows / wall:,.0f} rows/s, {report.households / wall:,.0f} households/s"
    print(f"rows: {report.rows:,}  wall: {wall:.1f} s  rate: {rate}")
    backend = f", its database backend cpu {db_cpu:.1f} s" if db_cpu is not None else ""
    print(f"main process: cpu {cpu:.1f} s, peak RSS {peak_mib:.0f} MiB{backend}")
    for i, p in enumerate(report.processes, start=1):
        print(f"worker {i} (pid {p['pid']}): {p['blocks']} blocks, cpu {p['cpu']:.1f} s "
              f"(generate {p['generate']:.1f} s + copy {p['copy']:.1f} s wall), "
              f"peak RSS {p['peak_rss_mib']:.0f} MiB, its database backend cpu "
              f"{p['backend_cpu'] or 0:.1f} s")  # fmt: skip
    if report.seconds:
        print("phases (wall): " + ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items()))
    if report.index_cpu is not None:
        print(f"database backends that built the indexes: cpu {report.index_cpu:.1f} s")
    if postgres:
        same = schema() == before
        print(f"indexes and constraints after the run: {'identical' if same else 'DIFFERENT'}")
        print(persons_check())
    load = os.getloadavg()
    print(f"load average at the end (other work on the machine): "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
