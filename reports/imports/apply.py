"""Write a checked plan through ``households.services``, all of it or nothing.

New households go through ``household_create`` (arrival "new"), then every changed or new survey
through ``survey_save`` with the version seen when the file was checked: the services classify,
store the deprivations, refresh the transitions and check scope and locks themselves. Unchanged
rows are not written, so a re-import bumps no version and adds no history.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from households import services
from households.models import Survey

from .plan import NEW, Plan


def apply_plan(plan: Plan, *, user, progress: Callable[[int], None] | None = None) -> dict:
    """Write inside the caller's transaction (``transaction.atomic`` is required around it)."""
    round_ = plan.round_
    written = {"created": 0, "saved": 0}
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply_plan must run inside transaction.atomic")
    with services.rollups_batched():  # one indicator recompute per commune, on commit
        for n, item in enumerate(plan.to_write(), start=1):
            members = item.members_for_service()
            if item.action == NEW:
                household = services.household_create(
                    by=user,
                    commune=item.commune,
                    code=item.code,
                    members=members,
                    arrival="new",
                    **item.household_data,
                )
                survey = Survey.objects.select_related("round", "commune").get(
                    household=household, round=round_
                )
                # the created members, in the file's order, so that survey_save updates them
                ids = household.members.order_by("pk").values_list("pk", flat=True)
                members = [{**m, "id": pk} for m, pk in zip(members, ids, strict=True)]
                household_data = {}
                written["created"] += 1
            else:
                survey = Survey.objects.select_related("round", "commune").get(pk=item.survey_id)
                household_data = item.household_data
            services.survey_save(
                by=user,
                survey=survey,
                expected_version=survey.version if item.action == NEW else item.survey_version,
                household_data=household_data,
                members=members,
                survey_data=item.survey_data,
            )
            written["saved"] += 1
            if progress:
                progress(n)
    return written
