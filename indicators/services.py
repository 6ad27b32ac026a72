"""Rollup runs: compute commune totals in parts (one Celery task per district or former-district
group), then merge them into stored indicator values.

Guarantees (issue "Indicators, targets and Celery rollups"):
- Writes of one round are serialized by a row lock on the round, and each merge replaces the
  round's values in one transaction from one consistent set of commune totals: concurrent runs
  never double-count, the last writer wins.
- A part or merge that fails leaves the previous values in place; the run records the error.
- An incremental run recomputes one commune and rewrites only that commune, its ancestors and
  the groups that contain it; program outputs change only with projects, courses and employment
  records (``program_refresh``), so a survey save costs the same at any province size.
- The work is set-based SQL (``rollups.py``): one statement per part for its communes' totals,
  one INSERT … SELECT per owner kind for the values; Python handles a few hundred commune rows.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Unit, UnitGroup
from households.models import ReviewRound, Survey
from povertyportal.celery import BROKER_ERRORS

from . import catalog, outbox
from .models import CommuneTotals, Indicator, RollupRun, RunStatus
from .program import commune_workers_store, program_values_store
from .rollups import jit_off, owners_of, totals_by_commune, values_by_owner_store

log = logging.getLogger(__name__)


def indicators_load() -> int:
    """Create or refresh the catalog rows from catalog.definitions(). Idempotent, three queries."""
    existing = {i.code: i for i in Indicator.objects.all()}
    fields = ["name_vi", "name_en", "kind", "numerator", "denominator", "unit", "persons",
              "higher_is_better", "group", "order"]  # fmt: skip
    new, changed = [], []
    for order, d in enumerate(catalog.definitions()):
        values = {f: getattr(d, f) for f in fields if f != "order"} | {"order": order}
        row = existing.get(d.code)
        if row is None:
            new.append(Indicator(code=d.code, **values))
        elif any(getattr(row, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(row, f, v)
            changed.append(row)
    Indicator.objects.bulk_create(new)
    Indicator.objects.bulk_update(changed, fields)
    return len(new) + len(changed)


def round_communes(round_: ReviewRound):
    return Unit.objects.valid_on(round_.reference_date).communes()


def partition(round_: ReviewRound) -> list[list[int]]:
    """The round's communes split into parts: by district on the old tree, by former-district
    group on the new one (a commune in two groups goes to the first by code)."""
    communes = list(round_communes(round_).values_list("pk", "parent_id", "parent__level"))
    parts: dict[str, list[int]] = defaultdict(list)
    if all(level == "district" for _, _, level in communes):
        for pk, parent_id, _ in communes:
            parts[f"unit-{parent_id}"].append(pk)
    else:
        first_group = {}
        for group_code, commune_id in (
            UnitGroup.objects.filter(kind="former_district", members__in=[c[0] for c in communes])
            .order_by("code")
            .values_list("code", "members")
        ):
            first_group.setdefault(commune_id, group_code)
        for pk, _, _ in communes:
            parts[first_group.get(pk, "other")].append(pk)
    return [sorted(ids) for _, ids in sorted(parts.items())]


def rollup_start(*, round_: ReviewRound, by=None) -> RollupRun:
    """Queue a full recompute: one task per part; the last part to finish queues the merge."""
    from .tasks import rollup_part_task

    indicators_load()
    parts = partition(round_)
    run = RollupRun.objects.create(
        round=round_, full=True, total_parts=len(parts), requested_by=by, status=RunStatus.QUEUED
    )

    def enqueue():
        if not parts:
            rollup_merge(run=run)
        try:
            for commune_ids in parts:
                rollup_part_task.delay(run.pk, commune_ids)
        except BROKER_ERRORS:  # the reaper sends the missing parts again
            log.warning("rollup run %s: broker unreachable", run.pk, exc_info=True)

    transaction.on_commit(enqueue, robust=True)
    return run


def part_key(commune_ids) -> int:
    """A part's identity within its run: its first commune (parts do not overlap)."""
    return min(commune_ids)


