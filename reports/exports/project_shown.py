"""The project list page as shown: the same filters (``ProjectFilter``), scope and order as
/du-an/, every page of it, with the projects export's columns."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

from areas.scope import user_reach
from projects.forms.filters import ProjectFilter
from projects.selectors.projects import project_list_for_user

from ..xlsx import streamed
from .common import ExportContext, exported_line, filename, header_for
from .projects import TITLE, new_sheet, write_projects
from .shown import describe_filters


def project_filter(ctx: ExportContext) -> ProjectFilter:
    """Built exactly as the page builds it (projects.views.lists.project_list)."""
    reach = user_reach(ctx.user)
    units = reach.today.units().select_related("parent").order_by("path")
    query = QueryDict(ctx.params.get("query", ""))
    return ProjectFilter(query or None, queryset=project_list_for_user(reach), units=units)


def total(ctx: ExportContext) -> int:
    return project_filter(ctx).qs.count()


def write(ctx: ExportContext, out, progress=None) -> None:
    filters = project_filter(ctx)
    with streamed(out) as wb:
        lines = (
            describe_filters(filters) if filters.is_bound else [_("Danh sách đầy đủ, không lọc.")]
        )
        sheet = new_sheet(wb, header_for(ctx, str(TITLE), lines=[*lines, exported_line()]))
        write_projects(sheet, filters.qs, progress)
        sheet.signatures()


def name(ctx: ExportContext) -> str:
    return filename(TITLE)


def title(ctx: ExportContext) -> str:
    return f"{TITLE} ({_('theo bộ lọc')})"
