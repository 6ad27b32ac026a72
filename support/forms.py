"""Input shape of household support; the services decide and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from households import choices
from projects.forms.fields import DateField, VndField
from projects.forms.proposal import ComponentChoiceField

from .models import PlanStatus, Source


class HelperForm(forms.Form):
    helper_name = forms.CharField(label=_("Họ và tên người giúp đỡ"), max_length=100)
    organisation = forms.CharField(
        label=_("Cơ quan, tổ chức"),
        max_length=150,
        help_text=_("Ví dụ: Đảng ủy xã, Hội Nông dân xã, Hội Liên hiệp Phụ nữ xã."),
    )
    position = forms.CharField(
        label=_("Chức vụ, vai trò"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: đảng viên, cán bộ, hội viên."),
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    starts_on = DateField(label=_("Giúp đỡ từ ngày"))
    ends_on = DateField(label=_("Đến ngày"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu giúp đỡ."))
        return data


class HelperEndForm(forms.Form):
    ends_on = DateField(label=_("Ngày kết thúc giúp đỡ"))


class VisitForm(forms.Form):
    visited_on = DateField(label=_("Ngày thăm hộ"))
    note = forms.CharField(
        label=_("Nội dung, kết quả"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class KindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name if not obj.unit else f"{obj.name} ({obj.unit})"


class PlanItemForm(forms.Form):
    need = forms.ChoiceField(label=_("Nhu cầu (theo phiếu rà soát)"), required=False)
    kind = KindChoiceField(label=_("Loại hỗ trợ"), queryset=None)
    action = forms.CharField(label=_("Nội dung hỗ trợ"), max_length=250)
    due_on = DateField(label=_("Thời hạn"))
    responsible = forms.CharField(label=_("Đơn vị, người thực hiện"), max_length=150)

    def __init__(self, *args, kinds, needs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        labels = dict(choices.Need.choices)
        self.fields["need"].choices = [("", _("— Không gắn với nhu cầu —"))] + [
            (code, labels.get(code, code)) for code in needs
        ]


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=PlanStatus.choices)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.kind.name}: {obj.action}"


class SupportRecordForm(forms.Form):
    kind = KindChoiceField(label=_("Loại hỗ trợ"), queryset=None)
    received_on = DateField(label=_("Ngày nhận hỗ trợ"))
    source = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=Source.choices)
    amount = VndField(label=_("Số tiền (đồng)"), required=False, min_value=1)
    quantity = forms.DecimalField(
        label=_("Số lượng"),
        required=False,
        min_value=0.01,
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "Theo đơn vị tính của loại hỗ trợ (thẻ, con, lượt …); nhập số tiền hoặc "
            "số lượng, hoặc cả hai."
        ),
    )
    member = MemberChoiceField(
        label=_("Thành viên được hỗ trợ"),
        queryset=None,
        required=False,
        empty_label=_("— Cả hộ —"),
    )
    plan_item = PlanChoiceField(
        label=_("Theo mục kế hoạch"), queryset=None, required=False, empty_label=_("— Không —")
    )
    component = ComponentChoiceField(
        label=_("Dự án, tiểu dự án của Chương trình"),
        queryset=None,
        required=False,
        empty_label=_("— Không thuộc Chương trình —"),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=250, required=False)

    def __init__(self, *args, kinds, members, plan_items, components, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.fields["member"].queryset = members
        self.fields["plan_item"].queryset = plan_items.select_related("kind")
        self.fields["component"].queryset = components

    def clean(self):
        data = super().clean()
        missing = data.get("amount") is None and data.get("quantity") is None
        if missing and "amount" not in self.errors and "quantity" not in self.errors:
            self.add_error("amount", _("Nhập số tiền hoặc số lượng hỗ trợ."))
        return data


class SupportFilterForm(forms.Form):
    without = forms.ChoiceField(
        label=_("Lọc"),
        required=False,
        choices=[
            ("", _("Tất cả hộ nghèo, cận nghèo")),
            ("helper", _("Chưa có người giúp đỡ")),
            ("plan", _("Chưa có kế hoạch hỗ trợ")),
        ],
    )
