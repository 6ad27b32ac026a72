"""Every write to households, surveys, rounds and commune submissions.

Services check the caller's scope themselves (views, imports and commands all come through
here), run in one transaction, and raise ``ValidationError`` with Vietnamese messages for the
user, ``PermissionDenied`` for someone acting outside their scope.
"""

from .average import (
    average_request_create,
    average_request_decide,
    entry_average_refresh,
)
from .bulk import SurveyEntry, surveys_save_bulk
from .common import (
    BATCH,
    ON_LIST,
    ConcurrentEdit,
    approved_request,
    approved_requests,
    rollups_batched,
)
from .households import (
    arrival_entry,
    household_create,
    household_exclude,
    household_move,
    move_note,
    moved_entry,
)
from .members import MEMBER_MODEL_FIELDS, head_fields
from .privacy import personal_data_access_record
from .rounds import (
    households_apply_crosswalk,
    list_entry,
    round_close,
    round_entry_refusal,
    round_household_add,
    round_list_generate,
    round_open,
    round_timetable_set,
)
from .submissions import (
    commune_accept,
    commune_reopen,
    commune_return,
    commune_submit,
    submission_for,
)
from .surveys import household_transitions_refresh, survey_save

__all__ = [
    "BATCH",
    "MEMBER_MODEL_FIELDS",
    "ON_LIST",
    "ConcurrentEdit",
    "SurveyEntry",
    "approved_request",
    "approved_requests",
    "arrival_entry",
    "average_request_create",
    "average_request_decide",
    "commune_accept",
    "commune_reopen",
    "commune_return",
    "commune_submit",
    "entry_average_refresh",
    "head_fields",
    "household_create",
    "household_exclude",
    "household_move",
    "household_transitions_refresh",
    "households_apply_crosswalk",
    "list_entry",
    "move_note",
    "moved_entry",
    "personal_data_access_record",
    "rollups_batched",
    "round_close",
    "round_entry_refusal",
    "round_household_add",
    "round_list_generate",
    "round_open",
    "round_timetable_set",
    "submission_for",
    "survey_save",
    "surveys_save_bulk",
]
