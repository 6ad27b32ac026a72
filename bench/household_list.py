"""Time single requests of the household list (/ho/) as each demo role, and explain the worst one.

Usage, against a bench database holding the demo data (never a real one), e.g. a copy of the
100,000-household template:

    createdb -h 127.0.0.1 -U postgres -T bench_tpl100k bench_list
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_list
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/household_list.py [--repeat 3] [--round PK] [--no-record]

Requests go through Django's test client in this process (no web server, no network), logged
in as the demo commune officer (one commune), district staff (a former-district group) and
provincial leader (the whole province), on the open periodic round (or ``--round``): no
filter, a class filter, a search, each on the first and the last page. The last page is the
page's own "last" link (keyset: ``?last=1``); on the old offset design it is ``?page=N``. The
deferred totals fragment (``/ho/tong-so/``, loaded by the page after it is shown) is timed too
when the page links to it.

Each case prints the best and median wall time of ``--repeat`` requests after one warm-up, the
queries of one request and their total SQL time, and the slowest query; the slowest query over
the entries (surveys) of all cases is run again under ``EXPLAIN (ANALYZE, BUFFERS)``. The output
is appended to bench/results/household-list.txt (``--no-record`` to only print).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import resource
import shlex
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")
os.environ.pop("REDIS_URL", None)

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from households.models import Household, ReviewRound, Survey  # noqa: E402

USERS = [
    ("canbo.xa", "commune officer: one commune"),
    ("canbo.huyen", "district staff: a former-district group"),
    ("lanhdao.tinh", "provincial leader: the province"),
]
FILTERS = [
    ("no filter", {}),
    ("class: poor", {"poverty_class": "poor"}),
    ("search 'nguyen van'", {"q": "nguyen van"}),
]
RESULTS = Path(__file__).resolve().parent / "results" / "household-list.txt"
LIST = reverse("household_list")


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


def timed(client: Client, url: str, params: dict, repeat: int):
    client.get(url, params)  # warm-up: caches, the connection, the first plan
    walls = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params)
        walls.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    if response.status_code != 200:
        sys.exit(f"{url} {params}: HTTP {response.status_code}")
    return walls, response, list(queries.captured_queries)


def last_page_params(body: str, params: dict) -> dict | None:
    """The page's own link to the last page, or ?page=N on the old offset design."""
    link = re.search(r'<a[^>]*data-page="last"[^>]*href="\?([^"]*)"', body) or re.search(
        r'<a[^>]*href="\?([^"]*)"[^>]*data-page="last"', body
    )
    if link:
        return dict(parse_qsl(html.unescape(link.group(1)), keep_blank_values=True))
    pages = re.search(r"Trang \d+/(\d+)", body)
    if pages:
        return {**params, "page": pages.group(1)}
    return None


def deferred_url(body: str) -> str | None:
    found = re.search(r'hx-get="([^"]*/ho/tong-so/[^"]*)"', body)
    return html.unescape(found.group(1)) if found else None


def rows_on(body: str) -> int:
    return len(re.findall(r"data-household=", body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--round", type=int, help="a round's pk (default: the page's default)")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    out = Output(record=not args.no_record)
    db = connection.settings_dict["NAME"]
    out(f"=== {time.strftime('%Y-%m-%d %H:%M')} household list, single requests")
    out(f"command: {' '.join(shlex.quote(a) for a in ['.venv/bin/python', *sys.argv])}")
    round_ = (
        ReviewRound.objects.get(pk=args.round)
        if args.round
        else ReviewRound.objects.filter(status="open", kind="periodic").first()
        or ReviewRound.objects.order_by("-starts_on").first()
    )
    out(
        f"database: {connection.vendor} {db}; {Household.objects.count():,} households, "
        f"{Survey.objects.count():,} survey rows; round {round_} "
        f"({Survey.objects.filter(round=round_).count():,} entries)"
    )
    base = {"round": str(round_.pk)}
    users = get_user_model().objects.in_bulk([u for u, _ in USERS], field_name="username")
    worst = None
    for username, role in USERS:
        client = Client()
        client.force_login(users[username])
        out(f"-- {username} ({role})")
        for label, filters in FILTERS:
            first = {**base, **filters}
            walls, response, queries = timed(client, LIST, first, args.repeat)
            body = response.content.decode()
            cases = [("first page", first, walls, body, queries)]
            last = last_page_params(body, first)
            if last is not None:
                walls, response, queries = timed(client, LIST, last, args.repeat)
                cases.append(("last page", last, walls, response.content.decode(), queries))
            fragment = deferred_url(body)
            if fragment:
                walls, response, queries = timed(client, fragment, {}, args.repeat)
                cases.append(("deferred totals", None, walls, response.content.decode(), queries))
            for page, _params, walls, page_body, queries in cases:
                sql_ms = sum(float(q["time"]) for q in queries) * 1000
                slowest = max(queries, key=lambda q: float(q["time"]))
                rows = f", {rows_on(page_body)} rows" if page != "deferred totals" else ""
                out(
                    f"  {label:<22} {page:<16} best {min(walls) * 1000:7.0f} ms, "
                    f"median {statistics.median(walls) * 1000:7.0f} ms; {len(queries)} queries, "
                    f"SQL {sql_ms:6.0f} ms, slowest {float(slowest['time']) * 1000:5.0f} ms{rows}"
                )
                # the main query: the slowest one over the entries (surveys)
                main = [q for q in queries if '"households_survey"' in q["sql"]]
                if main:
                    query = max(main, key=lambda q: float(q["time"]))
                    if worst is None or float(query["time"]) > worst[0]:
                        worst = (float(query["time"]), username, label, page, query["sql"])
    if worst is not None and connection.vendor == "postgresql":
        seconds, username, label, page, sql = worst
        out(f"-- worst case: {username}, {label}, {page}")
        out(f"   its slowest query over the entries ({seconds * 1000:.0f} ms), EXPLAIN ANALYZE:")
        out("   " + sql)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            for (line,) in cursor.fetchall():
                out("   " + line)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()
    out(
        f"peak RSS {peak:.0f} MiB; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"({os.cpu_count()} cores, shared with other work)"
    )
    out.save()


if __name__ == "__main__":
    main()
