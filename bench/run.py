"""`make bench SIZE=N`: every benchmark of bench/ on a fresh N-household database, in order.

    .venv/bin/python bench/run.py [N] [--db NAME] [--import-households M] [--duration S]
                                  [--only STEP ...] [--skip STEP ...]

On PostgreSQL (the server of DATABASE_URL, else 127.0.0.1:5432 as postgres), in a database named
``bench_run_<N>`` (created if missing; any --db name must contain "bench": the steps empty
tables), each step runs as its own process through its own command line:

    migrate     manage.py migrate
    units       manage.py load_units
    accounts    manage.py seed_demo --households 0     (the demo accounts, catalogue, targets)
    generate    bench/seed_households.py N --reset --workers 2  (rounds 2023-2026, N households)
    rollup      bench/rollup.py                        (full rollup of every round: the values
                                                        the dashboards read)
    queries     bench/dashboard_queries.py --analyze   (the dashboard's queries and plans; fails
                                                        if one reads a household table)
    pages       bench/work_pages.py --analyze          (each role's home page, the round's
                                                        completeness, the analysis page)
    import      bench/import_surveys.py M              (M = min(10,000, N/10) new households
                                                        into the open round)
    export      bench/export_detailed_list.py          (the detailed list: all, poor, near-poor)
    web         bench/web_load.py --duration S         (list 10 clients, dashboard 50 clients)

Each step's output, wall time, peak memory (``/usr/bin/time -v``: the largest process of the
step's tree; else psutil sampling) and the load average after it are printed and appended, with
the date and the command, to bench/results/bench-<N>.txt. A failed setup step (the first four)
stops the run; a failed measurement is recorded and the run goes on; the exit status is non-zero
if any step failed. The steps run with inline Celery tasks (no REDIS_URL) except ``web``, which
gets REDIS_URL when it is set (the dashboards' cache).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SETUP = ("migrate", "units", "accounts", "generate")
STEPS = (*SETUP, "rollup", "queries", "pages", "import", "export", "web")
TIME = shutil.which("time", path="/usr/bin")  # GNU time, for -v


def server_url() -> str:
    """The PostgreSQL server to use: DATABASE_URL's, without its database name."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def ensure_database(server: str, name: str) -> bool:
    """Create the database unless it exists; True when it was created."""
    import psycopg2

    parts = urlsplit(server)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE DATABASE "{name}"')
            return True
    finally:
        connection.close()


def steps(n: int, imported: int, duration: int) -> dict[str, list[str]]:
    manage = [PY, str(ROOT / "manage.py")]
    bench = ROOT / "bench"
    return {
        "migrate": [*manage, "migrate", "--noinput", "-v", "1"],
        "units": [*manage, "load_units"],
        "accounts": [*manage, "seed_demo", "--households", "0"],
        # two loader processes (the machine's cores), COPY with the indexes built after
        "generate": [PY, str(bench / "seed_households.py"), str(n), "--reset", "--workers", "2"],
        "rollup": [PY, str(bench / "rollup.py")],
        "queries": [PY, str(bench / "dashboard_queries.py"), "--analyze"],
        "pages": [PY, str(bench / "work_pages.py"), "--analyze"],
        "import": [PY, str(bench / "import_surveys.py"), str(imported)],
        "export": [PY, str(bench / "export_detailed_list.py")],
        "web": [PY, str(bench / "web_load.py"), "--duration", str(duration)],
    }


