"""Time the demo household generator (households.demo) for N households.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seed \\
        .venv/bin/python bench/seed_households.py 100000 [--seed 2024] [--reset]

The database must be migrated, with the units loaded (`manage.py load_units`) and, for surveyed_by
and the accepted communes, the demo accounts (`manage.py seed_demo --households 0`). The
generator adds nothing when the demo rounds exist: `--reset` first empties the household tables,
and only in a database whose name contains "bench" (a guard against emptying a real one).

Prints wall time, CPU time, peak memory of this process (getrusage ru_maxrss) and rows a second.
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

from households import models as hm  # noqa: E402
from households.demo import BATCH, demo_households_seed  # noqa: E402

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


def backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine only)."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("households", type=int)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--reset", action="store_true", help="empty the household tables first")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress lines show up when redirected
    if args.reset:
        reset()
    db = connection.settings_dict
    print(f"database: {connection.vendor} {db['NAME']}  households: {args.households:,}  "
          f"batch: {BATCH:,}  seed: {args.seed}")  # fmt: skip
    db_cpu = backend_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    report = demo_households_seed(households=args.households, seed=args.seed, stdout=sys.stdout)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if db_cpu is not None:
        db_cpu = (backend_cpu() or 0) - db_cpu
    if report.skipped:
        sys.exit(f"nothing generated: {report.skipped} (use --reset in a bench database)")
    rows = (
        report.households + report.members + report.surveys + report.deprivations
        + report.exclusions
    )  # fmt: skip
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(report.summary())
    print(f"rows: {rows:,}  wall: {wall:.1f} s  cpu (this process): {cpu:.1f} s  "
          f"peak RSS: {peak_mb:.0f} MiB")  # fmt: skip
    if db_cpu is not None:
        print(f"database backend cpu: {db_cpu:.1f} s")
    print(f"rate: {rows / wall:,.0f} rows/s, {report.households / wall:,.0f} households/s")
    load = os.getloadavg()
    print(f"load average at the end (other work on the machine): {load[0]:.1f} {load[1]:.1f}")


if __name__ == "__main__":
    main()
