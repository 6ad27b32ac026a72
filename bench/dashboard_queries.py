"""The queries of a dashboard request, with their plans: none may grow with households.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seed \\
        .venv/bin/python bench/dashboard_queries.py [--user lanhdao.tinh] [--analyze]

As the provincial leader, for the newest periodic round: the province dashboard, its chart data
and its map, each on a cache miss then on a hit (the dashboards' entries are dropped from the
cache first; the cache is this process's memory unless REDIS_URL is set). For each request it
prints the time, the number of queries and each query; with --analyze, each SELECT's
``EXPLAIN (ANALYZE, BUFFERS)`` summary: its execution time, the tables it reads and how. It exits
non-zero if a query reads a household table (households, members, surveys, deprivations).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from households.models import Household, ReviewRound  # noqa: E402

HOUSEHOLD_TABLES = ("households_household", "households_member", "households_survey",
                    "households_surveydeprivation")  # fmt: skip
SCAN = re.compile(r"((?:Parallel )?(?:Seq|Index|Index Only|Bitmap Heap) Scan(?: Backward)?"
                  r"(?: using \S+)? on \S+)")  # fmt: skip


def forget_cached_dashboards() -> None:
    from django.core.cache import cache

    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):  # Redis
        client = cache._cache.get_client()
        keys = list(client.scan_iter(match="*dashboard:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()  # this process's own memory


def plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
    scans = sorted(set(SCAN.findall("\n".join(lines))))
    total = next((line for line in lines if line.startswith("Execution Time")), "")
    return f"{total}; " + ("; ".join(scans) or "no table scan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="lanhdao.tinh")
    parser.add_argument("--analyze", action="store_true", help="EXPLAIN ANALYZE each SELECT")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    round_ = ReviewRound.objects.filter(kind="periodic").order_by("-starts_on").first()
    if round_ is None:
        sys.exit("no periodic round: seed the bench database first (README)")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, "
          f"{Household.objects.count():,} households; {round_} (pk {round_.pk})")  # fmt: skip
    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    page = client.get("/chi-tieu/", {"round": round_.pk}).content.decode()  # warms the process
    sources = [u.replace("&amp;", "&") for u in re.findall(r'(?:data-src|hx-get)="([^"]+)"', page)]
    forget_cached_dashboards()
    bad = []
    for attempt in ("miss", "hit"):
        for url in [f"/chi-tieu/?round={round_.pk}", *sources]:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
            print(f"\n{attempt}: GET {url} -> {response.status_code}, {len(response.content):,} "
                  f"bytes, {elapsed * 1000:.0f} ms, {len(queries)} queries")  # fmt: skip
            for query in queries.captured_queries:
                sql = query["sql"]
                print(f"  {sql[:150]}{'…' if len(sql) > 150 else ''}")
                if any(f'"{t}"' in sql for t in HOUSEHOLD_TABLES):
                    bad.append(sql)
                if args.analyze and sql.startswith("SELECT"):
                    # the captured text has its parameters inlined already
                    print(f"    {plan(sql, None)}")
    load = os.getloadavg()
    print(f"\nload average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if bad:
        sys.exit(f"{len(bad)} queries read household tables, e.g. {bad[0][:300]}")
    print("no query reads a household table")


if __name__ == "__main__":
    main()
