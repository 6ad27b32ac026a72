"""Time the survey import: a generated N-household workbook (plus members), checked then written.

    createdb -h 127.0.0.1 -U postgres bench_import
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_units
    .venv/bin/python bench/import_surveys.py 10000 [--existing K] [--communes 20] [--seed 2026]
        [--reset]

It creates (once) a superuser "bench-import" and the open periodic round 2026 (or uses the one
there, e.g. in a copy of a seeded demo database), writes the workbook to
var/bench-import-<N>-<K>-<seed>.xlsx, then runs each phase in its own process so that each peak
memory (getrusage ru_maxrss) is its own: validate (the check a user waits for before the
preview), apply (confirm: the rows re-checked against the database, then written by
households.services.surveys_save_bulk in one transaction, then the indicator rollup of each
commune), and re-validate the same file (idempotence: every row "unchanged", nothing to write).
Tasks run inline (no REDIS_URL). The apply line splits its wall time into the re-check, the
write and the rollups after commit.

The file holds N households: N - K new ones (codes BI<seed>-<n>) and, with ``--existing K``, K
households already on the round's list in the file's communes (pending ones first, then carried
over, then surveyed), with their current members and new survey answers. Communes whose results
are locked (submitted or accepted) are left out. `--reset` empties the household tables and the
import jobs first, only in a database whose name contains "bench". Results are kept in
bench/results/import-surveys.txt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")
os.environ.pop("REDIS_URL", None)  # inline tasks: one process, timed as a whole

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files import File  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from areas.models import Unit  # noqa: E402
from households import models as hm  # noqa: E402
from households.choices import (  # noqa: E402
    DEVICES,
    EDUCATION,
    EMPLOYMENT,
    SCHOOLING,
    WATER,
    Cause,
    Need,
)
from households.rules import school_age  # noqa: E402
from households.services import round_open  # noqa: E402
from reports.imports import services, template  # noqa: E402
from reports.models import Job  # noqa: E402

YEAR = 2026
USERNAME = "bench-import"


_PIDS: dict[int, int] = {}


def backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine only)."""
    if connection.vendor != "postgresql":
        return None
    key = id(connection.connection)
    if key not in _PIDS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _PIDS[key] = cursor.fetchone()[0]
    pid = _PIDS[key]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def setup(reset: bool):
    if reset:
        name = str(connection.settings_dict["NAME"])
        if "bench" not in Path(name).name:
            sys.exit(f"--reset refused: database {name!r} is not a bench database")
        tables = [
            hm.SurveyDeprivation, hm.Survey.history.model, hm.Survey, hm.Exclusion.history.model,
            hm.Exclusion, hm.Member.history.model, hm.Member, hm.Household.history.model,
            hm.Household, hm.SubmissionEvent, hm.CommuneSubmission, Job,
        ]  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
                cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            else:
                for model in tables:
                    model.objects.all().delete()
    if not Unit.objects.exists():
        sys.exit("no units: run `manage.py migrate` and `manage.py load_units` first")
    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None:
        user = get_user_model().objects.create_superuser(USERNAME, password=None)
    round_ = hm.ReviewRound.objects.filter(kind="periodic", year=YEAR).first()
    if round_ is None:
        round_ = round_open(
            by=user, year=YEAR, kind="periodic",
            starts_on=dt.date(YEAR, 9, 1), ends_on=dt.date(YEAR, 12, 14),
        )  # fmt: skip
    return user, round_


def school_label(born: dt.date, round_) -> str:
    """A child in school at the level that fits their age in the round (indicator 6)."""
    standard = round_.get_standard()
    level = standard.school_level_for(school_age(born, round_.reference_date, standard))
    return str(dict(SCHOOLING)[level.value])


