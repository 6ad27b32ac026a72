"""The server's CPU time per request: one gunicorn worker, one client, requests one at a time.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seed   # name must contain "bench"
    export REDIS_URL=redis://127.0.0.1:6379/5                          # optional: the cache
    .venv/bin/python bench/request_cpu.py [--requests 100] [--code DIR] [--results FILE] URL...

Starts gunicorn (one sync worker, DJANGO_DEBUG=false) on a free loopback port, logs in as the
provincial leader through the login form, sends each URL a few times to warm up, then
``--requests`` times, and prints the worker's CPU time (psutil) and the wall time per request and
the response's size. Under concurrent load on a shared machine latency mostly measures the other
jobs; the CPU a request costs the server is the steadier figure to compare before and after a
change (``--code`` serves another checkout with this virtualenv).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import os
import re
import shlex
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_load import USERNAME, free_port, start_gunicorn, stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", help="paths, e.g. '/chi-tieu/?round=4'")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "demo-pass-2026"))
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--label", default="")
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if "bench" not in database_url.rsplit("/", 1)[-1]:
        sys.exit("set DATABASE_URL to a PostgreSQL bench database (its name has 'bench')")
    env = os.environ | {
        "DJANGO_DEBUG": "false",
        "DJANGO_PRODUCTION": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    port = free_port()
    server = start_gunicorn(args.code.resolve(), port, 1, env)
    base = f"http://127.0.0.1:{port}"
    load = os.getloadavg()
    lines = [
        f"== request CPU {dt.datetime.now().isoformat(timespec='seconds')}"
        + (f" · {args.label}" if args.label else ""),
        "command: " + shlex.join([Path(sys.executable).name, *sys.argv]),
        f"database: {database_url.rsplit('/', 1)[-1]}; cache: "
        + (env.get("REDIS_URL") or "local memory")
        + f"; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    ]
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        form = opener.open(base + "/dang-nhap/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = {"username": USERNAME, "password": args.password, "csrfmiddlewaretoken": token}
        landing = opener.open(base + "/dang-nhap/", urllib.parse.urlencode(data).encode())
        if "/dang-nhap/" in landing.geturl():
            sys.exit(f"login of {USERNAME} failed")
        (worker,) = psutil.Process(server.pid).children()
        for url in args.urls:
            for _ in range(5):
                opener.open(base + url).read()
            cpu, wall = sum(worker.cpu_times()[:2]), time.perf_counter()
            for _ in range(args.requests):
                body = opener.open(base + url).read()
            cpu, wall = sum(worker.cpu_times()[:2]) - cpu, time.perf_counter() - wall
            lines.append(
                f"{url}: {1000 * cpu / args.requests:.1f} ms CPU, "
                f"{1000 * wall / args.requests:.1f} ms wall a request "
                f"({args.requests} requests, {len(body):,} bytes)"
            )
            print(lines[-1], flush=True)
    finally:
        stop(server)
    if args.results:
        with args.results.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n\n")


if __name__ == "__main__":
    main()
