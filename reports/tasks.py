"""Celery discovers tasks in <app>.tasks: the export and import tasks live in their packages."""

from .exports.tasks import *  # noqa: F403
from .imports.tasks import *  # noqa: F403
