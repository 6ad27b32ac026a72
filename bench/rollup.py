"""Time a full indicator recompute of every periodic round, and count its queries.

Usage (against a database already holding demo data, e.g. after bench/seed_households.py):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seed .venv/bin/python bench/rollup.py

Tasks run inline (eager) in this process so that every query is counted; with a worker the same
parts run in parallel on several machines and only the merge is serial.
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")
os.environ.pop("REDIS_URL", None)  # inline tasks: one process, every query counted

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from households.models import ReviewRound, Survey  # noqa: E402
from indicators import services  # noqa: E402
from indicators.models import IndicatorValue, RollupRun  # noqa: E402


def main() -> None:
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"surveys: {Survey.objects.count():,}")
    for round_ in ReviewRound.objects.filter(kind="periodic").order_by("starts_on"):
        entries = Survey.objects.filter(round=round_).count()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run = services.rollup_start(round_=round_)
            # on_commit callbacks run at once outside a transaction: the run is finished here
            elapsed = time.perf_counter() - started
        run = RollupRun.objects.get(pk=run.pk)
        values = IndicatorValue.objects.filter(round=round_).count()
        print(
            f"{round_}: {entries:,} entries, {run.total_parts} parts, status {run.status}, "
            f"{elapsed:.2f} s, {len(queries)} queries, {values:,} stored values"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
