"""The household list's filter fields as Bootstrap markup, rendered in Python.

The list page is the portal's busiest page; rendering its ten filter fields through form widget
templates (one template per select option, about 200 of them for a province's communes) cost more
CPU than the rest of the page. This renders the same markup (label, control, help text, invalid
state) with ``format_html``.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def filter_field(form, name: str):
    bound = form[name]
    field = bound.field
    control_id = bound.id_for_label
    value = bound.value()
    current = "" if value is None else str(value)
    invalid = " is-invalid" if bound.errors else ""
    help_id = f"{control_id}_helptext"
    described = format_html(' aria-describedby="{}"', help_id) if field.help_text else ""
    choices = getattr(field, "choices", None) or getattr(field.widget, "choices", None)
    if choices is not None:
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == current else "", label)
                for key, label in choices
            ),
        )
        control = format_html(
            '<select name="{}" class="form-select{}" id="{}"{}>{}</select>',
            name,
            invalid,
            control_id,
            described,
            options,
        )
    else:
        length = getattr(field, "max_length", None)
        control = format_html(
            '<input type="text" name="{}" value="{}" class="form-control{}"{} id="{}"{}>',
            name,
            current,
            invalid,
            format_html(' maxlength="{}"', length) if length else "",
            control_id,
            described,
        )
    help_text = (
        format_html('<div id="{}" class="form-text">{}</div>', help_id, field.help_text)
        if field.help_text
        else ""
    )
    return format_html(
        '<div class="mb-3"><label for="{}" class="form-label">{}</label>{}{}</div>',
        control_id,
        field.label,
        control,
        help_text,
    )
