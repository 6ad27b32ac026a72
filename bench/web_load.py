"""Web load: the household list, the province dashboard and the REST API under concurrent clients.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seed
    export REDIS_URL=redis://127.0.0.1:6379/5     # optional: the cache (else local memory)
    .venv/bin/python bench/web_load.py [--scenario list dashboard api] [--duration 60] \\
        [--workers 3] [--list-users 10] [--dashboard-users 50] [--api-users 20] \\
        [--api-throttle 100000/hour] \\
        [--results bench/results/web-load.txt] [--label TEXT] [--code DIR]

For each scenario it starts gunicorn on 127.0.0.1 (a free port; sync workers, DJANGO_DEBUG=false,
the given DATABASE_URL and REDIS_URL: the cache is Redis when REDIS_URL is set, else each worker's
local memory), waits until it answers, runs locust headless against it (bench/locustfile.py:
``--headless -u N -r N -t Ts --csv``), then stops both. It prints, per scenario: requests, errors,
requests a second and p50/p95/p99 of every timed request (logins are not timed) and of each kind
of request, the peak RSS of the gunicorn workers (psutil, sampled every 0.2 s), their CPU time,
and the load average before and after. Only loopback addresses are used; every run is bounded in
time (locust's -t, and a hard timeout on each process).

The "api" scenario (not run by default) needs no login: it makes one API token per client for the
provincial leader through ``api.services.token_create`` before locust starts and deletes them
after the run, whatever happens. The API throttles each user (settings ``REST_FRAMEWORK``, env
``API_THROTTLE_USER``, 2000/hour by default) and every client is the same user, so gunicorn gets
``API_THROTTLE_USER=--api-throttle`` (default 100000/hour, printed with the figures): the
throttle is still checked on every request (a cache read and write), it only stops refusing.

The database must hold demo data (units, the demo accounts of ``seed_demo``, households and a
rollup: see bench/README.md) and its name must contain "bench" (the logins write sessions).
``--code DIR`` serves another checkout of the portal (e.g. a ``git archive`` of an older commit)
with this virtualenv, to measure before and after a change on the same database.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCENARIOS = {"list": "ListUser", "dashboard": "DashboardUser", "api": "ApiUser"}
DEFAULT_SCENARIOS = ["list", "dashboard"]  # the api scenario is asked for by name
USERNAME = "lanhdao.tinh"  # the provincial leader: the widest scope, the province dashboard


def django_child(database_url: str, code: str, what: str) -> dict:
    """Run ``code`` through Django in a child process (this one stays free of Django and of a
    database connection); its last line of output is JSON."""
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "povertyportal.settings",
    }
    env.pop("REDIS_URL", None)
    out = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    if out.returncode:
        sys.exit(f"cannot {what}: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


LABEL = "bench/web_load.py"  # the name of the API tokens it makes


def tokens_create(database_url: str, count: int) -> dict:
    """``count`` API tokens of the provincial leader (``api.services.token_create``): their pks
    and secrets."""
    code = (
        "import django, json; django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from api.services import token_create\n"
        f"u = get_user_model().objects.get(username={USERNAME!r})\n"
        f"made = [token_create(by=u, user=u, name={LABEL!r}) for _ in range({count})]\n"
        "print(json.dumps({'pks': [m.token.pk for m in made],\n"
        "  'secrets': [m.secret for m in made]}))\n"
    )
    return django_child(database_url, code, "create the API tokens")


def tokens_delete(database_url: str, pks: list[int]) -> int:
    code = (
        "import django, json; django.setup()\n"
        "from api.models import ApiToken\n"
        f"print(json.dumps(ApiToken.objects.filter(pk__in={pks!r}).delete()[0]))\n"
    )
    return django_child(database_url, code, "delete the API tokens")


def bench_facts(database_url: str) -> dict:
    """The measured round and the sizes."""
    code = (
        "import django, json, os; django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from households.models import Household, ReviewRound, Survey\n"
        "from indicators.models import IndicatorValue\n"
        "r = ReviewRound.objects.filter(kind='periodic').order_by('-starts_on').first()\n"
        "print(json.dumps({'round': r.pk if r else None, 'round_name': str(r) if r else '',\n"
        "  'households': Household.objects.count(),\n"
        "  'entries': Survey.objects.filter(round=r).count() if r else 0,\n"
        "  'poor': Survey.objects.filter(round=r, effective_class='poor').count() if r else 0,\n"
        "  'values': IndicatorValue.objects.filter(round=r).count() if r else 0,\n"
        f"  'leader': get_user_model().objects.filter(username={USERNAME!r}).exists()}}))\n"
    )
    return django_child(database_url, code, "read the bench database")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def forget_cached_dashboards(redis_url: str) -> int:
    """Start cold: drop the dashboards' entries a previous run left in this Redis database
    (only those keys: the database may be shared with Celery)."""
    if not redis_url:
        return 0
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match="*dashboard:*", count=1000))
    if keys:
        client.delete(*keys)
    return len(keys)


class Sampler(threading.Thread):
    """Peak RSS of the gunicorn workers (each, and all together) while the load runs."""

    def __init__(self, pid: int, mark: Path):
        super().__init__(daemon=True)
        self.master = psutil.Process(pid)
        self.mark = mark  # written by the locustfile when timing starts (after the logins)
        self.stop = threading.Event()
        self.peak_worker = self.peak_total = 0  # over the whole run, logins included
        self.timed_worker = self.timed_total = 0  # while timed
        self.cpu_first: dict[int, float] = {}
        self.cpu_last: dict[int, float] = {}

        self.cpu_timed_first: dict[int, float] = {}

    @property
    def cpu(self) -> float:
        """CPU seconds the workers spent while sampled (their start-up excluded)."""
        return sum(last - self.cpu_first[pid] for pid, last in self.cpu_last.items())

    @property
    def timed_cpu(self) -> float:
        """CPU seconds the workers spent while timed (after the logins and the warm-up)."""
        return sum(self.cpu_last[pid] - first for pid, first in self.cpu_timed_first.items())

    def run(self):
        while not self.stop.is_set():
            timed = self.mark.exists()
            with contextlib.suppress(psutil.Error):
                total = 0
                for proc in [self.master, *self.master.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        rss = proc.memory_info().rss
                        total += rss
                        if proc.pid != self.master.pid:
                            self.peak_worker = max(self.peak_worker, rss)
                            if timed:
                                self.timed_worker = max(self.timed_worker, rss)
                            times = proc.cpu_times()
                            self.cpu_first.setdefault(proc.pid, times.user + times.system)
                            self.cpu_last[proc.pid] = times.user + times.system
                            if timed:
                                self.cpu_timed_first.setdefault(proc.pid, self.cpu_last[proc.pid])
                self.peak_total = max(self.peak_total, total)
                if timed:
                    self.timed_total = max(self.timed_total, total)
            self.stop.wait(0.2)


def start_gunicorn(code: Path, port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"), "povertyportal.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
        "--timeout", "120", "--graceful-timeout", "5", "--log-level", "warning",
        "--chdir", str(code),
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=code, env=env, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=5) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    sys.exit("gunicorn did not answer within 90 s")


def stop(process: subprocess.Popen) -> None:
    """TERM the process group we started, then KILL it if it lingers."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def run_scenario(name: str, args, facts: dict, env: dict) -> list[str]:
    counts = {"list": args.list_users, "dashboard": args.dashboard_users, "api": args.api_users}
    users = counts[name]
    tokens = {"pks": [], "secrets": []}
    if name == "api":
        tokens = tokens_create(env["DATABASE_URL"], users)
        env = env | {"API_THROTTLE_USER": args.api_throttle}
    try:
        return _run_scenario(name, users, tokens["secrets"], args, facts, env)
    finally:
        if tokens["pks"]:
            tokens_delete(env["DATABASE_URL"], tokens["pks"])


