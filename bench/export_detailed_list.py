"""Time the detailed-list export (reports.exports.household_list) on 100,000 households, and its
peak memory.

Usage, in a scratch PostgreSQL database (never a real one):

    createdb -h 127.0.0.1 -U postgres bench_export
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_export
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --households 0    # units and demo accounts
    .venv/bin/python bench/seed_households.py 100000       # the demo households, once
    .venv/bin/python bench/export_detailed_list.py [--only all|poor|near_poor] [--chunk 2000]

Three measurements, each in a fresh process (peak RSS, ``getrusage().ru_maxrss``, is a
per-process high-water mark), on the open periodic round, for the whole province, as the demo
provincial leader:
- ``all``: every entry of the round (all 100,000 households) through the detailed list's writer:
  the same query, chunked cursor, per-chunk member and deprivation queries and write-only sheet
  as the export job, only without the class filter (a list of the poor is a fraction of that);
- ``poor`` and ``near_poor``: the real export jobs (``services.export_start`` then
  ``export_run``, inline), from the job row to the stored file.

Each prints the rows written, wall and CPU time, queries, file size, and peak RSS above the
process's RSS before the export started. Then the poor list's main query (entries with their
household columns, in the list's order) is run under ``EXPLAIN (ANALYZE, BUFFERS)`` (``--explain``
only prints that). Results: bench/results/export-detailed-list.txt (``--record`` appends the
output there, with the command and the load average).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")
os.environ.pop("REDIS_URL", None)  # the job runs inline, in this process: its memory is ours

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from areas.models import Unit  # noqa: E402
from areas.scope import user_scope  # noqa: E402
from households.models import Household, ReviewRound, Survey  # noqa: E402
from indicators.selectors import Owner  # noqa: E402
from reports.exports import household_list, services  # noqa: E402
from reports.exports.common import ExportContext  # noqa: E402
from reports.models import Job  # noqa: E402

LEADER = "lanhdao.tinh"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def setting():
    round_ = ReviewRound.objects.filter(kind="periodic").order_by("-starts_on").first()
    if round_ is None:
        sys.exit("no periodic round: seed the demo households first (see the docstring)")
    province = Unit.objects.valid_on(round_.reference_date).get(code="51", level="province")
    leader = get_user_model().objects.get(username=LEADER)
    return round_, province, leader


def context(round_, province, leader) -> ExportContext:
    return ExportContext(
        user=leader,
        round=round_,
        owner=Owner(unit=province),
        scope=user_scope(leader, round_.reference_date),
        params={},
    )


def measure_all(round_, province, leader) -> dict:
    ctx = context(round_, province, leader)
    entries = household_list.entries(ctx)  # the detailed list's scope, without the class filter
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "all.xlsx"
        with path.open("wb") as out:
            written, rows = household_list.write_list(
                ctx, out, entries, title="Danh sách hộ (tất cả)"
            )
        return {"households": written, "rows": rows, "bytes": path.stat().st_size}


def measure_job(report: str, round_, province, leader) -> dict:
    params = {"round": round_.pk, "unit": province.pk}
    job = services.export_start(by=leader, report=report, params=params)  # queues on commit:
    # outside a transaction on_commit runs at once, so the eager task has run here already.
    job = Job.objects.get(pk=job.pk)
    if job.status != "done":
        sys.exit(f"{report}: job {job.pk} {job.status}: {job.error}")
    size = job.result.size
    job.result.delete(save=False)
    job.delete()
    return {"households": job.total, "bytes": size}


def run_one(which: str, chunk: int) -> None:
    household_list.CHUNK = chunk
    round_, province, leader = setting()
    entries = Survey.objects.filter(round=round_).count()
    before = rss_mib()
    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        if which == "all":
            result = measure_all(round_, province, leader)
        else:
            result = measure_job(f"list_{which}", round_, province, leader)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = rss_mib()
    rows = f" ({result['rows']:,} sheet rows, members included)" if "rows" in result else ""
    print(
        f"[{which}] {round_} · {province.label}: {entries:,} entries in the round; exported "
        f"{result['households']:,} households{rows}, {result['bytes'] / 1e6:.1f} MB xlsx; "
        f"chunk {chunk:,}"
    )
    print(
        f"[{which}] wall {wall:.1f} s, cpu {cpu:.1f} s, {len(queries)} queries, "
        f"{result['households'] / wall:,.0f} households/s; peak RSS {peak:.0f} MiB "
        f"(before the export {before:.0f} MiB, +{peak - before:.0f} MiB)"
    )


def explain_poor() -> None:
    """EXPLAIN ANALYZE of the poor list's main query (what the export job iterates)."""
    round_, province, leader = setting()
    qs = household_list.ordered(household_list.queryset(context(round_, province, leader), "poor"))
    sql, params = qs.query.sql_with_params()
    print("[explain] the poor list's main query, EXPLAIN (ANALYZE, BUFFERS):")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        for (line,) in cursor.fetchall():
            print("   " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["all", "poor", "near_poor"])
    parser.add_argument("--chunk", type=int, default=household_list.CHUNK)
    parser.add_argument("--explain", action="store_true", help="only explain the poor list")
    parser.add_argument("--record", action="store_true", help="append to bench/results/")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if args.only:
        run_one(args.only, args.chunk)
        return
    if args.explain:
        explain_poor()
        return
    if args.record:  # run again with the output teed into the results file
        command = [sys.executable, __file__, "--chunk", str(args.chunk)]
        results = Path(__file__).resolve().parent / "results" / "export-detailed-list.txt"
        started = time.strftime("%Y-%m-%d %H:%M")
        shown = " ".join(a for a in [".venv/bin/python", *sys.argv] if a != "--record")
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
        print(output, end="")
        with results.open("a") as f:
            f.write(f"\n=== {started} {shown}\n{output}")
        return
    db = connection.settings_dict
    print(f"database: {connection.vendor} {db['NAME']}  python {sys.version.split()[0]}")
    print(f"households: {Household.objects.count():,}; survey rows: {Survey.objects.count():,}")
    try:
        import lxml  # noqa: F401

        print("openpyxl writer: lxml")
    except ImportError:
        print("openpyxl writer: et_xmlfile (lxml is not installed)")
    connection.close()  # each measurement opens its own
    for which in ("all", "poor", "near_poor"):
        command = [sys.executable, __file__, "--only", which, "--chunk", str(args.chunk)]
        subprocess.run(command, check=True)  # noqa: S603 (our own script)
    subprocess.run([sys.executable, __file__, "--explain"], check=True)  # noqa: S603
    load = os.getloadavg()
    print(f"load average at the end (other work on the machine): {load[0]:.1f} {load[1]:.1f}")


if __name__ == "__main__":
    main()
