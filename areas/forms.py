from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên hoặc mã"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Cấp"), required=False, choices=[("", _("Tất cả các cấp")), *Level.choices]
    )
    day = forms.DateField(
        label=_("Tại ngày"),
        required=False,
        help_text=_("Để trống: hôm nay. Chọn một ngày trước 01/07/2025 để xem cây đơn vị cũ."),
    )