def _run_scenario(name: str, users: int, tokens: list[str], args, facts: dict, env: dict):
    # The logins come first (an Argon2 hash each: half a second to a second on this machine when
    # busy), then the warm-up, then the timed part, which the locustfile ends after --duration
    # seconds; locust's -t is only the hard limit.
    run_time = round(users * 2 + 30 + args.warmup + args.duration)
    port = free_port()
    forgotten = forget_cached_dashboards(env.get("REDIS_URL", ""))
    load_before = os.getloadavg()
    server = start_gunicorn(args.code, port, args.workers, env)
    with tempfile.TemporaryDirectory(prefix="web-load-") as tmp:
        summary_path = Path(tmp) / "summary.json"
        sampler = Sampler(server.pid, Path(tmp) / "timed")
        sampler.start()
        locust_env = os.environ | {
            "BENCH_ROUND": str(facts["round"]),
            "BENCH_USERNAME": USERNAME,
            "BENCH_PASSWORD": args.password,
            "BENCH_USERS": str(users),
            "BENCH_WAIT": args.wait,
            "BENCH_SUMMARY": str(summary_path),
            "BENCH_MARK": str(sampler.mark),
            "BENCH_WARMUP": str(args.warmup),
            "BENCH_DURATION": str(args.duration),
            "BENCH_TOKENS": ",".join(tokens),
        }
        command = [
            str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), SCENARIOS[name],
            "--headless", "-u", str(users), "-r", str(users), "-t", f"{run_time}s",
            "--host", f"http://127.0.0.1:{port}", "--csv", str(Path(tmp) / name),
            "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
        ]  # fmt: skip
        started = time.monotonic()
        try:
            locust = subprocess.run(  # noqa: S603
                command, env=locust_env, cwd=ROOT, timeout=run_time + 180,
                capture_output=True, text=True,
            )  # fmt: skip
            locust_rc, locust_err = locust.returncode, locust.stderr
        except subprocess.TimeoutExpired as exc:
            locust_rc, locust_err = "timeout", str(exc.stderr or "")
        wall = time.monotonic() - started
        sampler.stop.set()
        sampler.join()
        cpu = sampler.cpu
        stop(server)
        load_after = os.getloadavg()
        summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    return report(name, users, run_time, args, summary, sampler, cpu, wall, load_before, load_after,
                  locust_rc, locust_err, forgotten)  # fmt: skip


