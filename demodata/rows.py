"""A planned household as table rows: ids, foreign keys and the '+' history rows.

Ids are slots: household number n gets household id base+n+1, its members base+12n+k+1, its
entry of the k-th round base+4n+k+1, and so on (``SLOTS``). So ids do not depend on the order in
which processes write, a process never needs another's ids, and the bases are reserved once, in
the sequences, before anything is written (demodata/load.py). Ids have gaps; nothing reads
meaning into them.

History: the services keep django-simple-history rows for households, members, surveys and
exclusions. Each object gets its '+' row, with its stored values, dated when the service would
have created it (registration, the round's list, the exclusion); the '~' rows of later saves
are not written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from households.models import (
    AverageLivingRequest,
    Exclusion,
    Household,
    Member,
    Survey,
    SurveyDeprivation,
    SurveyStatus,
)

from .common import YEARS
from .people import MAX_MEMBERS
from .plan import PlannedHousehold

DEPRIVATION_SLOTS = 16  # indicators a survey can be deprived in (the standards have 12)
ROUNDS = len(YEARS)

HOUSEHOLD_HISTORY = Household.history.model
MEMBER_HISTORY = Member.history.model
SURVEY_HISTORY = Survey.history.model
EXCLUSION_HISTORY = Exclusion.history.model

# Parents first. Ids per household number for each table.
SLOTS = {
    Household: 1,
    Member: MAX_MEMBERS,
    Survey: ROUNDS,
    SurveyDeprivation: ROUNDS * DEPRIVATION_SLOTS,
    Exclusion: ROUNDS,
    AverageLivingRequest: ROUNDS,
    HOUSEHOLD_HISTORY: 1,
    MEMBER_HISTORY: MAX_MEMBERS,
    SURVEY_HISTORY: ROUNDS,
    EXCLUSION_HISTORY: ROUNDS,
}
MODELS = tuple(SLOTS)
HISTORY = (HOUSEHOLD_HISTORY, MEMBER_HISTORY, SURVEY_HISTORY, EXCLUSION_HISTORY)


@dataclass(frozen=True)
class Context:
    bases: dict  # model -> the id before the first one this run may use
    rounds: dict[int, int]  # year -> round id
    admin_id: int | None  # the officer the services would have recorded
    history: bool


def household_rows(h: PlannedHousehold, ctx: Context, add: Callable[..., None]) -> None:
    """Hand every row of one planned household to ``add(model, row, history)``, parents first
    (``history``: the values of its '+' history row, or None)."""
    n, bases, admin = h.number, ctx.bases, ctx.admin_id
    history = _history if ctx.history else _none
    household_id = bases[Household] + n + 1
    created = h.fields["created_at"]
    add(
        Household,
        {"id": household_id, **h.fields},
        history(bases, HOUSEHOLD_HISTORY, n, created, admin),
    )
    for k, member in enumerate(h.members):
        slot = n * MAX_MEMBERS + k
        add(
            Member,
            {"id": bases[Member] + slot + 1, "household_id": household_id, **member},
            history(bases, MEMBER_HISTORY, slot, created, admin),
        )
    for e in h.entries:
        slot = n * ROUNDS + YEARS.index(e.year)
        survey_id = bases[Survey] + slot + 1
        row = {
            "id": survey_id,
            "household_id": household_id,
            "round_id": ctx.rounds[e.year],
            "commune_id": e.commune.pk,
            **e.fields,
        }
        if row["status"] == SurveyStatus.SURVEYED:
            row["surveyed_by_id"] = admin
        # a list entry is made by round_list_generate (no user), an arrival's at registration
        by = admin if e.fields.get("arrival") and e.created == created else None
        add(Survey, row, history(bases, SURVEY_HISTORY, slot, e.created, by))
        if e.average_request is not None:  # approved, for this round (no history rows)
            add(
                AverageLivingRequest,
                {
                    "id": bases[AverageLivingRequest] + slot + 1,
                    "household_id": household_id,
                    "round_id": ctx.rounds[e.year],
                    "decided_by_id": admin,
                    "created_by_id": admin,
                    **e.average_request,
                },
            )
        for j, (indicator, reasons) in enumerate(e.deprivations):
            add(
                SurveyDeprivation,
                {
                    "id": bases[SurveyDeprivation] + slot * DEPRIVATION_SLOTS + j + 1,
                    "survey_id": survey_id,
                    "indicator": indicator,
                    "reasons": reasons,
                },
            )
    for x in h.exits:
        slot = n * ROUNDS + YEARS.index(x.year)
        row = {
            "id": bases[Exclusion] + slot + 1,
            "household_id": household_id,
            "round_id": ctx.rounds[x.year],
            "commune_id": x.commune.pk,
            "created_by_id": admin,
            **x.fields,
        }
        when = x.fields["created_at"]
        add(Exclusion, row, history(bases, EXCLUSION_HISTORY, slot, when, admin))


def _history(bases: dict, model, slot: int, when, user_id) -> dict:
    return {
        "history_id": bases[model] + slot + 1,
        "history_date": when,
        "history_type": "+",
        "history_user_id": user_id,
        "history_change_reason": None,
    }


def _none(*args) -> None:
    return None
