"""Fields shared by the projects forms."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _


class VndField(forms.IntegerField):
    """Integer VND; accepts "15.000.000", "15,000,000" or "15 000 000" as typed by officers."""

    default_error_messages = {"invalid": _("Nhập số tiền bằng chữ số (đồng), ví dụ 15.000.000.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "numeric", "class": "text-end"})

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s.,]", "", value)
        return super().to_python(value)


class DateField(forms.DateField):
    """dd/mm/yyyy (the locale's DATE_INPUT_FORMATS), shown with a hint."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
        super().__init__(**kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label
