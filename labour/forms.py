"""Forms of the labour pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.choices import Contract
from projects.forms.fields import DateField, UnitChoiceField

from .models import FairKind, Level, Trade, Where

FIRST_YEAR = 2021


def year_choices():
    return [(y, str(y)) for y in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


class WorkerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.household.code} – {obj.full_name} ({obj.birth_date:%Y})"


class NeedFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=(), required=False)
    trade = forms.ModelChoiceField(
        label=_("Nghề"), queryset=Trade.objects.none(), required=False, empty_label=_("Tất cả")
    )
    where = forms.ChoiceField(
        label=_("Nơi làm việc"), choices=[("", _("Tất cả")), *Where.choices], required=False
    )
    wants_job = forms.ChoiceField(
        label=_("Nhu cầu việc làm"),
        choices=[("", _("Tất cả")), ("yes", _("Có")), ("no", _("Không"))],
        required=False,
    )

    def __init__(self, *args, trades, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["trade"].queryset = trades


class NeedForm(forms.Form):
    member = WorkerField(label=_("Người lao động"), queryset=None)
    surveyed_on = DateField(label=_("Ngày khảo sát"))
    trade = forms.ModelChoiceField(label=_("Nghề muốn học"), queryset=None)
    level = forms.ChoiceField(label=_("Trình độ"), choices=Level.choices)
    where = forms.ChoiceField(label=_("Nơi muốn làm việc"), choices=Where.choices)
    wants_job = forms.BooleanField(label=_("Có nhu cầu việc làm"), required=False, initial=True)
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args, workers, trades, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = workers
        self.fields["trade"].queryset = trades


class FairFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả")), *year_choices()]


class FairForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=FairKind.choices)
    held_on = DateField(label=_("Ngày tổ chức"))
    unit = UnitChoiceField(label=_("Đơn vị tổ chức"), queryset=None)
    place = forms.CharField(label=_("Địa điểm"), max_length=200)
    employers_count = forms.IntegerField(label=_("Số doanh nghiệp tham gia"), min_value=0)
    employers = forms.CharField(
        label=_("Tên các doanh nghiệp"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    jobs_offered = forms.IntegerField(label=_("Số vị trí việc làm"), min_value=0)
    attendees = forms.IntegerField(label=_("Số người tham dự"), min_value=0)
    attendees_poor = forms.IntegerField(
        label=_("Trong đó người thuộc hộ nghèo, cận nghèo"), min_value=0
    )
    hires = forms.IntegerField(label=_("Số người được tuyển dụng"), min_value=0)
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class HireForm(forms.Form):
    member = WorkerField(label=_("Người lao động"), queryset=None)
    employer = forms.CharField(label=_("Nơi làm việc (doanh nghiệp)"), max_length=200)
    contract = forms.ChoiceField(
        label=_("Hợp đồng"), choices=[c for c in Contract.choices if c[0] != Contract.SELF]
    )
    starts_on = DateField(label=_("Ngày bắt đầu làm việc"))
    is_abroad = forms.BooleanField(label=_("Làm việc ở nước ngoài"), required=False)
    is_sustainable = forms.BooleanField(label=_("Việc làm bền vững"), required=False)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = workers


class PlacementFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=(), required=False)
    unit = UnitChoiceField(label=_("Địa bàn"), queryset=None, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["unit"].queryset = units
