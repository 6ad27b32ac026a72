"""Time the indicator rollup against its floor: full recompute per round, incremental after a
survey save.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_x .venv/bin/python bench/rollup.py \\
        [--repeat 3] [--saves 7] [--year 2026 ...] [--record]

For every periodic round (or the --year ones):

- the floor: bench/floor.sql, one hand-written PostgreSQL statement computing the per-unit
  totals from the raw rows (every commune, every unit up the tree, every group), run without
  JIT like the rollup's own statements;
- the portal's full recompute, ``indicators.services.rollup_start`` with the tasks inline (every
  part, then the merge, in this process: every query counted);
- their ratio (median of --repeat runs each, after one untimed floor run that warms the cache for
  both), in wall time against the floor as PostgreSQL runs it (parallel workers allowed) and
  against the floor in one process, and in CPU time (this process plus its PostgreSQL backend,
  against the one-process floor's backend: a figure that other jobs on the machine disturb
  less than wall time);
- a check that the stored count values equal the floor's totals for every owner.

Then, in the open round (the latest), --saves survey saves through ``survey_save`` in communes of
different sizes (re-saving an entry's own answers, tasks inline): the incremental rollup's wall
time (its RollupRun), queries, and the program values' ``computed_at`` before and after (a survey
save must not recompute them). The database is changed (recomputed values, re-saved entries):
use a bench copy.

With --celery the full recompute is queued to Celery workers started apart (REDIS_URL set,
e.g. two `celery -A povertyportal worker -c 1` processes): its wall time from the request to the
run's end, against the same floor.

Also printed: PostgreSQL backend CPU, peak memory of this process (getrusage ru_maxrss) and the
load average. --record appends the output, with the command, to bench/results/rollup.txt.
PostgreSQL only (the floor is PostgreSQL SQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import statistics
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")
if "--celery" not in sys.argv:
    os.environ["REDIS_URL"] = ""  # inline tasks: one process, every query counted

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Max  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from households.models import ReviewRound, Survey  # noqa: E402
from households.services import survey_save  # noqa: E402
from indicators import services  # noqa: E402
from indicators.models import Indicator, IndicatorValue, RollupRun  # noqa: E402

BENCH = Path(__file__).resolve().parent
FLOOR = (BENCH / "floor.sql").read_text(encoding="utf-8")
TABLES = (
    "households_survey", "households_surveydeprivation", "households_exclusion",
    "households_household", "households_member", "households_communesubmission",
    "indicators_communetotals", "indicators_indicatorvalue",
)  # fmt: skip


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def vacuum_if_needed() -> None:
    """A fresh copy of a template has neither planner statistics nor a visibility map until
    autovacuum gets to it (its activity counters start at zero): plans made without them, and
    index-only scans that must visit the table, are not what a running portal gets."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples < 0", [list(TABLES)]
        )
        missing = [r[0] for r in cursor.fetchall()]
        if missing:
            print(f"VACUUM ANALYZE (never vacuumed nor analyzed): {', '.join(missing)}")
            cursor.execute(f"VACUUM ANALYZE {', '.join(missing)}")


def floor(round_: ReviewRound, parallel: bool = True) -> tuple[float, float, list[dict]]:
    """Wall time and backend CPU of the floor; ``parallel=False``: in one process (the CPU
    of parallel workers is not the backend's). Without JIT, as the rollup runs (rollups.jit_off):
    compiling costs this statement more than it saves."""
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        if not parallel:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        cpu, started = backend_cpu(), time.perf_counter()
        cursor.execute(FLOOR, {"round": round_.pk})
        rows = cursor.fetchall()
        wall, cpu = time.perf_counter() - started, backend_cpu() - cpu
        names = [c[0] for c in cursor.description]
        cursor.execute("RESET max_parallel_workers_per_gather")
        cursor.execute("RESET jit")
    return wall, cpu, [dict(zip(names, r, strict=True)) for r in rows]


def full(round_: ReviewRound, celery: bool = False) -> tuple[float, float, int, RollupRun]:
    """Wall time, CPU (this process and its backend) and queries of a full recompute; with
    ``celery``: queued to the running workers, wall time until the run is done (CPU and
    queries are the workers')."""
    if celery:
        started = time.perf_counter()
        run = services.rollup_start(round_=round_)  # outside a transaction: queued at once
        while run.status not in ("done", "failed"):
            time.sleep(0.02)
            run.refresh_from_db()
        return time.perf_counter() - started, float("nan"), 0, run
    with CaptureQueriesContext(connection) as queries:
        cpu, started = backend_cpu() + time.process_time(), time.perf_counter()
        run = services.rollup_start(round_=round_)  # outside a transaction: runs at once
        wall = time.perf_counter() - started
        cpu = backend_cpu() + time.process_time() - cpu
    return wall, cpu, len(queries), RollupRun.objects.get(pk=run.pk)