def rollup_part(*, run: RollupRun, commune_ids: list[int]) -> None:
    """Compute and store the totals of some communes; the last part queues the merge."""

    round_ = run.round
    key = part_key(commune_ids)
    finished = RollupRun.objects.filter(pk=run.pk, status__in=(RunStatus.FAILED, RunStatus.DONE))
    if finished.exists():
        return  # a redelivered part of a finished run
    RollupRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING)
    RollupRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
    owed = outbox.versions(round_, commune_ids)
    totals = totals_by_commune(round_, commune_ids)  # the heavy query, outside the lock
    now = timezone.now()
    with transaction.atomic():
        ReviewRound.objects.select_for_update().filter(pk=round_.pk).values_list("pk").get()
        _commune_totals_store(round_, commune_ids, totals, now)
        outbox.settle(round_, owed)
        # Under the round's lock: parts of one run record themselves one at a time. A part
        # delivered twice (a worker died after its commit, before its acknowledgement) stores
        # the same totals again and counts once, so the merge starts only after every part.
        done = list(RollupRun.objects.filter(pk=run.pk).values_list("parts_done", flat=True).get())
        first_time = key not in done
        if first_time:
            done.append(key)
        RollupRun.objects.filter(pk=run.pk).update(
            parts_done=done, done_parts=len(done), heartbeat_at=timezone.now()
        )
        if first_time and len(done) == run.total_parts:
            transaction.on_commit(lambda: _send_merge(run.pk), robust=True)


def _send_merge(run_id: int) -> None:
    from .tasks import rollup_merge_task

    try:
        rollup_merge_task.delay(run_id)
    except BROKER_ERRORS:  # the reaper sends the merge again
        log.warning("rollup run %s: broker unreachable for the merge", run_id, exc_info=True)


def _commune_totals_store(round_, commune_ids, totals: dict[int, dict], now) -> None:
    """Replace the totals of these communes (updated in place; communes with no rows drop out)."""
    CommuneTotals.objects.filter(round=round_, commune_id__in=commune_ids).exclude(
        commune_id__in=list(totals)
    ).delete()
    CommuneTotals.objects.bulk_create(
        [
            CommuneTotals(round=round_, commune_id=pk, data=data, computed_at=now)
            for pk, data in totals.items()
        ],
        update_conflicts=True,
        unique_fields=["round", "commune"],
        update_fields=["data", "computed_at"],
    )


def rollup_merge(*, run: RollupRun) -> None:
    """Turn the round's commune totals into the stored values of every unit and group, program
    outputs included, in one transaction under the round's row lock (the last writer wins)."""
    round_ = run.round
    with transaction.atomic():
        ReviewRound.objects.select_for_update().get(pk=round_.pk)  # one writer per round
        if RollupRun.objects.filter(pk=run.pk, status=RunStatus.DONE).exists():
            return  # a redelivered merge
        jit_off()
        now = timezone.now()
        values_by_owner_store(round_, now)
        program_values_store(round_=round_, computed_at=now)
        RollupRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, finished_at=timezone.now(), done_parts=F("total_parts")
        )


def rollup_commune(*, round_: ReviewRound, commune: Unit) -> RollupRun:
    """Incremental recompute after a survey or a submission of one commune changed: that
    commune's totals, then the values of its line (commune, district, province) and of the
    groups holding it. Program outputs are left alone (see ``program_refresh``).

    Until a full run has completed for the round there are no other communes' totals to add to,
    so a full run is started instead.
    """
    full = RollupRun.objects.filter(round=round_, full=True)
    if not full.filter(status=RunStatus.DONE).exists():
        # one full run at a time: its parts settle the commune's outbox row
        active = full.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).first()
        return active or rollup_start(round_=round_)
    run = RollupRun.objects.create(
        round=round_, full=False, commune=commune, total_parts=1, status=RunStatus.RUNNING
    )
    try:
        owed = outbox.versions(round_, [commune.pk])
        totals = totals_by_commune(round_, [commune.pk])
        with transaction.atomic():
            ReviewRound.objects.select_for_update().get(pk=round_.pk)
            jit_off()
            now = timezone.now()
            _commune_totals_store(round_, [commune.pk], totals, now)
            outbox.settle(round_, owed)
            values_by_owner_store(round_, now, owners=owners_of(round_, {commune.pk}))
            RollupRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE, finished_at=timezone.now(), done_parts=1
            )
    except Exception as exc:
        rollup_fail(run_id=run.pk, error=exc)
        raise
    return run