class TreeSampler(threading.Thread):
    """Peak RSS of a process and its descendants (one process and all together), for machines
    without GNU time."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.psutil = psutil
        self.root = psutil.Process(pid)
        self.stop = threading.Event()
        self.peak_one = self.peak_all = 0

    def run(self):
        while not self.stop.is_set():
            with contextlib.suppress(self.psutil.Error):
                rss = []
                for proc in [self.root, *self.root.children(recursive=True)]:
                    with contextlib.suppress(self.psutil.Error):
                        rss.append(proc.memory_info().rss)
                if rss:
                    self.peak_one = max(self.peak_one, max(rss))
                    self.peak_all = max(self.peak_all, sum(rss))
            self.stop.wait(0.25)


def gnu_time_summary(path: Path) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""

    def field(label):
        # "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.03": the label may carry a note
        match = re.search(rf"^\s*{re.escape(label)}(?: \([^)]*\))?: (.+)$", text, re.M)
        return match.group(1).strip() if match else "?"

    peak = field("Maximum resident set size (kbytes)")
    peak = f"{int(peak) / 1024:,.0f} MiB" if peak.isdigit() else peak
    return (
        f"wall {field('Elapsed (wall clock) time')}, user {field('User time (seconds)')} s, "
        f"system {field('System time (seconds)')} s, peak RSS {peak} (/usr/bin/time -v: the "
        f"largest process of the step)"
    )


def run_step(name: str, command: list[str], env: dict, out) -> int:
    """Run one step, streaming its output to the console and the results file."""
    header = (
        f"\n--- {name} · {dt.datetime.now().isoformat(timespec='seconds')}\n"
        f"$ {shlex.join(command)}\n"
    )
    print(header, end="", flush=True)
    out.write(header)
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        timing = Path(tmp) / "time.txt"
        full = [TIME, "-v", "-o", str(timing), *command] if TIME else command
        started = time.monotonic()
        process = subprocess.Popen(  # noqa: S603 (our own scripts)
            full, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        sampler = None if TIME else TreeSampler(process.pid)
        if sampler:
            sampler.start()
        for line in process.stdout:
            print(line, end="", flush=True)
            out.write(line)
        code = process.wait()
        wall = time.monotonic() - started
        if sampler:
            sampler.stop.set()
            sampler.join()
            mib = 1024 * 1024
            summary = (
                f"wall {wall:.1f} s, peak RSS {sampler.peak_one / mib:,.0f} MiB (one process), "
                f"{sampler.peak_all / mib:,.0f} MiB (the step's processes together; psutil)"
            )
        else:
            summary = gnu_time_summary(timing)
    load = os.getloadavg()
    footer = (
        f"--- {name}: exit {code}; {summary}; load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}\n"
    )
    print(footer, end="", flush=True)
    out.write(footer)
    out.flush()
    return code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, nargs="?", default=100_000, help="households")
    parser.add_argument("--db", help="database name (default bench_run_<N>)")
    parser.add_argument("--import-households", type=int, help="default min(10000, N/10)")
    parser.add_argument("--duration", type=int, help="timed seconds of each web scenario "
                        "(default 60, 10 under 50,000 households)")  # fmt: skip
    parser.add_argument("--only", nargs="+", choices=STEPS, help="run only these steps")
    parser.add_argument("--skip", nargs="+", choices=STEPS, default=[], help="skip these steps")
    parser.add_argument("--results", type=Path, help="default bench/results/bench-<N>.txt")
    args = parser.parse_args()
    n = args.size
    name = args.db or f"bench_run_{n}"
    if "bench" not in name or not re.fullmatch(r"[a-z0-9_]+", name):
        sys.exit(f"refused: {name!r} is not a bench database name (lower-case letters, digits "
                 "and _, with 'bench' in it: the steps empty tables)")  # fmt: skip
    imported = args.import_households or max(100, min(10_000, n // 10))
    duration = args.duration or (60 if n >= 50_000 else 10)
    server = server_url()
    created = ensure_database(server, name)
    database_url = f"{server}/{name}"
    # the demo accounts' password: seed_demo sets it, web_load logs in with it
    password = os.environ.get("DEMO_PASSWORD") or "demo-pass-2026"
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DEMO_PASSWORD": password,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)  # inline tasks in every step, so each step's cost is its own
    web_env = env | ({"REDIS_URL": os.environ["REDIS_URL"]} if os.environ.get("REDIS_URL") else {})
    chosen = [s for s in (args.only or STEPS) if s not in args.skip]
    results = args.results or ROOT / "bench" / "results" / f"bench-{n}.txt"
    results.parent.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"],  # noqa: S607
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    failed = []
    with results.open("a", encoding="utf-8") as out:
        load = os.getloadavg()
        head = (
            f"\n=== make bench SIZE={n} · {dt.datetime.now().isoformat(timespec='seconds')}\n"
            f"command: {shlex.join([Path(PY).name, *sys.argv])}\n"
            f"commit: {commit}\n"
            f"database: {name} ({'created' if created else 'existing'}) on {server}; "
            f"{os.cpu_count()} cores; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
            f"steps: {' '.join(chosen)}; import {imported:,} households; web {duration} s timed\n"
        )
        print(head, end="", flush=True)
        out.write(head)
        commands = steps(n, imported, duration)
        started = time.monotonic()
        for step in chosen:
            code = run_step(step, commands[step], web_env if step == "web" else env, out)
            if code:
                failed.append(step)
                if step in SETUP:
                    break
        tail = (
            f"=== done in {time.monotonic() - started:.0f} s; "
            + (f"FAILED: {' '.join(failed)}" if failed else "every step passed")
            + "\n"
        )
        print(tail, end="", flush=True)
        out.write(tail)
    print(f"results appended to {results}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
