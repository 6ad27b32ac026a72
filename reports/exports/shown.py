"""Describing a list page's filters in words, for the header of a "download as shown" export."""

from __future__ import annotations

from django.utils.translation import gettext as _


def describe_filters(filterset) -> list[str]:
    """'Bộ lọc: Phân loại: Hộ nghèo; Xã: Xã Ba Tơ (21484)', or 'Không lọc' (one line)."""
    form = filterset.form
    form.is_valid()  # the page ignores invalid filters too (and warns about them)
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, bool):
            shown = _("Có") if value else _("Không")
        elif getattr(field, "choices", None) and not hasattr(field, "queryset"):
            shown = str(dict(field.choices).get(value, value))
        else:
            shown = str(value)
        parts.append(f"{field.label}: {shown}")
    if not parts:
        return [_("Danh sách đầy đủ, không lọc.")]
    return [_("Bộ lọc: %(filters)s") % {"filters": "; ".join(parts)}]