def compare(round_: ReviewRound, floor_rows: list[dict]) -> str:
    """The stored count values against the floor's totals, owner by owner."""
    counts = {i.pk: i.numerator for i in Indicator.objects.filter(kind="count")}
    stored = {}
    for ind, unit, group, value in IndicatorValue.objects.filter(
        round=round_, indicator_id__in=counts
    ).values_list("indicator_id", "unit_id", "group_id", "value"):
        owner = ("unit", unit) if unit else ("group", group)
        stored[(owner, counts[ind])] = value
    checked, wrong = 0, []
    for row in floor_rows:
        owner = (row["kind"], row["owner_id"])
        for key in set(counts.values()):
            checked += 1
            if stored.get((owner, key)) != row[key]:
                wrong.append((owner, key, stored.get((owner, key)), row[key]))
    owners = len(floor_rows)
    if wrong:
        return f"MISMATCH in {len(wrong)} of {checked} figures, e.g. {wrong[:3]}"
    return f"stored counts = floor totals ({owners} owners x {checked // max(owners, 1)} figures)"


def program_time(round_: ReviewRound) -> tuple[float, float]:
    """Wall time of the program work a full recompute does and the floor does not: counting
    the able workers of poor households (in the parts) and the program values (in the merge),
    each alone, in a transaction rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from indicators.program import program_values_store
    from indicators.rollups import jit_off, owner_pairs, workers_by_commune

    communes = {commune for kind, _owner, commune in owner_pairs(round_) if kind == "unit"}
    with transaction.atomic():
        jit_off()
        started = time.perf_counter()
        workers_by_commune(round_, communes)
        workers = time.perf_counter() - started
        started = time.perf_counter()
        program_values_store(round_=round_, computed_at=timezone.now())
        merge = time.perf_counter() - started
        transaction.set_rollback(True)
    return workers, merge


def runs(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (runs {', '.join(f'{x:.2f}' for x in values)})"


def bench_full(round_: ReviewRound, repeat: int, celery: bool = False) -> None:
    entries = Survey.objects.filter(round=round_).count()
    floor(round_)  # warm the cache for both
    walls, serial, serial_cpu, fulls, full_cpu = [], [], [], [], []
    queries, run, rows = 0, None, []
    for _ in range(repeat):
        wall, _cpu, rows = floor(round_)
        walls.append(wall)
        wall, cpu, _rows = floor(round_, parallel=False)
        serial.append(wall)
        serial_cpu.append(cpu)
        wall, cpu, queries, run = full(round_, celery)
        fulls.append(wall)
        full_cpu.append(cpu)
    f, f1, p = statistics.median(walls), statistics.median(serial), statistics.median(fulls)
    c1, pc = statistics.median(serial_cpu), statistics.median(full_cpu)
    values = IndicatorValue.objects.filter(round=round_).count()
    timings = [program_time(round_) for _ in range(repeat)]
    workers = statistics.median(t[0] for t in timings)
    program = statistics.median(t[1] for t in timings)
    if celery:
        workers = celery_workers()
        recompute = (
            f"  full recompute on {len(workers)} worker processes ({', '.join(workers)}) "
            f"{runs(fulls)}, {values:,} stored values\n"
            f"  ratio {p / f:.2f}x the floor ({p / f1:.2f}x the one-process floor)\n"
        )
    else:
        recompute = (
            f"  full recompute {runs(fulls)}, CPU {pc:.2f} s (Python + PostgreSQL), "
            f"{queries} queries, {values:,} stored values; of which program work the floor "
            f"does not do: workers of poor households {workers:.2f} s (parts), program values "
            f"{program:.2f} s (merge)\n"
            f"  ratio {p / f:.2f}x the floor ({p / f1:.2f}x the one-process floor; "
            f"CPU {pc / c1:.2f}x)\n"
        )
    print(
        f"{round_}: {entries:,} entries, {run.total_parts} parts, status {run.status}\n"
        f"  floor {runs(walls)}; in one process {runs(serial)}, CPU {c1:.2f} s\n"
        f"{recompute}  {compare(round_, rows)}; {load()}"
    )


def celery_workers() -> list[str]:
    from povertyportal.celery import app

    replies = app.control.inspect(timeout=2).stats() or {}
    return sorted(f"{name} -c {info['pool']['max-concurrency']}" for name, info in replies.items())


ANSWERS = (  # what the survey form sends (households.forms)
    "income_per_person", "household_income", "b1_score", "walls_durable", "columns_durable",
    "roof_durable", "floor_area", "water_source", "has_hygienic_latrine", "uses_internet",
    "devices", "uses_digital_services", "waste_collected", "causes", "needs",
)  # fmt: skip


def entry_data(survey: Survey) -> tuple[list[dict], dict]:
    """The entry's own answers, to save them again through the service."""
    members = list(survey.household.members.filter(is_current=True).values())
    return members, {k: getattr(survey, k) for k in ANSWERS}


