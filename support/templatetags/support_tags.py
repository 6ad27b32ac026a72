"""The household page's support section, rendered from the support app's selector (one
include line in households/templates/households/household_detail.html)."""

from django import template

from areas.scope import request_scope

from ..selectors import household_support

register = template.Library()


@register.inclusion_tag("support/_household_support.html", takes_context=True)
def household_support_section(context, household):
    request = context["request"]
    return {
        "household": household,
        "support": household_support(request_scope(request), household),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
