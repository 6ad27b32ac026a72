"""How fresh the stored values are, read in one cheap query: the dashboards' cache version.

A dashboard shows the values of its round and, in its trend, of every other periodic round, plus
the year's targets. Its cached copy is therefore keyed by, for every periodic round, the time the
round's values were last written, the round's status, and the latest change of any target (the
newest row of the targets' history).

The time is read from the values of the tree's root units (the province): every write of a
round's values includes them, with the stamp of the whole write. A full rollup rewrites every
owner; an incremental one rewrites the commune's line up to the province; a program refresh
rewrites its communes' lines too. So ``max(computed_at)`` over the root's hundred-odd values, a
few index lookups on (round, unit), is the round's latest write, and no index on
``computed_at`` is needed (one would stop PostgreSQL from rewriting values in place: every
rollup changes that column). Writers stamp their values with a time taken under the round's row
lock, so within a round the stamps only grow: a new rollup of any round makes a new version and
the old cache entries are never read again (they expire on their own).
"""

from __future__ import annotations

import hashlib

from django.db.models import OuterRef, Subquery

from areas.models import Unit
from households.models import ReviewRound

from .models import IndicatorValue, Target


def dashboard_rounds_with_freshness() -> list[ReviewRound]:
    """The periodic rounds, newest first, each with ``values_at`` (when its stored values were
    last written, None when it has none) and ``targets_seq`` (the newest target change, the
    same on every row). One query whatever the number of households or stored values."""
    roots = Unit.objects.filter(parent__isnull=True).values("pk")
    newest_value = (
        IndicatorValue.objects.filter(round=OuterRef("pk"), unit__in=roots)
        .order_by("-computed_at")
        .values("computed_at")[:1]
    )
    # Not correlated: PostgreSQL runs it once (an InitPlan), a backwards scan of the primary key.
    newest_target = Target.history.order_by("-history_id").values("history_id")[:1]
    return list(
        ReviewRound.objects.filter(kind="periodic")
        .annotate(values_at=Subquery(newest_value), targets_seq=Subquery(newest_target))
        .order_by("-starts_on")
    )


def values_version(rounds: list[ReviewRound]) -> str:
    """A short digest of everything in ``rounds`` that a rollup or an edit changes."""
    parts = [f"t{rounds[0].targets_seq}" if rounds else "t"]
    parts += [
        f"{r.pk}:{r.status}:{r.starts_on}:{r.values_at.isoformat() if r.values_at else '-'}"
        for r in rounds
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]
