"""Every export, by key: its title, how it is delivered and the functions that build it.

``now``: small aggregate tables (a few hundred rows), built in the request and downloaded at once.
``job``: lists that grow with the number of households or projects, built by a Celery task into
a file the user downloads from "my exports" (the job row also records who exported what).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..imports import prefilled
from . import (
    beneficiaries,
    causes,
    changes,
    deprivation,
    ethnicity,
    exchange,
    household_list,
    household_shown,
    project_shown,
    projects,
    results,
    targets,
)

NOW, JOB = "now", "job"
REVIEW, LISTS, PROGRAM = _("Kết quả rà soát"), _("Danh sách hộ"), _("Chương trình, mục tiêu")


@dataclass(frozen=True)
class Export:
    key: str
    title: Promise
    section: Promise
    mode: str
    write: Callable  # (ctx, out, progress) -> None
    name: Callable  # (ctx) -> file name
    total: Callable | None = None  # (ctx) -> rows to write, for the job's progress
    job_title: Callable | None = None  # (ctx) -> the job's title
    listed: bool = True  # offered on the export page (False: the list pages' "as shown")
    personal: bool = False  # holds personal data (names, birth dates, citizen IDs)
    # (user, params) -> ExportContext with its own scope check (404), instead of the round and
    # area every listed export takes (``common.context_for``)
    context: Callable | None = None
    ids_shown: Callable | None = None  # (ctx) -> whether it holds full citizen IDs (access log)


def _kinds(module, key: str, section, mode, *, personal=False, **extra) -> list[Export]:
    """The poor and the near-poor variant of one report."""
    out = []
    for kind in ("poor", "near_poor"):
        out.append(
            Export(
                key=f"{key}_{kind}",
                title=module.KINDS[kind]["title"],
                section=section,
                mode=mode,
                write=partial(module.write, kind=kind),
                name=partial(module.name, kind=kind),
                personal=personal,
                **{k: partial(v, kind=kind) for k, v in extra.items()},
            )
        )
    return out


EXPORTS: list[Export] = [
    Export("results", results.TITLE, REVIEW, NOW, results.write, results.name),
    *_kinds(changes, "changes", REVIEW, NOW),
    *_kinds(deprivation, "deprivation", REVIEW, NOW),
    Export("beneficiaries", beneficiaries.TITLE, REVIEW, NOW, beneficiaries.write,
           beneficiaries.name),
    Export("ethnicity", ethnicity.TITLE, REVIEW, NOW, ethnicity.write, ethnicity.name),
    Export("causes", causes.TITLE, REVIEW, NOW, causes.write, causes.name),
    *_kinds(household_list, "list", LISTS, JOB, personal=True, total=household_list.total,
            job_title=household_list.title),
    Export("projects", projects.TITLE, PROGRAM, JOB, projects.write, projects.name,
           total=projects.total, job_title=projects.title),
    Export("targets", targets.TITLE, PROGRAM, NOW, targets.write, targets.name),
    Export("households_shown", household_shown.TITLE, LISTS, JOB, household_shown.write,
           household_shown.name, total=household_shown.total, job_title=household_shown.title,
           listed=False, personal=True),
    Export("projects_shown", projects.TITLE, PROGRAM, JOB, project_shown.write,
           project_shown.name, total=project_shown.total, job_title=project_shown.title,
           listed=False),
    Export("exchange", exchange.TITLE, LISTS, JOB, exchange.write, exchange.name,
           total=exchange.total, job_title=exchange.title, personal=True,
           ids_shown=exchange.ids_shown),
    Export("prefilled", prefilled.TITLE, LISTS, JOB, prefilled.write, prefilled.name,
           total=prefilled.total, job_title=prefilled.title, listed=False, personal=True,
           context=prefilled.context, ids_shown=prefilled.ids_shown),
]  # fmt: skip

REGISTRY: dict[str, Export] = {e.key: e for e in EXPORTS}


def export_get(key: str) -> Export:
    try:
        return REGISTRY[key]
    except KeyError:
        raise Http404 from None


def listed() -> list[Export]:
    return [e for e in EXPORTS if e.listed]
