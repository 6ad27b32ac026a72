"""Forms of courses, participants, attendance and employment records."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import Contract, CourseKind
from ..models import Course, ProgramComponent
from .fields import DateField, UnitChoiceField
from .proposal import ComponentChoiceField


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Tên lớp / hoạt động"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại"), choices=CourseKind.choices)
    component = ComponentChoiceField(
        label=_("Thuộc dự án / tiểu dự án của Chương trình"), queryset=ProgramComponent.objects
    )
    unit = UnitChoiceField(label=_("Đơn vị tổ chức"), queryset=None)
    starts_on = DateField(label=_("Ngày bắt đầu"))
    ends_on = DateField(label=_("Ngày kết thúc"))
    place = forms.CharField(label=_("Địa điểm"), max_length=200)
    organiser = forms.CharField(label=_("Cơ quan tổ chức"), max_length=200)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["component"].queryset = ProgramComponent.objects.filter(
            for_trainings=True
        ).select_related("program", "parent")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    @staticmethod
    def initial_for(course: Course) -> dict:
        return {
            f: getattr(course, f)
            for f in (
                "title",
                "kind",
                "component",
                "unit",
                "starts_on",
                "ends_on",
                "place",
                "organiser",
            )
        }


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã hộ"), required=False, max_length=100)


class EmploymentForm(forms.Form):
    employer = forms.CharField(
        label=_("Nơi làm việc"), max_length=200, required=False,
        help_text=_("Để trống nếu tự tạo việc làm."),
    )  # fmt: skip
    contract = forms.ChoiceField(label=_("Hợp đồng"), choices=Contract.choices)
    starts_on = DateField(label=_("Ngày bắt đầu"))
    ends_on = DateField(label=_("Ngày kết thúc"), required=False)
    is_abroad = forms.BooleanField(label=_("Làm việc ở nước ngoài"), required=False)
    is_sustainable = forms.BooleanField(label=_("Việc làm bền vững"), required=False)
    course = forms.ModelChoiceField(
        label=_("Qua lớp / phiên giao dịch việc làm"), queryset=None, required=False
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data
