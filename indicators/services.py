"""Rollup runs: compute commune totals in parts (one Celery task per district or former-district
group), then merge them into stored indicator values.

Guarantees (issue "Indicators, targets and Celery rollups"):
- Writes of one round are serialized by a row lock on the round, and each merge replaces the
  round's values in one transaction from one consistent set of commune totals: concurrent runs
  never double-count, the last writer wins.
- A part or merge that fails leaves the previous values in place; the run records the error.
- An incremental run recomputes one commune and rewrites only that commune, its ancestors and
  the groups that contain it.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from areas.models import Unit, UnitGroup
from households.models import ReviewRound, RoundStatus

from . import catalog
from .aggregate import add_groups, add_up, evaluate
from .models import CommuneTotals, Indicator, IndicatorValue, RollupRun, RunStatus
from .rollups import totals_by_commune

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
        for commune_ids in parts:
            rollup_part_task.delay(run.pk, commune_ids)

    transaction.on_commit(enqueue)
    return run


def rollup_part(*, run: RollupRun, commune_ids: list[int]) -> None:
    """Compute and store the totals of some communes; the last part queues the merge."""
    from .tasks import rollup_merge_task

    run.refresh_from_db()
    if run.status == RunStatus.FAILED:
        return
    RollupRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING)
    totals = totals_by_commune(run.round, commune_ids)  # the heavy query, outside the lock
    now = timezone.now()
    with transaction.atomic():
        ReviewRound.objects.select_for_update().get(pk=run.round_id)
        # replace this part's communes in two statements (communes with no rows drop out)
        CommuneTotals.objects.filter(round=run.round, commune_id__in=commune_ids).delete()
        CommuneTotals.objects.bulk_create(
            CommuneTotals(round=run.round, commune_id=pk, data=data, computed_at=now)
            for pk, data in totals.items()
        )
        RollupRun.objects.filter(pk=run.pk).update(done_parts=F("done_parts") + 1)
        run.refresh_from_db()
        if run.done_parts == run.total_parts:
            transaction.on_commit(lambda: rollup_merge_task.delay(run.pk))


def rollup_merge(*, run: RollupRun, commune: Unit | None = None) -> None:
    """Turn the round's commune totals into stored values (all units, or one commune's line)."""
    round_ = run.round
    indicators = list(Indicator.objects.exclude(kind="program"))
    with transaction.atomic():
        ReviewRound.objects.select_for_update().get(pk=round_.pk)  # one writer per round
        rows = CommuneTotals.objects.filter(round=round_).values_list("commune_id", "data")
        communes = dict(rows)
        units = Unit.objects.valid_on(round_.reference_date)
        paths = dict(units.filter(pk__in=communes).values_list("pk", "path"))
        communes = {pk: v for pk, v in communes.items() if pk in paths}
        group_paths = defaultdict(list)
        for group_id, path in UnitGroup.members.through.objects.filter(
            unit__in=units.values("pk")
        ).values_list("unitgroup_id", "unit__path"):
            group_paths[group_id].append(path)
        unit_totals = add_up(communes, paths)
        if commune is not None:  # incremental: only this commune's line and its groups
            line = {int(p) for p in commune.path.strip("/").split("/")}
            unit_totals = {pk: t for pk, t in unit_totals.items() if pk in line}
            group_paths = {
                g: ps for g, ps in group_paths.items() if commune.path.startswith(tuple(ps))
            }
        group_totals = add_groups(communes, paths, group_paths)
        now = timezone.now()
        open_round = round_.status == RoundStatus.OPEN
        values = []
        for key, totals in [*(("unit", t) for t in unit_totals.items()),
                            *(("group", t) for t in group_totals.items())]:  # fmt: skip
            owner_id, vector = totals
            provisional = open_round and vector.get("accepted", 0) < vector.get("communes", 0)
            for indicator in indicators:
                v = evaluate(indicator, vector)
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        round=round_,
                        unit_id=owner_id if key == "unit" else None,
                        group_id=owner_id if key == "group" else None,
                        numerator=v.numerator,
                        denominator=v.denominator,
                        value=v.value,
                        provisional=provisional,
                        computed_at=now,
                    )
                )
        stale = IndicatorValue.objects.filter(round=round_).exclude(indicator__kind="program")
        if commune is not None:
            stale = stale.filter(unit_id__in=list(unit_totals)) | stale.filter(
                group_id__in=list(group_paths)
            )
        stale.delete()
        IndicatorValue.objects.bulk_create(values, batch_size=2000)
        from .program import program_values_store

        program_values_store(round_=round_, computed_at=now)
        RollupRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, finished_at=now, done_parts=F("total_parts")
        )


def rollup_commune(*, round_: ReviewRound, commune: Unit) -> RollupRun:
    """Incremental recompute after a survey or a submission of one commune changed.

    Until a full run has completed for the round there are no other communes' totals to add to,
    so a full run is started instead.
    """
    if not RollupRun.objects.filter(round=round_, full=True, status=RunStatus.DONE).exists():
        return rollup_start(round_=round_)
    run = RollupRun.objects.create(
        round=round_, full=False, commune=commune, total_parts=1, status=RunStatus.RUNNING
    )
    try:
        totals = totals_by_commune(round_, [commune.pk])
        with transaction.atomic():
            ReviewRound.objects.select_for_update().get(pk=round_.pk)
            if commune.pk in totals:
                CommuneTotals.objects.update_or_create(
                    round=round_,
                    commune=commune,
                    defaults={"data": totals[commune.pk], "computed_at": timezone.now()},
                )
            else:
                CommuneTotals.objects.filter(round=round_, commune=commune).delete()
        rollup_merge(run=run, commune=commune)
    except Exception as exc:
        rollup_fail(run_id=run.pk, error=exc)
        raise
    return run


def rollup_fail(*, run_id: int, error: BaseException) -> None:
    log.exception("rollup run %s failed", run_id, exc_info=error)
    RollupRun.objects.filter(pk=run_id).update(
        status=RunStatus.FAILED,
        error=f"{type(error).__name__}: {error}",
        finished_at=timezone.now(),
    )


def rollup_nightly() -> list[RollupRun]:
    """Beat: a full recompute of every periodic round (there are a few a decade)."""
    return [rollup_start(round_=r) for r in ReviewRound.objects.filter(kind="periodic")]