def bench_incremental(round_: ReviewRound, saves: int) -> None:
    by = get_user_model().objects.filter(is_superuser=True).first()
    sizes = list(
        Survey.objects.filter(round=round_, status="surveyed")
        .exclude(commune__submissions__round=round_, commune__submissions__status__in=[
            "submitted", "accepted"])
        .values("commune_id").annotate(n=Count("id")).order_by("n")
    )  # fmt: skip
    if not sizes or by is None:
        print("incremental: no open commune with a surveyed entry, or no administrator")
        return
    picks = [sizes[round(i * (len(sizes) - 1) / max(saves - 1, 1))] for i in range(saves)]
    program = IndicatorValue.objects.filter(round=round_, indicator__kind="program")
    before = program.aggregate(n=Count("id"), at=Max("computed_at"))
    rollups, totals, queries = [], [], []
    for pick in picks:
        survey = Survey.objects.filter(
            round=round_, commune_id=pick["commune_id"], status="surveyed"
        ).first()
        members, data = entry_data(survey)
        last = RollupRun.objects.order_by("-pk").values_list("pk", flat=True).first()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            survey_save(by=by, survey=survey, expected_version=survey.version,
                        household_data={}, members=members, survey_data=data)  # fmt: skip
            totals.append(time.perf_counter() - started)
        run = RollupRun.objects.filter(pk__gt=last or 0, full=False).get()
        assert run.status == "done", run.error
        rollups.append((run.finished_at - run.created_at).total_seconds())
        queries.append(sum(1 for q in captured.captured_queries if "indicators_" in q["sql"]))
    after = program.aggregate(n=Count("id"), at=Max("computed_at"))
    print(
        f"incremental ({round_}), {len(picks)} saves in communes of "
        f"{', '.join(str(p['n']) for p in picks)} surveyed entries:\n"
        f"  rollup (RollupRun wall) median {statistics.median(rollups):.3f} s, "
        f"max {max(rollups):.3f} s; save + rollup median {statistics.median(totals):.3f} s; "
        f"queries touching indicators tables per save: {statistics.median(queries):.0f}\n"
        f"  program values untouched by the saves: "
        f"{'yes' if before == after else 'NO'} ({after['n']} values); {load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--saves", type=int, default=7)
    parser.add_argument("--year", type=int, action="append", help="only these rounds")
    parser.add_argument("--record", action="store_true", help="append to results/rollup.txt")
    parser.add_argument(
        "--celery",
        action="store_true",
        help="queue the full recompute to the Celery workers of REDIS_URL (started apart)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("the floor is PostgreSQL SQL: point DATABASE_URL at a PostgreSQL bench copy")
    out = io.StringIO()

    class Tee(io.TextIOBase):
        def write(self, s):
            sys.__stdout__.write(s)
            sys.__stdout__.flush()
            return out.write(s)

    with redirect_stdout(Tee()):
        vacuum_if_needed()
        db = connection.settings_dict["NAME"]
        households = Survey.objects.values("household_id").distinct().count()
        print(f"database: {db}, {households:,} households, {Survey.objects.count():,} entries; "
              f"{load()}")  # fmt: skip
        cpu, wall = backend_cpu(), time.perf_counter()
        rounds = ReviewRound.objects.filter(kind="periodic").order_by("starts_on")
        if args.year:
            rounds = rounds.filter(year__in=args.year)
        for round_ in rounds:
            bench_full(round_, args.repeat, args.celery)
        open_round = ReviewRound.objects.filter(status="open").order_by("-starts_on").first()
        if open_round and args.saves and not args.celery:
            bench_incremental(open_round, args.saves)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"total {time.perf_counter() - wall:.1f} s, PostgreSQL backend CPU "
              f"{backend_cpu() - cpu:.1f} s, peak memory of this process {peak:.0f} MiB; "
              f"{load()}")  # fmt: skip
    if args.record:
        command = "DATABASE_URL=.../{} .venv/bin/python bench/rollup.py {}".format(
            connection.settings_dict["NAME"], " ".join(sys.argv[1:])
        ).strip()
        with open(BENCH / "results" / "rollup.txt", "a", encoding="utf-8") as f:
            f.write(f"\n{dt.datetime.now():%Y-%m-%d %H:%M}  {command}\n\n{out.getvalue()}")


if __name__ == "__main__":
    main()
