"""Forms of the communication pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.forms.fields import DateField, UnitChoiceField

from .models import Audience, SubProject

FIRST_YEAR = 2021


def year_choices():
    return [(y, str(y)) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class KindField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.subproject})"


class ActivityForm(forms.Form):
    kind = KindField(label=_("Loại hoạt động"), queryset=None)
    held_on = DateField(label=_("Ngày thực hiện"))
    unit = UnitChoiceField(label=_("Đơn vị thực hiện"), queryset=None)
    title = forms.CharField(label=_("Tên hoạt động"), max_length=250)
    audience_groups = forms.MultipleChoiceField(
        label=_("Nhóm đối tượng"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    audience = forms.CharField(label=_("Đối tượng (mô tả)"), max_length=250, required=False)
    reach = forms.IntegerField(label=_("Số người tham dự, tiếp cận"), min_value=0, initial=0)
    materials = forms.IntegerField(
        label=_("Số sản phẩm, tài liệu (tờ rơi, tin bài, thiết bị …)"), min_value=0, initial=0
    )
    materials_note = forms.CharField(
        label=_("Mô tả sản phẩm, tài liệu"), max_length=250, required=False
    )
    cost = forms.IntegerField(label=_("Kinh phí (đồng)"), min_value=0, required=False)
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, kinds, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.fields["unit"].queryset = units

    @staticmethod
    def initial_for(activity) -> dict:
        return {
            "kind": activity.kind,
            "held_on": activity.held_on,
            "unit": activity.unit,
            "title": activity.title,
            "audience_groups": activity.groups(),
            "audience": activity.audience,
            "reach": activity.reach,
            "materials": activity.materials,
            "materials_note": activity.materials_note,
            "cost": activity.cost,
            "note": activity.note,
        }


class ActivityFilter(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Năm"), choices=(), coerce=int, required=False, empty_value=None
    )
    subproject = forms.ChoiceField(
        label=_("Tiểu dự án"), choices=[("", _("Tất cả")), *SubProject.choices], required=False
    )
    kind = KindField(label=_("Loại hoạt động"), queryset=None, required=False)
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=None, required=False)
    audience = forms.ChoiceField(
        label=_("Nhóm đối tượng"), choices=[("", _("Tất cả")), *Audience.choices], required=False
    )

    def __init__(self, *args, kinds, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả")), *year_choices()]
        self.fields["kind"].queryset = kinds
        self.fields["unit"].queryset = units


class SummaryForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), choices=(), coerce=int)
    unit = UnitChoiceField(label=_("Địa bàn"), queryset=None, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["unit"].queryset = units
