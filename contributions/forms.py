"""Input shape of the fund's pages; the services hold the checks and do the saving."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.fields import DateField, UnitChoiceField, VndField

from .models import DonorKind


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    donor_kind = forms.ChoiceField(
        label=_("Loại nhà tài trợ"), choices=[("", "---------"), *DonorKind.choices], required=False
    )
    unit = UnitChoiceField(label=_("Quỹ của đơn vị"), queryset=None, required=False)

    def __init__(self, *args, years, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["unit"].queryset = units


class SummaryForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    unit = UnitChoiceField(label=_("Địa bàn"), queryset=None, required=False)

    def __init__(self, *args, years, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["unit"].queryset = units


class ContributionForm(forms.Form):
    unit = UnitChoiceField(label=_("Quỹ Vì người nghèo của"), queryset=None)
    received_on = DateField(label=_("Ngày tiếp nhận"))
    donor_name = forms.CharField(label=_("Tên nhà tài trợ"), max_length=200)
    donor_kind = forms.ChoiceField(label=_("Loại nhà tài trợ"), choices=DonorKind.choices)
    anonymous = forms.BooleanField(
        label=_("Không công khai tên nhà tài trợ trên bảng tổng hợp"), required=False
    )
    cash_amount = VndField(label=_("Tiền mặt (đồng)"), required=False)
    in_kind = forms.CharField(
        label=_("Hiện vật"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: 10 con bò giống, 50 bộ sách giáo khoa."),
    )
    in_kind_value = VndField(label=_("Giá trị hiện vật ước tính (đồng)"), required=False)
    purpose = forms.CharField(label=_("Mục đích"), max_length=255, required=False)
    purpose_kind = forms.ModelChoiceField(
        label=_("Loại hỗ trợ dự kiến"), queryset=None, required=False
    )
    reference = forms.CharField(label=_("Số biên nhận"), max_length=60, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, units=None, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
        self.fields["purpose_kind"].queryset = kinds

    def clean_cash_amount(self):
        return self.cleaned_data.get("cash_amount") or 0

    def clean_in_kind_value(self):
        return self.cleaned_data.get("in_kind_value") or 0


class RecordChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        household = obj.household
        return f"{obj.received_on:%d/%m/%Y} · {obj.kind} · {household.code} · {household.head_name}"


class UseForm(forms.Form):
    used_on = DateField(label=_("Ngày chi"))
    amount = VndField(label=_("Số tiền, giá trị (đồng)"))
    description = forms.CharField(label=_("Nội dung chi"), max_length=255)
    commune = UnitChoiceField(label=_("Xã"), queryset=None, required=False)
    support_records = RecordChoiceField(
        label=_("Hỗ trợ đã trao cho hộ (đã ghi ở trang hộ)"),
        queryset=None,
        required=False,
        help_text=_("Chọn các khoản hỗ trợ mà đóng góp này chi trả, nếu có."),
    )

    def __init__(self, *args, communes, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["support_records"].queryset = records