SYLLABLES = ("Không", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín")


def spelled(n: int) -> str:
    """A number as words ("Mười Hai" is "Một Hai"): names may hold no digit (the name rule)."""
    return " ".join(SYLLABLES[int(d)] for d in str(n))


def generate(
    n: int, communes: list[Unit], seed: int, round_, existing: list | None = None
) -> tuple[list, list]:
    """N households spread over the communes, 1-7 members each (4 on average), a third with
    poor-looking facts; labels as an officer picks them from the drop-downs. The first
    ``existing`` (household, members) pairs keep their code, commune, village and members."""
    rng = random.Random(seed)
    existing = existing or []
    water = [str(label) for _code, label in WATER]
    devices = [str(label) for _code, label in DEVICES]
    education = [str(label) for _code, label in EDUCATION]
    employment = [str(label) for _code, label in EMPLOYMENT]
    causes = [str(label) for _code, label in Cause.choices]
    needs = [str(label) for _code, label in Need.choices]
    yes_no = ("Có", "Không")
    households, members = [], []
    cid = 0
    for i in range(n):
        known, current = existing[i] if i < len(existing) else (None, None)
        code = known.code if known else f"BI{seed}-{i + 1:07d}"
        poor = rng.random() < 0.33
        households.append({
            "commune": known.commune.code if known else communes[i % len(communes)].code,
            "code": code,
            "village": known.village if known else f"Thôn {rng.randint(1, 12)}",
            "address": "",
            "is_farm_household": rng.choice(yes_no),
            "no_working_capacity": "Không",
            "revolutionary_merit": "Không",
            "social_protection": rng.choice(("Có", "Không", "Không", "Không")),
            "requested_review": "Không",
            "income_per_person": rng.randint(700, 1500) * 1000 if poor else rng.randint(1500, 6000) * 1000,  # noqa: E501
            "b1_score": rng.choice((None, rng.randint(60, 250))),
            "walls_durable": rng.choice(yes_no),
            "columns_durable": "Có",
            "roof_durable": rng.choice(yes_no),
            "floor_area": rng.randint(20, 120),
            "water_source": rng.choice(water[6:] if poor else water[:6]),
            "has_hygienic_latrine": "Không" if poor else "Có",
            "uses_internet": rng.choice(yes_no),
            "devices": "; ".join(rng.sample(devices, rng.randint(0, 3))),
            "causes": "; ".join(rng.sample(causes, 2)) if poor else "",
            "needs": "; ".join(rng.sample(needs, 2)) if poor else "",
        })  # fmt: skip
        if current:
            members += [{"household": code, **m} for m in current]
            continue
        size = min(max(int(rng.gauss(4, 1.5)), 1), 7)
        for j in range(size):
            cid += 1
            adult = j < 2
            born = dt.date(
                rng.randint(1950, 2000) if adult else rng.randint(2008, 2024),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            members.append({
                "household": code,
                "full_name": f"Người {spelled(i + 1)} {spelled(j + 1)}",
                "sex": ("Nam", "Nữ")[j % 2],
                "birth_date": born,
                "relation": "Chủ hộ" if j == 0 else ("Vợ/chồng" if j == 1 else "Con"),
                "ethnicity": rng.choice(("Kinh", "Kinh", "Hrê", "Cor")),
                "citizen_id": f"9{seed % 100:02d}{cid:09d}" if rng.random() < 0.7 else "",
                "has_health_insurance": rng.choice(("Có", "Có", "Có", "Không")),
                "schooling": "Không đi học" if adult else school_label(born, round_),
                "education_level": rng.choice(education),
                "employment": rng.choice(employment) if adult else employment[-1],
                "is_disabled": "Không",
                "has_monthly_social_allowance": "Không",
                "employer_certified_training": "Không",
                "nutrition": "",
            })  # fmt: skip
    return households, members


def on_the_list(round_, communes: list[Unit], k: int) -> list:
    """K households on the round's list in these communes, pending entries first, with their
    current members as the file would hold them (labels of the drop-downs)."""
    from reports.imports import columns as C

    order = {"pending": 0, "carried_over": 1, "surveyed": 2}
    surveys = (
        hm.Survey.objects.filter(round=round_, commune__in=communes)
        .exclude(household__code__startswith="BI")
        .select_related("household__commune")
        .only("status", "household__code", "household__village", "household__commune__code")
    )
    chosen = sorted(surveys, key=lambda s: (order[s.status], s.household_id))[:k]
    labels = {c.key: {code: str(label) for code, label in c.choice_list()} for c in C.MEMBER_COLUMNS
              if c.choices}  # fmt: skip
    yes_no = {True: "Có", False: "Không"}
    found: dict[int, list] = {s.household_id: [] for s in chosen}
    rows = hm.Member.objects.filter(household__in=list(found), is_current=True).order_by("pk")
    for m in rows.values():
        found[m["household_id"]].append({
            "full_name": m["full_name"],
            "sex": labels["sex"][m["sex"]],
            "birth_date": m["birth_date"],
            "relation": labels["relation"][m["relation"]],
            "ethnicity": labels["ethnicity"][m["ethnicity"]],
            "citizen_id": m["citizen_id"],
            "has_health_insurance": yes_no[m["has_health_insurance"]],
            "schooling": labels["schooling"][m["schooling"]],
            "education_level": labels["education_level"][m["education_level"]],
            "employment": labels["employment"][m["employment"]],
            "is_disabled": yes_no[m["is_disabled"]],
            "has_monthly_social_allowance": yes_no[m["has_monthly_social_allowance"]],
            "employer_certified_training": yes_no[m["employer_certified_training"]],
            "nutrition": labels["nutrition"].get(m["nutrition"], ""),
        })  # fmt: skip
    return [(s.household, found[s.household_id]) for s in chosen]


class Timer:
    """Wall, process CPU and database backend CPU seconds spent in a few functions of this
    process (wrapped by name)."""

    def __init__(self):
        self.seconds: dict[str, list[float]] = {}

    def wrap(self, owner, attr: str, label: str) -> None:
        real = getattr(owner, attr)

        def timed(*args, **kwargs):
            wall, cpu, db = time.perf_counter(), time.process_time(), backend_cpu() or 0.0
            try:
                return real(*args, **kwargs)
            finally:
                spent = self.seconds.setdefault(label, [0.0, 0.0, 0.0])
                spent[0] += time.perf_counter() - wall
                spent[1] += time.process_time() - cpu
                spent[2] += (backend_cpu() or 0.0) - db

        setattr(owner, attr, timed)

    def parts(self) -> dict[str, str]:
        return {
            label: f"{wall:.1f} s wall, {cpu:.1f} + {db:.1f} s cpu"
            for label, (wall, cpu, db) in self.seconds.items()
        }


def phase(name: str, path: str, job_id: int | None) -> dict:
    user = get_user_model().objects.get(username=USERNAME)
    round_ = hm.ReviewRound.objects.get(kind="periodic", year=YEAR)
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    timer = Timer()
    if name == "apply":
        import indicators.services
        from households.services import bulk, rows
        from reports.imports import checks

        timer.wrap(services, "import_apply", "confirm job")  # what follows is inside it
        timer.wrap(services, "_stored_plan", "stored rows")
        timer.wrap(checks.Checker, "recheck", "recheck")
        timer.wrap(checks.Checker, "run", "check again")
        timer.wrap(bulk, "_check_citizen_ids", "service checks")
        timer.wrap(bulk, "_lock", "locks")
        timer.wrap(bulk, "_write", "write")
        timer.wrap(connection, "_commit", "commit")
        timer.wrap(indicators.services, "rollup_commune", "rollups")
        copy = rows.copy

        def counted(*args):  # COPY goes around Django's cursor: count it here
            queries[0] += 1
            return copy(*args)

        rows.copy = counted
    db_cpu = backend_cpu()
    begun = timezone.now()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        if name in ("validate", "revalidate"):
            with open(path, "rb") as handle:
                upload = File(handle, "bench.xlsx")
                job = services.import_start(by=user, round_=round_, upload=upload)
            # tasks run inline: the check ran on commit of the upload (autocommit here)
        else:
            services.import_confirm(by=user, job=Job.objects.get(pk=job_id))
        job = Job.objects.get(pk=job_id or job.pk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finished = Job.objects.get(pk=job_id or job.pk).finished_at
    done_after = (finished - begun).total_seconds() if finished else None
    db_cpu = backend_cpu() - db_cpu if db_cpu is not None else None
    return {
        "phase": name,
        "job": job.pk,
        "status": job.status,
        "error": job.error,
        "seconds": round(elapsed, 1),
        "done_after": round(done_after, 1) if done_after is not None else None,
        "cpu": round(cpu, 1),
        "db_cpu": round(db_cpu, 1) if db_cpu is not None else None,
        "queries": queries[0],
        "peak_mib": round(peak_mib()),
        "counts": job.summary.get("counts"),
        "written": job.summary.get("written"),
        "errors": job.summary.get("error_count"),
        "first_errors": job.summary.get("errors", [])[:3],
        "parts": timer.parts(),
        "load": [round(x, 1) for x in os.getloadavg()],
    }


def run_phase(name: str, path: str, job_id: int | None = None) -> dict:
    args = [sys.executable, __file__, "--phase", name, "--file", path, "--job", str(job_id or 0)]
    out = subprocess.run(args, capture_output=True, text=True)  # noqa: S603
    if out.returncode:
        sys.exit(f"phase {name} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("households", type=int, nargs="?", default=10_000)
    parser.add_argument("--existing", type=int, default=0)
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--phases", default="validate,apply,revalidate", help="for profiling")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--job", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.file, args.job)))
        return
    _user, round_ = setup(args.reset)
    locked = hm.CommuneSubmission.objects.filter(
        round=round_, status__in=("submitted", "accepted")
    ).values("commune")
    communes = list(
        Unit.objects.valid_on(round_.reference_date)
        .communes()
        .exclude(pk__in=locked)
        .order_by("code")[: args.communes]
    )
    db = connection.settings_dict
    print(f"database: {connection.vendor} {db['NAME']}  households in it: "
          f"{hm.Household.objects.count():,}  file: {args.households:,} households "
          f"({args.existing:,} on the list)  communes: {len(communes)}  "
          f"seed: {args.seed}")  # fmt: skip
    started = time.perf_counter()
    existing = on_the_list(round_, communes, args.existing) if args.existing else []
    households, members = generate(args.households, communes, args.seed, round_, existing)
    content = template.write_rows(households, members, standard=round_.get_standard())
    name = f"bench-import-{args.households}-{args.existing}-{args.seed}.xlsx"
    path = ROOT / "var" / name
    path.write_bytes(content)
    elapsed = time.perf_counter() - started
    print(f"workbook: {len(households):,} households, {len(members):,} members, "
          f"{len(content) / 1e6:.1f} MB, generated in {elapsed:.1f} s")  # fmt: skip
    del households, members, content
    results = []
    for name in args.phases.split(","):
        job_id = results[0]["job"] if name == "apply" else None
        result = run_phase(name, str(path), job_id)
        results.append(result)
        parts = "; ".join(f"{k}: {v}" for k, v in result["parts"].items())
        if name == "apply" and result["done_after"] is not None:
            parts = f"job done after {result['done_after']} s; {parts}"
        db = f" + {result['db_cpu']} s database" if result["db_cpu"] is not None else ""
        print(f"{name:>10}: {result['seconds']:6.1f} s wall, {result['cpu']:6.1f} s cpu{db}, "
              f"{result['queries']:,} queries, peak RSS {result['peak_mib']:4d} MiB, "
              f"load {result['load'][0]} {result['load'][1]}  "
              f"status {result['status']}  counts {result['counts']}  "
              f"written {result['written']}  {result['error'] or ''}"
              f"{result['first_errors'] if result['errors'] else ''}"
              f"{'  (' + parts + ')' if parts else ''}")  # fmt: skip
        if name == "validate" and result["status"] != "validated":
            sys.exit("the file was not accepted: nothing to confirm")
    surveyed = hm.Survey.objects.filter(round=round_, status="surveyed").count()
    print(f"database now: {hm.Household.objects.count():,} households, "
          f"{hm.Member.objects.count():,} members, {surveyed:,} surveyed")  # fmt: skip
    load = os.getloadavg()
    print(f"load average at the end (other work on the machine): {load[0]:.1f} {load[1]:.1f}")


if __name__ == "__main__":
    main()
