"""Input shape of the funds' pages; the services hold the checks and do the saving."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.fields import DateField, UnitChoiceField, VndField

from .models import Source


class ComponentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.program.starts_on.year}–{obj.program.ends_on.year} · {obj}"


class PlanFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    component = forms.ModelChoiceField(label=_("Dự án / tiểu dự án"), queryset=None, required=False)
    source = forms.ChoiceField(
        label=_("Nguồn vốn"), choices=[("", "---------"), *Source.choices], required=False
    )
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=None, required=False)

    def __init__(self, *args, years, components, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["component"].queryset = components
        self.fields["unit"].queryset = units


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm kế hoạch"), min_value=2021, max_value=2035)
    component = ComponentChoiceField(label=_("Dự án / tiểu dự án"), queryset=None)
    unit = UnitChoiceField(label=_("Đơn vị được giao"), queryset=None)
    source = forms.ChoiceField(label=_("Nguồn vốn"), choices=Source.choices)
    amount = VndField(label=_("Kế hoạch vốn năm (đồng)"))
    carried_over = VndField(label=_("Vốn năm trước chuyển sang (đồng)"), required=False)
    decision_ref = forms.CharField(label=_("Số quyết định giao vốn"), max_length=60, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, components, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = components
        self.fields["unit"].queryset = units

    def clean_carried_over(self):
        return self.cleaned_data.get("carried_over") or 0


class PlanEditForm(forms.Form):
    amount = VndField(label=_("Kế hoạch vốn năm (đồng)"))
    carried_over = VndField(label=_("Vốn năm trước chuyển sang (đồng)"), required=False)
    decision_ref = forms.CharField(label=_("Số quyết định giao vốn"), max_length=60, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def clean_carried_over(self):
        return self.cleaned_data.get("carried_over") or 0


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} · {obj.title}"


class AllocationForm(forms.Form):
    commune = UnitChoiceField(label=_("Phân bổ về xã"), queryset=None, required=False)
    project = ProjectChoiceField(label=_("hoặc cho dự án sinh kế"), queryset=None, required=False)
    amount = VndField(label=_("Số vốn phân bổ (đồng)"))
    allocated_on = DateField(label=_("Ngày phân bổ"))
    decision_ref = forms.CharField(label=_("Số quyết định phân bổ"), max_length=60, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, communes, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["project"].queryset = projects

    def clean(self):
        data = super().clean()
        if bool(data.get("commune")) == bool(data.get("project")):
            raise forms.ValidationError(_("Chọn một xã hoặc một dự án sinh kế (chỉ một)."))
        return data


class AllocationEditForm(forms.Form):
    amount = VndField(label=_("Số vốn phân bổ (đồng)"))
    allocated_on = DateField(label=_("Ngày phân bổ"))
    decision_ref = forms.CharField(label=_("Số quyết định phân bổ"), max_length=60, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class DisbursementForm(forms.Form):
    paid_on = DateField(label=_("Ngày giải ngân"))
    amount = VndField(label=_("Số tiền giải ngân (đồng)"))
    purpose = forms.CharField(label=_("Nội dung chi (giải ngân cho việc gì)"), max_length=255)
    voucher_ref = forms.CharField(label=_("Số chứng từ"), max_length=60, required=False)
