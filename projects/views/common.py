"""Small helpers the projects views share."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 25


def add_errors(form, error: ValidationError) -> None:
    """Put a service's errors beside the fields they name, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for e in errors:
                form.add_error(target, e.messages[0] if hasattr(e, "messages") else e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def paginate(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))
