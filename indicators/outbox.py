"""Durable rollup requests: a change owes its commune's rollup in the database, not in a message.

``mark_stale`` runs inside the change's transaction and upserts a ``StaleCommune`` row (one per
round and commune; a newer change bumps its ``version``). After the commit the change asks the
broker for ``outbox_drain_task``; if the broker is down the request is lost but the row is not,
and beat's ``outbox_drain_task`` every minute drains whatever is left. ``drain`` recomputes each
stale commune's line (``services.rollup_commune``). Whatever computes a commune's totals (that
incremental rollup, or a part of a full recompute) settles its row: it reads the row's version
before reading the totals (``versions``) and deletes the row after storing them only if no
change bumped the version meanwhile (``settle``). Two drains at once do the same work twice,
harmlessly (the recompute is idempotent, under the round's row lock). Pages show how many
communes are waiting (``waiting``) beside the time the figures were computed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from areas.models import Unit
from households.models import ReviewRound
from povertyportal.celery import send_after_commit

from .models import StaleCommune

log = logging.getLogger(__name__)
BATCH = 200  # communes a drain takes at once (the oldest first)


def mark_stale(round_id: int, commune_ids: Iterable[int]) -> None:
    """Record, in the caller's transaction, that these communes' figures of the round are stale."""
    table = StaleCommune._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [(round_id, commune_id, now) for commune_id in sorted(set(commune_ids))]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"""INSERT INTO {table} (round_id, commune_id, since, version) VALUES (%s, %s, %s, 1)
            ON CONFLICT (round_id, commune_id) DO UPDATE SET version = {table}.version + 1""",  # noqa: S608
            rows,
        )


def request_drain() -> None:
    """After the commit, ask a worker to drain; beat drains the outbox within the minute
    anyway (``send_after_commit``)."""
    from .tasks import outbox_drain_task

    send_after_commit(outbox_drain_task, "the rollup waits in the outbox")


def drain(limit: int = BATCH) -> int:
    """Recompute the oldest stale communes (up to ``limit``); returns how many were done."""
    from .services import rollup_commune

    rows = list(
        StaleCommune.objects.order_by("since", "pk").values_list("round_id", "commune_id")[:limit]
    )
    done = 0
    for round_id, commune_id in rows:
        try:
            rollup_commune(
                round_=ReviewRound.objects.get(pk=round_id), commune=Unit.objects.get(pk=commune_id)
            )
        except Exception:
            log.exception("outbox: rollup of commune %s in round %s failed", commune_id, round_id)
            continue  # the row stays: the next drain tries again
        done += 1  # the rollup settled the row (or the full run it started will)
    return done


def versions(round_: ReviewRound, commune_ids: Iterable[int]) -> dict[int, int]:
    """{commune id: version} of the stale rows of these communes, read before their totals."""
    rows = StaleCommune.objects.filter(round=round_, commune_id__in=list(commune_ids))
    return dict(rows.values_list("commune_id", "version"))


def settle(round_: ReviewRound, seen: dict[int, int]) -> None:
    """After storing totals read after ``versions``: the rows no change has bumped since are
    paid. (A change committing meanwhile bumped its row's version, which stays.)"""
    for commune_id, version in seen.items():
        StaleCommune.objects.filter(round=round_, commune_id=commune_id, version=version).delete()


def waiting(round_: ReviewRound) -> int:
    """Communes of the round whose figures wait for a rollup."""
    return StaleCommune.objects.filter(round=round_).count()
