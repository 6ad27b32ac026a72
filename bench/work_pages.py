"""The pages of a working day at scale: each role's home page (its to-do list), the open round's
completeness page, and the analysis page (rounds side by side, an ethnic split, its xlsx).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_run_100000 \\
        .venv/bin/python bench/work_pages.py [--analyze] [--repeat 3]

Each request is sent ``--repeat`` times by a logged-in test client (the first warms the
process); it prints the median time, the number of queries and, with --analyze, each SELECT's
``EXPLAIN (ANALYZE, BUFFERS)`` execution time and scans. It exits non-zero when a page answers
other than 200 or when a query of a page that must read only stored values (the analysis)
reads a household table. The home pages and the round page do read the entries, as grouped
counts over an index: their plans are what to look at.
"""

from __future__ import annotations

import argparse
import os
import statistics
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
from django.urls import reverse  # noqa: E402

from bench.dashboard_queries import HOUSEHOLD_TABLES, plan  # noqa: E402
from households.models import Household, ReviewRound  # noqa: E402

ROLES = ("canbo.xa", "canbo.huyen", "lanhdao.tinh", "quantri")


def pages() -> list[tuple[str, str, str, bool]]:
    """(user, label, url, stored values only)"""
    periodic = list(ReviewRound.objects.filter(kind="periodic").order_by("starts_on"))
    if not periodic:
        sys.exit("no periodic round: seed the bench database first (bench/README.md)")
    newest = periodic[-1]
    same_tree = [r for r in periodic if (r.year >= 2025) == (newest.year >= 2025)]
    rounds = "&".join(f"rounds={r.pk}" for r in same_tree)
    analysis = reverse("analysis")
    by_rounds = f"{analysis}?indicators=poor_rate&indicators=near_poor_rate&rows=commune&{rounds}"
    ethnic = (
        f"{analysis}?indicators=poor_rate&indicators=households&rows=commune&columns=ethnic"
        f"&rounds={newest.pk}"
    )
    xlsx = reverse("analysis_xlsx") + by_rounds[len(analysis) :]
    return [
        *[(user, "home (to-do list)", reverse("home"), False) for user in ROLES],
        ("lanhdao.tinh", "round page (completeness)", reverse("round_detail", args=[newest.pk]),
         False),
        ("lanhdao.tinh", "analysis: communes × rounds", by_rounds, True),
        ("lanhdao.tinh", "analysis: communes × ethnic split", ethnic, True),
        ("lanhdao.tinh", "analysis xlsx: communes × rounds", xlsx, True),
        ("canbo.huyen", "analysis: district staff, areas below", f"{analysis}?indicators="
         f"poor_rate&rows=children&{rounds}", True),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--analyze", action="store_true", help="EXPLAIN ANALYZE each SELECT")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, "
          f"{Household.objects.count():,} households")  # fmt: skip
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    failures = []
    for user, label, url, stored_only in pages():
        if user not in clients:
            failures.append(f"no user {user}")
            continue
        times = []
        for _ in range(max(args.repeat, 1)):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = clients[user].get(url)
                times.append(time.perf_counter() - started)
        median = statistics.median(times[1:] or times) * 1000
        print(f"\n{user}: {label}: GET {url} -> {response.status_code}, "
              f"{len(response.content):,} bytes, median {median:.0f} ms "
              f"(first {times[0] * 1000:.0f} ms), {len(queries)} queries")  # fmt: skip
        if response.status_code != 200:
            failures.append(f"{label}: {response.status_code}")
        for query in queries.captured_queries:
            sql = query["sql"]
            if stored_only and any(f'"{t}"' in sql for t in HOUSEHOLD_TABLES):
                failures.append(f"{label} reads a household table: {sql[:200]}")
            if args.analyze and sql.startswith("SELECT"):
                print(f"  {sql[:120]}{'…' if len(sql) > 120 else ''}\n    {plan(sql, None)}")
    load = os.getloadavg()
    print(f"\nload average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if failures:
        sys.exit("\n".join(failures))
    print("every page answered 200; the analysis read no household table")


if __name__ == "__main__":
    main()
