"""Template helpers of the projects pages."""

from django import template

from households.choices import POVERTY_CLASS

register = template.Library()

STATUS_BADGES = {
    "draft": "text-bg-light",
    "submitted": "text-bg-warning",
    "under_appraisal": "text-bg-info",
    "returned": "text-bg-danger",
    "rejected": "text-bg-dark",
    "approved": "text-bg-success",
    "in_progress": "text-bg-primary",
    "completed": "text-bg-secondary",
    "evaluated": "text-bg-success",
}
RATING_BADGES = {"good": "text-bg-success", "fair": "text-bg-primary", "average": "text-bg-warning",
                 "poor": "text-bg-danger"}  # fmt: skip


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light")


@register.filter
def rating_badge(rating: str) -> str:
    return RATING_BADGES.get(rating, "text-bg-light")


POVERTY_LABELS = dict(POVERTY_CLASS)


@register.filter
def poverty_label(value: str) -> str:
    return str(POVERTY_LABELS.get(value, value or "–"))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
