"""Synthetic households for the demo (``seed_demo --households N``) and the benchmarks: never
for production.

Deterministic for a seed, whatever the number of processes. It writes:

- N households (in total, arrivals included) in the old communes: most in old Quảng Ngãi
  (21xxx), some in old Kon Tum (23xxx); mountainous communes are smaller, and the demo officer's
  Ba Tơ (21484) is well stocked. Members form plausible families whose birth dates match their
  ages; ethnic-minority heads (Hrê, Cor, Ca Dong; Xơ Đăng, Ba Na, Giẻ Triêng, Gia Rai) live
  mostly in the mountainous districts (``geography``, ``people``).
- Periodic rounds 2023 and 2024 (closed, old tree), 2025 (closed, new tree: every household
  first moves to its successor commune as ``households_apply_crosswalk`` does) and 2026 (open:
  about 60% of the pending entries are done; Xã Ba Tơ keeps pending work, two communes of
  former Ba Tơ district are done and accepted by the demo district staff).
- Arrivals (new, split, moved in), exclusions (died, merged, moved out) and moves between
  communes in 2024-2026, so that every change of DOMAIN.md §4 appears (``plan``).
- Every value as the services would store it, through their own functions (``plan``), and the
  '+' history rows of households, members, surveys and exclusions (``rows``).

Two ways to write (``load``):

- ``workers=None`` (``seed_demo``, the default): in this process and one transaction, SQLite or
  PostgreSQL; a failed or interrupted run leaves nothing behind, so "the demo rounds exist"
  stays a truthful sign that the demo is complete (a second run adds nothing).
- ``workers=K`` (PostgreSQL, empty household tables; bench/seed_households.py): K processes
  write blocks of households with ``COPY``, each block in its own transaction, while the
  tables' secondary indexes and constraints are off; then one transaction writes the rounds and
  puts the indexes and constraints back exactly as they were. A failure empties the tables and
  restores the schema; the rounds, written last, exist only when everything is there.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import resource
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.utils import timezone

from areas.models import Unit
from households.models import (
    CommuneSubmission,
    Household,
    Member,
    ReviewRound,
    RoundKind,
    RoundStatus,
    SubmissionAction,
    SubmissionEvent,
    SubmissionStatus,
    Survey,
)
from households.standards import standard_for_year
from households.timetable import default_dues

from .common import ACCEPTED_COMMUNES, BLOCK, DEMO_COMMUNE, OPEN_YEAR, TZ, YEARS, round_day
from .load import (
    CopySink,
    backend_cpu,
    create_indexes,
    create_secondary,
    drop_secondary,
    is_empty,
    reserve,
    schema_forget,
    schema_remember,
    schema_restore,
    secondary_schema,
    sink,
)
from .plan import PlannedHousehold, Population
from .rows import HISTORY, MODELS, SLOTS, Context, household_rows


@dataclass(frozen=True)
class DemoReport:
    households: int = 0
    members: int = 0
    surveys: int = 0
    deprivations: int = 0
    exclusions: int = 0
    history: int = 0  # '+' rows of the four history tables
    rounds: int = 0
    submissions: int = 0
    skipped: str = ""  # why nothing was added
    processes: tuple = ()  # bulk load: one dict of figures per worker process
    seconds: dict = field(default_factory=dict)  # bulk load: the phases' wall times
    index_cpu: float | None = None  # bulk load: CPU of the backends that built the indexes

    @property
    def rows(self) -> int:
        return (
            self.households + self.members + self.surveys + self.deprivations + self.exclusions
            + self.history
        )  # fmt: skip

    def summary(self) -> str:
        if self.skipped:
            return f"Demo households: nothing added ({self.skipped})."
        return (
            f"Demo households: {self.households} households, {self.members} members, "
            f"{self.rounds} rounds, {self.surveys} surveys ({self.deprivations} deprivations), "
            f"{self.exclusions} exclusions, {self.history} history rows, "
            f"{self.submissions} accepted commune results."
        )


def demo_households_plan(*, households: int, seed: int = 2024) -> Iterator[PlannedHousehold]:
    """The households the seed would write, in order (pure apart from reading the unit tree)."""
    population = _population(households, seed)
    for block in range(population.blocks):
        yield from population.block(block)


def demo_households_seed(
    *, households: int, seed: int = 2024, stdout=None, workers: int | None = None,
    history: bool = True,
) -> DemoReport:  # fmt: skip
    """Create the demo rounds, households, members, surveys and exclusions. Idempotent: when any
    periodic round of the demo years exists nothing is added. ``workers``: see the module."""
    if households <= 0:
        return DemoReport(skipped="0 households asked for")
    existing = ReviewRound.objects.filter(kind=RoundKind.PERIODIC, year__in=YEARS)
    if existing.exists():
        years = ", ".join(str(y) for y in existing.order_by("year").values_list("year", flat=True))
        return DemoReport(skipped=f"periodic rounds {years} already exist")
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=("quantri", "canbo.xa", "canbo.huyen"))}  # fmt: skip
    models = MODELS if history else tuple(m for m in MODELS if m not in HISTORY)
    if workers is None or connection.vendor != "postgresql":
        return _seed_here(households, seed, users, models, stdout)
    return _seed_bulk(households, seed, users, models, workers, stdout)


def _population(households: int, seed: int) -> Population:
    codes = Household.objects.filter(code__regex=r"^[0-9]{5}-[0-9]{5}$")
    ids = Member.objects.filter(is_current=True).exclude(citizen_id="")
    return Population(
        households=households,
        seed=seed,
        taken_codes=set(codes.values_list("code", flat=True)),
        taken_ids=set(ids.values_list("citizen_id", flat=True)),
    )


def _seed_here(households, seed, users, models, stdout) -> DemoReport:
    started, now = time.perf_counter(), timezone.now()
    with transaction.atomic():
        population = _population(households, seed)
        rounds = _rounds_create()
        ctx = Context(
            bases={m: reserve(m, households * SLOTS[m]) for m in models},
            rounds={year: r.pk for year, r in rounds.items()},
            admin_id=users["quantri"].pk if "quantri" in users else None,
            history=HISTORY[0] in models,
        )
        out = sink(models, now=now)
        for block in range(population.blocks):
            for household in population.block(block):
                household_rows(household, ctx, out.add)
            out.flush()
            _progress(stdout, block + 1, population, started)
        submissions = _submissions_create(rounds[OPEN_YEAR], users)
        submissions += _closed_submissions_create(rounds, users)
    return _report(out.counts(), len(rounds), submissions)


def _report(counts: dict, rounds: int, submissions: int, **extra) -> DemoReport:
    by_table = Counter()
    for model, n in counts.items():
        by_table[model if isinstance(model, str) else model._meta.db_table] += n
    history = sum(by_table[m._meta.db_table] for m in HISTORY)
    return DemoReport(
        households=by_table["households_household"],
        members=by_table["households_member"],
        surveys=by_table["households_survey"],
        deprivations=by_table["households_surveydeprivation"],
        exclusions=by_table["households_exclusion"],
        history=history,
        rounds=rounds,
        submissions=submissions,
        **extra,
    )


def _progress(stdout, done: int, population: Population, started: float) -> None:
    step = max(1, population.blocks // 10)
    if stdout is not None and (done % step == 0) and done < population.blocks:
        households = min(done * BLOCK, population.n)
        seconds = time.perf_counter() - started
        stdout.write(
            f"  {done}/{population.blocks} blocks, ~{households:,} households ({seconds:.0f} s)\n"
        )


def _rounds_create(ids: dict[int, int] | None = None) -> dict[int, ReviewRound]:
    rounds = {}
    for year in YEARS:
        closed = year != OPEN_YEAR
        starts_on, ends_on = round_day(year), dt.date(year, 12, 14)
        rounds[year] = ReviewRound.objects.create(
            **({"id": ids[year]} if ids else {}),
            year=year,
            kind=RoundKind.PERIODIC,
            starts_on=starts_on,
            ends_on=ends_on,
            **default_dues(RoundKind.PERIODIC, starts_on, ends_on),
            standard=standard_for_year(year).code,
            status=RoundStatus.CLOSED if closed else RoundStatus.OPEN,
            closed_at=dt.datetime(year, 12, 20, 17, 0, tzinfo=TZ) if closed else None,
        )
    return rounds


def _submissions_create(round_: ReviewRound, users: dict) -> int:
    """The finished communes of former Ba Tơ: submitted before the commune due date, then
    accepted by the district staff (on time: the round page shows them as such)."""
    reviewer = users.get("canbo.huyen") or users.get("quantri")
    if reviewer is None:
        return 0
    created = 0
    for code in ACCEPTED_COMMUNES:
        commune = Unit.objects.valid_on(round_.reference_date).get(code=code)
        if Survey.objects.filter(round=round_, commune=commune, status="pending").exists():
            continue
        submitter = users.get("canbo.xa") if code == DEMO_COMMUNE else users.get("quantri")
        submitter = submitter or reviewer
        sub = CommuneSubmission.objects.create(
            round=round_, commune=commune, status=SubmissionStatus.ACCEPTED
        )
        for action, by, day, comment in (
            (SubmissionAction.SUBMIT, submitter, 6 + 2 * created, ""),
            (SubmissionAction.ACCEPT, reviewer, 10 + 2 * created, "Đã kiểm tra, đạt yêu cầu."),
        ):
            event = SubmissionEvent.objects.create(
                submission=sub, action=action, by=by, comment=comment
            )
            at = dt.datetime(round_.year, 11, day, 9, 30, tzinfo=TZ)
            SubmissionEvent.objects.filter(pk=event.pk).update(at=at)  # not "now" (auto_now_add)
        created += 1
    return created


def _closed_submissions_create(rounds: dict[int, ReviewRound], users: dict) -> int:
    """A closed round was closed after every commune's result was accepted: each commune with
    entries in a closed round gets its accepted submission, submitted five days before the
    commune due date and accepted five days before the district due date (two inserts and two
    updates a round, whatever the number of communes)."""
    reviewer = users.get("canbo.huyen") or users.get("quantri")
    if reviewer is None:
        return 0
    created = 0
    for year, round_ in rounds.items():
        if year == OPEN_YEAR:
            continue
        communes = Survey.objects.filter(round=round_).values_list("commune_id", flat=True)
        subs = CommuneSubmission.objects.bulk_create(
            CommuneSubmission(round=round_, commune_id=c, status=SubmissionStatus.ACCEPTED)
            for c in sorted(set(communes))
        )
        submitter = users.get("quantri") or reviewer
        five = dt.timedelta(days=5)
        steps = (
            (SubmissionAction.SUBMIT, submitter, round_.commune_due - five),
            (SubmissionAction.ACCEPT, reviewer, round_.district_due - five),
        )
        for action, by, day in steps:
            SubmissionEvent.objects.bulk_create(
                SubmissionEvent(submission=sub, action=action, by=by) for sub in subs
            )
            at = dt.datetime(day.year, day.month, day.day, 9, 30, tzinfo=TZ)
            SubmissionEvent.objects.filter(submission__round=round_, action=action).update(at=at)
        created += len(subs)
    return created


# --- the bulk load: worker processes, COPY, indexes off -----------------------------------------

_WORK: tuple | None = None  # (population, context, models, now), inherited by forked workers


def _seed_bulk(households, seed, users, models, workers, stdout) -> DemoReport:
    global _WORK
    if connection.in_atomic_block:
        raise RuntimeError("the bulk load commits as it goes: call it outside a transaction")
    with transaction.atomic():
        restored = schema_restore(models)  # an earlier load that was killed midway
    if restored and stdout is not None:
        stdout.write(f"restored {restored} indexes and constraints an interrupted load dropped\n")
    if not is_empty([*models, ReviewRound]):
        raise RuntimeError(
            "the bulk load (workers) needs empty household tables and no rounds "
            "(bench/seed_households.py --reset), or workers=None"
        )
    seconds = {}
    started = time.perf_counter()
    population = _population(households, seed)
    with transaction.atomic():
        round_base = reserve(ReviewRound, len(YEARS))  # the rows are written last
        ctx = Context(
            bases={m: reserve(m, households * SLOTS[m]) for m in models},
            rounds={year: round_base + i + 1 for i, year in enumerate(YEARS)},
            admin_id=users["quantri"].pk if "quantri" in users else None,
            history=HISTORY[0] in models,
        )
        schema = secondary_schema(models)
        schema_remember(schema)
        drop_secondary(schema)
    seconds["prepare"] = time.perf_counter() - started
    _WORK = (population, ctx, models, timezone.now())
    connections.close_all()  # each process opens its own connection
    try:
        mark = time.perf_counter()
        counts, processes = _run_workers(population, workers, stdout, mark)
        seconds["write"] = time.perf_counter() - mark
        mark = time.perf_counter()
        index_cpu = create_indexes(schema, connections_at_once=workers)
        seconds["indexes"] = time.perf_counter() - mark
        mark = time.perf_counter()
        with transaction.atomic():  # the rounds last: they say the demo is complete
            rounds = _rounds_create(ctx.rounds)
            create_secondary([s for s in schema if s[0] == "foreign"])
            schema_forget()
            submissions = _submissions_create(rounds[OPEN_YEAR], users)
            submissions += _closed_submissions_create(rounds, users)
        seconds["foreign keys"] = time.perf_counter() - mark
    except BaseException:
        _undo(models, schema)
        raise
    finally:
        _WORK = None
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        for model in (*models, ReviewRound):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    seconds["analyze"] = time.perf_counter() - mark
    return _report(
        counts, len(rounds), submissions, processes=processes, seconds=seconds, index_cpu=index_cpu
    )


def _undo(models, schema) -> None:
    """After a failed bulk load: empty the tables it wrote to and put the schema back."""
    connections.close_all()
    with transaction.atomic():
        present = {name for _, _, name, _ in secondary_schema(models)}
        with connection.cursor() as cursor:
            for model in reversed(models):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        create_secondary([s for s in schema if s[2] not in present])
        schema_forget()


def _run_workers(population: Population, workers: int, stdout, started: float):
    counts: Counter[str] = Counter()
    processes: dict[int, dict] = {}
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_start) as pool:
        results = pool.imap_unordered(_worker_block, range(population.blocks))
        for done, result in enumerate(results, start=1):
            counts.update(result.pop("counts"))
            figures = processes.setdefault(
                result["pid"], {"blocks": 0, "generate": 0.0, "copy": 0.0}
            )
            figures["blocks"] += 1
            figures["generate"] += result.pop("generate")
            figures["copy"] += result.pop("copy")
            figures.update(result)  # the latest cumulative figures of that process
            _progress(stdout, done, population, started)
    return counts, tuple(processes.values())


def _worker_start() -> None:
    with connection.cursor() as cursor:
        # a lost commit fails the whole run anyway (and it is undone)
        cursor.execute("SET synchronous_commit TO off")


def _worker_block(number: int) -> dict:
    population, ctx, models, now = _WORK
    mark = time.perf_counter()
    out = CopySink(models, now=now)
    for household in population.block(number):
        household_rows(household, ctx, out.add)
    generated = time.perf_counter()
    with transaction.atomic():
        out.flush()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "pid": os.getpid(),
        "counts": {m._meta.db_table: n for m, n in out.counts().items()},
        "generate": generated - mark,
        "copy": time.perf_counter() - generated,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "backend_cpu": backend_cpu(),
    }