def ms(row: dict, key: str) -> str:
    return f"{row[key]:,.0f} ms" if key in row else "-"


def report(name, users, run_time, args, summary, sampler, cpu, wall, before, after, rc, err,
           forgotten):  # fmt: skip
    lines = [
        f"[{name}] {users} clients: {'tokens' if name == 'api' else 'logins'}, "
        f"{args.warmup:g} s warm-up, {args.duration} s timed "
        f"(a pause of {args.wait} s between a client's pages); gunicorn {args.workers} sync "
        f"workers; locust exit {rc}"
        + (f"; {forgotten} cached dashboard entries dropped first" if forgotten else "")
        + (
            f"; {users} API tokens of {USERNAME} (deleted after), "
            f"API_THROTTLE_USER={args.api_throttle}"
            if name == "api"
            else ""
        )
    ]
    if not summary or not summary.get("all", {}).get("count"):
        lines.append(f"[{name}] FAILED: no timed request; locust said: {err.strip()[-1500:]}")
        return lines
    if summary["logged_in"] < users or summary["errors"] == summary["all"]["count"]:
        lines.append(f"[{name}] FAILED: logins or every request failed: {err.strip()[-1500:]}")
    total = summary["all"]
    ready = "started" if name == "api" else "logged in"  # API clients have a token, no login
    lines.append(
        f"[{name}] {summary['logged_in']}/{users} {ready}; timed {summary['timed_seconds']} s: "
        f"{total['count']:,} requests, {summary['errors']} errors, {summary['rps']} req/s, "
        f"p50 {ms(total, 'p50')}, p95 {ms(total, 'p95')}, p99 {ms(total, 'p99')}, "
        f"max {ms(total, 'max')}"
    )
    if summary.get("browser_cache"):
        lines.append(
            f"[{name}]   and {summary['browser_cache']:,} loads of chart data or map not sent: "
            "still fresh in the simulated browser's cache (Cache-Control max-age)"
        )
    for label, row in summary["by_name"].items():
        lines.append(
            f"[{name}]   {label}: {row['count']:,} requests, {row['errors']} errors, "
            f"p50 {ms(row, 'p50')}, p95 {ms(row, 'p95')}, p99 {ms(row, 'p99')}"
        )
    mib = 1024 * 1024
    timed_cpu = sampler.timed_cpu
    per_request = 1000 * timed_cpu / max(total["count"], 1)
    lines.append(
        f"[{name}] gunicorn peak RSS while timed: a worker {sampler.timed_worker / mib:.0f} MiB, "
        f"master and workers together {sampler.timed_total / mib:.0f} MiB (whole run, logins "
        f"included: {sampler.peak_worker / mib:.0f} MiB, {sampler.peak_total / mib:.0f} MiB; an "
        f"Argon2 login hash takes ~100 MiB); workers' CPU {cpu:.1f} s in all, {timed_cpu:.1f} s "
        f"while timed: {per_request:.1f} ms a timed request; wall {wall:.0f} s"
    )
    lines.append(
        f"[{name}] load average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
        f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f} (2 cores; locust runs here too)"
    )
    if rc not in (0, 1):  # 1: locust saw failures, reported above
        lines.append(f"[{name}] locust stderr: {err.strip()[-1500:]}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", nargs="+", choices=list(SCENARIOS), default=DEFAULT_SCENARIOS)
    parser.add_argument(
        "--duration", type=int, default=60, help="timed seconds per scenario (after the logins)"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (2-4)")
    parser.add_argument("--list-users", type=int, default=10)
    parser.add_argument("--dashboard-users", type=int, default=50)
    parser.add_argument("--api-users", type=int, default=20)
    parser.add_argument(
        "--api-throttle", default="100000/hour",
        help="API_THROTTLE_USER for the api scenario (every client is the same user)",
    )  # fmt: skip
    parser.add_argument("--wait", default="0.5,1.5", help="min,max seconds between pages")
    parser.add_argument(
        "--warmup", type=float, help="seconds after the last login before timing (default 5; "
        "0 when --duration is under 30)",
    )  # fmt: skip
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "demo-pass-2026"))
    parser.add_argument("--code", type=Path, default=ROOT, help="the portal checkout to serve")
    parser.add_argument("--label", default="", help="a note printed with the figures")
    parser.add_argument("--results", type=Path, help="append the figures to this file")
    args = parser.parse_args()
    args.code = args.code.resolve()
    if args.warmup is None:
        args.warmup = 5.0 if args.duration >= 30 else 0.0
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL bench database")
    if "bench" not in database_url.rsplit("/", 1)[-1]:
        sys.exit(f"refused: {database_url!r} is not a bench database (its name has no 'bench')")
    facts = bench_facts(database_url)
    if facts["round"] is None or not facts["leader"]:
        sys.exit("no periodic round or no demo leader: seed the bench database first (README)")
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_PRODUCTION": "false",  # no HTTPS redirect on loopback; otherwise as production
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    if not env.get("REDIS_URL"):
        env.pop("REDIS_URL", None)
    commit = subprocess.run(  # noqa: S603
        ["git", "-C", str(args.code), "log", "-1", "--format=%h %s"],  # noqa: S607
        capture_output=True, text=True, check=False,
    ).stdout.strip() or "(not a git checkout)"  # fmt: skip
    header = [
        f"== web load {dt.datetime.now().isoformat(timespec='seconds')}"
        + (f" · {args.label}" if args.label else ""),
        "command: " + shlex.join([Path(sys.executable).name, *sys.argv]),
        f"code: {args.code} ({commit})",
        f"database: {database_url.rsplit('/', 1)[-1]}, {facts['households']:,} households; "
        f"{facts['round_name']} (pk {facts['round']}): {facts['entries']:,} entries, "
        f"{facts['poor']:,} poor, {facts['values']:,} stored values; cache: "
        + ("Redis " + env["REDIS_URL"] if env.get("REDIS_URL") else "local memory per worker"),
    ]
    print("\n".join(header), flush=True)
    lines = list(header)
    for name in args.scenario:
        block = run_scenario(name, args, facts, env)
        print("\n".join(block), flush=True)
        lines += block
    if args.results:
        with args.results.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n\n")
    # no budget is asserted (timings on a shared machine are noise), but a scenario that could
    # not log in or got no page at all means the harness or the portal is broken
    if any("FAILED" in line for line in lines):
        sys.exit(1)


if __name__ == "__main__":
    main()
