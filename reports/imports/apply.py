"""Write a checked plan through ``households.services.surveys_save_bulk``, all of it or nothing.

Every new, entered or changed household of the plan becomes one ``SurveyEntry``: new households
are registered (arrival "new") and their surveys saved, the others' surveys saved with the
versions seen when the file was checked. The service writes what ``household_create`` and
``survey_save`` would write household by household (classes, deprivations, transitions, history),
set-based, and checks scope, locks and versions itself. Unchanged rows are not written, so a
re-import bumps no version and adds no history.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from households import services

from .plan import NEW, Plan


def apply_plan(plan: Plan, *, user, progress: Callable[[int], None] | None = None) -> dict:
    """Write inside the caller's transaction (``transaction.atomic`` is required around it)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply_plan must run inside transaction.atomic")
    entries = [
        services.SurveyEntry(
            commune=item.commune,
            household_data=item.household_data,
            members=item.members_for_service(),
            survey_data=item.survey_data,
            code=item.code if item.action == NEW else "",
            survey_id=None if item.action == NEW else item.survey_id,
            survey_version=item.survey_version,
            household_version=None if item.action == NEW else item.household_version,
        )
        for item in plan.to_write()
    ]
    with services.rollups_batched():  # one indicator recompute per commune, on commit
        return services.surveys_save_bulk(
            by=user, round_=plan.round_, entries=entries, progress=progress
        )
