"""Time the REST API's household and survey lists, first page and a deep cursor page, with their
query count and the plan of the page's main query.

Usage, against whatever database ``DATABASE_URL`` names, holding the demo accounts and households
(``manage.py seed_demo --households 0`` then ``bench/seed_households.py N``):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seed
    .venv/bin/python bench/api_pages.py [--repeat 5] [--depth 0.9] [--no-record]

Requests go through Django's test client in this process (no web server), each demo role calling
with an API token made for the run (deleted afterwards): the commune officer (one commune),
district staff (a former-district group) and the provincial leader (the province). Cases: the
households list and the surveys list of the open periodic round (no filter, and the class
filter "poor"), each on the first page and on a deep page: a cursor placed at ``--depth`` of the
caller's rows in the list's order (what following ``next`` that far would send).

Each case prints the best and median wall time of ``--repeat`` requests after a warm-up, the
number of queries of one request, whether any counts households or surveys (none may: the lists
have no COUNT; the unit-range check of ``round_communes_for_user`` counts a few units), and the
page's own query (the one with ``LIMIT 51``) under ``EXPLAIN (ANALYZE, BUFFERS)`` for the deep
pages (``--plans``: the first pages too). The output is appended to
bench/results/api-pages.txt (``--no-record`` to only print).
"""

from __future__ import annotations

import argparse
import base64
import os
import shlex
import shutil
import statistics
import subprocess
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
from django.urls import resolve, reverse  # noqa: E402

from api.services import token_create  # noqa: E402
from areas.scope import user_scope  # noqa: E402
from households import listing, selectors  # noqa: E402
from households.models import Household, Survey  # noqa: E402

USERS = [
    ("canbo.xa", "commune officer: one commune"),
    ("canbo.huyen", "district staff: a former-district group"),
    ("lanhdao.tinh", "provincial leader: the province"),
]
RESULTS = Path(__file__).resolve().parent / "results" / "api-pages.txt"


class Output:
    def __init__(self, record: bool):
        self.lines: list[str] = []
        self.record = record

    def __call__(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)

    def save(self) -> None:
        if self.record:
            with RESULTS.open("a") as f:
                f.write("\n".join(self.lines) + "\n\n")


def cursor(key: tuple[int, ...]) -> str:
    """The API's cursor after ``key`` (``api.pagination.KeysetPagination``)."""
    return base64.urlsafe_b64encode(("a" + ".".join(map(str, key))).encode()).decode()


def deep_key(rows, keyset: tuple[str, ...], depth: float) -> tuple[int, ...] | None:
    """The key of the row at ``depth`` of the caller's rows in the list's order (not timed)."""
    total = rows.count()
    if not total:
        return None
    position = min(int(total * depth), total - 1)
    return rows.order_by(*keyset).values_list(*keyset)[position]


def timed(client: Client, url: str, params: dict, repeat: int):
    client.get(url, params)  # warm-up
    walls = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params)
        walls.append(time.perf_counter() - started)
        if response.status_code != 200:
            sys.exit(f"{url} {params}: HTTP {response.status_code} {response.content[:300]}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return walls, response, list(queries.captured_queries)


def explain(sql: str) -> list[str]:
    with connection.cursor() as c:
        c.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [row[0] for row in c.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--depth", type=float, default=0.9)
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument("--plans", action="store_true", help="first pages' plans too")
    parser.add_argument("--users", nargs="*", help="only these demo users")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("needs PostgreSQL (EXPLAIN ANALYZE): set DATABASE_URL")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    out = Output(record=not args.no_record)
    git = shutil.which("git") or "git"
    commit = subprocess.run(  # noqa: S603 (git, fixed arguments)
        [git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    out(f"=== {time.strftime('%Y-%m-%d %H:%M')} REST API list pages (commit {commit})")
    out(f"command: {' '.join(shlex.quote(a) for a in ['.venv/bin/python', *sys.argv])}")
    round_ = selectors.round_current()
    out(
        f"database: {connection.settings_dict['NAME']}; {Household.objects.count():,} "
        f"households, {Survey.objects.count():,} survey rows; round {round_} (pk {round_.pk}); "
        f"page size 50"
    )
    User = get_user_model()
    made = []
    try:
        for username, label in USERS:
            if args.users and username not in args.users:
                continue
            user = User.objects.get(username=username)
            created = token_create(by=user, user=user, name="bench/api_pages.py")
            made.append(created.token)
            client = Client(HTTP_AUTHORIZATION=f"Bearer {created.secret}")
            scope = user_scope(user)
            households = selectors.household_list_for_user(scope)
            out(f"\n--- {username} ({label}): {households.count():,} households in scope")
            for name, params in (
                ("households", {}),
                ("surveys", {"round": round_.pk}),
                ("surveys", {"round": round_.pk, "poverty_class": "poor"}),
            ):
                if name == "households":
                    rows = households
                else:
                    rows = listing.round_list_for_user(user, scope, round_, params).entries
                url = reverse(f"api_{name[:-1]}_list")
                view = resolve(url).func.view_class
                deep = deep_key(rows, view.keyset, args.depth)
                pages = [("first page", params)]
                if deep is not None:
                    pages.append(
                        (f"deep page ({args.depth:.0%})", {**params, "cursor": cursor(deep)})
                    )
                for page, query in pages:
                    walls, response, queries = timed(client, url, query, args.repeat)
                    body = response.json()
                    counting = [
                        q
                        for q in queries
                        if "COUNT(" in q["sql"].upper() and "households_" in q["sql"]
                    ]
                    main = next(
                        q for q in queries if "LIMIT 51" in q["sql"] and "households_" in q["sql"]
                    )
                    filters = ", ".join(f"{k}={v}" for k, v in params.items()) or "no filter"
                    out(
                        f"{name:<10} {filters:<28} {page:<16} best {min(walls) * 1000:7.1f} ms  "
                        f"median {statistics.median(walls) * 1000:7.1f} ms  "
                        f"{len(queries)} queries  rows {len(body['results'])}  "
                        f"COUNT over households {len(counting)}"
                    )
                    if args.plans or page != "first page":
                        out("    the page's query, EXPLAIN (ANALYZE, BUFFERS):")
                        for line in explain(main["sql"]):
                            out(f"      {line}")
    finally:
        for token in made:
            token.delete()
    load = os.getloadavg()
    out(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    out.save()


if __name__ == "__main__":
    main()