def program_changed(
    *, communes: Iterable[int] = (), households: Iterable[int] = (), staff: bool = False
) -> None:
    """After commit, recount the program indicators of these communes, of the communes of these
    households' entries, and (``staff``) the staff-trained share. Called by the services whose
    records feed program measures (projects, courses, employment, and ``COMMUNE_MEASURES`` in
    ``indicators/program.py``); survey saves never do."""
    from .tasks import program_refresh_task

    communes, households = sorted(set(communes)), sorted(set(households))
    if not communes and not households and not staff:
        return
    transaction.on_commit(
        lambda: program_refresh_task.delay(communes, households, staff), robust=True
    )


def program_refresh(
    *, commune_ids: Iterable[int] = (), household_ids: Iterable[int] = (), staff: bool = False
) -> int:
    """After a project, a course or an employment record changed: recount the program values of
    the communes concerned (the project's communes, the communes of the households' entries)
    and of their lines and groups, in every round that has values; ``staff``: the staff-trained
    share too. Cost: a few queries per round, whatever the number of households."""
    commune_ids, household_ids = list(commune_ids), list(household_ids)
    done = RollupRun.objects.filter(full=True, status=RunStatus.DONE).values("round_id")
    written = 0
    for round_ in ReviewRound.objects.filter(pk__in=done).order_by("starts_on"):
        units = Unit.objects.valid_on(round_.reference_date).communes()
        # the communes themselves, or those of the round's tree they map to (2025 crosswalk)
        communes = set(
            units.filter(
                Q(pk__in=commune_ids)
                | Q(predecessions__old_id__in=commune_ids)
                | Q(successions__new_id__in=commune_ids)
            ).values_list("pk", flat=True)
        )
        if household_ids:
            communes |= set(
                Survey.objects.filter(round=round_, household_id__in=household_ids)
                .order_by()
                .values_list("commune_id", flat=True)
            )
        if not communes and not staff:
            continue
        with transaction.atomic():
            ReviewRound.objects.select_for_update().get(pk=round_.pk)
            jit_off()
            commune_workers_store(round_, communes)
            written += program_values_store(
                round_=round_, computed_at=timezone.now(), communes=communes, staff=staff
            )
    return written


def rollup_fail(*, run_id: int, error: BaseException | None = None, message: str = "") -> None:
    """Mark a run failed: the page says so with the run's reference; the traceback is logged."""
    if error is not None:
        log.error("rollup run R%s failed", run_id, exc_info=error)
    message = message or _(
        "Lỗi không mong đợi khi tính số liệu; báo cho quản trị viên mã tham chiếu R%(id)s."
    ) % {"id": run_id}
    RollupRun.objects.filter(pk=run_id).exclude(status=RunStatus.DONE).update(
        status=RunStatus.FAILED, error=message, finished_at=timezone.now()
    )


def rollup_nightly() -> list[RollupRun]:
    """Beat: a full recompute of every periodic round (there are a few a decade)."""
    return [rollup_start(round_=r) for r in ReviewRound.objects.filter(kind="periodic")]


# --- saved analyses ----------------------------------------------------------------------------


@transaction.atomic
def saved_analysis_create(*, by, name: str, query: str, pinned: bool = False):
    from .models import SavedAnalysis

    return SavedAnalysis.objects.create(user=by, name=name.strip(), query=query, pinned=pinned)


@transaction.atomic
def saved_analysis_update(*, by, analysis, name: str, pinned: bool):
    """Rename or (un)pin one's own saved analysis (the selector found it among the user's)."""
    if analysis.user_id != by.pk:
        raise PermissionError("not the owner")
    analysis.name = name.strip()
    analysis.pinned = pinned
    analysis.save(update_fields=["name", "pinned"])
    return analysis


@transaction.atomic
def saved_analysis_pin(*, by, analysis, pinned: bool):
    return saved_analysis_update(by=by, analysis=analysis, name=analysis.name, pinned=pinned)


@transaction.atomic
def saved_analysis_delete(*, by, analysis) -> None:
    if analysis.user_id != by.pk:
        raise PermissionError("not the owner")
    analysis.delete()
