"""Forms of the workflow steps, the evaluation, amendments and replication."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import Category, GroupKind, Rating
from ..models.project import SOURCES
from .fields import DateField, UnitMultipleChoiceField, VndField


class StepForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(StepForm):
    decision_number = forms.CharField(
        label=_("Số quyết định phê duyệt"),
        max_length=50,
        error_messages={"required": _("Nhập số quyết định phê duyệt.")},
    )
    decision_date = DateField(
        label=_("Ngày quyết định"),
        error_messages={
            "required": _("Nhập ngày quyết định phê duyệt."),
            "invalid": _("Nhập ngày theo dạng dd/mm/yyyy."),
        },
    )


class EvaluationForm(forms.Form):
    economic_rating = forms.ChoiceField(label=_("Hiệu quả kinh tế"), choices=Rating.choices)
    economic_note = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    social_rating = forms.ChoiceField(label=_("Hiệu quả xã hội"), choices=Rating.choices)
    social_note = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    environmental_rating = forms.ChoiceField(label=_("Tác động môi trường"), choices=Rating.choices)
    environmental_note = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    income_before = VndField(
        label=_("Thu nhập bình quân trước (đồng/người/tháng)"),
        required=False,
        help_text=_("Để trống: lấy từ kết quả rà soát của các hộ tham gia."),
    )
    income_after = VndField(
        label=_("Thu nhập bình quân sau (đồng/người/tháng)"),
        required=False,
        help_text=_("Để trống: lấy từ kết quả rà soát của các hộ tham gia."),
    )
    recommend_replication = forms.BooleanField(label=_("Đề nghị nhân rộng mô hình"), required=False)
    conclusion = forms.CharField(
        label=_("Kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, is_model: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_model:
            del self.fields["recommend_replication"]


class AmendmentForm(forms.Form):
    reason = forms.CharField(label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 3}))
    decision_number = forms.CharField(
        label=_("Số quyết định điều chỉnh"), max_length=50, required=False
    )
    decision_date = DateField(label=_("Ngày quyết định"), required=False)
    total_cost = VndField(label=_("Tổng kinh phí (đồng)"))
    state_support = VndField(label=_("Ngân sách nhà nước hỗ trợ"))
    counterpart_cash = VndField(label=_("Đối ứng bằng tiền"))
    counterpart_kind = VndField(label=_("Đối ứng bằng hiện vật"))
    counterpart_labour = VndField(label=_("Đối ứng bằng ngày công lao động"))
    policy_credit = VndField(label=_("Vốn tín dụng chính sách"))
    other_funds = VndField(label=_("Nguồn khác"))
    remove = forms.MultipleChoiceField(
        label=_("Hộ rút khỏi dự án"), required=False, widget=forms.CheckboxSelectMultiple
    )
    add_codes = forms.CharField(
        label=_("Mã các hộ bổ sung"),
        required=False,
        help_text=_("Cách nhau bởi dấu phẩy; hộ phải cư trú tại xã thực hiện dự án."),
    )
    add_category = forms.ChoiceField(
        label=_("Đối tượng của các hộ bổ sung"), choices=Category.choices, required=False
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].choices = [
            (str(p.household_id), f"{p.household.code} · {p.household.head_name}")
            for p in participants
        ]

    def sources(self) -> dict[str, int]:
        return {f: self.cleaned_data[f] for f in SOURCES}

    def codes(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["add_codes"].split(",") if c.strip()]


class ReplicateForm(forms.Form):
    code = forms.CharField(label=_("Mã dự án"), max_length=30, required=False)
    title = forms.CharField(label=_("Tên mô hình nhân rộng"), max_length=255)
    communes = UnitMultipleChoiceField(
        label=_("Xã thực hiện"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    group_kind = forms.ChoiceField(label=_("Nhóm đề xuất"), choices=GroupKind.choices)
    group_name = forms.CharField(label=_("Tên nhóm / đơn vị chủ trì"), max_length=200)
    starts_on = DateField(label=_("Ngày bắt đầu"))
    ends_on = DateField(label=_("Ngày kết thúc"))

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data
