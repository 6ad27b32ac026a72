"""Template helpers shared by every app."""

from django import template

register = template.Library()


@register.filter
def person_name(user) -> str:
    """Vietnamese order: family and middle names (last_name), then the given name (first_name)."""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()
