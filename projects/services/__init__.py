"""Every write of the projects app. Keyword-only arguments, one transaction each; the caller's
scope is checked here (views, commands and the demo all come through), ``ValidationError`` with
Vietnamese messages for the user, ``PermissionDenied`` outside the caller's scope."""

from .amendment import project_amend
from .common import ConcurrentEdit, proposal_problems
from .proposal import (
    project_budget_save,
    project_create,
    project_participant_remove,
    project_participants_add,
    project_update,
)
from .replication import model_replicate
from .training import (
    course_attendance_save,
    course_create,
    course_participant_remove,
    course_participants_add,
    course_update,
    employment_record_create,
)
from .workflow import (
    STEP_NAMES,
    STEP_SERVICES,
    project_appraise,
    project_approve,
    project_complete,
    project_evaluate,
    project_reject,
    project_return,
    project_start,
    project_submit,
)

__all__ = [
    "STEP_NAMES",
    "STEP_SERVICES",
    "ConcurrentEdit",
    "course_attendance_save",
    "course_create",
    "course_participant_remove",
    "course_participants_add",
    "course_update",
    "employment_record_create",
    "model_replicate",
    "project_amend",
    "project_appraise",
    "project_approve",
    "project_budget_save",
    "project_complete",
    "project_create",
    "project_evaluate",
    "project_participant_remove",
    "project_participants_add",
    "project_reject",
    "project_return",
    "project_start",
    "project_submit",
    "project_update",
    "proposal_problems",
]
