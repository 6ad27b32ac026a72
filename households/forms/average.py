"""The average-living request of a household in a round, and its decision (input shape only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import RequestDecision
from .fields import MAX_HOUSEHOLD_INCOME


class AverageRequestForm(forms.Form):
    requested_on = forms.DateField(
        label=_("Ngày hộ đề nghị"),
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}
        ),
        error_messages={
            "required": _("Nhập ngày hộ đề nghị."),
            "invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 15/10/2026."),
        },
    )
    income_12_months = forms.IntegerField(
        label=_("Tổng thu nhập thực tế của hộ trong 12 tháng trước (đồng)"),
        help_text=_("Không tính các khoản trợ cấp xã hội của Nhà nước."),
        min_value=0,
        max_value=MAX_HOUSEHOLD_INCOME * 12,
        error_messages={"required": _("Nhập tổng thu nhập 12 tháng.")},
    )
    member_count = forms.IntegerField(
        label=_("Số nhân khẩu"),
        min_value=1,
        max_value=60,
        error_messages={"required": _("Nhập số nhân khẩu.")},
    )


class AverageDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Kết quả xét duyệt"),
        choices=[
            (RequestDecision.APPROVED.value, RequestDecision.APPROVED.label),
            (RequestDecision.REFUSED.value, RequestDecision.REFUSED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn công nhận hoặc không công nhận.")},
    )
    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
