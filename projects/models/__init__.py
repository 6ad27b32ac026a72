"""Tables of the projects app, one module per topic (docs/projects.md)."""

from .config import ApprovalLevel, StateShareCap
from .program import Program, ProgramComponent
from .project import (
    Project,
    ProjectAmendment,
    ProjectEvaluation,
    ProjectParticipant,
    ProjectStep,
    SupportItem,
)
from .training import Course, CourseParticipant, EmploymentRecord

__all__ = [
    "ApprovalLevel",
    "Course",
    "CourseParticipant",
    "EmploymentRecord",
    "Program",
    "ProgramComponent",
    "Project",
    "ProjectAmendment",
    "ProjectEvaluation",
    "ProjectParticipant",
    "ProjectStep",
    "StateShareCap",
    "SupportItem",
]
