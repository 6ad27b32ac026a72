"""Small panels other apps' pages show with one line: the dashboard's funds panel and a
project's allocations."""

from django import template

from ..selectors import area_paths, funds_panel, project_funds

register = template.Library()


@register.inclusion_tag("finance/_dashboard_panel.html")
def funds_dashboard_panel(year: int, owner):
    """The area shown on the dashboard (already checked against the user's scope)."""
    paths = area_paths(unit=owner.unit, group=owner.group)
    return {"year": year, "funds": funds_panel(year, paths)}


@register.inclusion_tag("finance/_project_funds.html")
def project_funds_panel(project):
    return {"funds": project_funds(project)}
